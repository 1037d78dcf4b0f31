"""Which projects' indicators a write changes: their report version is raised in the same
transaction as the write, so that a cached report part (socec.indicators.cache) is used only while
nothing it counted has changed.

Writes through models (services, the admin, the row-by-row sheets of an import) are followed by
signals (`connect`). Bulk writes that bypass the models (the participants and enrolments of an
import, place loaders) call `touch` or `touch_all` themselves. `deferred()` gathers the projects
touched inside it and raises each version once at its end (an import of thousands of rows)."""

import threading
from contextlib import contextmanager

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

_local = threading.local()


def touch(project_ids) -> None:
    """Raise the report version of these projects (ids; None is ignored)."""
    ids = {pk for pk in project_ids if pk is not None}
    if not ids:
        return
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.update(ids)
        return
    _raise(ids)


def touch_all() -> None:
    from socec.programmes.models import Project

    touch(Project.objects.values_list("pk", flat=True))


def _raise(ids) -> None:
    from .models import ReportVersion

    table = connection.ops.quote_name(ReportVersion._meta.db_table)
    with connection.cursor() as cursor:
        # in a fixed order: two transactions never wait for each other's rows crosswise
        cursor.executemany(f"INSERT INTO {table} (project_id, n) VALUES (%s, 1) "  # noqa: S608 - names only
                           f"ON CONFLICT (project_id) DO UPDATE SET n = {table}.n + 1",
                           [(pk,) for pk in sorted(ids)])


@contextmanager
def deferred():
    """Gather the projects touched inside; raise their versions once at the end (inside the
    caller's transaction: put this inside `transaction.atomic()`)."""
    outer = getattr(_local, "pending", None)
    if outer is not None:
        yield
        return
    _local.pending = set()
    try:
        yield
        ids = _local.pending
    finally:
        _local.pending = None
    if ids and not (connection.in_atomic_block and connection.needs_rollback):  # nothing to be committed
        _raise(ids)


def projects_sharing(project_id: int) -> set[int]:
    """The project and every project that counts a person or an organisation it counts too: an
    import that rewrote a person's facts or an organisation's seat changes their reports as well."""
    from socec.jobs.models import Job
    from socec.people.models import Participation, Person
    from socec.programmes.models import Partnership

    people = Participation.objects.filter(project_id=project_id).values("person_id")
    keys = Person.objects.filter(pk__in=people).values("person_key")
    people = Person.objects.filter(person_key__in=keys).values("pk")  # the twins too
    organisations = Partnership.objects.filter(project_id=project_id).values("organisation_id")
    employers = Job.objects.filter(project_id=project_id).values("employer_id")
    found = {project_id}
    found.update(Participation.objects.filter(person_id__in=people).values_list("project_id", flat=True).distinct())
    for orgs in (organisations, employers):
        found.update(Partnership.objects.filter(organisation_id__in=orgs).values_list("project_id", flat=True)
                     .distinct())
        found.update(Job.objects.filter(employer_id__in=orgs).values_list("project_id", flat=True).distinct())
    return found


# --- signals --------------------------------------------------------------------------------------


def _related_project(instance, relation: str):
    """instance.<relation>.project_id without a query when the related object is loaded."""
    field = instance._meta.get_field(relation)
    if field.is_cached(instance):
        related = getattr(instance, relation)
        return related.project_id if related is not None else None
    related_id = getattr(instance, field.attname)
    if related_id is None:
        return None
    return field.related_model.objects.filter(pk=related_id).values_list("project_id", flat=True).first()


def _own_project(sender, instance, **kwargs):
    touch([instance.project_id])


def _via(relation):
    def receiver(sender, instance, **kwargs):
        touch([_related_project(instance, relation)])
    return receiver


def _project(sender, instance, **kwargs):
    touch([instance.pk])


def _participation(sender, instance, **kwargs):
    """Its project, and every project counting the same person (or a person with the same key):
    their parts keep who is in several projects, for the distinct persons."""
    touch([instance.project_id, *_projects_of_person(instance.person_id)])


def _projects_of_person(person_id, keys=()):
    """Projects with a participation of this person, or of a person with its key (or these keys).
    Two index look-ups (an OR of both in one query makes PostgreSQL scan every participation)."""
    from socec.people.models import Participation, Person

    if person_id is None:
        return []
    own = Person.objects.filter(pk=person_id).values_list("person_key", flat=True).first()
    wanted = {k for k in (own, *keys) if k}
    people = {person_id, *Person.objects.filter(person_key__in=wanted).values_list("pk", flat=True)}
    return list(Participation.objects.filter(person_id__in=people).values_list("project_id", flat=True).distinct())


def _person_key_before(sender, instance, **kwargs):
    from socec.people.models import Person

    instance._key_before = (Person.objects.filter(pk=instance.pk).values_list("person_key", flat=True).first()
                            if instance.pk else None)


def _person(sender, instance, **kwargs):
    before = getattr(instance, "_key_before", None)
    touch(_projects_of_person(instance.pk, keys=[before] if before and before != instance.person_key else ()))


def _organisation(sender, instance, **kwargs):
    from socec.jobs.models import Job
    from socec.programmes.models import Partnership

    touch([*Partnership.objects.filter(organisation_id=instance.pk).values_list("project_id", flat=True),
           *Job.objects.filter(employer_id=instance.pk).values_list("project_id", flat=True).distinct()])


def _participant_categories(sender, instance, action, reverse, pk_set, **kwargs):
    """A participant's vulnerable categories: their project's figures, and the jobs they hold
    (SE05, SE07) in whatever project."""
    from socec.jobs.models import Employment
    from socec.people.models import Participation

    if not action.startswith("post_"):
        return
    if reverse:  # from the category's side: pk_set are participations (None on clear: all of them)
        participations = Participation.objects.all() if pk_set is None else Participation.objects.filter(
            pk__in=pk_set)
        ids = list(participations.values_list("pk", flat=True))
        projects = set(participations.values_list("project_id", flat=True).distinct())
    else:
        ids = [instance.pk]
        projects = {instance.project_id}
    projects.update(Employment.objects.filter(participation_id__in=ids).values_list("job__project_id", flat=True)
                    .distinct())
    touch(projects)


def _every_project(sender, instance, **kwargs):
    touch_all()


def connect() -> None:
    from socec.jobs.models import Employment, Job
    from socec.orgs.models import Organisation
    from socec.outreach.models import Campaign, Event, EventAttendance, Publication
    from socec.people.models import Participation, Person
    from socec.places.models import County
    from socec.programmes.models import Partnership, Project
    from socec.training.models import Course, Enrolment

    def on(model, receiver, uid):
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"socec.versions.{uid}")

    for model in (Course, Event, Job, Campaign, Publication, Partnership):
        on(model, _own_project, model.__name__)
    on(Participation, _participation, "Participation")
    pre_save.connect(_person_key_before, sender=Person, weak=False, dispatch_uid="socec.versions.PersonKey")
    on(Enrolment, _via("course"), "Enrolment")
    on(EventAttendance, _via("event"), "EventAttendance")
    on(Employment, _via("job"), "Employment")
    on(Person, _person, "Person")
    on(Organisation, _organisation, "Organisation")
    on(Project, _project, "Project")
    on(County, _every_project, "County")
    m2m_changed.connect(_participant_categories, sender=Participation.vulnerable.through, weak=False,
                        dispatch_uid="socec.versions.vulnerable")
