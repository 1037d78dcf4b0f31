"""Writes about events, campaigns and publications."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from socec.core.services import audited_save, require_visible_participation
from socec.programmes.roles import Cap

from .models import Campaign, Event, EventAttendance, Publication


def event_save(*, event: Event, by, **values) -> Event:
    for k, v in values.items():
        setattr(event, k, v)
    if event.locality_id:
        event.county_id = event.locality.county_id
        if event.locality.area:
            event.area = event.locality.area
    return audited_save(event, by=by, project=event.project, capability=Cap.CHANGE_ACTIVITIES)


def event_attendance_add(*, event: Event, by, participation=None, organisation=None) -> EventAttendance:
    if participation is not None:
        if participation.project_id != event.project_id:
            raise ValidationError({"participation": _("The participant is in another project.")})
        require_visible_participation(by, participation)
    row = EventAttendance(event=event, participation=participation, organisation=organisation)
    return audited_save(row, by=by, project=event.project, capability=Cap.CHANGE_ACTIVITIES)


def campaign_save(*, campaign: Campaign, by, **values) -> Campaign:
    return audited_save(campaign, by=by, project=campaign.project, capability=Cap.CHANGE_ACTIVITIES, values=values)


def publication_save(*, publication: Publication, by, **values) -> Publication:
    return audited_save(publication, by=by, project=publication.project, capability=Cap.CHANGE_ACTIVITIES,
                        values=values)
