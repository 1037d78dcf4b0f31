"""Writes of sign-in security: setting up and checking the second factor, recovery codes, the
administrator's reset, failed sign-ins in the audit log. Each checks, runs in one transaction and
writes the audit log; keys and codes never reach the log."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import audit_record
from socec.core.crypto import keyed_hash

from . import otp
from .models import RecoveryCode, TwoFactor

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
RECOVERY_LENGTH = 10  # about 50 bits each


def _code_hash(user, code: str) -> str:
    return keyed_hash("socec recovery code", str(user.pk), otp.normalise_code(code).lower())


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    while len(codes) < RECOVERY_CODES:
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        if code not in codes:
            codes.append(code)
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_code_hash(user, c)) for c in codes])
    return codes


def _require_self(user, by) -> None:
    if by is None or not by.is_authenticated or by.pk != user.pk:
        raise PermissionDenied(_("Only the user can set up their own second factor."))


def two_factor_begin(*, user, by) -> TwoFactor:
    """Starts (or starts again) setting up an authenticator app: a new key, not yet usable for
    signing in. Refused once a second factor is set up (an administrator resets it first)."""
    _require_self(user, by)
    with transaction.atomic():
        row = TwoFactor.objects.select_for_update().filter(user=user).first()
        if row is not None and row.confirmed_at is not None:
            raise PermissionDenied(_("Two-factor authentication is already set up for this account."))
        if row is None:
            row = TwoFactor(user=user)
        row.secret = otp.new_secret()
        row.last_step = 0
        row.save()
    return row


def two_factor_pending(user) -> TwoFactor | None:
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=True).first()


def two_factor_confirm(*, user, code: str, by) -> list[str]:
    """Confirms the set-up with a code from the app; answers the recovery codes, shown once.
    ValidationError (nothing written) when the code is not the app's current one."""
    _require_self(user, by)
    with transaction.atomic():
        row = TwoFactor.objects.select_for_update().filter(user=user).first()
        if row is None or row.confirmed_at is not None:
            raise ValidationError(_("Start the set-up again: this page is out of date."), code="stale")
        step = otp.matching_step(row.secret, code)
        if step is None:
            raise ValidationError(_("This code is not the one the app shows now. Check the phone's clock and "
                                    "type the 6 digits shown for this account."), code="wrong_code")
        row.confirmed_at = timezone.now()
        row.last_step = step
        row.save(update_fields=["confirmed_at", "last_step"])
        codes = _new_recovery_codes(user)
        audit_record(by=by, action=AuditEntry.Action.CREATE, obj=row, object_repr=user.get_username(),
                     changes={"confirmed_at": [None, row.confirmed_at.isoformat()]},
                     reason="two-factor authentication set up")
    return codes


def two_factor_check(*, user, code: str) -> str | None:
    """The sign-in's second step: "totp" or "recovery" when `code` is valid (the recovery code is
    then used up, the TOTP step remembered), None otherwise. A TOTP code of a step not later than the
    last one accepted is refused (replay)."""
    if not code:
        return None
    with transaction.atomic():
        row = TwoFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if row is None:
            return None
        step = otp.matching_step(row.secret, code)
        if step is not None:
            if step <= row.last_step:
                return None
            row.last_step = step
            row.save(update_fields=["last_step"])
            return "totp"
        normalised = otp.normalise_code(code).lower()
        if len(normalised) != RECOVERY_LENGTH:
            return None
        recovery = (RecoveryCode.objects.select_for_update()
                    .filter(user=user, code_hash=_code_hash(user, normalised), used_at__isnull=True).first())
        if recovery is None:
            return None
        recovery.used_at = timezone.now()
        recovery.save(update_fields=["used_at"])
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit_record(by=user, action=AuditEntry.Action.UPDATE, obj=row, object_repr=user.get_username(),
                     changes={"recovery_codes_left": [left + 1, left]}, reason="signed in with a recovery code")
    return "recovery"


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def recovery_codes_renew(*, user, by) -> list[str]:
    """New recovery codes (the old ones stop working); shown once."""
    _require_self(user, by)
    with transaction.atomic():
        row = TwoFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if row is None:
            raise PermissionDenied(_("Set up two-factor authentication first."))
        codes = _new_recovery_codes(user)
        audit_record(by=by, action=AuditEntry.Action.UPDATE, obj=row, object_repr=user.get_username(),
                     changes={"recovery_codes_left": ["", len(codes)]}, reason="new recovery codes")
    return codes


def two_factor_reset(*, user, by) -> bool:
    """An administrator removes a user's second factor (a lost phone): the user sets it up again at the
    next sign-in. Only superusers. True when there was something to remove."""
    if by is None or not by.is_authenticated or not by.is_superuser:
        raise PermissionDenied(_("Only an administrator can reset someone's two-factor authentication."))
    with transaction.atomic():
        row = TwoFactor.objects.select_for_update().filter(user=user).first()
        RecoveryCode.objects.filter(user=user).delete()
        if row is None:
            return False
        pk, confirmed = row.pk, row.confirmed_at
        row.delete()
        row.pk = pk
        audit_record(by=by, action=AuditEntry.Action.DELETE, obj=row, object_repr=user.get_username(),
                     changes={"confirmed_at": [confirmed.isoformat() if confirmed else None, None]},
                     reason="two-factor authentication reset by an administrator")
    return True


def signin_failed(*, username: str, step: str, locked: bool = False) -> None:
    """A failed sign-in in the audit log: the user name as typed (cut short), which step failed
    (password, code) and whether this failure locked sign-in."""
    typed = (username or "").strip()[:150]
    user = get_user_model().objects.filter(username__iexact=typed).first() if typed else None
    reason = {"password": "wrong password", "code": "wrong two-factor code",
              "locked": "attempt while locked"}.get(step, step)
    if locked:
        reason += "; sign-in locked"
    AuditEntry.objects.create(
        actor=user, actor_name=typed or "?", action=AuditEntry.Action.LOGIN_FAILED, model="auth.user",
        object_id=str(user.pk) if user else "", object_repr=typed[:200], changes={}, reason=reason[:300])


def password_changed(*, user) -> None:
    """The audit entry of a password change (the change itself is Django's form's)."""
    audit_record(by=user, action=AuditEntry.Action.UPDATE, obj=user, object_repr=user.get_username(),
                 changes={"password": ["•••", "•••"]}, reason="password changed")
