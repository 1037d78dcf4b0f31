"""Form pieces every part of the application shares."""

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO value it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def apply_errors(form: forms.Form, error: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    """A service's ValidationError shown on the form: next to the field it names (or the field
    `rename` maps that name to), else above the form. A locking.Conflict keeps the user's input and
    says what changed meanwhile (socec/core/locking.py)."""
    from .locking import Conflict

    if isinstance(error, Conflict):
        error.apply_to(form)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = (rename or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
