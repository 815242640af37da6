from django.http import HttpRequest
from django.urls import reverse

from accounts.models import Role

# (label, url name, roles that see it)
NAVIGATION = [
    ("My requests", "scenarios:list", {Role.PRACTITIONER, Role.SUPERVISOR}),
    ("Policy", "policies:read", {Role.PRACTITIONER}),
    ("Policies", "policies:list", {Role.SUPERVISOR, Role.ADMIN}),
    ("Review", "scenarios:review", {Role.SUPERVISOR}),
    ("Staff", "accounts:staff_list", {Role.ADMIN}),
    ("Audit trail", "audit:event_list", {Role.ADMIN}),
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
    return {"nav_items": items, "membership": membership}
