from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Membership, Role
from boundaries.tenancy import get_scoped_or_404, member_required, posted, role_required, scoped
from scenarios.engine.policy import DEFAULT_POLICY, STARTER_TEMPLATES, Policy
from scenarios.engine.vocabulary import PlatformGroup

from . import presentation, services
from .conversion import version_to_policy
from .forms import CompareForm, DraftEditor, ImportForm, NewDraftForm, PublishForm
from .models import Acknowledgement, PolicyStatus, PolicyVersion

supervisor_required = role_required(Role.SUPERVISOR)
reader_required = role_required(Role.SUPERVISOR, Role.ADMIN)


def _get_version(request: HttpRequest, number: int, **lookup) -> PolicyVersion:
    queryset = PolicyVersion.objects.with_rules().select_related("published_by", "created_by", "updated_by")
    return get_scoped_or_404(request, queryset, number=number, **lookup)


def _policy_context(policy: Policy) -> dict:
    return {
        "policy": policy,
        "groups": [presentation.group_heading(group) for group in PlatformGroup],
        "grid": presentation.decision_grid(policy),
        "overrides": presentation.overrides(policy),
        "lines": presentation.policy_lines(policy),
    }


@reader_required
def policy_list(request: HttpRequest) -> HttpResponse:
    versions = scoped(request, PolicyVersion.objects.select_related("published_by")).annotate(
        acknowledged=Count("acknowledgements", filter=Q(acknowledgements__user__is_active=True)),
    ).order_by("-number")
    page = Paginator(versions, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(version, version.state_on(today)) for version in page.object_list]
    return render(request, "policies/list.html", {
        "page": page, "rows": rows, "has_draft": any(version.is_draft for version in page.object_list),
        "active_staff": scoped(request, Membership).active().count(),
    })


@supervisor_required
def draft_new(request: HttpRequest) -> HttpResponse:
    current = services.current_published(request.agency)
    form = NewDraftForm(posted(request), current_number=current.number if current else None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["start_from"]
        try:
            version = services.policy_start_draft(agency=request.agency, actor=request.user,
                                                  template=None if choice == "current" else choice)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {version.number} is ready to edit. Nothing changes for staff until you publish it.")
            return redirect("policies:edit", number=version.number)
    return render(request, "policies/new.html", {"form": form})


@supervisor_required
def draft_edit(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_version(request, number)
    if not version.is_draft:
        messages.info(request, f"Version {number} is published and can't change. Start a new draft to make changes.")
        return redirect("policies:detail", number=number)
    policy = version_to_policy(version)
    editor = DraftEditor(posted(request), policy=policy, lock_version=version.lock_version)
    conflict = None
    if request.method == "POST" and editor.is_valid():
        try:
            services.policy_save_draft(version=version, actor=request.user, policy=editor.policy,
                                       expected_lock_version=editor.form.cleaned_data["lock_version"])
        except services.DraftConflict as error:
            conflict = str(error)
            data = request.POST.copy()
            data["lock_version"] = str(error.lock_version)
            editor = DraftEditor(data, policy=policy, lock_version=error.lock_version)
        else:
            messages.success(request, f"Version {number} was saved as a draft.")
            return redirect("policies:detail", number=number)
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(request, "policies/edit.html", {
        "version": version, "editor": editor, "form": editor.form, "conflict": conflict,
        "groups": [presentation.group_heading(group) for group in PlatformGroup],
        "compare_source": _source_of(version),
    }, status=status)


@reader_required
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_version(request, number)
    acknowledged = scoped(request, Acknowledgement.objects.select_related("user")).filter(version=version)
    awaiting = (scoped(request, Membership.objects.select_related("user")).active()
                .exclude(user__in=acknowledged.values("user")).order_by("user__full_name"))
    return render(request, "policies/detail.html", {
        **_policy_context(version_to_policy(version)), "version": version,
        "state": version.state_on(timezone.localdate()), "compare_source": _source_of(version),
        "acknowledged": list(acknowledged.order_by("user__full_name")) if not version.is_draft else [],
        "awaiting": list(awaiting) if not version.is_draft else [],
    })


@supervisor_required
def draft_publish(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_version(request, number, status=PolicyStatus.DRAFT)
    current = services.current_published(request.agency)
    earliest = services.earliest_effective_date(request.agency, timezone.localdate())
    form = PublishForm(posted(request), initial={"effective_from": earliest})
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_publish(version=version, actor=request.user,
                                    effective_from=form.cleaned_data["effective_from"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {number} is published. Staff will be asked to acknowledge it.")
            return redirect("policies:detail", number=number)
    before = version_to_policy(current) if current else DEFAULT_POLICY
    return render(request, "policies/publish.html", {
        "version": version, "current": current, "form": form,
        "changes": presentation.policy_diff(before, version_to_policy(version)),
        "active_staff": scoped(request, Membership).active().count(),
    }, status=400 if form.errors else 200)


@supervisor_required
def draft_discard(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_version(request, number, status=PolicyStatus.DRAFT)
    if request.method == "POST":
        services.policy_discard(version=version, actor=request.user)
        messages.success(request, f"Draft version {number} was discarded.")
        return redirect("policies:list")
    return render(request, "policies/discard.html", {"version": version})


@reader_required
def version_export(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_version(request, number)
    document = services.policy_export(version, actor=request.user)
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{request.agency.slug}-policy-v{number}.json"'
    return response


@supervisor_required
def draft_import(request: HttpRequest) -> HttpResponse:
    # The form runs the engine's reader, so a bad document (NUL characters included) never reaches
    # the service: each problem shows under the file field, path first.
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_import(agency=request.agency, document=form.cleaned_data["document"],
                                             actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The document was imported as draft version {version.number}. "
                                      "Check it, then publish it when it is right.")
            return redirect("policies:detail", number=version.number)
    return render(request, "policies/import.html", {"form": form}, status=400 if form.errors else 200)


def _source_of(version: PolicyVersion) -> str:
    """The compare source a draft started from ('' when it was imported)."""
    kind, _, rest = version.based_on.partition(":")
    return {"template": f"template:{rest}", "version": rest, "default": "default"}.get(kind, "")


def _compare_sources(request: HttpRequest) -> list[tuple[str, str]]:
    versions = scoped(request, PolicyVersion).order_by("-number").values_list("number", "title", "status")
    return ([(str(number), f"Version {number} ({PolicyStatus(status).label.lower()}): {title}")
             for number, title, status in versions]
            + [("default", "The conservative default")]
            + [(f"template:{slug}", f"Starter template: {template.name}") for slug, template in STARTER_TEMPLATES.items()])


def _source_policy(request: HttpRequest, source: str) -> Policy:
    if source == "default":
        return DEFAULT_POLICY
    if source.startswith("template:"):
        return STARTER_TEMPLATES[source.removeprefix("template:")].policy
    return version_to_policy(_get_version(request, int(source)))


@reader_required
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None, sources=_compare_sources(request))
    changes = None
    if form.is_valid():
        before, after = (_source_policy(request, form.cleaned_data[key]) for key in ("a", "b"))
        changes = presentation.policy_diff(before, after)
    labels = dict(form.fields["a"].choices)
    return render(request, "policies/compare.html", {
        "form": form, "changes": changes,
        "before_label": labels.get(form.data.get("a")), "after_label": labels.get(form.data.get("b")),
    })


@member_required
def policy_read(request: HttpRequest, number: int | None = None) -> HttpResponse:
    if number is None:
        version, policy = services.policy_in_force(request.agency, timezone.localdate())
    else:
        version = _get_version(request, number, status__in=[PolicyStatus.PUBLISHED, PolicyStatus.SUPERSEDED])
        policy = version_to_policy(version)
    return render(request, "policies/read.html", {
        **_policy_context(policy), "version": version, "awaiting": services.awaiting_acknowledgement(request.membership),
        "state": version.state_on(timezone.localdate()) if version else "default",
    })


@member_required
@require_POST
def acknowledge(request: HttpRequest, number: int) -> HttpResponse:
    version = get_scoped_or_404(request, PolicyVersion, number=number, status=PolicyStatus.PUBLISHED)
    services.policy_acknowledge(version=version, user=request.user)
    messages.success(request, f"Thank you. We recorded that you read and accept version {number}.")
    return redirect("policies:read")


@member_required
def statement(request: HttpRequest) -> HttpResponse:
    version, policy = services.policy_in_force(request.agency, timezone.localdate())
    return render(request, "policies/statement.html", {
        "version": version, "policy": policy, "channels": presentation.client_channels(policy),
        "days": presentation.describe_days(policy.working_hours.days),
        "replies": presentation.reply_promise(policy),
    })
