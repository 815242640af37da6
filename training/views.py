from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import Membership, Role
from boundaries.one_time import one_time_form
from boundaries.tenancy import get_scoped_or_404, member_required, posted, role_required, scoped

from . import services
from .forms import AnswerForm, TrainingScenarioForm
from .models import TrainingAnswer, TrainingScenario

supervisor_required = role_required(Role.SUPERVISOR)
PAGE_SIZE = 25
TRAINED_ROLES = (Role.PRACTITIONER, Role.SUPERVISOR)


def _private(response: HttpResponse) -> HttpResponse:
    # Staff members' answers: kept out of every cache on the way (never_cache adds the rest).
    response["Cache-Control"] = "no-store, private"
    return response


@member_required
def training_list(request: HttpRequest) -> HttpResponse:
    current = services.training_set(request.agency, timezone.localdate())
    latest = services.latest_answers(request.agency, [request.user.pk])[request.user.pk]
    rows = [(scenario, current.standing(latest.get(scenario.key), scenario.key), latest.get(scenario.key))
            for scenario in current.scenarios]
    waiting = sum(standing != services.Standing.DONE for _, standing, _ in rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/list.html", {
        "page": page, "current": current, "waiting": waiting, "total": len(rows),
        "is_supervisor": request.membership.role == Role.SUPERVISOR,
    })


@member_required
@one_time_form
def training_scenario(request: HttpRequest, key: str) -> HttpResponse:
    scenario = services.find_scenario(request.agency, key)
    current = services.training_set(request.agency, timezone.localdate())
    judgement = current.judgements[key]
    latest = services.latest_answers(request.agency, [request.user.pk])[request.user.pk].get(key)
    standing = current.standing(latest, key)
    form = AnswerForm(posted(request), choices=judgement.choices, question=scenario.question)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_give(agency=request.agency, user=request.user, key=key,
                                 answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(reverse("training:scenario", args=[key]) + "#feedback")
    asking = request.method == "POST" or standing is not services.Standing.DONE or "again" in request.GET
    feedback = None
    if latest is not None and not asking:
        feedback = services.judgement_for(latest, scenario)
    return render(request, "training/scenario.html", {
        "scenario": scenario, "form": form, "asking": asking, "standing": standing, "latest": latest,
        "feedback": feedback, "current": current,
        "answer_label": feedback.label_of(latest.answer) if feedback else "",
    }, status=400 if form.errors else 200)


@supervisor_required
def training_team(request: HttpRequest) -> HttpResponse:
    members = (scoped(request, Membership).active().filter(role__in=TRAINED_ROLES)
               .select_related("user").order_by("user__full_name", "pk"))
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    current = services.training_set(request.agency, timezone.localdate())
    latest = services.latest_answers(request.agency, [member.user_id for member in page])
    progress = [services.progress_of(current, member, latest[member.user_id]) for member in page]
    return _private(render(request, "training/team.html", {"page": page, "progress": progress,
                                                           "current": current}))


@supervisor_required
@never_cache
def training_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_scoped_or_404(request, Membership.objects.select_related("user"), pk=pk, role__in=TRAINED_ROLES)
    current = services.training_set(request.agency, timezone.localdate())
    latest = services.latest_answers(request.agency, [member.user_id])[member.user_id]
    by_key = {scenario.key: scenario for scenario in current.scenarios}
    rows = []
    for scenario in current.scenarios:
        answer = latest.get(scenario.key)
        said = services.judgement_for(answer, scenario) if answer is not None else None
        label = said.label_of(answer.answer) if said is not None else ""
        rows.append((scenario, answer, current.standing(answer, scenario.key), said, label))
    retired = [answer for key, answer in latest.items() if key not in by_key]
    return _private(render(request, "training/member.html", {
        "member": member, "rows": rows, "current": current, "retired_answers": len(retired),
        "progress": services.progress_of(current, member, latest),
    }))


@supervisor_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    rows = scoped(request, TrainingScenario).order_by("retired_at", "-created_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/scenario_list.html", {"page": page})


def _scenario_form_page(request: HttpRequest, form: TrainingScenarioForm, row: TrainingScenario | None
                        ) -> HttpResponse:
    return render(request, "training/scenario_form.html", {"form": form, "row": row},
                  status=400 if form.errors else 200)


@supervisor_required
@one_time_form
def scenario_new(request: HttpRequest) -> HttpResponse:
    form = TrainingScenarioForm(posted(request))
    if request.method == "POST" and form.is_valid():
        row = services.scenario_save(agency=request.agency, actor=request.user, scenario=form.instance)
        messages.success(request, _("Saved. Staff see it in their training set from now on."))
        return redirect("training:scenario", key=row.key)
    return _scenario_form_page(request, form, None)


@supervisor_required
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(request, TrainingScenario.objects.in_use(), pk=pk)
    form = TrainingScenarioForm(posted(request), instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_save(agency=request.agency, actor=request.user, scenario=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. Anyone whose answer the change affects is asked again."))
            return redirect("training:scenarios")
    return _scenario_form_page(request, form, row)


@supervisor_required
def scenario_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """A page that says what retiring does and who has answered; its button retires (a POST)."""
    row = get_scoped_or_404(request, TrainingScenario, pk=pk)
    if request.method == "POST":
        services.scenario_retire(agency=request.agency, actor=request.user, pk=row.pk)
        messages.success(request, _("\u201c%(title)s\u201d is retired: staff no longer see it. Its answers are kept.")
                         % {"title": row.title})
        return redirect("training:scenarios")
    if row.retired_at is not None:
        messages.info(request, _("\u201c%(title)s\u201d is already retired.") % {"title": row.title})
        return redirect("training:scenarios")
    answered = scoped(request, TrainingAnswer).filter(scenario=row).values("user").distinct().count()
    return render(request, "training/scenario_retire.html", {"row": row, "answered": answered})


