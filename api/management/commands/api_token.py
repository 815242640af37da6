"""`api_token create|list|revoke`: personal API tokens for scripts and set-up (docs/api.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Membership
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens. `create` prints the secret alone on its own line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token and print its secret once.")
        create.add_argument("--email", required=True)
        create.add_argument("--agency", required=True, help="The agency's slug.")
        create.add_argument("--scopes", required=True, help="Comma-separated, e.g. guidance,requests:read")
        create.add_argument("--days", type=int, default=None, help="1 to 365; 90 if left out.")
        create.add_argument("--name", default="Command line")
        listing = sub.add_parser("list", help="The agency's tokens (never their secrets).")
        listing.add_argument("--agency", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("--agency", required=True)
        revoke.add_argument("id", type=int)

    def _membership(self, email: str, slug: str) -> Membership:
        membership = (Membership.objects.active().select_related("agency", "user")
                      .filter(user__email__iexact=email, agency__slug=slug).first())
        if membership is None:
            raise CommandError(f"No active member {email} in an agency with the slug {slug!r}.")
        return membership

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, email, agency, scopes, days, name, **_):
        membership = self._membership(email, agency)
        try:
            _token, secret = api_token_create(membership=membership, name=name, days=days,
                                              scopes=[s.strip() for s in scopes.split(",") if s.strip()])
        except ValidationError as error:
            raise CommandError(" ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()))
        self.stdout.write(secret)

    def _list(self, *, agency, **_):
        now = timezone.now()
        for token in ApiToken.objects.filter(agency__slug=agency).select_related("user"):
            state = "revoked" if token.revoked_at else ("expired" if token.expires_at <= now else "live")
            last = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "never"
            self.stdout.write(f"{token.pk}\t{token.hint}…\t{token.user.email}\t{','.join(token.scopes)}\t"
                              f"expires {token.expires_at.isoformat(timespec='seconds')}\tlast used {last}\t{state}")

    def _revoke(self, *, agency, id, **_):
        token = ApiToken.objects.filter(agency__slug=agency, pk=id).select_related("agency").first()
        if token is None:
            raise CommandError(f"No token {id} in the agency {agency!r}.")
        api_token_revoke(token=token, actor=None)
        self.stdout.write(f"Revoked token {id}.")
