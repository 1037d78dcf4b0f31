"""Who matches whom: THE matching rule between requests and social economy structures.

A request matches an organisation when
- the organisation is a social economy structure (is_ses) shown in the public directory (public);
- the request is country-wide (no county) or in the organisation's county;
- the request names no activity, or the organisation's main activity is in the request's CAEN
  section, and is the request's CAEN class when the request names one.
Both directions below implement this rule and nothing else; tests check they agree.
"""

from django.db.models import Q, QuerySet

from socec.orgs.models import Organisation

from .models import Answer, Request


def matchable_organisations() -> QuerySet:
    return Organisation.objects.filter(public=True, is_ses=True)


def matching_organisations(request: Request) -> QuerySet:
    """The public social economy structures a request matches."""
    found = matchable_organisations()
    if request.county_id:
        found = found.filter(county_id=request.county_id)
    if request.caen:
        found = found.filter(caen=request.caen)
    elif request.caen_section:
        found = found.filter(caen_section=request.caen_section)
    return found.select_related("county").order_by("name")


def matching_requests(organisation: Organisation, *, open_only: bool = True) -> QuerySet:
    """The requests matching an organisation (none unless it is public and a social economy structure)."""
    if not (organisation.public and organisation.is_ses):
        return Request.objects.none()
    place = Q(county__isnull=True) | Q(county_id=organisation.county_id)
    activity = Q(caen_section="")
    if organisation.caen_section:
        activity |= Q(caen="", caen_section=organisation.caen_section)
    if organisation.caen:
        activity |= Q(caen=organisation.caen)
    found = Request.objects.filter(place & activity)
    if open_only:
        found = found.filter(is_open=True)
    return found.select_related("county")


def request_matches(request: Request, organisation: Organisation) -> bool:
    return matching_organisations(request).filter(pk=organisation.pk).exists()


def public_requests(*, kind: str = "", county: str = "", section: str = "") -> QuerySet:
    """The open requests of the public list, newest first, with the list's filters."""
    found = Request.objects.filter(is_open=True).select_related("county")
    if kind:
        found = found.filter(kind=kind)
    if county:  # a county's requests and the country-wide ones
        found = found.filter(Q(county_id=county) | Q(county__isnull=True))
    if section:
        found = found.filter(caen_section=section)
    return found.order_by("-created_at", "-pk")


def answers_of(organisation: Organisation) -> QuerySet:
    return Answer.objects.filter(organisation=organisation).select_related("request", "by")
