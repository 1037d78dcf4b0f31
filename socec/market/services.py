"""Writes of the market: post and close a request, answer one. Each checks permission, validates,
runs in one transaction and writes the audit log; e-mail goes through the outbox."""

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import MASK, audit_record, diff, snapshot
from socec.orgs.services import can_change_organisation
from socec.outbox.models import OutboxMessage
from socec.outbox.services import message_queue

from .models import Answer, Request
from .selectors import request_matches

MANAGE_SALT = "socec.market.manage"
PRIVATE_FIELDS = ("contact_email",)
MESSAGE_MAX = 5000


# --- the poster's private management link ------------------------------------------------------


def manage_token(request: Request) -> str:
    """A signed token naming the request: whoever holds it may close the request."""
    return signing.dumps({"r": request.pk}, salt=MANAGE_SALT)


def token_is_valid(request: Request, token: str) -> bool:
    try:
        data = signing.loads(token or "", salt=MANAGE_SALT)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("r") == request.pk


def manage_path(request: Request) -> str:
    return reverse("market:request_manage", args=[request.pk, manage_token(request)])


# --- writes -------------------------------------------------------------------------------------


def _audit(obj, *, by, before: dict, reason: str = "") -> None:
    """Audit entry with the poster's e-mail masked: it is private."""
    changes = diff(before, snapshot(obj))
    for name in PRIVATE_FIELDS:
        if name in changes:
            changes[name] = [MASK if value else value for value in changes[name]]
    audit_record(by=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE, obj=obj,
                 changes=changes, reason=reason)


POST_FIELDS = ("kind", "title", "description", "county", "caen_section", "caen", "organisation_name",
               "poster_kind", "contact_email")


def request_post(*, by=None, site_url: str = "", **values) -> Request:
    """A new public request, open at once. Anyone may post (spam checks are the form's); the poster
    gets the private management link by e-mail, through the outbox."""
    unknown = set(values) - set(POST_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    request = Request(**values)
    with transaction.atomic():
        request.full_clean()
        request.save()
        _audit(request, by=by, before={}, reason="" if by is not None else "public request form")
        link = site_url.rstrip("/") + manage_path(request)
        message_queue(
            to=request.contact_email,
            subject=_("Your request on SOCEC: %(title)s") % {"title": request.title},
            body=_("Your request \"%(title)s\" is now public on SOCEC.\n\n"
                   "Social enterprises that match it can answer you; their answers come to this address.\n\n"
                   "Keep this private link: with it you can close the request when you no longer need answers.\n"
                   "%(link)s\n") % {"title": request.title, "link": link},
            kind=OutboxMessage.Kind.OTHER,
        )
    return request


def request_close(*, request: Request, by=None, token: str = "") -> Request:
    """Closes a request: by whoever holds its management link, or a superuser."""
    allowed = token_is_valid(request, token) or (by is not None and by.is_authenticated and by.is_superuser)
    if not allowed:
        raise PermissionDenied(_("This link does not let you close this request."))
    with transaction.atomic():
        request = Request.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            return request
        before = snapshot(request)
        request.is_open = False
        request.closed_at = timezone.now()
        request.save(update_fields=["is_open", "closed_at"])
        staff = by if by is not None and by.is_authenticated else None
        _audit(request, by=staff, before=before, reason="" if staff else "poster's management link")
    return request


def answer_send(*, request: Request, organisation, by, message: str) -> Answer:
    """An organisation's answer to a request matching it, stored and sent to the poster."""
    if by is None or not can_change_organisation(by, organisation):
        raise PermissionDenied(_("You may not answer for this organisation."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write your answer.")})
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": _("At most %(n)s characters.") % {"n": MESSAGE_MAX}})
    with transaction.atomic():
        request = Request.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise ValidationError({"message": _("This request is closed: it no longer takes answers.")})
        if not request_matches(request, organisation):
            raise ValidationError({"message": _("This request does not match %(org)s.") % {"org": organisation}})
        answer = Answer(request=request, organisation=organisation, by=by, message=message)
        answer.full_clean()
        answer.save()
        audit_record(by=by, action=AuditEntry.Action.CREATE, obj=answer, changes=diff({}, snapshot(answer)))
        message_queue(
            to=request.contact_email,
            subject=_("Answer to your request: %(title)s") % {"title": request.title},
            body=_("%(org)s answers your request \"%(title)s\" on SOCEC:\n\n%(message)s\n\n"
                   "Reply to this e-mail to write to %(org)s.\n") % {
                "org": organisation.name, "title": request.title, "message": message},
            kind=OutboxMessage.Kind.REQUEST_ANSWER,
            reply_to=organisation.contact_email or by.email or "",
            organisation=organisation,
        )
    return answer
