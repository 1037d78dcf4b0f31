import secrets

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints fresh values for SECRET_KEY, SOCEC_ENCRYPTION_KEYS and SOCEC_PSEUDONYM_KEY (for .env)."

    def handle(self, *args, **options):
        self.stdout.write(f"SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"SOCEC_ENCRYPTION_KEYS={Fernet.generate_key().decode()}")
        self.stdout.write(f"SOCEC_PSEUDONYM_KEY={secrets.token_urlsafe(32)}")
