"""Optimistic locking: nobody's edit silently overwrites someone else's.

The records people edit in forms (Participation, Organisation, Product, SupportGrant, Course,
CourseSession, CounsellingSession, Event, Campaign, Publication, Job, Employment) carry an integer
`version` (VersionField, 1 when created). Each save that changes the record raises it by one.

Services
    Every service that changes such a record takes ``expected_version: int | None = None``:

    * an int: the version the user's form (or the API client) started from. If the record has
      been changed since, the service raises `Conflict` and writes nothing (no audit entry either);
    * None: no check (imports, commands, follow-up writes inside a service).

    The one save path (socec.core.services.save_and_audit / audited_save, and
    socec.people.services.participant_update) checks with `claim()`: a conditional
    ``UPDATE ... SET version = version WHERE id = %s AND version = <expected>`` run first in the
    write's transaction. It takes the row's write lock, so a concurrent save waits for this one and
    then finds the version moved on: there is no window between reading and writing.

Staff views
    ``add_version_field(form, obj)`` adds a hidden ``version`` field (the version shown to the
    user); pass ``submitted_version(form)`` to the service. `Conflict` is a ValidationError, so the
    usual ``apply_errors(form, exc)`` shows it; it calls ``Conflict.apply_to(form)``, which keeps
    the user's input, notes next to each field what is stored now and who changed it, and moves the
    hidden version on: saving again is then a deliberate choice to keep one's own input.

API
    Send back the ``version`` you read. On `Conflict` answer 409 with ``exc.as_dict()`` (the
    current version and the fields changed since).
"""

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

FIELD = "version"
MAX_CHANGES_SHOWN = 20


class VersionField(models.PositiveIntegerField):
    """The record's version for optimistic locking. Bulk writers that list their columns get the
    database default (1)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _lazy("version"))
        kwargs.setdefault("default", 1)
        kwargs.setdefault("db_default", 1)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("default", 1), ("db_default", 1), ("editable", False)):
            if kwargs.get(key, value) == value:
                kwargs.pop(key, None)
        kwargs.pop("verbose_name", None)
        return name, path, args, kwargs


def is_versioned(model_or_obj) -> bool:
    meta = model_or_obj._meta
    try:
        return isinstance(meta.get_field(FIELD), VersionField)
    except FieldDoesNotExist:
        return False


@dataclass
class Change:
    field: str  # the model's field name as the audit log records it
    label: str
    value: str  # what is stored now, as a person reads it ("" when it cannot be shown)
    by: str
    at: object  # datetime of the change


class Conflict(ValidationError):
    """The record was changed by someone else since `expected` was read. Nothing was written."""

    def __init__(self, obj, *, expected: int, current=None, changes: list[Change] | None = None):
        self.obj = obj
        self.expected = expected
        self.current = current  # the record as stored now (None: it was deleted)
        self.current_version = getattr(current, FIELD, None)
        self.changes = changes or []
        super().__init__(self._message(), code="conflict")

    def _message(self) -> str:
        if self.current is None:
            return _("Someone else deleted this record since you opened it. Nothing was saved.")
        people = ", ".join(dict.fromkeys(c.by for c in self.changes)) or _("someone else")
        labels = ", ".join(dict.fromkeys(c.label for c in self.changes))
        if labels:
            return _("Someone else changed this record since you opened it (%(who)s changed: %(fields)s). Nothing "
                     "was saved. Your input is kept below: compare it with what is stored now and save again to keep "
                     "yours.") % {"who": people, "fields": labels}
        return _("Someone else changed this record since you opened it (%(who)s). Nothing was saved. Your input is "
                 "kept below: check it and save again to keep yours.") % {"who": people}

    def as_dict(self) -> dict:
        """For the API (409): what changed since the version the client sent."""
        return {"detail": self.messages[0], "code": "conflict", "expected_version": self.expected,
                "current_version": self.current_version,
                "changes": [{"field": c.field, "label": c.label, "value": c.value, "by": c.by,
                             "at": c.at.isoformat() if c.at else None} for c in self.changes]}

    def apply_to(self, form: forms.Form) -> None:
        """Shows the conflict on a bound form: the user's input stays; each changed field says what is
        stored now; the hidden version moves to the current one."""
        if self.current_version is not None and FIELD in form.fields and form.is_bound:
            data = form.data.copy()
            data[form.add_prefix(FIELD)] = str(self.current_version)
            form.data = data
        for change in self.changes:
            if change.field in form.fields and change.field != FIELD:
                if change.value:
                    note = _("Changed meanwhile by %(who)s; stored now: %(value)s.") % {
                        "who": change.by, "value": change.value}
                else:
                    note = _("Changed meanwhile by %(who)s.") % {"who": change.by}
                _add_note(form, change.field, note)
        form.add_error(None, ValidationError(self.messages[0], code="conflict"))


def _add_note(form, field: str, note: str) -> None:
    form.errors.setdefault(field, form.error_class(renderer=form.renderer))
    form.errors[field].append(note)
    if hasattr(form, "cleaned_data"):
        form.cleaned_data.pop(field, None)


# --- the check -------------------------------------------------------------------------------------------


def claim(obj, expected_version: int | None):
    """Locks the stored row of `obj` for this transaction and returns it as stored now. With an
    expected version, the lock is taken only if the row is still at that version; otherwise
    Conflict. Call inside transaction.atomic(), before reading the values to change."""
    model = type(obj)
    rows = model._base_manager.filter(pk=obj.pk)
    if expected_version is None:
        rows.update(**{FIELD: models.F(FIELD)})  # the lock only
        return rows.get()
    if rows.filter(**{FIELD: expected_version}).update(**{FIELD: models.F(FIELD)}):
        return rows.get()
    current = rows.first()
    raise Conflict(obj, expected=expected_version, current=current,
                   changes=changes_since(current, expected_version) if current is not None else [])


def parse_version(value) -> int | None:
    """What a client sent as the version: None when absent; anything unreadable counts as 0 (which
    never matches, so it is refused as a conflict rather than saved unchecked)."""
    if value in (None, ""):
        return None
    try:
        return max(0, int(str(value).strip()))
    except (TypeError, ValueError):
        return 0


# --- what changed ------------------------------------------------------------------------------------------


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        pass
    for other in apps.get_app_config(model._meta.app_label).get_models():  # e.g. identifiers kept apart
        try:
            return str(other._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return name.replace("_", " ")


def display_value(obj, name: str) -> str:
    """The stored value of field `name` as a person reads it ("" when the record has no such field)."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    if field.many_to_many:
        return ", ".join(str(o) for o in getattr(obj, name).all()) or _("(none)")
    if not field.concrete:
        return ""
    if field.choices:
        value = getattr(obj, field.attname)
        return str(getattr(obj, f"get_{name}_display")()) if value not in (None, "") else _("(empty)")
    value = getattr(obj, name)
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file
        return value.name.rsplit("/", 1)[-1]
    return str(formats.localize(value))


def changes_since(current, expected_version: int) -> list[Change]:
    """The changes recorded in the audit log since `expected_version`: each save that raised the
    version wrote one update entry, so they are the newest (current - expected) of them."""
    from socec.audit.models import AuditEntry

    steps = (getattr(current, FIELD, 0) or 0) - expected_version
    if steps <= 0:
        return []
    model = type(current)
    entries = AuditEntry.objects.filter(model=model._meta.label_lower, object_id=str(current.pk),
                                        action=AuditEntry.Action.UPDATE).order_by("-id")[:min(steps, 50)]
    seen: dict[str, Change] = {}
    for entry in entries:
        for name in entry.changes or {}:
            if name in seen or name == FIELD or len(seen) >= MAX_CHANGES_SHOWN:
                continue
            seen[name] = Change(field=name, label=_label(model, name), value=display_value(current, name),
                                by=entry.actor_name, at=entry.at)
    return list(seen.values())


# --- forms ------------------------------------------------------------------------------------------------


class VersionFormField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_version(value)


def add_version_field(form: forms.Form, obj) -> forms.Form:
    """Adds the hidden version of `obj` (a saved, versioned record) to `form`."""
    if obj is not None and obj.pk is not None and is_versioned(obj):
        form.fields[FIELD] = VersionFormField()
        form.initial[FIELD] = getattr(obj, FIELD)
    return form


def submitted_version(form: forms.Form) -> int | None:
    """The version the user's form was based on (None: the form had none). Takes it out of
    cleaned_data, so that views may pass ``**form.cleaned_data`` to a service."""
    if FIELD not in form.fields:
        return None
    if hasattr(form, "cleaned_data") and FIELD in form.cleaned_data:
        return form.cleaned_data.pop(FIELD)
    return parse_version(form.data.get(form.add_prefix(FIELD)))
