"""Encryption of direct identifiers at rest, and keyed hashes for look-up.

Identifiers (names, CNP, contacts) are encrypted with Fernet (AES-128-CBC + HMAC-SHA256)
under SOCEC_ENCRYPTION_KEYS; the first key encrypts, every key decrypts, so a key can be
rotated by putting the new one first and re-encrypting (`socec rotate_key`, a later issue).
Look-ups and deduplication use an HMAC-SHA256 of a normalised value under
SOCEC_PSEUDONYM_KEY, so the database never holds the plain value nor an unkeyed hash.
"""

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SOCEC_ENCRYPTION_KEYS is not set: identifiers cannot be encrypted.")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SOCEC_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An identifier cannot be decrypted with the configured SOCEC_ENCRYPTION_KEYS."
        ) from exc


def normalise_name(value: str) -> str:
    """Lower case, no diacritics, single spaces: 'Ștefan  POPESCU' -> 'stefan popescu'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").lower().split())


def keyed_hash(*parts: str) -> str:
    key = settings.SOCEC_PSEUDONYM_KEY
    if not key:
        raise ImproperlyConfigured("SOCEC_PSEUDONYM_KEY is not set.")
    message = "\x1f".join(parts).encode("utf-8")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def cnp_key(cnp: str) -> str:
    return keyed_hash("cnp", cnp.strip())


def name_key(first_name: str, last_name: str, birth_date) -> str:
    return keyed_hash("name", normalise_name(first_name), normalise_name(last_name), str(birth_date))
