"""What the sweeps need to know about each URL pattern, and the role matrix. Kept by hand, checked whole.

Every pattern `project_patterns()` finds must have an entry in TARGETS (the Django admin's are
derived from ADMIN_OBJECTS) and a row in ROLE_MATRIX; the sweeps fail on a pattern missing from
either and on an entry whose pattern is gone. A new page therefore costs two lines here:

    TARGETS["scenarios:thing"] = Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True)
    ROLE_MATRIX row:  scenarios:thing   allow   allow   deny   sign-in

`kwargs` says how to address the object in a furnished agency (tests/security/world.py; add the
object there if it is a new kind); the isolation sweep calls it with agency B, the role matrix
and the CSRF sweep with agency A. A page people only reach in a state of their session (the code
step, after a password) says so with `session`, which every sweep gives its anonymous caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from scenarios.engine.labels import phase_of

from .world import Furnished, password_passed

Builder = Callable[[Furnished], dict]


def _none(_: Furnished) -> dict:
    return {}


@dataclass(frozen=True)
class Target:
    kwargs: Builder = _none
    # Sent with every request (as the query string or the form body): objects named in the data.
    data: Builder = _none
    # The URL names one object of the agency: another agency's must be exactly as absent as a
    # missing one (same status), and never shown.
    names_object: bool = False
    # The methods the role matrix sends (the view's own; the isolation sweep tries all seven).
    methods: tuple[str, ...] = ("GET", "POST")
    # Signed-in outcomes allowed against another agency's object besides "deny", with the reason.
    also: frozenset[str] = field(default_factory=frozenset)
    why: str = ""
    # Who the CSRF sweep sends as when no role's cell is "allow" (else the first role allowed).
    actor: Callable[[Furnished], object] | None = None
    # What an anonymous caller's session holds when they reach the page the way people do (the
    # code step: a password just accepted). Signed-in personas keep their own session.
    session: Builder = _none
    # An /api/v1/ endpoint: it takes a bearer token only, never a session, so every persona of the
    # session sweeps is answered 401 ("token") and a forged cross-site POST has nothing to ride on.
    # What each role's token reaches is swept too (API_MATRIX_TABLE, and agency B's ids), sending
    # `body` as JSON with unsafe methods and `query` on the address.
    api: bool = False
    body: Builder = _none
    query: Builder = _none


def _missing_uid(f: Furnished) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(f.colleague.user.pk)), "token": "not-a-valid-token"}


API_FACTS = {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
             "received_at": "2026-03-10T21:05:00"}
API_REQUEST = {**API_FACTS, "received_at": "2026-03-10T21:05:00-05:00", "client_reference": "RB-2001"}

POST_ONLY = ("POST",)
GET_ONLY = ("GET",)

TARGETS: dict[str, Target] = {
    "home": Target(),
    "healthz": Target(methods=GET_ONLY),
    "login": Target(),
    # Reached after the admin's password (they have two-factor sign-in on); anyone else is sent to sign in.
    "sign_in_code": Target(session=password_passed),
    "logout": Target(methods=POST_ONLY),
    "session_status": Target(methods=GET_ONLY),
    "session_keepalive": Target(methods=POST_ONLY),
    "account": Target(methods=GET_ONLY),
    "two_factor_setup": Target(),
    "recovery_codes_renew": Target(methods=POST_ONLY),
    "two_factor_disable": Target(),
    "password_change": Target(),
    "password_reset": Target(),
    "password_reset_done": Target(methods=GET_ONLY),
    # A reset link for one of the agency's people with a token that was never issued.
    "password_reset_confirm": Target(kwargs=_missing_uid),
    "password_reset_complete": Target(methods=GET_ONLY),
    "accounts:staff_list": Target(methods=GET_ONLY),
    "accounts:staff_add": Target(),
    "accounts:staff_role": Target(kwargs=lambda f: {"pk": f.colleague.pk}, names_object=True),
    "accounts:staff_deactivate": Target(kwargs=lambda f: {"pk": f.colleague.pk}, names_object=True),
    "accounts:staff_reactivate": Target(kwargs=lambda f: {"pk": f.former.pk}, names_object=True,
                                        methods=POST_ONLY),
    "accounts:invitation_cancel": Target(kwargs=lambda f: {"pk": f.invitation.pk}, names_object=True),
    "accounts:agency_security": Target(data=lambda f: {"require_two_factor": "on"}),
    "accounts:agency_settings": Target(data=lambda f: {"time_zone": "Europe/Madrid"}),
    "agency_switch": Target(data=lambda f: {"agency": f.agency.pk}, methods=POST_ONLY),
    "invitation_accept": Target(
        kwargs=lambda f: {"agency": f.agency.slug, "token": f.invitation.token}, names_object=True,
        also=frozenset({"deny"}), actor=lambda f: f.invitation.user,
        why="The link's token is the secret, not the session's agency: anyone signed in who holds a live "
            "token is told it is for another account (403); a dead one is not found (404)."),
    "policies:list": Target(methods=GET_ONLY),
    "policies:new": Target(),
    "policies:import": Target(),
    "policies:compare": Target(data=lambda f: {"a": f.published.number, "b": f.draft.number}, methods=GET_ONLY),
    "policies:detail": Target(kwargs=lambda f: {"number": f.published.number}, names_object=True,
                              methods=GET_ONLY),
    "policies:edit": Target(kwargs=lambda f: {"number": f.draft.number}, names_object=True),
    "policies:publish": Target(kwargs=lambda f: {"number": f.draft.number}, names_object=True),
    "policies:discard": Target(kwargs=lambda f: {"number": f.draft.number}, names_object=True),
    "policies:export": Target(kwargs=lambda f: {"number": f.published.number}, names_object=True,
                              methods=GET_ONLY),
    "policies:read": Target(methods=GET_ONLY),
    "policies:read_version": Target(kwargs=lambda f: {"number": f.published.number}, names_object=True,
                                    methods=GET_ONLY),
    "policies:acknowledge": Target(kwargs=lambda f: {"number": f.published.number}, names_object=True,
                                   methods=POST_ONLY),
    "policies:statement": Target(methods=GET_ONLY),
    "policies:statement_receipt": Target(methods=POST_ONLY, data=lambda f: {
        "client_reference": "RB-1042", "language": "es", "received_on": "2026-01-06"}),
    "policies:statement_settings": Target(data=lambda f: {
        "emergency_number": "911", "crisis_number": "(555) 010-0199", "crisis_texts": "",
        "paragraph_en": "Call the front desk with questions.", "paragraph_es": ""}),
    "scenarios:list": Target(methods=GET_ONLY),
    "scenarios:log": Target(),
    "scenarios:before": Target(),
    "scenarios:detail": Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True, methods=GET_ONLY),
    "scenarios:choose": Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True, methods=POST_ONLY,
                               data=lambda f: {"option": "decline"}),
    "scenarios:step": Target(kwargs=lambda f: {"pk": f.request.pk, "key": f.step_key}, names_object=True,
                             methods=POST_ONLY, data=lambda f: {"value": "Overwritten"}),
    "scenarios:phase": Target(kwargs=lambda f: {"pk": f.request.pk, "phase": phase_of(f.step_key).value},
                              names_object=True, methods=POST_ONLY,
                              data=lambda f: {f"{f.step_key}-value": "Overwritten"}),
    "scenarios:close": Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True,
                              data=lambda f: {"outcome": "declined"}),
    "scenarios:review": Target(methods=GET_ONLY),
    "scenarios:review_decide": Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True,
                                      methods=POST_ONLY, data=lambda f: {"decision": "approved"}),
    "scenarios:dashboard": Target(methods=GET_ONLY),
    # The policy what-if for a version (the draft page loads it in place).
    "scenarios:whatif": Target(kwargs=lambda f: {"number": f.draft.number}, names_object=True, methods=GET_ONLY),
    "scenarios:dashboard_csv": Target(kwargs=lambda f: {"chart": "overdue"}, methods=GET_ONLY),
    "training:list": Target(methods=GET_ONLY),
    "training:scenario": Target(kwargs=lambda f: {"key": f.training_scenario.key}, names_object=True,
                                data=lambda f: {"answer": "discuss"}),
    "training:team": Target(methods=GET_ONLY),
    "training:member": Target(kwargs=lambda f: {"pk": f.practitioner.pk}, names_object=True, methods=GET_ONLY),
    "training:scenarios": Target(methods=GET_ONLY),
    "training:scenario_new": Target(),
    "training:scenario_edit": Target(kwargs=lambda f: {"pk": f.training_scenario.pk}, names_object=True),
    "training:scenario_retire": Target(kwargs=lambda f: {"pk": f.training_scenario.pk}, names_object=True),
    "audit:event_list": Target(methods=GET_ONLY),
    "audit:export": Target(kwargs=lambda f: {"fmt": "csv"}, methods=POST_ONLY),
    "notifications:list": Target(methods=GET_ONLY),
    # Always the link itself, never a redirect (htmx would swap the sign-in page into the navigation).
    "notifications:bell": Target(methods=GET_ONLY),
    "notifications:read": Target(methods=POST_ONLY),
    "notifications:preference": Target(methods=POST_ONLY, data=lambda f: {"waiting_delivery": "daily"}),
    "notifications:calendar_renew": Target(methods=POST_ONLY),
    "notifications:calendar_revoke": Target(methods=POST_ONLY),
    # The address's token is the key, as a calendar app holds no session: whoever has a live one
    # reads that person's dates (request numbers and steps only); any other token is not found.
    "notifications:calendar": Target(kwargs=lambda f: {"agency": f.agency.slug, "token": f.feed_token},
                                     methods=GET_ONLY),
    # Our own sign-in page stands in front of the Django admin's (boundaries/urls.py).
    "admin_sign_in": Target(),
    "api_tokens": Target(data=lambda f: {"name": "Case system", "scopes": ["guidance"], "days": "30"}),
    # The practitioner's token: they and their admin may revoke it (asked first), a supervisor may not see it.
    "api_token_revoke": Target(kwargs=lambda f: {"pk": f.api_token.pk}, names_object=True),
    # A published version is named in the query: agency B's number is not one A has.
    "api:evaluate": Target(api=True, methods=POST_ONLY, body=lambda f: {"facts": API_FACTS},
                           query=lambda f: {"version": f.published.number}, names_object=True),
    "api:requests": Target(api=True, body=lambda f: API_REQUEST),
    "api:request": Target(api=True, kwargs=lambda f: {"pk": f.request.pk}, names_object=True, methods=GET_ONLY),
    "api:request_close": Target(api=True, kwargs=lambda f: {"pk": f.request.pk}, names_object=True,
                                methods=POST_ONLY, body=lambda f: {"outcome": "declined", "note": "Overwritten"}),
    "api:policy": Target(api=True, methods=GET_ONLY),
    "api:policy_versions": Target(api=True, methods=GET_ONLY),
    "api:policy_version": Target(api=True, kwargs=lambda f: {"number": f.published.number}, names_object=True,
                                 methods=GET_ONLY),
    "api:audit_events": Target(api=True, methods=GET_ONLY),
    "api:audit_head": Target(api=True, methods=GET_ONLY),
    # The OpenAPI document and its reference page are public: they describe the API, and hold no data.
    "api:schema": Target(api=True, methods=GET_ONLY),
    "api:docs": Target(methods=GET_ONLY),
}

# The Django admin is for the operator's superusers only; no agency role has `is_staff`. Its
# patterns are derived per registered model: say here which object of an agency each model's
# pages should be tried on.
ADMIN_OBJECTS: dict[str, Callable[[Furnished], object]] = {
    "auth.group": lambda f: Group.objects.get_or_create(name=f"{f.agency.slug}-group")[0],
    "accounts.user": lambda f: f.colleague.user,
    "accounts.agency": lambda f: f.agency,
    "accounts.membership": lambda f: f.colleague,
    "accounts.invitation": lambda f: f.invitation,
    "axes.accessattempt": lambda f: f.attempt,
    "axes.accessfailurelog": lambda f: f.failure,
    "axes.accesslog": lambda f: f.access_log,
    "otp_totp.totpdevice": lambda f: f.authenticator,
    "otp_static.staticdevice": lambda f: f.recovery_codes,
}
ADMIN_PAGES = {"index", "login", "logout", "password_change", "password_change_done", "autocomplete", "jsi18n",
               "app_list", "view_on_site"}


def admin_target(key: str, route: str) -> Target | None:
    """The admin's target for a pattern, or None when its model has no ADMIN_OBJECTS entry."""
    tail = route.removeprefix("django-admin/")
    model_label = ".".join(tail.split("/")[:2])
    if key.removeprefix("admin:") in ADMIN_PAGES or route.endswith("(?P<url>.*)$"):
        return Target(kwargs=_admin_page_kwargs(key))
    if model_label not in ADMIN_OBJECTS:
        return None
    build = ADMIN_OBJECTS[model_label]

    def kwargs(f: Furnished) -> dict:
        pk = build(f).pk
        return {"object_id": pk, "id": pk, "pk": pk}

    return Target(kwargs=kwargs, names_object=any(name in route for name in ("object_id", "<id>", "<int:pk>")))


def _admin_page_kwargs(key: str) -> Builder:
    if key == "admin:view_on_site":
        return lambda f: {"content_type_id": ContentType.objects.get_for_model(f.colleague).pk,
                          "object_id": f.colleague.pk}
    if key == "admin:app_list":
        return lambda f: {"app_label": "accounts"}
    return lambda f: {"url": "accounts/membership/add"}


# Explicit allow/deny for every page and role, tried on agency A's own objects.
#   allow          the view runs (a page, a form's errors, a download, or a redirect it chose)
#   deny           403 or 404
#   sign-in        redirected to the sign-in page
#   admin-sign-in  redirected to the Django admin's sign-in (no agency role is admin staff)
#   token          401 asking for a bearer token: the API takes no session (Target.api)
# The supervisor and the admin have two-factor sign-in on and passed its code step; "anonymous"
# is signed out, and on sign_in_code has just typed a password (Target.session).
ROLE_MATRIX_TABLE = """
pattern                         practitioner  supervisor     admin          anonymous
home                            allow         allow          allow          sign-in
healthz                         allow         allow          allow          allow
login                           allow         allow          allow          allow
sign_in_code                    sign-in       sign-in        sign-in        allow
logout                          sign-in       sign-in        sign-in        sign-in
session_status                  allow         allow          allow          allow
session_keepalive               allow         allow          allow          allow
account                         allow         allow          allow          sign-in
two_factor_setup                allow         allow          allow          sign-in
recovery_codes_renew            allow         allow          allow          sign-in
two_factor_disable              allow         allow          allow          sign-in
password_change                 allow         allow          allow          sign-in
password_reset                  allow         allow          allow          allow
password_reset_done             allow         allow          allow          allow
password_reset_confirm          allow         allow          allow          allow
password_reset_complete         allow         allow          allow          allow
accounts:staff_list             deny          deny           allow          sign-in
accounts:staff_add              deny          deny           allow          sign-in
accounts:staff_role             deny          deny           allow          sign-in
accounts:staff_deactivate       deny          deny           allow          sign-in
accounts:staff_reactivate       deny          deny           allow          sign-in
accounts:invitation_cancel      deny          deny           allow          sign-in
accounts:agency_security        deny          deny           allow          sign-in
accounts:agency_settings        deny          deny           allow          sign-in
agency_switch                   allow         allow          allow          sign-in
invitation_accept               deny          deny           deny           sign-in
policies:list                   deny          allow          allow          sign-in
policies:new                    deny          allow          deny           sign-in
policies:import                 deny          allow          deny           sign-in
policies:compare                deny          allow          allow          sign-in
policies:detail                 deny          allow          allow          sign-in
policies:edit                   deny          allow          deny           sign-in
policies:publish                deny          allow          deny           sign-in
policies:discard                deny          allow          deny           sign-in
policies:export                 deny          allow          allow          sign-in
policies:read                   allow         allow          allow          sign-in
policies:read_version           allow         allow          allow          sign-in
policies:acknowledge            allow         allow          allow          sign-in
policies:statement              allow         allow          allow          sign-in
policies:statement_receipt      allow         allow          deny           sign-in
policies:statement_settings     deny          allow          allow          sign-in
scenarios:list                  allow         allow          deny           sign-in
scenarios:log                   allow         allow          deny           sign-in
scenarios:before                allow         allow          deny           sign-in
scenarios:detail                allow         allow          deny           sign-in
scenarios:choose                allow         deny           deny           sign-in
scenarios:step                  allow         deny           deny           sign-in
scenarios:phase                 allow         deny           deny           sign-in
scenarios:close                 allow         deny           deny           sign-in
scenarios:review                deny          allow          deny           sign-in
scenarios:review_decide         deny          allow          deny           sign-in
scenarios:dashboard             deny          allow          deny           sign-in
scenarios:whatif                deny          allow          deny           sign-in
scenarios:dashboard_csv         deny          allow          deny           sign-in
training:list                   allow         allow          allow          sign-in
training:scenario               allow         allow          allow          sign-in
training:team                   deny          allow          deny           sign-in
training:member                 deny          allow          deny           sign-in
training:scenarios              deny          allow          deny           sign-in
training:scenario_new           deny          allow          deny           sign-in
training:scenario_edit          deny          allow          deny           sign-in
training:scenario_retire        deny          allow          deny           sign-in
audit:event_list                deny          deny           allow          sign-in
audit:export                    deny          deny           allow          sign-in
notifications:list              allow         allow          allow          sign-in
notifications:bell              allow         allow          allow          allow
notifications:read              allow         allow          allow          sign-in
notifications:preference        deny          allow          deny           sign-in
notifications:calendar_renew    allow         allow          allow          sign-in
notifications:calendar_revoke   allow         allow          allow          sign-in
notifications:calendar          allow         allow          allow          allow
admin_sign_in                   sign-in       sign-in        sign-in        sign-in
api_tokens                      allow         allow          allow          sign-in
api_token_revoke                allow         deny           allow          sign-in
api:evaluate                    token         token          token          token
api:requests                    token         token          token          token
api:request                     token         token          token          token
api:request_close               token         token          token          token
api:policy                      token         token          token          token
api:policy_versions             token         token          token          token
api:policy_version              token         token          token          token
api:audit_events                token         token          token          token
api:audit_head                  token         token          token          token
api:schema                      allow         allow          allow          allow
api:docs                        allow         allow          allow          allow
admin:*                         admin-sign-in admin-sign-in  admin-sign-in  admin-sign-in
"""
# What each role's bearer token may do on the API (Target.api), tried on agency A's own objects with
# the view's methods, every scope the role may give on the token. Another agency's ids are swept
# apart (tests/security/test_isolation.py): 404 wherever the cell here says allow.
#   allow   2xx: the endpoint answered with the caller's data
#   deny    403 (a scope the role may not hold) or 404 (not the caller's to see)
API_MATRIX_TABLE = """
pattern                 practitioner  supervisor  admin
api:evaluate            allow         allow       allow
api:requests            allow         allow       deny
api:request             allow         allow       deny
api:request_close       allow         deny        deny
api:policy              allow         allow       allow
api:policy_versions     allow         allow       allow
api:policy_version      allow         allow       allow
api:audit_events        deny          deny        allow
api:audit_head          deny          deny        allow
api:schema              allow         allow       allow
"""
API_ROLES = ("practitioner", "supervisor", "admin")

# Admin pages that answer otherwise, for everyone alike.
ADMIN_EXCEPTIONS = {
    # The admin's own sign-in form is never reached: admin_sign_in, listed first, has its address.
    "admin:login": "sign-in",
    "admin:logout": "allow",  # sends anyone not admin staff to the admin's index, which asks them to sign in
}


def role_matrix(table: str = ROLE_MATRIX_TABLE) -> dict[str, dict[str, str]]:
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows}


def api_matrix() -> dict[str, dict[str, str]]:
    return role_matrix(API_MATRIX_TABLE)


def api_coverage(found: "Coverage", matrix: dict | None = None) -> list[str]:
    """Every API target has a row in API_MATRIX_TABLE, and every row a target."""
    matrix = api_matrix() if matrix is None else matrix
    keys = {pattern.key for pattern, target in found.targets.items() if target.api}
    return ([f"{key!r} is an API endpoint with no row in API_MATRIX_TABLE (tests/security/registry.py): "
             "add one saying allow/deny for each role's token." for key in sorted(keys - set(matrix))]
            + [f"{key!r} is in API_MATRIX_TABLE but is no API endpoint: remove it."
               for key in sorted(set(matrix) - keys)])


@dataclass(frozen=True)
class Coverage:
    targets: dict  # Pattern -> Target
    missing: list[str]  # how to fix each pattern that has no entry
    stale: list[str]  # entries whose pattern is gone
    matrix: dict = field(default_factory=dict)


def coverage(patterns, *, targets: dict[str, Target] | None = None, matrix: dict | None = None) -> Coverage:
    """Match the patterns found to TARGETS and ROLE_MATRIX; say what to add for any left out."""
    targets = TARGETS if targets is None else targets
    matrix = role_matrix() if matrix is None else matrix
    found, missing = {}, []
    for pattern in patterns:
        target = targets.get(pattern.key)
        if target is None and pattern.route.startswith("django-admin/"):
            target = admin_target(pattern.key, pattern.route)
        if target is None:
            missing.append(
                f"{pattern.key!r} ({pattern.route}) has no entry in tests/security/registry.py. Add "
                f"TARGETS[{pattern.key!r}] = Target(kwargs=lambda f: {{...}}) saying how to build, in a furnished "
                "agency f (tests/security/world.py), the object each of its URL arguments "
                f"{pattern.names} names" + (" (for the admin: an ADMIN_OBJECTS entry for its model)"
                                            if pattern.route.startswith("django-admin/") else "")
                + ", and a ROLE_MATRIX_TABLE row saying allow/deny for each role.")
            continue
        if pattern.key in targets and pattern.key not in matrix:
            missing.append(f"{pattern.key!r} ({pattern.route}) has no row in ROLE_MATRIX_TABLE "
                           "(tests/security/registry.py): add one saying allow/deny for each role.")
            continue
        found[pattern] = target
    keys = {pattern.key for pattern in patterns}
    stale = [f"{key!r} is in tests/security/registry.py but no URL pattern has that name any more: remove it."
             for key in sorted((set(targets) | set(matrix)) - keys - {"admin:*", "pattern"})]
    return Coverage(found, missing, stale, matrix)


def expected_cell(pattern, persona: str, matrix: dict | None = None) -> str:
    matrix = role_matrix() if matrix is None else matrix
    if pattern.key not in matrix and pattern.route.startswith("django-admin/"):
        return ADMIN_EXCEPTIONS.get(pattern.key, matrix["admin:*"][persona])
    return matrix[pattern.key][persona]
