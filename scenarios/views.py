from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from boundaries.one_time import one_time_form
from boundaries.prepared import Pages
from boundaries.tenancy import ScopedQuery, posted, role_required

from . import presentation, services
from .filters import FILTERS, narrowed, review_filter_form
from .forms import CheckForm, ChooseOptionForm, CloseForm, RequestLogForm, ReviewForm, StepForm
from .models import ContactRequest, RequestStatus, StepRecord, capped, waiting_q
from .rows import my_rows, review_rows

staff_required = role_required(Role.PRACTITIONER, Role.SUPERVISOR)
supervisor_required = role_required(Role.SUPERVISOR)
PAGE_SIZE = 25
# The list columns: the stored guidance is only read where it is shown.
LIST_DEFER = ("guidance", "context", "deviation_reason", "review_note", "outcome_note")
# What a row of the review list shows, and nothing more: reading the practitioner's whole user row and
# the request's other columns for 52 rows a page cost more than a millisecond. The practitioner's name
# comes through the join as one column (`practitioner_name`), not as a second model instance a row.
REVIEW_COLUMNS = ("agency_id", "received_at", "client_reference", "kind", "medium", "relationship",
                  "chosen_option", "recommended", "status", "needs_review", "follow_up_on")
# What a row of "My requests" shows (scenarios/rows.my_rows): the request's other columns, its dates and
# notes, cost a millisecond a page to read and convert for nothing.
MY_COLUMNS = ("agency_id", "practitioner_id", "received_at", "client_reference", "kind", "medium", "relationship",
              "recommended", "chosen_option", "status")
SHOWS = {
    "open": (pgettext_lazy("requests", "Open"), gettext_lazy("Logged and not yet finished."),
             "open"),
    "conversation": (gettext_lazy("Awaiting the conversation"),
                     gettext_lazy("Waiting for you to talk with the person."),
                     "awaiting_conversation"),
    "closed": (pgettext_lazy("requests", "Closed"), gettext_lazy("Finished, with an outcome."),
               "closed"),
}


def _mine(rows, show: str, *, practitioner: int):
    return getattr(rows.filter(practitioner=practitioner), SHOWS[show][2])()


# "My requests" as prepared queries (boundaries/prepared.py): the count, the page and the follow-ups.
_MY_COUNT = ScopedQuery(ContactRequest, lambda rows, show, **mine: _mine(rows, show, **mine).order_by().values("pk"),
                        count=True)
_MY_PAGE = ScopedQuery(ContactRequest, lambda rows, show, start, stop, **mine: (
    _mine(rows, show, **mine).only(*MY_COLUMNS)[start:stop]))
_FOLLOW_UPS = ScopedQuery(ContactRequest, lambda rows, *, practitioner: (
    rows.filter(practitioner=practitioner).not_closed().filter(follow_up_on__isnull=False).defer(*LIST_DEFER)
    .order_by("follow_up_on", "pk")[:10]))


def _request_rows(rows, own: bool, *, pk: int, practitioner: int | None = None):
    # The policy version's number only, not its whole document (a few hundred µs a page).
    rows = rows.select_related("practitioner", "reviewed_by", "policy_version").defer("policy_version__document")
    return rows.filter(pk=pk, practitioner=practitioner) if own else rows.filter(pk=pk)


# Prepared: every request page reads its request this way, and the ORM cost more to build and compile
# the query than the database took to answer it; its values are keys, so PostgreSQL plans it once per
# connection too (boundaries/prepared.py).
_REQUEST = ScopedQuery(ContactRequest, _request_rows, plan_once=True)
_STEP_RECORDS = ScopedQuery(StepRecord, lambda rows, *, contact_request: rows.filter(request=contact_request),
                            plan_once=True)


def _get_request_for_user(request: HttpRequest, pk: int, *, own: bool = False) -> ContactRequest:
    """A request the signed-in user may see: their own, or (for a supervisor) any of the agency's.

    `own=True` is for changes, which only the practitioner who logged it can make.
    """
    own = own or request.membership.role != Role.SUPERVISOR
    mine = {"practitioner": request.user.pk} if own else {}
    contact_request = _REQUEST.get_or_404(request, own, pk=pk, **mine)
    contact_request.agency = request.agency  # the agency the request was scoped to, read with the membership
    return contact_request


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    if show not in SHOWS:
        show = "open"
    title, description, _ = SHOWS[show]
    mine = {"practitioner": request.user.pk}
    rows = Pages(lambda: _MY_COUNT.run(request, show, **mine),
                 lambda start, stop: _MY_PAGE.run(request, show, start, stop, **mine))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    follow_ups = _FOLLOW_UPS.run(request, **mine)
    return render(request, "scenarios/request_list.html", {
        "page": page, "rows": my_rows(page.object_list), "show": show, "shows": SHOWS,
        "title": title, "description": description,
        "follow_ups": follow_ups, "query": f"show={show}", "today": timezone.localdate(),
    })


@staff_required
@one_time_form
def request_log(request: HttpRequest) -> HttpResponse:
    form = RequestLogForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contact_request = services.request_log(agency=request.agency, practitioner=request.user,
                                                   profession=request.membership.profession, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Logged. Here is what your policy and the professional codes say."))
            return redirect("scenarios:detail", pk=contact_request.pk)
    return render(request, "scenarios/request_log.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
@one_time_form
def request_before(request: HttpRequest) -> HttpResponse:
    """"Before I do it": check something you are about to do, logged and walked through like a request."""
    form = CheckForm(posted(request), initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "context_checked"}
        try:
            contact_request = services.request_log(agency=request.agency, practitioner=request.user,
                                                   profession=request.membership.profession, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Checked. Here is what your policy and the professional codes say."))
            return redirect("scenarios:detail", pk=contact_request.pk)
    return render(request, "scenarios/request_before.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request: HttpRequest, contact_request: ContactRequest, **extra) -> dict:
    # Records belong to the chosen option's steps: with no option chosen there is no walk to show.
    records = ({step.step_key: step for step in _STEP_RECORDS.run(request, contact_request=contact_request.pk)}
               if contact_request.chosen_option else {})
    options = presentation.option_cards(contact_request)
    can_edit = contact_request.is_owned_by(request.user)
    can_review = (request.membership.role == Role.SUPERVISOR and not contact_request.is_owned_by(request.user)
                  and (contact_request.needs_review or contact_request.status == RequestStatus.AWAITING_APPROVAL))
    walk = extra.pop("walk", None) or presentation.walk_for(contact_request, records)
    return {
        "req": contact_request,
        "walk": walk,
        "phases": presentation.phases_of(walk, check=contact_request.is_before),
        "ready_to_close": can_edit and presentation.ready_to_close(contact_request, walk),
        "can_edit": can_edit,
        "walk_editable": can_edit and contact_request.status in services.WALK_STATUSES,
        "options": options,
        "chosen": next((card for card in options if card.option == contact_request.chosen_option), None),
        "can_review": can_review,
        "choose_form": extra.pop("choose_form", None) or ChooseOptionForm(
            initial={"option": contact_request.recommended[0] if contact_request.recommended else None}),
        "review_form": extra.pop("review_form", None) or (ReviewForm() if can_review else None),
        "codes_line": presentation.codes_line(contact_request),
        **extra,
    }


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact_request = _get_request_for_user(request, pk)
    services.request_viewed(contact_request=contact_request, actor=request.user)
    return render(request, "scenarios/request_detail.html", _detail_context(request, contact_request))


@staff_required
@require_POST
def request_choose(request: HttpRequest, pk: int) -> HttpResponse:
    contact_request = _get_request_for_user(request, pk, own=True)
    form = ChooseOptionForm(request.POST)
    if form.is_valid():
        try:
            services.request_choose_option(contact_request=contact_request, actor=request.user,
                                           **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if contact_request.status == RequestStatus.AWAITING_APPROVAL:
                messages.info(request, _("This option needs your supervisor's approval. We've asked them; "
                                       "you'll see their decision here."))
            return redirect(reverse("scenarios:detail", args=[pk]) + "#walk-through")
    context = _detail_context(request, contact_request, choose_form=form)
    return render(request, "scenarios/request_detail.html", context, status=400)


def _walk_step(contact_request: ContactRequest, key: str) -> presentation.WalkStep:
    step = next((item for item in presentation.walk_for(contact_request) if item.key == key), None)
    if step is None:
        raise Http404
    return step


def _step_refused(request: HttpRequest, contact_request: ContactRequest, form: StepForm) -> HttpResponse:
    """The step again with its message by the field and the value as typed, in place or in the page.

    The request is read again: meanwhile another tab may have saved the step or closed the request,
    or a supervisor may have sent the option back, taking the step out of the walk.
    """
    contact_request.refresh_from_db()
    value_errors = form.errors.as_data().get("value", [])
    refused = replace(form.step, submitted=form.typed,
                      error=(form.errors.get("value") or form.errors.get("revision") or form.non_field_errors())[0],
                      seen_revision=form.cleaned_data.get("revision"),
                      conflict=any(error.code == "conflict" for error in value_errors))
    walk = presentation.walk_for(contact_request)
    current = next((item for item in walk if item.key == refused.key), None)
    if current is not None:
        refused = replace(refused, record=current.record, number=current.number)
        walk = [refused if item.key == refused.key else item for item in walk]
    if request.htmx:
        # 422: htmx is set (static/boundaries/js/app.js) to swap it in place like a success.
        return render(request, "scenarios/_step.html", {"req": contact_request, "step": refused, "editable": True,
                                                        "oob_status": True, **_ready_context(contact_request)},
                      status=422)
    context = _detail_context(request, contact_request, walk=walk,
                              refused_step=None if current is not None else refused)
    return render(request, "scenarios/request_detail.html", context, status=400)


@staff_required
@require_POST
def request_step(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    contact_request = _get_request_for_user(request, pk, own=True)
    # A phase's form autosaves one field at a time (htmx) with its fields named by step key.
    form = StepForm(request.POST, contact_request=contact_request, step=_walk_step(contact_request, key),
                    today=timezone.localdate(), in_phase=f"{key}-revision" in request.POST)
    if form.is_valid():
        try:
            step = services.request_save_step(contact_request=contact_request, actor=request.user, step_key=key,
                                              value=form.cleaned_data["value"],
                                              seen_revision=form.cleaned_data["revision"])
        except ValidationError as error:
            form.add_error("value", error)
        else:
            if request.htmx:
                return render(request, "scenarios/_step.html", {"req": contact_request, "step": step,
                                                                "editable": True, "saved": True,
                                                                "oob_status": True,
                                                                **_ready_context(contact_request)})
            messages.success(request, f"Saved: {step.title}.")
            return redirect(reverse("scenarios:detail", args=[pk]) + f"#step-{key}")
    return _step_refused(request, contact_request, form)


def _ready_context(contact_request: ContactRequest) -> dict:
    """For the "Ready to close" notice that an autosave updates out of band."""
    return {"ready_to_close": presentation.ready_to_close(contact_request, presentation.walk_for(contact_request)),
            "walk_editable": contact_request.status in services.WALK_STATUSES, "can_edit": True}


def _phase_forms(request: HttpRequest, contact_request: ContactRequest, phase: str) -> list[StepForm]:
    walk = presentation.walk_for(contact_request)
    steps = next((item.steps for item in presentation.phases_of(walk) if item.key == phase), None)
    if steps is None:
        raise Http404
    today = timezone.localdate()
    return [StepForm(request.POST, contact_request=contact_request, step=step, today=today, in_phase=True)
            for step in steps]


@staff_required
@require_POST
def request_phase(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
    """Save a phase of the walk with one button; each box also autosaves on its own (request_step)."""
    contact_request = _get_request_for_user(request, pk, own=True)
    forms = _phase_forms(request, contact_request, phase)
    problem = ""
    if all([form.is_valid() for form in forms]):  # a list: every box gets its message, not just the first
        answers = {form.step.key: (form.cleaned_data["value"], form.cleaned_data["revision"]) for form in forms}
        try:
            services.request_save_phase(contact_request=contact_request, actor=request.user, answers=answers)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                problem = error.messages[0]
            for form in forms:
                for message in getattr(error, "error_dict", {}).get(form.step.key, []):
                    form.add_error("value", message)
        else:
            messages.success(request, f"Saved: {presentation.Phase(phase).label.lower()}.")
            return redirect(reverse("scenarios:detail", args=[pk]) + f"#phase-{phase}")
    return _phase_refused(request, contact_request, forms, problem)


def _phase_refused(request: HttpRequest, contact_request: ContactRequest, forms: list[StepForm],
                   problem: str) -> HttpResponse:
    """The page again, each refused box with its message beside it and every box as typed."""
    contact_request.refresh_from_db()
    walk = presentation.walk_for(contact_request)
    by_key = {form.step.key: form for form in forms}
    shown = []
    for step in walk:
        form = by_key.get(step.key)
        if form is None:
            shown.append(step)
            continue
        errors = form.errors.get("value") or form.errors.get("revision")
        codes = [error.code for error in form.errors.as_data().get("value", [])]
        shown.append(replace(step, submitted=form.typed if step.field != "done" else
                             ("on" if form.typed else ""),
                             error=errors[0] if errors else "", typed_kept=True,
                             seen_revision=form.cleaned_data.get("revision") if hasattr(form, "cleaned_data")
                             else None, conflict="conflict" in codes))
    context = _detail_context(request, contact_request, walk=shown, phase_problem=problem)
    return render(request, "scenarios/request_detail.html", context, status=400)


@staff_required
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    contact_request = _get_request_for_user(request, pk, own=True)
    if contact_request.is_closed:
        messages.info(request, _("This request is already closed."))
        return redirect("scenarios:detail", pk=pk)
    form = CloseForm(posted(request), contact_request=contact_request)
    blocker = services.close_blocker(contact_request)
    if request.method == "POST" and not blocker and form.is_valid():
        try:
            services.request_close(contact_request=contact_request, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            contact_request.refresh_from_db()
            blocker = services.close_blocker(contact_request)
        else:
            if services.outcome_needs_review(contact_request.outcome):
                messages.success(request, _("The request is closed, and your supervisor has been asked to "
                                          "review how it ended. Its record stays here."))
            else:
                messages.success(request, _("The request is closed. Its record stays here."))
            return redirect("scenarios:detail", pk=pk)
    unfinished = [step for step in presentation.walk_for(contact_request) if not step.done]
    refused = request.method == "POST"
    return render(request, "scenarios/request_close.html",
                  {"req": contact_request, "form": form, "unfinished": unfinished, "blocker": blocker,
                   "typed_note": form.data.get("note", "") if refused else ""},
                  status=400 if refused else 200)


# Beyond this the review page says "more than": counting further reads more of the waiting set for a
# figure nobody acts on (a cap of 10,000 cost 14 ms a page with 23,000 waiting in 300,000 requests).
WAITING_CAP = 1_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_POSITION = re.compile(r"^([01])\.(-?\d{1,18})\.(\d{1,18})$")
WAITS, REST = 0, 1


@dataclass(frozen=True)
class Position:
    """Where a row sits in the review list: those waiting for me (WAITS) first, then the rest (REST),
    each newest first by (received_at, id). Written into the Older and Newer links."""

    part: int
    received_at: dt.datetime
    pk: int

    def __str__(self) -> str:
        return f"{self.part}.{(self.received_at - _EPOCH) // dt.timedelta(microseconds=1)}.{self.pk}"

    @classmethod
    def parse(cls, value: str) -> "Position | None":
        found = _POSITION.match(value or "")
        if not found:
            return None
        try:
            received_at = _EPOCH + dt.timedelta(microseconds=int(found[2]))
        except OverflowError:
            return None
        return cls(int(found[1]), received_at, int(found[3]))

    @classmethod
    def of(cls, row: ContactRequest) -> "Position":
        return cls(WAITS if row.waiting else REST, row.received_at, row.pk)


@dataclass(frozen=True)
class ReviewPage:
    object_list: list[ContactRequest]
    older: Position | None
    newer: Position | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _part_rows(rows: QuerySet, chosen: tuple[str, ...], part: int, upwards: bool, limit: int, *, supervisor: int,
               at: dt.datetime | None = None, at_pk: int | None = None, **values) -> QuerySet:
    """One part of the review list (what waits for me, or the rest), filtered, newest first from the
    top or from a position down, or oldest first from a position up (`upwards`)."""
    rows = narrowed(rows, chosen, supervisor=supervisor, **values).only(*REVIEW_COLUMNS)
    rows = rows.annotate(practitioner_name=F("practitioner__full_name"))
    rows = rows.filter(waiting_q(supervisor)) if part == WAITS else rows.exclude(waiting_q(supervisor))
    # The plain range first, so PostgreSQL seeks the (agency, ..., received_at, id) index to it.
    if at is not None and upwards:
        rows = rows.filter(received_at__gte=at).exclude(received_at=at, pk__lte=at_pk)
    elif at is not None:
        rows = rows.filter(received_at__lte=at).exclude(received_at=at, pk__gte=at_pk)
    return rows.order_by(*(("received_at", "pk") if upwards else ("-received_at", "-pk")))[:limit]


# Prepared (boundaries/prepared.py): each page of the list runs two or three queries whose SQL the ORM
# took longer to build and compile than the database took to answer; now each shape compiles once.
_PART = ScopedQuery(ContactRequest, _part_rows)
_WAITING = ScopedQuery(ContactRequest, lambda rows, cap, *, supervisor: rows.filter(waiting_q(supervisor)).up_to(cap),
                       count=True)


def _review_page(request: HttpRequest, chosen: dict, *, older: Position | None,
                 newer: Position | None) -> ReviewPage:
    """One page of the review list, seeking on (received_at, id) in each part instead of OFFSET and
    COUNT: one query per part the page can reach, each served by an index that leads with the agency.
    Each part is read even when the other fills the page, so the count never depends on the rows;
    the second reads only as many rows as the page still needs."""
    names = tuple(sorted(chosen))
    values = {**{name: value for name, value in chosen.items() if value is not True},
              **({"today": timezone.localdate()} if "overdue" in chosen else {})}
    taken: list[ContactRequest] = []

    def take(part: int, at: Position | None = None, upwards: bool = False) -> None:
        # One row past the page says whether there is more; a part the earlier one already filled is
        # still read, for one row, so the query count stays the same on every page.
        place = {"at": at.received_at, "at_pk": at.pk} if at is not None else {}
        for row in _PART.run(request, names, part, upwards, max(1, PAGE_SIZE + 1 - len(taken)),
                             supervisor=request.user.pk, **place, **values):
            row.waiting = part == WAITS
            taken.append(row)

    if newer is not None:  # back towards the top: the nearest rows above `newer`, read upwards
        take(newer.part, newer, upwards=True)
        if newer.part == REST:
            take(WAITS, upwards=True)
        has_newer, has_older = len(taken) > PAGE_SIZE, True
        shown = taken[:PAGE_SIZE][::-1]
    else:
        if older is None or older.part == WAITS:
            take(WAITS, older)
        take(REST, older if older and older.part == REST else None)
        has_newer, has_older = older is not None, len(taken) > PAGE_SIZE
        shown = taken[:PAGE_SIZE]
    return ReviewPage(shown, Position.of(shown[-1]) if shown and has_older else None,
                      Position.of(shown[0]) if shown and has_newer else None)


@supervisor_required
def review_list(request: HttpRequest) -> HttpResponse:
    # Only a filter binds the form: the Older and Newer links alone leave it closed and unbound.
    filtered = any(name in request.GET for name in FILTERS)
    form = review_filter_form(request, filtered)
    older, newer = Position.parse(request.GET.get("before", "")), Position.parse(request.GET.get("after", ""))
    if form.is_bound and not form.is_valid():
        page = ReviewPage([], None, None)
    else:
        page = _review_page(request, form.chosen() if form.is_bound else {}, older=older, newer=newer)
    query = request.GET.copy()
    for key in ("before", "after", "page"):
        query.pop(key, None)
    waiting, waiting_more = capped(_WAITING.run(request, WAITING_CAP, supervisor=request.user.pk), WAITING_CAP)
    return render(request, "scenarios/review_list.html", {
        "filtered": filtered, "filter_form": form.html(), "page": page, "query": query.urlencode(),
        "rows": review_rows(page.object_list, timezone.localdate()),
        "waiting": waiting, "waiting_more": waiting_more,
    })


@supervisor_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    contact_request = _get_request_for_user(request, pk)
    if contact_request.is_owned_by(request.user):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.request_review(contact_request=contact_request, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Your decision is recorded: {contact_request.get_review_decision_display()}.")
            return redirect("scenarios:review")
    context = _detail_context(request, contact_request, review_form=form)
    return render(request, "scenarios/request_detail.html", context, status=400)
