"""Model fields that keep direct identifiers encrypted at rest."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; Python code sees the plain text. Not searchable by value:
    look-ups go through a keyed-hash column beside it."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)
