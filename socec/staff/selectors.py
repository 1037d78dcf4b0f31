"""Read helpers for the staff pages: what a row of a list shows, in the user's language."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from socec.indicators.definitions import BY_CODE
from socec.programmes.access import ProjectAccess, project_access, projects_visible_to
from socec.programmes.roles import Role


def role_label(access: ProjectAccess | None) -> str:
    if access is None:
        return ""
    if access.role == "admin":
        return _("administrator")
    if access.role in Role.values:
        return Role(access.role).label
    return access.role


def my_projects(user) -> list[dict]:
    """The projects the user may see, each with the user's role in it."""
    projects = projects_visible_to(user).select_related("lead_organisation").order_by("-start_date", "code")
    return [{"project": p, "role": role_label(project_access(user, p))} for p in projects]


def indicator_name(code: str) -> str:
    indicator = BY_CODE.get(code)
    return str(indicator.name) if indicator else code


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    """The model field a change names; services also log fields of related records of the same
    app in one entry (a participant's entry holds the person's and the identity's fields)."""
    if model is None:
        return None
    candidates = [model, *(m for m in apps.get_app_config(model._meta.app_label).get_models() if m is not model)]
    for candidate in candidates:
        try:
            field = candidate._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if hasattr(field, "verbose_name"):  # not a reverse relation
            return field
    return None


def _shown(field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(field, v) for v in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = dict(field.flatchoices) if field is not None and getattr(field, "flatchoices", None) else {}
    return str(choices.get(value, value))


def audit_rows(entries) -> list[dict]:
    """Audit entries ready to show: record type and field names translated, each change as
    old -> new. The stored values are already masked for identifiers."""
    rows = []
    for entry in entries:
        model = _model(entry.model)
        changes = []
        for name, pair in (entry.changes or {}).items():
            old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            field = _field(model, name)
            old, new = _shown(field, old), _shown(field, new)
            if old == new:  # e.g. an empty field on creation
                continue
            label = str(field.verbose_name) if field is not None else name.replace("_", " ")
            changes.append({"field": name, "label": label, "old": old, "new": new})
        rows.append({
            "entry": entry,
            "record_type": str(model._meta.verbose_name) if model is not None else entry.model,
            "changes": changes,
        })
    return rows
