from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from boundaries.one_time import one_time_form
from boundaries.tenancy import get_scoped_or_404, posted, role_required, scoped

from . import presentation, services
from .filters import ReviewFilter
from .forms import CheckForm, ChooseOptionForm, CloseForm, RequestLogForm, ReviewForm, StepForm
from .models import ContactRequest, RequestStatus

staff_required = role_required(Role.PRACTITIONER, Role.SUPERVISOR)
supervisor_required = role_required(Role.SUPERVISOR)
PAGE_SIZE = 25
# The list columns: the stored guidance is only read where it is shown.
LIST_DEFER = ("guidance", "context", "deviation_reason", "review_note", "outcome_note")
SHOWS = {
    "open": ("Open", "Logged and not yet finished.", ContactRequest.objects.open),
    "conversation": ("Awaiting the conversation", "Waiting for you to talk with the person.",
                     ContactRequest.objects.awaiting_conversation),
    "closed": ("Closed", "Finished, with an outcome.", ContactRequest.objects.closed),
}


def _get_request_for_user(request: HttpRequest, pk: int, *, own: bool = False) -> ContactRequest:
    """A request the signed-in user may see: their own, or (for a supervisor) any of the agency's.

    `own=True` is for changes, which only the practitioner who logged it can make.
    """
    queryset = ContactRequest.objects.select_related("practitioner", "reviewed_by", "policy_version", "agency")
    if own or request.membership.role != Role.SUPERVISOR:
        queryset = queryset.filter(practitioner=request.user)
    return get_scoped_or_404(request, queryset, pk=pk)


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    if show not in SHOWS:
        show = "open"
    title, description, select = SHOWS[show]
    mine = scoped(request, ContactRequest).for_practitioner(request.user)
    rows = scoped(request, select()).for_practitioner(request.user).select_related("policy_version")
    page = Paginator(rows.defer(*LIST_DEFER), PAGE_SIZE).get_page(request.GET.get("page"))
    follow_ups = (mine.not_closed().filter(follow_up_on__isnull=False).defer(*LIST_DEFER)
                  .order_by("follow_up_on", "pk")[:10])
    return render(request, "scenarios/request_list.html", {
        "page": page, "show": show, "shows": SHOWS, "title": title, "description": description,
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
            messages.success(request, "Logged. Here is what your policy and the professional codes say.")
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
            messages.success(request, "Checked. Here is what your policy and the professional codes say.")
            return redirect("scenarios:detail", pk=contact_request.pk)
    return render(request, "scenarios/request_before.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request: HttpRequest, contact_request: ContactRequest, **extra) -> dict:
    records = {step.step_key: step for step in contact_request.steps.all()}
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
        "review_form": extra.pop("review_form", None) or ReviewForm(),
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
                messages.info(request, "This option needs your supervisor's approval. We've asked them; "
                                       "you'll see their decision here.")
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
        messages.info(request, "This request is already closed.")
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
                messages.success(request, "The request is closed, and your supervisor has been asked to "
                                          "review how it ended. Its record stays here.")
            else:
                messages.success(request, "The request is closed. Its record stays here.")
            return redirect("scenarios:detail", pk=pk)
    unfinished = [step for step in presentation.walk_for(contact_request) if not step.done]
    refused = request.method == "POST"
    return render(request, "scenarios/request_close.html",
                  {"req": contact_request, "form": form, "unfinished": unfinished, "blocker": blocker,
                   "typed_note": form.data.get("note", "") if refused else ""},
                  status=400 if refused else 200)


def _waits_for(supervisor) -> Case:
    """1 where the request waits for this supervisor's decision, so those rows come first.

    A supervisor never decides their own requests, so those don't wait for them.
    """
    waits = (Q(needs_review=True) | Q(status=RequestStatus.AWAITING_APPROVAL)) & ~Q(practitioner=supervisor)
    return Case(When(waits, then=Value(1)), default=Value(0), output_field=IntegerField())


@supervisor_required
def review_list(request: HttpRequest) -> HttpResponse:
    base = scoped(request, ContactRequest).select_related("practitioner").defer(*LIST_DEFER)
    filterset = ReviewFilter(request.GET or None, queryset=base, request=request)
    if not filterset.is_bound:
        rows = base
    else:
        rows = filterset.qs if filterset.is_valid() else base.none()
    rows = rows.annotate(waiting=_waits_for(request.user)).order_by("-waiting", "-received_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    waiting = scoped(request, ContactRequest).needing_review().exclude(practitioner=request.user).count()
    return render(request, "scenarios/review_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(), "waiting": waiting,
        "today": timezone.localdate(),
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
