"""Retention of personal data: after a project's retention date (Project.retention_until) its participants'
identifiers are erased, through `participant_erase`, as the system.

A person is erased only when every project they take part in has ended its retention: someone also in a
project whose retention date has not passed, or is not set, keeps their identifiers (the identity is one
per person, shared by the projects). Erasure keeps every fact, so every report keeps its figures.

`socec retention` prints the preview; `socec retention --apply` erases (run it daily from cron, or enqueue
`socec.people.tasks.apply_retention` where a task worker runs).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from socec.programmes.models import Project

from .models import Identity, Participation


@dataclass
class ProjectRetention:
    project: Project
    until: dt.date | None
    expired: bool  # the retention date has passed
    to_erase: list[Participation] = field(default_factory=list)  # identifiers still held, to erase now
    kept: list[Participation] = field(default_factory=list)  # also in a project still under retention
    erased: int = 0  # participants whose identifiers are already erased
    participants: int = 0
    to_erase_count: int = 0  # the project's, whatever the lists show
    kept_count: int = 0


def still_kept(today: dt.date) -> Q:
    """Projects whose participants' identifiers are still kept on `today`: no date, or a date not passed."""
    return Q(retention_until__isnull=True) | Q(retention_until__gte=today)


def _with_identity(qs: QuerySet) -> QuerySet:
    return qs.filter(Exists(Identity.objects.filter(person_id=OuterRef("person_id"))))


def _kept_elsewhere(today: dt.date):
    """A participation whose person is also in a project still under retention."""
    return Exists(Participation.objects.filter(person_id=OuterRef("person_id"))
                  .filter(project__in=Project.objects.filter(still_kept(today))))


def project_retention(project: Project, *, today: dt.date | None = None, participations: QuerySet | None = None,
                      limit: int | None = None) -> ProjectRetention:
    """What retention means for one project on `today`. The counts are the project's; `participations` narrows
    the lists (to what a user may see) and `limit` shortens them (a page shows the first ones)."""
    today = today or timezone.localdate()
    until = project.retention_until
    expired = until is not None and until < today
    everyone = Participation.objects.filter(project=project)
    out = ProjectRetention(project=project, until=until, expired=expired, participants=everyone.count(),
                           erased=everyone.exclude(Exists(Identity.objects.filter(person_id=OuterRef("person_id"))))
                           .count())
    if not expired:
        return out
    counted = _with_identity(everyone).annotate(kept_elsewhere=_kept_elsewhere(today))
    out.kept_count = counted.filter(kept_elsewhere=True).count()
    out.to_erase_count = counted.filter(kept_elsewhere=False).count()
    shown = _with_identity((participations if participations is not None else everyone).filter(project=project))
    shown = shown.annotate(kept_elsewhere=_kept_elsewhere(today)).only(
        "pk", "person_ref", "person_id", "project_id").order_by("person_ref")
    out.to_erase = list(shown.filter(kept_elsewhere=False)[:limit])
    out.kept = list(shown.filter(kept_elsewhere=True)[:limit])
    return out


def retention_preview(*, today: dt.date | None = None, projects: QuerySet | None = None) -> list[ProjectRetention]:
    """Every project whose retention date has passed (or those given), with what `retention_apply` would
    erase. Never reads an identifier."""
    today = today or timezone.localdate()
    qs = projects if projects is not None else Project.objects.filter(retention_until__lt=today)
    return [project_retention(p, today=today) for p in qs.order_by("code")]


def retention_apply(*, today: dt.date | None = None) -> list[ProjectRetention]:
    """Erases the identifiers the preview lists, each person in its own transaction (through
    `participant_erase`, audited as the system with the project and its retention date as the reason).
    Safe to run again: erased people are not listed again. Returns what was erased."""
    from .services import participant_erase

    today = today or timezone.localdate()
    done = retention_preview(today=today)
    for entry in done:
        for p in entry.to_erase:
            if not Identity.objects.filter(person_id=p.person_id).exists():
                continue  # erased meanwhile (the same person in two expired projects)
            participation = Participation.objects.select_related("project").get(pk=p.pk)
            participant_erase(participation=participation, by=None, reason=_(
                "Retention period of project %(code)s ended on %(date)s.") % {
                "code": entry.project.code, "date": entry.until.isoformat()})
    return done
