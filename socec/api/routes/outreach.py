"""Events (with their attendance of participants and organisations), campaigns and publications, through
socec.outreach.services as the staff outreach pages; `get_project_object_for` decides 404 and 403."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from socec.orgs.models import Organisation
from socec.outreach import services
from socec.outreach.files import file_response, kind_of_stored
from socec.outreach.models import Campaign, Event, EventAttendance, EventPhoto, Publication
from socec.people.access import participations_visible_to
from socec.places.models import Area
from socec.programmes.access import get_project_for, get_project_object_for
from socec.programmes.roles import Cap
from socec.staff.outreach import selectors as outreach_selectors

from ..base import (
    DEFAULT_LIMIT,
    DOCX,
    JPEG,
    MAX_ID,
    ODT,
    PDF,
    PNG,
    Id,
    Limit,
    Page,
    ShortText,
    Text,
    Version,
    binary,
    paginate,
    responses,
)
from ..locking import call, version_of
from .training import _place

router = Router(tags=["outreach"])


def _blank(values: dict, *names) -> dict:
    for name in names:
        if name in values and values[name] is None:
            values[name] = ""
    return values


# --- events -----------------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    code: ShortText
    kind: str
    title: str
    date: dt.date
    county: str
    locality: int | None
    area: str
    venue: str
    participants: int | None
    theme: str
    conclusions: str
    public: bool
    version: Version | None = None


class EventIn(Schema):
    code: ShortText | None = Field(None, max_length=40)
    kind: Literal[tuple(Event.Kind.values)] | None = None
    title: ShortText | None = None
    date: dt.date | None = None
    county: ShortText | None = Field(None, max_length=2)
    locality: int | None = Field(None, ge=1, le=MAX_ID)
    area: Literal[("", *Area.values)] | None = None
    venue: ShortText | None = None
    participants: int | None = Field(None, ge=0, le=10_000_000)
    theme: ShortText | None = Field(None, max_length=500)
    conclusions: Text | None = None
    public: bool | None = None
    version: Version | None = None


EVENT_TEXT = ("code", "kind", "title", "area", "venue", "theme", "conclusions")


def event_out(e: Event) -> dict:
    return {"id": e.pk, "code": e.code, "kind": e.kind, "title": e.title, "date": e.date, "county": e.county_id,
            "locality": e.locality_id, "area": e.area, "venue": e.venue, "participants": e.participants,
            "theme": e.theme, "conclusions": e.conclusions, "public": bool(e.public), "version": version_of(e)}


def _event(request, code, pk, capability=None):
    return get_project_object_for(request.user, Event.objects.filter(project__code=code), capability, pk=pk)


def _event_values(payload: EventIn) -> dict:
    values = _blank(payload.dict(exclude_unset=True, exclude={"version"}), *EVENT_TEXT)
    if "public" in values and values["public"] is None:
        values["public"] = False
    return _place(values)


@router.get("/projects/{code}/events", response=responses(Page[EventOut]), summary="List events")
def event_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT,
               kind: Literal[tuple(Event.Kind.values)] | None = None):
    project, _access = get_project_for(request.user, code)
    qs = Event.objects.filter(project=project)
    if kind:
        qs = qs.filter(kind=kind)
    return paginate(qs, cursor, limit, event_out)


@router.get("/projects/{code}/events/{pk}", response=responses(EventOut), summary="Get an event")
def event_get(request, code: ShortText, pk: Id):
    return event_out(_event(request, code, pk)[0])


@router.post("/projects/{code}/events", response=responses(EventOut, 201), summary="Record an event")
def event_create(request, code: ShortText, payload: EventIn):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    values = _event_values(payload)
    for name in EVENT_TEXT:
        values.setdefault(name, "")
    return Status(201, event_out(services.event_save(event=Event(project=project), by=request.user, **values)))


@router.patch("/projects/{code}/events/{pk}", response=responses(EventOut), summary="Change an event")
def event_update(request, code: ShortText, pk: Id, payload: EventIn):
    event, _access = _event(request, code, pk, Cap.CHANGE_ACTIVITIES)
    return event_out(call(services.event_save, event=event, by=request.user, expected_version=payload.version,
                          **_event_values(payload)))


class EventAttendanceOut(Schema):
    id: int
    participant_id: int | None
    person_ref: str | None
    organisation_id: int | None
    organisation: str | None


class EventAttendanceIn(Schema):
    participant_id: Id | None = None
    organisation_id: Id | None = None


def event_attendance_out(a: EventAttendance) -> dict:
    return {"id": a.pk, "participant_id": a.participation_id,
            "person_ref": a.participation.person_ref if a.participation_id else None,
            "organisation_id": a.organisation_id, "organisation": a.organisation.code if a.organisation_id else None}


@router.get("/projects/{code}/events/{pk}/attendance", response=responses(Page[EventAttendanceOut]),
            summary="Who attended an event (participants you may see, and organisations)")
def event_attendance_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None,
                          limit: Limit = DEFAULT_LIMIT):
    event, _access = _event(request, code, pk)
    visible = participations_visible_to(request.user, event.project).values("pk")
    qs = (EventAttendance.objects.filter(event=event, participation__isnull=True)
          | EventAttendance.objects.filter(event=event, participation__in=visible))
    return paginate(qs.select_related("participation", "organisation"), cursor, limit, event_attendance_out)


@router.post("/projects/{code}/events/{pk}/attendance", response=responses(EventAttendanceOut, 201),
             summary="Add a participant or an organisation to an event's attendance")
def event_attendance_add(request, code: ShortText, pk: Id, payload: EventAttendanceIn):
    event, _access = _event(request, code, pk, Cap.CHANGE_ACTIVITIES)
    if (payload.participant_id is None) == (payload.organisation_id is None):
        raise ValidationError({"participant_id": _("Give either a participant or an organisation.")})
    if payload.participant_id is not None:
        participation = participations_visible_to(request.user, event.project).filter(
            pk=payload.participant_id).first()
        if participation is None:
            raise ValidationError({"participant_id": _("No participant with this id among the participants you may "
                                                       "see in this project.")})
        if event.attendance.filter(participation=participation).exists():
            raise ValidationError({"participant_id": _("This participant is already on the attendance list.")})
        row = services.event_attendance_add(event=event, by=request.user, participation=participation)
    else:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise ValidationError({"organisation_id": _("There is no organisation with this id.")})
        if event.attendance.filter(organisation=organisation).exists():
            raise ValidationError({"organisation_id": _("This organisation is already on the attendance list.")})
        row = services.event_attendance_add(event=event, by=request.user, organisation=organisation)
    return Status(201, event_attendance_out(row))


@router.delete("/projects/{code}/events/{pk}/attendance/{attendance_pk}", response=responses(None, 204),
               summary="Take someone off an event's attendance")
def event_attendance_remove(request, code: ShortText, pk: Id, attendance_pk: Id):
    event, _access = _event(request, code, pk, Cap.CHANGE_ACTIVITIES)
    row = EventAttendance.objects.select_related("participation", "event__project").filter(
        event=event, pk=attendance_pk).first()
    if row is None or (row.participation_id is not None and not participations_visible_to(
            request.user, event.project).filter(pk=row.participation_id).exists()):
        raise Http404(_("Not found."))
    services.event_attendance_remove(row=row, by=request.user)
    return Status(204, None)


# --- campaigns --------------------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    code: ShortText
    channel: str
    title: str
    start_date: dt.date | None
    end_date: dt.date | None
    reach: int | None
    version: Version | None = None


class CampaignIn(Schema):
    code: ShortText | None = Field(None, max_length=40)
    channel: Literal[tuple(Campaign.Channel.values)] | None = None
    title: ShortText | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    reach: int | None = Field(None, ge=0, le=2_000_000_000)
    version: Version | None = None


def campaign_out(c: Campaign) -> dict:
    return {"id": c.pk, "code": c.code, "channel": c.channel, "title": c.title, "start_date": c.start_date,
            "end_date": c.end_date, "reach": c.reach, "version": version_of(c)}


@router.get("/projects/{code}/campaigns", response=responses(Page[CampaignOut]), summary="List campaigns")
def campaign_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, _access = get_project_for(request.user, code)
    return paginate(Campaign.objects.filter(project=project), cursor, limit, campaign_out)


@router.post("/projects/{code}/campaigns", response=responses(CampaignOut, 201), summary="Record a campaign")
def campaign_create(request, code: ShortText, payload: CampaignIn):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    values = _blank(payload.dict(exclude_unset=True, exclude={"version"}), "code", "channel", "title")
    for name in ("channel", "title"):
        values.setdefault(name, "")
    return Status(201, campaign_out(services.campaign_save(campaign=Campaign(project=project), by=request.user,
                                                           **values)))


@router.patch("/projects/{code}/campaigns/{pk}", response=responses(CampaignOut), summary="Change a campaign")
def campaign_update(request, code: ShortText, pk: Id, payload: CampaignIn):
    campaign, _access = get_project_object_for(request.user, Campaign.objects.filter(project__code=code),
                                               Cap.CHANGE_ACTIVITIES, pk=pk)
    values = _blank(payload.dict(exclude_unset=True, exclude={"version"}), "code", "channel", "title")
    return campaign_out(call(services.campaign_save, campaign=campaign, by=request.user,
                             expected_version=payload.version, **values))


# --- publications -----------------------------------------------------------------------------------------


class PublicationOut(Schema):
    id: int
    code: ShortText
    kind: str
    title: str
    published_on: dt.date | None
    url: str
    has_file: bool
    public: bool
    version: Version | None = None


class PublicationIn(Schema):
    code: ShortText | None = Field(None, max_length=40)
    kind: Literal[tuple(Publication.Kind.values)] | None = None
    title: ShortText | None = None
    published_on: dt.date | None = None
    url: ShortText | None = Field(None, max_length=200)
    public: bool | None = None
    version: Version | None = None


def publication_out(p: Publication) -> dict:
    return {"id": p.pk, "code": p.code, "kind": p.kind, "title": p.title, "published_on": p.published_on,
            "url": p.url, "has_file": bool(p.file), "public": p.public, "version": version_of(p)}


def _publication_values(payload: PublicationIn) -> dict:
    values = _blank(payload.dict(exclude_unset=True, exclude={"version"}), "code", "kind", "title", "url")
    if "public" in values and values["public"] is None:
        values["public"] = True
    return values


@router.get("/projects/{code}/publications", response=responses(Page[PublicationOut]),
            summary="List publications")
def publication_list(request, code: ShortText, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    project, _access = get_project_for(request.user, code)
    return paginate(Publication.objects.filter(project=project), cursor, limit, publication_out)


@router.post("/projects/{code}/publications", response=responses(PublicationOut, 201),
             summary="Record a publication (upload its file with POST .../publications/{pk}/file)")
def publication_create(request, code: ShortText, payload: PublicationIn):
    project, _access = get_project_for(request.user, code, Cap.CHANGE_ACTIVITIES)
    values = _publication_values(payload)
    for name in ("kind", "title"):
        values.setdefault(name, "")
    return Status(201, publication_out(services.publication_save(publication=Publication(project=project),
                                                                 by=request.user, **values)))


@router.patch("/projects/{code}/publications/{pk}", response=responses(PublicationOut),
              summary="Change a publication")
def publication_update(request, code: ShortText, pk: Id, payload: PublicationIn):
    publication, _access = get_project_object_for(request.user, Publication.objects.filter(project__code=code),
                                                  Cap.CHANGE_ACTIVITIES, pk=pk)
    return publication_out(call(services.publication_save, publication=publication, by=request.user,
                                expected_version=payload.version, **_publication_values(payload)))


def _publication(request, code, pk, capability=None):
    return get_project_object_for(request.user, Publication.objects.filter(project__code=code), capability, pk=pk)


@router.get("/projects/{code}/publications/{pk}", response=responses(PublicationOut), summary="Get a publication")
def publication_get(request, code: ShortText, pk: Id):
    return publication_out(_publication(request, code, pk)[0])


@router.post("/projects/{code}/publications/{pk}/file", response=responses(PublicationOut),
             summary="Upload the publication's file (PDF, ODT or DOCX, checked by content); replaces any earlier one")
def publication_file_upload(request, code: ShortText, pk: Id, file: File[UploadedFile],
                            version: int | None = Form(None, ge=0, le=MAX_ID)):
    publication, _access = _publication(request, code, pk, Cap.CHANGE_ACTIVITIES)
    return publication_out(call(services.publication_save, publication=publication, by=request.user,
                                expected_version=version, file=file))


@router.get("/projects/{code}/publications/{pk}/file", response=responses(bytes), openapi_extra=binary(PDF, ODT, DOCX),
            summary="Download the publication's file")
def publication_file_download(request, code: ShortText, pk: Id):
    publication, _access = _publication(request, code, pk)
    return file_response(publication.file, download_name=publication.code, as_attachment=True)


@router.delete("/projects/{code}/publications/{pk}/file", response=responses(PublicationOut),
               summary="Remove the publication's file")
def publication_file_remove(request, code: ShortText, pk: Id):
    publication, _access = _publication(request, code, pk, Cap.CHANGE_ACTIVITIES)
    if not publication.file:
        raise Http404(_("No file."))
    return publication_out(services.publication_save(publication=publication, by=request.user, file=False))


# --- event photos -----------------------------------------------------------------------------------------


class PhotoOut(Schema):
    id: int
    event_id: int
    caption: str
    content_type: str
    created_at: dt.datetime


def photo_out(photo: EventPhoto) -> dict:
    kind = kind_of_stored(photo.file.name)
    return {"id": photo.pk, "event_id": photo.event_id, "caption": photo.caption,
            "content_type": kind.content_type if kind else "application/octet-stream", "created_at": photo.created_at}


def _photo(request, code, pk, photo_pk, capability=None):
    event, _access = _event(request, code, pk, capability)
    photo = EventPhoto.objects.select_related("event__project").filter(event=event, pk=photo_pk).first()
    if photo is None:
        raise Http404(_("No such photo."))
    return photo


@router.get("/projects/{code}/events/{pk}/photos", response=responses(Page[PhotoOut]), summary="An event's photos")
def event_photo_list(request, code: ShortText, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    event, _access = _event(request, code, pk)
    return paginate(EventPhoto.objects.filter(event=event), cursor, limit, photo_out)


@router.post("/projects/{code}/events/{pk}/photos", response=responses(PhotoOut, 201),
             summary="Add a photo (JPEG or PNG, checked by content) with its caption, the text alternative")
def event_photo_upload(request, code: ShortText, pk: Id, file: File[UploadedFile],
                       caption: str = Form("", max_length=300)):
    event, _access = _event(request, code, pk, Cap.CHANGE_ACTIVITIES)
    if "\x00" in caption:
        raise ValidationError({"caption": _("NUL characters are not allowed.")})
    return Status(201, photo_out(services.event_photo_add(event=event, by=request.user, file=file, caption=caption)))


@router.get("/projects/{code}/events/{pk}/photos/{photo_pk}/file", response=responses(bytes),
            openapi_extra=binary(JPEG, PNG),
            summary="Download a photo")
def event_photo_download(request, code: ShortText, pk: Id, photo_pk: Id):
    photo = _photo(request, code, pk, photo_pk)
    return file_response(photo.file, download_name=f"{photo.event.code}-{photo.pk}", as_attachment=False)


@router.delete("/projects/{code}/events/{pk}/photos/{photo_pk}", response=responses(None, 204),
               summary="Remove a photo")
def event_photo_remove(request, code: ShortText, pk: Id, photo_pk: Id):
    photo = _photo(request, code, pk, photo_pk, Cap.CHANGE_ACTIVITIES)
    services.event_photo_delete(photo=photo, by=request.user)
    return Status(204, None)


# --- the caravan --------------------------------------------------------------------------------------------


class CaravanStopOut(Schema):
    number: int
    id: int
    code: str
    date: dt.date
    title: str
    county: str
    locality: int | None
    attendance: int | None


class CaravanOut(Schema):
    stops: list[CaravanStopOut]
    count: int
    counties: int


@router.get("/projects/{code}/caravan", response=responses(CaravanOut),
            summary="The caravan's stops in route order (record one as an event of kind caravan_stop)")
def caravan_get(request, code: ShortText):
    project, _access = get_project_for(request.user, code)
    stops = list(outreach_selectors.caravan_stops(project))
    return {"stops": [{"number": n, "id": s.pk, "code": s.code, "date": s.date, "title": s.title,
                       "county": s.county_id, "locality": s.locality_id,
                       "attendance": outreach_selectors.attendance_figure(s)} for n, s in enumerate(stops, start=1)],
            "count": len(stops), "counties": len({s.county_id for s in stops})}
