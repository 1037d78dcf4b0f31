"""Writes about events, campaigns and publications."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from socec.core.services import audited_delete, audited_save, require_visible_participation
from socec.programmes.access import require
from socec.programmes.models import Project
from socec.programmes.roles import Cap

from . import files
from .models import Campaign, Event, EventAttendance, EventPhoto, Publication

CODE_PREFIXES = {Event: "EV", Campaign: "CAM", Publication: "PUB"}


def next_code(model, project, prefix: str | None = None) -> str:
    """A free code for a new record of the project: PREFIX-001, PREFIX-002... Call it inside the transaction
    that saves the record: the project's row stays locked until then, so two requests creating records at
    the same time do not both take the same code (the second would fail on the unique code). The lock is
    taken first, before the write raises the report version (the order every writer keeps), and is a "no key"
    one: other writes' foreign-key checks on the project do not wait for it."""
    list(Project.objects.select_for_update(no_key=True).filter(pk=project.pk).values_list("pk", flat=True))
    prefix = prefix or CODE_PREFIXES[model]
    taken = set(model.objects.filter(project=project, code__startswith=f"{prefix}-").values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}-{n:03d}" in taken:
        n += 1
    return f"{prefix}-{n:03d}"


def _delete_on_commit(name: str, storage) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def event_save(*, event: Event, by, expected_version: int | None = None, **values) -> Event:
    """Creates or changes an event; without a code a new one gets the next free EV-nnn
    (CAR-nnn for caravan stops)."""
    for k, v in values.items():
        setattr(event, k, v)
    if not event.code and event.project_id:
        event.code = next_code(Event, event.project, "CAR" if event.kind == Event.Kind.CARAVAN_STOP else "EV")
    if event.locality_id:
        event.county_id = event.locality.county_id
        if event.locality.area:
            event.area = event.locality.area
    return audited_save(event, by=by, project=event.project, capability=Cap.CHANGE_ACTIVITIES,
                        expected_version=expected_version)


def event_attendance_add(*, event: Event, by, participation=None, organisation=None) -> EventAttendance:
    if participation is not None:
        if participation.project_id != event.project_id:
            raise ValidationError({"participation": _("The participant is in another project.")})
        require_visible_participation(by, participation)
    row = EventAttendance(event=event, participation=participation, organisation=organisation)
    return audited_save(row, by=by, project=event.project, capability=Cap.CHANGE_ACTIVITIES)


def event_attendance_remove(*, row: EventAttendance, by) -> None:
    """Takes a person or an organisation off an event's attendance (partners only their own people)."""
    if row.participation_id is not None:
        require_visible_participation(by, row.participation)
    audited_delete(row, by=by, project=row.event.project, capability=Cap.CHANGE_ACTIVITIES)


def event_photo_add(*, event: Event, by, file, caption: str) -> EventPhoto:
    """Adds a photo (JPEG or PNG by content, size-limited) with its caption, the text alternative."""
    require(by, event.project, Cap.CHANGE_ACTIVITIES)
    errors = {}
    kind = None
    if not file:
        errors["file"] = [_("Choose a photo.")]
    else:
        try:
            kind = files.photo_kind(file)
        except ValidationError as e:
            errors["file"] = e.messages
    if not (caption or "").strip():
        errors["caption"] = [_("Describe what the photo shows: the caption is read to people who cannot see it.")]
    if errors:
        raise ValidationError(errors)
    file.name = files.safe_name(kind)
    photo = EventPhoto(event=event, file=file, caption=caption.strip())
    try:
        return audited_save(photo, by=by, project=event.project, capability=Cap.CHANGE_ACTIVITIES)
    except Exception:
        if photo.file and photo.file._committed:  # stored, but the record was not written
            photo.file.storage.delete(photo.file.name)
        raise


def event_photo_delete(*, photo: EventPhoto, by) -> None:
    name, storage = photo.file.name, photo.file.storage
    with transaction.atomic():
        audited_delete(photo, by=by, project=photo.event.project, capability=Cap.CHANGE_ACTIVITIES)
        _delete_on_commit(name, storage)


@transaction.atomic
def campaign_save(*, campaign: Campaign, by, expected_version: int | None = None, **values) -> Campaign:
    if not campaign.code and not values.get("code") and campaign.project_id:
        values["code"] = next_code(Campaign, campaign.project)
    return audited_save(campaign, by=by, project=campaign.project, capability=Cap.CHANGE_ACTIVITIES, values=values,
                        expected_version=expected_version)


@transaction.atomic
def publication_save(*, publication: Publication, by, expected_version: int | None = None,
                     **values) -> Publication:
    """Creates or changes a publication. `file`: an uploaded PDF, ODT or DOCX (checked by content,
    stored under a random name in private storage), False or "" to remove the file, or absent to
    keep it. A replaced or removed file is deleted once the change is committed."""
    require(by, publication.project, Cap.CHANGE_ACTIVITIES)
    if not publication.code and not values.get("code"):
        values["code"] = next_code(Publication, publication.project)
    old_name = publication.file.name if publication.pk and publication.file else ""
    new_file = values.pop("file", None)
    if new_file is False or new_file == "":
        values["file"] = ""
    elif new_file is not None and not isinstance(new_file, str):
        try:
            kind = files.publication_kind(new_file)
        except ValidationError as e:
            raise ValidationError({"file": e.messages}) from None
        new_file.name = files.safe_name(kind)
        values["file"] = new_file
    storage = publication.file.storage
    try:
        with transaction.atomic():
            saved = audited_save(publication, by=by, project=publication.project, capability=Cap.CHANGE_ACTIVITIES,
                                 values=values, expected_version=expected_version)
            if old_name and saved.file.name != old_name:
                _delete_on_commit(old_name, storage)
    except Exception:
        stored = publication.file
        if stored and stored.name != old_name and getattr(stored, "_committed", False):
            storage.delete(stored.name)  # written to disk, but the record was not
        raise
    return saved
