"""socec api_token create USERNAME --name NAME | list [USERNAME] | revoke TOKEN_ID

Tokens for scripts calling the REST API (`Authorization: Bearer <token>`). The raw token is printed once,
at creation; only its SHA-256 digest is kept. Acts as the system (audited as such)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socec.api import tokens
from socec.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new token for a user (printed once)")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for (unique among the user's tokens)")
        listing = sub.add_parser("list", help="tokens (of one user, or everyone's)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its id (see list)")
        revoke.add_argument("token_id", type=int)

    def _user(self, username):
        user = tokens.user_by_name(username)
        if user is None:
            raise CommandError(_("No user named %(name)s.") % {"name": username})
        return user

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            try:
                token, raw = tokens.api_token_create(user=self._user(options["username"]), name=options["name"],
                                                     by=None)
            except ValidationError as exc:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
            self.stdout.write(_("Token %(id)s (%(name)s) for %(user)s. It is shown only this once:") % {
                "id": token.pk, "name": token.name, "user": token.user.get_username()})
            self.stdout.write(raw)
        elif action == "list":
            qs = ApiToken.objects.select_related("user").order_by("pk")
            if options.get("username"):
                qs = qs.filter(user=self._user(options["username"]))
            for t in qs:
                state = _("revoked %(at)s") % {"at": t.revoked_at.isoformat()} if t.revoked_at else _("active")
                used = t.last_used_at.isoformat() if t.last_used_at else _("never used")
                self.stdout.write(f"{t.pk}\t{t.user.get_username()}\t{t.name}\t{t.prefix}…\t{state}\t{used}")
        else:
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(_("No token %(id)s.") % {"id": options["token_id"]})
            tokens.api_token_revoke(token=token, by=None)
            self.stdout.write(_("Token %(id)s (%(name)s) is revoked.") % {"id": token.pk, "name": token.name})
