from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# (label, url name, roles that see it)
NAVIGATION = [
    (_("My requests"), "scenarios:list", {Role.PRACTITIONER, Role.SUPERVISOR}),
    (_("Policy in force"), "policies:read", {Role.PRACTITIONER, Role.SUPERVISOR, Role.ADMIN}),
    (_("Policies"), "policies:list", {Role.SUPERVISOR, Role.ADMIN}),
    (_("Client statement"), "policies:statement", {Role.SUPERVISOR, Role.ADMIN}),
    (_("Review"), "scenarios:review", {Role.SUPERVISOR}),
    (_("Dashboard"), "scenarios:dashboard", {Role.SUPERVISOR}),
    (_("Training"), "training:list", {Role.PRACTITIONER, Role.SUPERVISOR, Role.ADMIN}),
    (_("Staff"), "accounts:staff_list", {Role.ADMIN}),
    (_("Audit trail"), "audit:event_list", {Role.ADMIN}),
]


def navigation(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"nav_items": []}
    items = []
    for label, target, roles in NAVIGATION:
        if membership.role in roles:
            url = reverse(target)
            items.append({"label": label, "url": url,
                          "active": request.path.startswith(url)})
    # /policy/statement/ also starts with /policy/: only the closest match is the current page.
    closest = max((len(item["url"]) for item in items if item["active"]), default=0)
    for item in items:
        item["active"] = item["active"] and len(item["url"]) == closest
    return {"nav_items": items, "membership": membership}
