"""Writes about jobs and employments."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from socec.core import crypto
from socec.core.services import audited_save, require_visible_participation
from socec.programmes.access import require
from socec.programmes.roles import Cap

from .models import Employment, Job


def job_save(*, job: Job, by, expected_version: int | None = None, **values) -> Job:
    return audited_save(job, by=by, project=job.project, capability=Cap.CHANGE_ACTIVITIES, values=values,
                        expected_version=expected_version)


def employment_save(*, employment: Employment, by, expected_version: int | None = None, **values) -> Employment:
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
    return audited_save(employment, by=by, project=employment.job.project, capability=Cap.CHANGE_ACTIVITIES,
                        expected_version=expected_version)


def _holds_same_job(employment: Employment) -> bool:
    """The same person already holds this job over part of the same period."""
    others = Employment.objects.filter(job=employment.job).exclude(pk=employment.pk)
    if employment.participation_id:
        others = others.filter(participation_id=employment.participation_id)
    else:
        others = others.filter(participation__isnull=True, person_name_key=crypto.keyed_hash(
            "employee", crypto.normalise_name(employment.person_name or "")))
    end = employment.end_date
    others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=employment.start_date))
    if end is not None:
        others = others.filter(start_date__lte=end)
    return others.exists()


def employment_hire(*, job: Job, by, start_date, participation=None, person_name: str = "",
                    hours_per_week=None, vulnerable=None, vulnerable_category=None) -> Employment:
    """Someone starts in a job: a participant of the job's project that `by` may see (vulnerable
    then follows from the participant's categories), or a person who is not a participant, named,
    whose vulnerable status is stated."""
    require(by, job.project, Cap.CHANGE_ACTIVITIES)
    employment = Employment(job=job, participation=participation, start_date=start_date,
                            hours_per_week=hours_per_week)
    errors = {}
    if participation is not None:
        if vulnerable is not None or vulnerable_category is not None:
            errors["vulnerable"] = _("For a participant, the vulnerable status follows from the participant's "
                                     "record: change it there.")
    else:
        employment.person_name = person_name
        employment.vulnerable = vulnerable
        employment.vulnerable_category = vulnerable_category
        if vulnerable is None and vulnerable_category is None:
            errors["vulnerable"] = _("Say whether this person belongs to a vulnerable group.")
    if start_date and start_date < job.created_on:
        errors["start_date"] = _("The job was created on %(date)s: the employment cannot start before.") % {
            "date": job.created_on.isoformat()}
    if errors:
        raise ValidationError(errors)
    if start_date and (participation is not None or (person_name or "").strip()) and _holds_same_job(employment):
        raise ValidationError({"start_date": _("This person already holds this job in this period.")})
    return employment_save(employment=employment, by=by)


def employment_leave(*, employment: Employment, by, end_date, expected_version: int | None = None) -> Employment:
    """The employee leaves the job: the last day worked."""
    if end_date is None:
        raise ValidationError({"end_date": _("Give the last day worked.")})
    if end_date < employment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date (%(date)s).") % {
            "date": employment.start_date.isoformat()}})
    if employment.participation_id:
        require_visible_participation(by, employment.participation)
    return audited_save(employment, by=by, project=employment.job.project, capability=Cap.CHANGE_ACTIVITIES,
                        values={"end_date": end_date}, expected_version=expected_version)
