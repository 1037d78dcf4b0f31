"""Creating, listing, revoking and checking API tokens. The raw token is shown once, at creation; the
database keeps its SHA-256 digest, so a stolen database does not give working tokens."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record

from .models import ApiToken

PREFIX = "socec_"
LAST_USED_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most once a minute per token


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_create(*, user, name: str, by) -> tuple[ApiToken, str]:
    """A new token for `user`; returns (token, raw). Only a superuser (or the system) creates tokens for
    someone else."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name (what script uses it).")})
    if not user.is_active:
        raise ValidationError({"user": _("This user is not active.")})
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, digest=digest_of(raw), prefix=raw[:len(PREFIX) + 4])
    with transaction.atomic():
        token.full_clean()
        token.save()
        audit_record(by=by, action=AuditEntry.Action.CREATE, obj=token, changes={"name": [None, name],
                                                                                 "user": [None, user.pk]})
    return token, raw


def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(by=by, action=AuditEntry.Action.UPDATE, obj=token, changes={"revoked": [False, True]})
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("pk")


def user_for_token(raw: str):
    """The active user holding this token, or None (unknown, revoked, or user disabled)."""
    if not raw or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest_of(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_by_name(username: str):
    return get_user_model().objects.filter(username=username).first()
