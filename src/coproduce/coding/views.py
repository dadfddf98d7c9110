"""Analysis pages for the team: codebook, coding, agreement, themes, findings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.coding import codebook, services
from coproduce.coding.models import Code, Coding, Finding, Recommendation, Theme, ThemeStatus
from coproduce.core.errors import CoproduceError, InvalidInput
from coproduce.core.evidence import ConsentLevel, Strand
from coproduce.site.requests import TeamRequest, posted_id, team_study
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.uploads import upload

CODE_FIELDS = ("description", "colour", "inclusion", "exclusion")


def _ids(request: TeamRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


def _code(study: Study, value: str) -> Code | None:
    if not value:
        return None
    return get_object_or_404(Code, study=study, pk=int(value) if value.isdigit() else 0)


@login_required
@require_http_methods(["GET", "POST"])
def codebook_page(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                fields = {f: request.POST.get(f, "") for f in CODE_FIELDS}
                code = codebook.add_code(
                    study,
                    request.user,
                    request.POST.get("name", ""),
                    _code(study, request.POST.get("parent", "")),
                    **fields,
                )
                messages.success(request, _("Code '%(c)s' added.") % {"c": code.path()})
            elif action == "delete":
                chosen = _code(study, request.POST.get("code", ""))
                if chosen is not None:
                    codebook.delete_code(chosen, request.user)
                    messages.success(request, _("Code deleted."))
            elif action == "import":
                _import(request, study)
        except CoproduceError as error:
            messages.error(request, str(error))
        return redirect("codebook", slug)
    context = {
        "study": study,
        "tree": codebook.tree(study),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/codebook.html", context)


def _import(request: TeamRequest, study: Study) -> None:
    file = upload(request.FILES.get("file"))
    if file is None:
        raise InvalidInput(_("Choose a .csv, .qdc or .qdpx file to import."))
    name = file.name.lower()
    if name.endswith(".csv"):
        n = codebook.import_csv(study, request.user, file.data, source=file.name)
        messages.success(request, _("%(n)d codes added from %(f)s.") % {"n": n, "f": file.name})
    elif name.endswith(".qdc"):
        n = codebook.import_qdc(study, request.user, file.data, source=file.name)
        messages.success(request, _("%(n)d codes added from %(f)s.") % {"n": n, "f": file.name})
    elif name.endswith(".qdpx"):
        codes, texts, codings = services.import_qdpx(
            study, request.user, file.data, source=file.name
        )
        messages.success(
            request,
            _("Imported %(t)d texts with %(c)d codings (%(k)d codes) from %(f)s.")
            % {"t": texts, "c": codings, "k": codes, "f": file.name},
        )
    else:
        raise InvalidInput(
            _("%(f)s is not a codebook or project: choose a .csv, .qdc or .qdpx file.")
            % {"f": file.name}
        )


def _download(content: bytes | str, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def codebook_csv(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug)
    return _download(codebook.export_csv(study), f"{slug}-codebook.csv", "text/csv; charset=utf-8")


@login_required
@require_GET
def codebook_qdc(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug)
    return _download(codebook.export_qdc(study), f"{slug}-codebook.qdc", "application/xml")


@login_required
@require_GET
def project_qdpx(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, Permission.EXPORT_STUDY)
    data = services.export_qdpx(study, request.user)
    return _download(data, f"{slug}.qdpx", "application/zip")


@login_required
@require_GET
def coding_queue(request: TeamRequest, slug: str) -> HttpResponse:
    """The evidence to code, strand by strand, with how many codings each item has."""
    study = team_study(request, slug)
    strand = request.GET.get("strand", "")
    records = list(services.evidence_by_id(study).values())
    strands = sorted({r.strand for r in records}, key=list(Strand).index)
    if strand in strands:
        records = [r for r in records if r.strand == strand]
    counts: dict[str, int] = {}
    for evidence_id in Coding.objects.filter(study=study).values_list("evidence_id", flat=True):
        counts[evidence_id] = counts.get(evidence_id, 0) + 1
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    rows = [(r, counts.get(r.evidence_id, 0)) for r in page]
    context = {"study": study, "page": page, "rows": rows, "strands": strands, "strand": strand}
    return render(request, "coding/queue.html", context)


def _neighbours(ids: list[str], current: str) -> tuple[str | None, str | None]:
    i = ids.index(current)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


@login_required
@require_http_methods(["GET", "POST"])
def coding_item(request: TeamRequest, slug: str, evidence_id: str) -> HttpResponse:
    """Code one item: select words, press a code's number (or fill in the form)."""
    study = team_study(request, slug)
    records = services.evidence_by_id(study)
    record = records.get(evidence_id)
    if record is None:
        raise Http404(_("No such evidence."))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                coding = get_object_or_404(
                    Coding, study=study, evidence_id=evidence_id, pk=posted_id(request, "coding")
                )
                services.remove_coding(coding, request.user)
                messages.success(request, _("Coding removed."))
            else:
                code = _code(study, request.POST.get("code", ""))
                if code is None:
                    raise InvalidInput(_("Choose a code."))
                start, end = request.POST.get("start", ""), request.POST.get("end", "")
                offsets = (
                    {"start": int(start), "end": int(end)}
                    if start.isdigit() and end.isdigit()
                    else {"passage": request.POST.get("passage", "")}
                )
                services.code_passage(study, request.user, code, evidence_id, **offsets)
                messages.success(request, _("Coded with '%(c)s'.") % {"c": code.path()})
        except CoproduceError as error:
            messages.error(request, str(error))
        return redirect("coding-item", slug, evidence_id)
    previous, following = _neighbours(list(records), evidence_id)
    codings = Coding.objects.filter(study=study, evidence_id=evidence_id).select_related(
        "code", "coder"
    )
    context = {
        "study": study,
        "record": record,
        "codes": codebook.tree(study),
        "codings": [(c, services.coder_of(c)) for c in codings],
        "mine": {c.pk for c in codings if c.coder_id == request.user.pk},
        "previous": previous,
        "next": following,
    }
    return render(request, "coding/item.html", context)


@login_required
@require_GET
def agreement_page(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug)
    unit = request.GET.get("unit", "item")
    if unit not in ("item", "segment"):
        unit = "item"
    report = services.agreement(study, unit, request.GET.getlist("coder"))
    return render(request, "coding/agreement.html", {"study": study, "report": report})


@login_required
@require_http_methods(["GET", "POST"])
def themes_page(request: TeamRequest, slug: str) -> HttpResponse:
    """Suggest themes, then review them: rename, merge, accept (as codes) or set aside."""
    study = team_study(request, slug)
    if request.method == "POST":
        try:
            _theme_action(request, study)
        except CoproduceError as error:
            messages.error(request, str(error))
        return redirect("themes", slug)
    themes = Theme.objects.filter(study=study).prefetch_related("items")
    context = {
        "study": study,
        "suggested": [t for t in themes if t.status == ThemeStatus.SUGGESTED],
        "accepted": [t for t in themes if t.status == ThemeStatus.ACCEPTED],
        "set_aside": [t for t in themes if t.status == ThemeStatus.SET_ASIDE],
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/themes.html", context)


def _theme_action(request: TeamRequest, study: Study) -> None:
    action = request.POST.get("action", "")
    if action == "suggest":
        k = request.POST.get("k", "")
        made = services.suggest(
            study,
            request.user,
            backend=request.POST.get("backend", "default"),
            k=int(k) if k.isdigit() else None,
        )
        messages.success(
            request, _("%(n)d themes suggested; review them below.") % {"n": len(made)}
        )
        return
    if action == "add":
        services.add_theme(study, request.user, request.POST.get("label", ""))
        messages.success(request, _("Theme added."))
        return
    chosen = list(Theme.objects.filter(study=study, pk__in=_ids(request, "theme")))
    if not chosen:
        raise InvalidInput(_("Choose a theme first."))
    if action == "merge":
        services.merge(chosen, request.user, request.POST.get("label", ""))
        messages.success(request, _("Themes merged."))
    elif action in ("accept", "accept_code"):
        for theme in chosen:
            services.accept(theme, request.user, as_code=action == "accept_code")
        messages.success(request, _("Accepted."))
    elif action == "set_aside":
        for theme in chosen:
            services.set_aside(theme, request.user)
        messages.success(request, _("Set aside."))


@login_required
@require_http_methods(["GET", "POST"])
def theme_page(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """One theme: rename it, choose quotes, split items off."""
    study = team_study(request, slug)
    theme = get_object_or_404(Theme, study=study, pk=number)
    if request.method == "POST":
        try:
            action = request.POST.get("action", "")
            if action == "rename":
                services.rename(
                    theme,
                    request.user,
                    request.POST.get("label", ""),
                    request.POST.get("description", ""),
                )
                messages.success(request, _("Saved."))
            elif action == "split":
                new = services.split(
                    theme, request.user, request.POST.getlist("item"), request.POST.get("label", "")
                )
                messages.success(request, _("Split off as '%(t)s'.") % {"t": new.label})
            elif action == "quote":
                services.mark_quote(
                    theme, request.user, request.POST.get("item", ""), request.POST.get("words", "")
                )
                messages.success(request, _("Quote chosen."))
        except CoproduceError as error:
            messages.error(request, str(error))
        return redirect("theme", slug, number)
    records = services.evidence_by_id(study)
    items = [(i, records.get(i.evidence_id)) for i in theme.items.all()]
    context = {
        "study": study,
        "theme": theme,
        "items": items,
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/theme.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def findings_page(request: TeamRequest, slug: str) -> HttpResponse:
    """The triangulation matrix, the headline findings and the recommendations."""
    study = team_study(request, slug)
    if request.method == "POST":
        try:
            _findings_action(request, study)
        except CoproduceError as error:
            messages.error(request, str(error))
        return redirect("findings", slug)
    strands, rows = services.triangulation(study)
    findings = [
        (f, services.finding_evidence(f))
        for f in Finding.objects.filter(study=study).prefetch_related("themes")
    ]
    context = {
        "study": study,
        "strands": strands,
        "rows": rows,
        "findings": findings,
        "recommendations": Recommendation.objects.filter(study=study).prefetch_related("findings"),
        "ordered": services.recommendations_ordered(study),
        "accepted": Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "quote_level": ConsentLevel.QUOTE,
    }
    return render(request, "coding/findings.html", context)


def _findings_action(request: TeamRequest, study: Study) -> None:
    action = request.POST.get("action", "")
    if action == "finding":
        services.save_finding(
            study,
            request.user,
            request.POST.get("title", ""),
            request.POST.get("text", ""),
            _ids(request, "theme"),
        )
        messages.success(request, _("Finding added."))
    elif action == "recommendation":
        services.save_recommendation(
            study, request.user, request.POST.get("text", ""), _ids(request, "finding")
        )
        messages.success(request, _("Recommendation added."))
    elif action == "order":
        services.set_priority_order(study, request.user, request.POST.get("ordered") == "yes")
        messages.success(request, _("Saved."))
    elif action in ("move-finding", "move-recommendation"):
        pk = posted_id(request, "item")
        item: Finding | Recommendation = (
            get_object_or_404(Finding, study=study, pk=pk)
            if action == "move-finding"
            else get_object_or_404(Recommendation, study=study, pk=pk)
        )
        services.move(item, request.user, -1 if request.POST.get("to") == "up" else 1)
        messages.success(request, _("Moved."))


def _change(request: TeamRequest, item: Finding | Recommendation, save: Any) -> HttpResponse:
    """Save a finding or recommendation with `save()`, or delete it once the box is ticked."""
    slug = item.study.slug
    page = "finding" if isinstance(item, Finding) else "recommendation"
    try:
        if request.POST.get("action") == "delete":
            if request.POST.get("confirm") != "yes":
                raise InvalidInput(_("Tick the box to confirm you want to delete it."))
            services.delete(item, request.user)
            messages.success(request, _("Deleted."))
        else:
            save()
            messages.success(request, _("Saved."))
    except CoproduceError as error:
        messages.error(request, str(error))
        return redirect(page, slug, item.pk)
    return redirect("findings", slug)


@login_required
@require_http_methods(["GET", "POST"])
def finding_page(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """Change a headline finding's words and themes, or delete it."""
    study = team_study(request, slug)
    finding = get_object_or_404(Finding, study=study, pk=number)
    if request.method == "POST":
        return _change(
            request,
            finding,
            lambda: services.save_finding(
                study,
                request.user,
                request.POST.get("title", ""),
                request.POST.get("text", ""),
                _ids(request, "theme"),
                finding=finding,
            ),
        )
    context = {
        "study": study,
        "finding": finding,
        "chosen": {t.pk for t in finding.themes.all()},
        "accepted": Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/finding.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_page(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """Change a recommendation's words and the findings it answers, or delete it."""
    study = team_study(request, slug)
    recommendation = get_object_or_404(Recommendation, study=study, pk=number)
    if request.method == "POST":
        return _change(
            request,
            recommendation,
            lambda: services.save_recommendation(
                study,
                request.user,
                request.POST.get("text", ""),
                _ids(request, "finding"),
                recommendation=recommendation,
            ),
        )
    context = {
        "study": study,
        "recommendation": recommendation,
        "chosen": {f.pk for f in recommendation.findings.all()},
        "findings": Finding.objects.filter(study=study),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/recommendation.html", context)
