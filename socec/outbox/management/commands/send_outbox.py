from django.core.management.base import BaseCommand

from socec.outbox.services import outbox_deliver


class Command(BaseCommand):
    help = "Sends the messages waiting in the outbox (retrying failed ones)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit, **options):
        sent, failed = outbox_deliver(limit=limit)
        self.stdout.write(f"sent: {sent}, failed: {failed}")
        if failed:
            raise SystemExit(1)
