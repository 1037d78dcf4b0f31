"""Writes about jobs and employments."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from socec.core import crypto
from socec.core.services import audited_save, require_visible_participation
from socec.programmes.roles import Cap

from .models import Employment, Job


def job_save(*, job: Job, by, **values) -> Job:
    return audited_save(job, by=by, project=job.project, capability=Cap.CHANGE_ACTIVITIES, values=values)


def employment_save(*, employment: Employment, by, **values) -> Employment:
    """For a participant, `vulnerable` follows from the person and may not contradict it."""
    for k, v in values.items():
        setattr(employment, k, v)
    if employment.participation_id:
        p = employment.participation
        if p.project_id != employment.job.project_id:
            raise ValidationError({"participation": _("The participant is in another project.")})
        require_visible_participation(by, p)
        is_vulnerable = p.vulnerable.exists()
        if employment.vulnerable is not None and employment.vulnerable != is_vulnerable:
            raise ValidationError({"vulnerable": _("The participant is %(state)s: the employment cannot say otherwise.")
                                   % {"state": _("vulnerable") if is_vulnerable else _("not vulnerable")}})
        employment.vulnerable = is_vulnerable
        employment.person_name = ""
        employment.person_name_key = ""
        employment.vulnerable_category = None
    else:
        name = (employment.person_name or "").strip()
        if not name:
            raise ValidationError({"person_name": _("Name the participant or the person who holds the job.")})
        employment.person_name = name
        employment.person_name_key = crypto.keyed_hash("employee", crypto.normalise_name(name))
        if employment.vulnerable_category_id and employment.vulnerable is False:
            raise ValidationError({"vulnerable": _("A vulnerable category was given for a person marked not "
                                                   "vulnerable.")})
        if employment.vulnerable_category_id:
            employment.vulnerable = True
    return audited_save(employment, by=by, project=employment.job.project, capability=Cap.CHANGE_ACTIVITIES)
