"""The indicators of ../shared/spec/indicators.md: each code once, with its names in RO and EN.

The queries that compute them (a later issue) are keyed by these codes.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # translatable (gettext_lazy): English source, Romanian in the catalogue
    unit: str = "persons"


INDICATORS = [
    Indicator("EECO01", _("Total number of participants")),
    Indicator("EECO02", _("Unemployed, including long-term unemployed")),
    Indicator("EECO03", _("Long-term unemployed")),
    Indicator("EECO04", _("Inactive")),
    Indicator("EECO05", _("Employed, including self-employed")),
    Indicator("EECO06", _("Children below 18 years of age")),
    Indicator("EECO07", _("Young people between 18 and 29 years of age")),
    Indicator("EECO08", _("Participants of 55 years of age and above")),
    Indicator("EECO09", _("With lower secondary education or less (ISCED 0-2)")),
    Indicator("EECO10", _("With upper secondary or post-secondary education (ISCED 3-4)")),
    Indicator("EECO11", _("With tertiary education (ISCED 5-8)")),
    Indicator("EECO12", _("Participants with disabilities")),
    Indicator("EECO13", _("Third-country nationals")),
    Indicator("EECO14", _("Participants with a foreign background")),
    Indicator("EECO15", _("Minorities, including marginalised communities such as Roma")),
    Indicator("EECO16", _("Homeless or affected by housing exclusion")),
    Indicator("EECO17", _("Participants from rural areas")),
    Indicator("EECO19", _("Supported micro, small and medium-sized enterprises, including social enterprises"),
              "entities"),
    Indicator("EECR01", _("Engaged in job searching upon leaving")),
    Indicator("EECR02", _("In education or training upon leaving")),
    Indicator("EECR03", _("Gaining a qualification upon leaving")),
    Indicator("EECR04", _("In employment, including self-employment, upon leaving")),
    Indicator("EECR05", _("In employment, including self-employment, six months after leaving")),
    Indicator("EECR06", _("With an improved labour market situation six months after leaving")),
    Indicator("SE01", _("Persons trained")),
    Indicator("SE02", _("Persons certified")),
    Indicator("SE03", _("Social economy structures created"), "entities"),
    Indicator("SE04", _("Jobs created"), "jobs"),
    Indicator("SE05", _("Jobs created for vulnerable persons"), "jobs"),
    Indicator("SE06", _("Jobs maintained"), "jobs"),
    Indicator("SE07", _("Social insertion enterprises"), "entities"),
    Indicator("SE08", _("Events held"), "events"),
    Indicator("SE09", _("Localities reached by the caravan"), "localities"),
    Indicator("SE10", _("Persons counselled")),
    Indicator("SE11", _("Event participants")),
    Indicator("SE12", _("Campaigns run"), "campaigns"),
    Indicator("SE13", _("Publications issued"), "publications"),
]
BY_CODE = {i.code: i for i in INDICATORS}
CODES = [i.code for i in INDICATORS]
