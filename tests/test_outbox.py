"""The outbox: a message is stored first, then delivered; a failed delivery is kept and retried."""

import pytest
from django.core import mail
from django.core.management import call_command

from socec.outbox.models import OutboxMessage
from socec.outbox.services import MAX_ATTEMPTS, message_queue, outbox_deliver

pytestmark = pytest.mark.django_db


def test_a_queued_message_is_sent_once_with_its_reply_address():
    message = message_queue(to="ses@example.org", subject="Ofertă", body="Bună ziua", reply_to="buyer@example.org",
                            kind=OutboxMessage.Kind.CONTACT)
    assert outbox_deliver() == (1, 0)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ses@example.org"] and sent.reply_to == ["buyer@example.org"] and sent.body == "Bună ziua"
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert outbox_deliver() == (0, 0) and len(mail.outbox) == 1  # never twice


def test_a_failed_delivery_is_kept_with_its_error_and_retried(settings):
    message_queue(to="ses@example.org", subject="S", body="B")
    settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"
    assert outbox_deliver() == (0, 1)
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1 and "server down" in message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_deliver() == (1, 0)
    message.refresh_from_db()
    assert message.sent_at is not None and message.last_error == ""


def test_a_message_is_given_up_after_the_last_attempt(settings):
    message_queue(to="ses@example.org", subject="S", body="B")
    settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"
    for _ in range(MAX_ATTEMPTS + 2):
        outbox_deliver()
    assert OutboxMessage.objects.get().attempts == MAX_ATTEMPTS


def test_the_command_sends_the_queue(capsys):
    message_queue(to="a@example.org", subject="S", body="B")
    message_queue(to="b@example.org", subject="S", body="B")
    call_command("send_outbox")
    assert "sent: 2, failed: 0" in capsys.readouterr().out
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("server down")
