from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Membership, Role
from boundaries.dates import show_day
from boundaries.one_time import one_time_form
from boundaries.tenancy import get_scoped_or_404, member_required, posted, role_required, scoped
from policies.document.errors import PolicyDocumentError
from policies.document import DEFAULT_POLICY, STARTER_TEMPLATES, Policy
from policies.document.vocabulary import PlatformGroup

from . import presentation, services
from . import statement as client_statement
from .forms import (CompareForm, DraftEditor, ImportForm, NewDraftForm, PublishForm, StatementReceiptForm,
                    StatementSettingsForm, read_reviewed, sign_reviewed)
from .models import ACKNOWLEDGEABLE, Acknowledgement, PolicyStatus, PolicyVersion

supervisor_required = role_required(Role.SUPERVISOR)
reader_required = role_required(Role.SUPERVISOR, Role.ADMIN)


def _versions(request: HttpRequest):
    """The agency's versions with their people, each annotated for `state_on` today."""
    return scoped(request, PolicyVersion.objects.select_related("published_by", "created_by", "updated_by")
                  .with_in_force_on(timezone.localdate()))


def _get_version(request: HttpRequest, number: int, **lookup) -> PolicyVersion:
    return get_scoped_or_404(request, _versions(request), number=number, **lookup)


def _state(version: PolicyVersion) -> str:
    return version.state_on(timezone.localdate(), version.in_force_pk)


def _policy_context(policy: Policy) -> dict:
    return {
        "policy": policy,
        "groups": [presentation.group_heading(group) for group in PlatformGroup],
        "grid": presentation.decision_grid(policy),
        "overrides": presentation.overrides(policy),
        "lines": presentation.policy_lines(policy),
        "conduct": presentation.staff_conduct(policy),
    }


@reader_required
def policy_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    versions = scoped(request, PolicyVersion.objects.select_related("published_by").with_in_force_on(today)).annotate(
        acknowledged=Count("acknowledgements", filter=Q(acknowledgements__user__memberships__agency=request.agency,
                                                        acknowledgements__user__memberships__is_active=True)),
    ).order_by("-number")
    page = Paginator(versions, 25).get_page(request.GET.get("page"))
    rows = [(version, version.state_on(today, version.in_force_pk)) for version in page.object_list]
    return render(request, "policies/list.html", {
        "page": page, "rows": rows, "has_draft": any(version.is_draft for version in page.object_list),
        "active_staff": scoped(request, Membership).active().count(),
    })


@supervisor_required
@one_time_form
def draft_new(request: HttpRequest) -> HttpResponse:
    current = services.current_published(request.agency)
    form = NewDraftForm(posted(request), current_number=current.number if current else None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["start_from"]
        try:
            version = services.policy_start_draft(agency=request.agency, actor=request.user,
                                                  template=None if choice == "current" else choice)
        except services.DraftExists as error:
            return render(request, "policies/new.html", {"form": form, "draft_exists": error}, status=409)
        else:
            messages.success(request, _("Version %(number)s is ready to edit. Nothing changes for staff until you "
                                        "publish it.")
                             % {"number": version.number})
            return redirect("policies:edit", number=version.number)
    return render(request, "policies/new.html", {"form": form})


@supervisor_required
def draft_edit(request: HttpRequest, number: int) -> HttpResponse:
    version = _versions(request).filter(number=number).first()
    if request.method == "POST" and _closed(request, version, number):
        # Published or discarded after the page was opened: keep what was typed, say what happened.
        return _closed_edit(request, number, services.DraftClosed(number=number, published=version is not None))
    if version is None:
        raise Http404
    if not version.is_draft:
        messages.info(request, _("Version %(number)s is published and can't change. Start a new draft to make changes.")
                      % {"number": number})
        return redirect("policies:detail", number=number)
    policy = version.policy
    editor = DraftEditor(posted(request), policy=policy, lock_version=version.lock_version, draft_id=version.pk)
    conflict = None
    if request.method == "POST" and editor.is_valid():
        if editor.form.cleaned_data["draft_id"] not in (None, version.pk):
            # The draft opened was discarded and a new one took its number.
            return _closed_edit(request, number, services.DraftClosed(number=number, published=False))
        try:
            services.policy_save_draft(version=version, actor=request.user, policy=editor.policy,
                                       expected_lock_version=editor.form.cleaned_data["lock_version"])
        except services.DraftConflict as error:
            conflict = str(error)
            data = request.POST.copy()
            data["lock_version"] = str(error.lock_version)
            editor = DraftEditor(data, policy=policy, lock_version=error.lock_version, draft_id=version.pk)
        except services.DraftClosed as error:
            return _closed_edit(request, number, error)
        else:
            messages.success(request, _("Version %(number)s was saved as a draft.") % {"number": number})
            return redirect("policies:detail", number=number)
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(request, "policies/edit.html", {
        "number": number, "version": version, "editor": editor, "form": editor.form, "conflict": conflict,
        "groups": [presentation.group_heading(group) for group in PlatformGroup],
        "compare_source": _source_of(version),
    }, status=status)


def _open_draft(request: HttpRequest, number: int) -> PolicyVersion | HttpResponse:
    """The draft, or, when it was published or discarded meanwhile, a redirect that says so."""
    version = _versions(request).filter(number=number).first()
    if version is not None and version.is_draft:
        return version
    if version is not None:
        messages.info(request, _("Version %(number)s is already published. A published version can't be changed, "
                                 "published again or discarded.") % {"number": number})
        return redirect("policies:detail", number=number)
    if services.was_discarded(request.agency, number):
        messages.info(request, _("Draft version %(number)s was discarded, so there is nothing left to publish "
                                 "or discard.")
                      % {"number": number})
        return redirect("policies:list")
    raise Http404


def _closed(request: HttpRequest, version: PolicyVersion | None, number: int) -> bool:
    if version is None:
        return services.was_discarded(request.agency, number)
    return not version.is_draft


def _closed_edit(request: HttpRequest, number: int, error: services.DraftClosed) -> HttpResponse:
    """The edit page with what was typed, for a draft that can no longer be saved."""
    editor = DraftEditor(request.POST)
    return render(request, "policies/edit.html", {
        "number": number, "version": None, "editor": editor, "form": editor.form, "closed": error,
        "groups": [presentation.group_heading(group) for group in PlatformGroup],
    }, status=409)


@reader_required
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    version = _get_version(request, number)
    acknowledged = scoped(request, Acknowledgement.objects.select_related("user")).filter(version=version)
    awaiting = (scoped(request, Membership.objects.select_related("user")).active()
                .exclude(user__in=acknowledged.values("user")).order_by("user__full_name"))
    state = _state(version)
    return render(request, "policies/detail.html", {
        **_policy_context(version.policy), "version": version,
        "state": state, "compare_source": _source_of(version),
        "acknowledged": list(acknowledged.order_by("user__full_name")) if not version.is_draft else [],
        # Only the version in force and a scheduled one are still to be acknowledged.
        "awaiting": list(awaiting) if state in ACKNOWLEDGEABLE else [],
        "asks_acknowledgement": state in ACKNOWLEDGEABLE,
    })


@supervisor_required
def draft_publish(request: HttpRequest, number: int) -> HttpResponse:
    version = _open_draft(request, number)
    if isinstance(version, HttpResponse):
        return version
    earliest = services.earliest_effective_date(request.agency, timezone.localdate())
    form = PublishForm(posted(request), initial=PublishForm.initial_for(
        policy=version.policy, lock_version=version.lock_version, effective_from=earliest))
    outdated = None
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_publish(version=version, actor=request.user,
                                    effective_from=form.cleaned_data["effective_from"],
                                    expected_lock_version=form.cleaned_data["lock_version"])
        except services.ReviewOutdated as error:
            outdated = error
        except services.DraftClosed as error:
            messages.error(request, str(error))
            return redirect("policies:detail", number=number) if error.published else redirect("policies:list")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version %(number)s is published. Staff will be asked to acknowledge it.")
                             % {"number": number})
            return redirect("policies:detail", number=number)
    if outdated is not None:
        return _outdated_publish(request, number, form, outdated)
    return _publish_page(request, version, form, status=400 if form.errors else 200)


def _outdated_publish(request: HttpRequest, number: int, form: PublishForm,
                      error: services.ReviewOutdated) -> HttpResponse:
    """The draft was saved after it was reviewed: show what changed since, and ask for a new review."""
    version = _versions(request).filter(number=number, status=PolicyStatus.DRAFT).first()
    if version is None:
        messages.error(request, _("Version %(number)s is no longer a draft, so there is nothing left to publish.")
                       % {"number": number})
        return redirect("policies:list")
    now = version.policy
    reviewed = read_reviewed(form.cleaned_data["reviewed"])
    data = request.POST.copy()  # keeps the typed date; the page now stands for the latest saved draft
    data["lock_version"], data["reviewed"] = str(version.lock_version), sign_reviewed(now)
    return _publish_page(request, version, PublishForm(data), status=409, outdated=str(error),
                         since_review=presentation.policy_diff(reviewed, now) if reviewed else None)


def _publish_page(request: HttpRequest, version: PolicyVersion, form: PublishForm, *, status: int,
                  outdated: str | None = None, since_review: list | None = None) -> HttpResponse:
    current = services.current_published(request.agency)
    before = current.policy if current else DEFAULT_POLICY
    return render(request, "policies/publish.html", {
        "version": version, "current": current, "form": form, "outdated": outdated, "since_review": since_review,
        "changes": presentation.policy_diff(before, version.policy),
        "active_staff": scoped(request, Membership).active().count(),
    }, status=status)


@supervisor_required
def draft_discard(request: HttpRequest, number: int) -> HttpResponse:
    version = _open_draft(request, number)
    if isinstance(version, HttpResponse):
        return version
    if request.method == "POST":
        try:
            services.policy_discard(version=version, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Draft version %(number)s was discarded.") % {"number": number})
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
@one_time_form
def draft_import(request: HttpRequest) -> HttpResponse:
    # The form runs the engine's reader, so a bad document (NUL characters included) never reaches
    # the service: each problem shows under the file field, path first.
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_import(agency=request.agency, document=form.cleaned_data["document"],
                                             actor=request.user)
        except services.DraftExists as error:
            return render(request, "policies/import.html", {"form": form, "draft_exists": error}, status=409)
        except PolicyDocumentError as error:
            form.add_error("document", [f"{path}: {message}" for path, message in error.errors])
        else:
            messages.success(request, _("The document was imported as draft version %(number)s. "
                                        "Check it, then publish it when it is right.") % {"number": version.number})
            return redirect("policies:detail", number=version.number)
    return render(request, "policies/import.html", {"form": form}, status=400 if form.errors else 200)


def _source_of(version: PolicyVersion) -> str:
    """The compare source a draft started from ('' when it was imported)."""
    kind, _, rest = version.based_on.partition(":")
    return {"template": f"template:{rest}", "version": rest, "default": "default"}.get(kind, "")


def _compare_sources(request: HttpRequest) -> list[tuple[str, str]]:
    today = timezone.localdate()
    versions = scoped(request, PolicyVersion.objects.with_in_force_on(today)).order_by("-number")
    return ([(str(version.number), _("Version %(number)s (%(state)s): %(title)s") % {
                "number": version.number, "state": version.state_on(today, version.in_force_pk), "title": version.title})
             for version in versions.only("pk", "number", "document", "status", "effective_from")]
            + [("default", _("The conservative default"))]
            + [(f"template:{slug}", _("Starter template: %(name)s") % {"name": template.name})
               for slug, template in STARTER_TEMPLATES.items()])


def _source_policy(request: HttpRequest, source: str) -> Policy:
    if source == "default":
        return DEFAULT_POLICY
    if source.startswith("template:"):
        return STARTER_TEMPLATES[source.removeprefix("template:")].policy
    return _get_version(request, int(source)).policy


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
        state = "in force" if version else "default"
    else:
        version = _get_version(request, number, status=PolicyStatus.PUBLISHED)
        policy, state = version.policy, _state(version)
    return render(request, "policies/read.html", {
        **_policy_context(policy), "version": version, "state": state,
        "awaiting": services.awaiting_acknowledgements(request.membership),
    })


@member_required
@require_POST
def acknowledge(request: HttpRequest, number: int) -> HttpResponse:
    version = get_scoped_or_404(request, PolicyVersion, number=number, status=PolicyStatus.PUBLISHED)
    try:
        services.policy_acknowledge(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. We recorded that you read and accept version %(number)s.")
                         % {"number": number})
    return redirect("policies:read")


def _statement_page(request: HttpRequest, form: StatementReceiptForm | None = None, status: int = 200) -> HttpResponse:
    language = request.GET.get("lang", "en")
    language = language if language in client_statement.LANGUAGES else "en"
    today = timezone.localdate()
    version, policy = services.policy_in_force(request.agency, today)
    agency_settings = services.statement_settings_for(request.agency)
    large = request.GET.get("size") == "large"
    records = request.membership.role in (Role.PRACTITIONER, Role.SUPERVISOR)
    staff = {
        "form": (form or StatementReceiptForm(today=today, initial={"language": language, "received_on": today})
                 if records else None),
        "to_update": services.clients_to_update(request.membership, today) if records else [],
        "per_version": (services.receipts_per_version(request.agency)
                        if request.membership.role in (Role.SUPERVISOR, Role.ADMIN) else None),
        "may_configure": request.membership.role in (Role.SUPERVISOR, Role.ADMIN),
    }
    # The statement speaks the family's language; the menus and the staff side stay in the interface's
    # (the template switches with {% language %} around the statement's own parts).
    with translation.override(language):
        effective = show_day(version.effective_from) if version else ""
        sections = client_statement.statement_sections(
            policy, version_number=version.number if version else None, effective=effective,
            **services.statement_additions(agency_settings, language))
    interface = translation.get_language() or "en"
    chrome_lang = interface.split("-")[0]
    response = render(request, "policies/statement.html", {
        "version": version, "sections": sections, "language": language, "large": large,
        "languages": client_statement.LANGUAGES,
        "chrome_lang": chrome_lang if chrome_lang != language else "", **staff,
    }, status=status)
    response["Cache-Control"] = "no-store"
    return response


@member_required
def statement(request: HttpRequest) -> HttpResponse:
    """The client statement in the language asked for (?lang=es), English by default, and the record of who got it."""
    return _statement_page(request)


@role_required(Role.PRACTITIONER, Role.SUPERVISOR)
@require_POST
@one_time_form
def statement_receipt(request: HttpRequest) -> HttpResponse:
    form = StatementReceiptForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _statement_page(request, form, status=400)
    receipt, created = services.statement_receipt_record(
        membership=request.membership, client_reference=form.cleaned_data["client_reference"],
        language=form.cleaned_data["language"], received_on=form.cleaned_data["received_on"])
    if not created:
        messages.success(request, _("This was already recorded."))
    elif receipt.version:
        messages.success(request, _("Recorded: %(client)s went through version %(number)s of the statement.") % {
            "client": receipt.client_reference, "number": receipt.version.number})
    else:
        messages.success(request, _("Recorded: %(client)s went through the default statement.") % {
            "client": receipt.client_reference})
    return redirect("policies:statement")


@reader_required
def statement_settings(request: HttpRequest) -> HttpResponse:
    """Supervisors and admins set the crisis numbers and the agency's own paragraph the statement shows."""
    current = services.statement_settings_for(request.agency)
    form = StatementSettingsForm(posted(request), initial={
        name: getattr(current, name) for name in services.STATEMENT_SETTINGS_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            _row, changed = services.statement_settings_save(agency=request.agency, actor=request.user,
                                                          **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. The client statement shows these numbers and words from now on.")
                             if changed else _("Nothing had changed, so nothing was saved."))
            return redirect("policies:statement_settings")
    response = render(request, "policies/statement_settings.html", {"form": form, "settings_row": current},
                      status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response
