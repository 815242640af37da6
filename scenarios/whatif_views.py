"""The policy what-if page: a panel the draft page loads in place (htmx), and a page of its own.

The draft page (policies) reaches it by URL name only, so policies never imports scenarios.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from boundaries.tenancy import get_scoped_or_404, role_required
from policies.models import PolicyVersion

from . import whatif
from .forms import WhatIfForm

supervisor_required = role_required(Role.SUPERVISOR)
PAGE_SIZE = 20


class _Window:
    """The changed cases as the paginator sees them: all of them counted, one page of them kept."""

    def __init__(self, result: whatif.WhatIf, start: int) -> None:
        self.result, self.start = result, start

    def __len__(self) -> int:
        return self.result.cases_total

    def __getitem__(self, wanted: slice) -> list[whatif.Case]:
        return self.result.cases if wanted.start == self.start else []


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1


def _compared(version: PolicyVersion, months: int, number: int):
    start = (number - 1) * PAGE_SIZE
    result = whatif.compare(candidate=version, months=months, keep=slice(start, start + PAGE_SIZE))
    paginator = Paginator(_Window(result, start), PAGE_SIZE)
    if number > paginator.num_pages:
        # A page past the end (the list got shorter since the link was made): show the last one.
        return _compared(version, months, paginator.num_pages)
    return result, paginator.page(number)


@supervisor_required
@require_GET
def policy_whatif(request: HttpRequest, number: int) -> HttpResponse:
    version = get_scoped_or_404(request, PolicyVersion, number=number)
    data = request.GET.copy()
    data.setdefault("months", str(whatif.DEFAULT_MONTHS))
    form = WhatIfForm(data)
    result = page = None
    if form.is_valid():
        result, page = _compared(version, form.cleaned_data["months"], _page_number(request))
    in_place = bool(request.htmx) and not request.htmx.history_restore_request
    # 422 in place: htmx swaps it like a success (static/boundaries/js/app.js), so the message shows.
    status = 200 if result is not None else 422 if in_place else 400
    return render(request, "scenarios/whatif/_panel.html" if in_place else "scenarios/whatif/page.html", {
        "version": version, "form": form, "result": result, "page": page,
        "query": f"months={form.cleaned_data['months']}" if result is not None else "",
        # A supervisor may open any of the agency's requests (scenarios.views._get_request_for_user).
        "can_open": request.membership.role == Role.SUPERVISOR,
        "options": [(option, result.per_option[option]) for option in whatif.OPTIONS] if result else [],
    }, status=status)
