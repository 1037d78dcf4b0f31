"""Queue a message (in the caller's transaction) and deliver the queue."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

MAX_ATTEMPTS = 5
logger = logging.getLogger(__name__)


def message_queue(*, to: str, subject: str, body: str, kind: str = OutboxMessage.Kind.OTHER,
                  reply_to: str = "", organisation=None) -> OutboxMessage:
    """Stores the message; it is delivered after the surrounding transaction commits."""
    message = OutboxMessage.objects.create(to=to, subject=subject[:200], body=body, kind=kind,
                                           reply_to=reply_to, organisation=organisation)
    if getattr(settings, "SOCEC_OUTBOX_DELIVER_ON_COMMIT", True):
        transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def _enqueue_delivery(pk: int) -> None:
    from .tasks import deliver_outbox

    try:
        deliver_outbox.enqueue(pk=pk)
    except Exception:  # noqa: BLE001 - the message stays queued; `socec send_outbox` delivers it later
        logger.exception("Could not enqueue the delivery of outbox message %s", pk)


def outbox_deliver(*, pk: int | None = None, limit: int = 100) -> tuple[int, int]:
    """Sends unsent messages (one, or up to `limit`); returns (sent, failed). A failure is kept
    with its error and retried next time, up to MAX_ATTEMPTS."""
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by("pk")
    if pk is not None:
        pending = pending.filter(pk=pk)
    sent = failed = 0
    for message in pending[:limit]:
        with transaction.atomic():
            locked = OutboxMessage.objects.select_for_update().filter(pk=message.pk, sent_at__isnull=True).first()
            if locked is None:
                continue
            email = EmailMessage(subject=locked.subject, body=locked.body, to=[locked.to],
                                 reply_to=[locked.reply_to] if locked.reply_to else None)
            locked.attempts += 1
            try:
                email.send()
            except Exception as exc:  # noqa: BLE001 - any transport error: keep it for the next try
                locked.last_error = str(exc)[:300]
                locked.save(update_fields=["attempts", "last_error"])
                failed += 1
                continue
            locked.sent_at = timezone.now()
            locked.last_error = ""
            locked.save(update_fields=["attempts", "sent_at", "last_error"])
            sent += 1
    return sent, failed
