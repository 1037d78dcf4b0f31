"""Identifiers are encrypted at rest and never stored in clear."""

import datetime as dt

import pytest
from django.db import connection

from socec.people.models import Identity, Participation
from tests.personas import ALICE_CNP

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_cnp_and_names_are_encrypted_in_the_database(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, last_name, cnp, phone, cnp_digest FROM people_identity")
        rows = cursor.fetchall()
    flat = " ".join(str(v) for row in rows for v in row)
    assert ALICE_CNP not in flat and "Alice" not in flat and "Ionescu" not in flat and "0722000111" not in flat
    assert all(row[2].startswith("v1:") for row in rows)  # AES-GCM tokens (crypto.TOKEN_PREFIX)
    assert Identity.objects.get(person=world.alice.person).cnp == ALICE_CNP


def test_plain_cnp_is_not_in_the_sqlite_file(world, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("file check for the SQLite database")
    import sqlite3

    # The test database lives in memory; SQLite's backup writes its exact pages to a file.
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "copy.sqlite3")
    connection.connection.backup(target)
    target.close()
    data = (tmp_path / "copy.sqlite3").read_bytes()
    assert len(data) > 100_000 and b"people_identity" in data
    assert ALICE_CNP.encode() not in data and b"Ionescu" not in data


def test_facts_hold_no_identifier(world):
    p = Participation.objects.select_related("person").get(pk=world.alice.pk)
    facts = " ".join(str(getattr(p, f.attname)) for f in Participation._meta.concrete_fields)
    facts += " ".join(str(getattr(p.person, f.attname)) for f in p.person._meta.concrete_fields)
    assert "Alice" not in facts and ALICE_CNP not in facts
    assert p.person.birth_date == dt.date(1990, 5, 12)


def test_tokens_from_before_aes_gcm_still_decrypt_and_a_tampered_token_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    from socec.core import crypto

    old = crypto.fernet().encrypt("Ștefan".encode()).decode()
    assert crypto.decrypt(old) == "Ștefan"
    token = crypto.encrypt("Ștefan")
    assert token.startswith("v1:") and crypto.decrypt(token) == "Ștefan"
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(tampered)


def test_a_second_key_decrypts_what_the_first_wrote_after_rotation(settings):
    from cryptography.fernet import Fernet

    from socec.core import crypto

    token = crypto.encrypt("Ana")
    settings.SOCEC_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.SOCEC_ENCRYPTION_KEYS]
    assert crypto.decrypt(token) == "Ana"
    assert crypto.decrypt(crypto.encrypt("Ion")) == "Ion"
    settings.SOCEC_ENCRYPTION_KEYS = settings.SOCEC_ENCRYPTION_KEYS[:1]
    with pytest.raises(Exception, match="cannot be decrypted"):
        crypto.decrypt(token)
