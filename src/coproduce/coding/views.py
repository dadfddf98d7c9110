"""Analysis pages for the team: codebook, coding, agreement, themes, findings.

Each page reads the request, calls the coding services (which check the person's role) and
shows the outcome; a posted button runs through site.requests.run_action.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.coding import (
    agreement,
    codebook,
    codings,
    evidence,
    findings,
    highlight,
    memos,
    qdpx,
    retrieval,
    tasks,
    themes,
    triangulation,
)
from coproduce.coding.models import (
    Code,
    Coding,
    Finding,
    Memo,
    Recommendation,
    Theme,
    ThemeRun,
    ThemeStatus,
)
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel, Strand
from coproduce.equity import member_check
from coproduce.site.requests import (
    Action,
    TeamRequest,
    posted_id,
    posted_ids,
    run_action,
    team_study,
)
from coproduce.studies import audit
from coproduce.studies.models import AuditEvent, Study
from coproduce.studies.permissions import Permission
from coproduce.uploads import upload

CODE_FIELDS = ("description", "colour", "inclusion", "exclusion")


def _code(study: Study, value: str) -> Code | None:
    if not value:
        return None
    return get_object_or_404(Code, study=study, pk=int(value) if value.isdecimal() else 0)


@login_required
@require_http_methods(["GET", "POST"])
def codebook_page(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    if request.method == "POST":
        actions = {
            "add": Action(
                lambda: codebook.add_code(
                    study,
                    request.user,
                    request.POST.get("name", ""),
                    _code(study, request.POST.get("parent", "")),
                    **{f: request.POST.get(f, "") for f in CODE_FIELDS},
                ),
                lambda code: _("Code '%(c)s' added.") % {"c": code.path()},
            ),
            "delete": Action(
                lambda: _delete_code(request, study),
                lambda deleted: _("Code deleted.") if deleted else "",
            ),
            "import": Action(lambda: _import(request, study), str),
        }
        return run_action(request, actions, redirect("codebook", slug))
    context = {
        "study": study,
        "tree": codebook.tree(study),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/codebook.html", context)


def _delete_code(request: TeamRequest, study: Study) -> bool:
    chosen = _code(study, request.POST.get("code", ""))
    if chosen is not None:
        codebook.delete_code(chosen, request.user)
    return chosen is not None


def _import(request: TeamRequest, study: Study) -> str:
    """Import a codebook (.csv, .qdc) or a coded project (.qdpx); the sentence saying what came."""
    file = upload(request.FILES.get("file"))
    if file is None:
        raise InvalidInput(_("Choose a .csv, .qdc or .qdpx file to import."))
    name = file.name.lower()
    if name.endswith((".csv", ".qdc")):
        read = codebook.import_csv if name.endswith(".csv") else codebook.import_qdc
        n = read(study, request.user, file.data, source=file.name)
        return ngettext("%(n)d code added from %(f)s.", "%(n)d codes added from %(f)s.", n) % {
            "n": n,
            "f": file.name,
        }
    if name.endswith(".qdpx"):
        codes, texts, coded = qdpx.import_qdpx(study, request.user, file.data, source=file.name)
        return _("Imported %(t)d texts with %(c)d codings (%(k)d codes) from %(f)s.") % {
            "t": texts,
            "c": coded,
            "k": codes,
            "f": file.name,
        }
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
    data = qdpx.export_qdpx(study, request.user)
    return _download(data, f"{slug}.qdpx", "application/zip")


@login_required
@require_GET
def coding_queue(request: TeamRequest, slug: str) -> HttpResponse:
    """The evidence to code, strand by strand, with how many codings each item has."""
    study = team_study(request, slug)
    strand = request.GET.get("strand", "")
    records = list(evidence.evidence_for(study, request.user).values())
    strands = sorted({r.strand for r in records}, key=list(Strand).index)
    if strand in strands:
        records = [r for r in records if r.strand == strand]
    counts = codings.counts_by_item(study, request.user)
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
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    records = evidence.evidence_for(study, request.user)
    record = records.get(evidence_id)
    if record is None:
        raise Http404(_("No such evidence."))
    if request.method == "POST":
        remove = Action(
            lambda: codings.remove_coding(
                get_object_or_404(
                    Coding, study=study, evidence_id=evidence_id, pk=posted_id(request, "coding")
                ),
                request.user,
            ),
            _("Coding removed."),
        )
        code = Action(
            lambda: _code_passage(request, study, evidence_id),
            lambda coding: _("Coded with '%(c)s'.") % {"c": coding.code.path()},
        )
        memo = Action(
            lambda: memos.add_memo(
                study, request.user, request.POST.get("text", ""), evidence_id=evidence_id
            ),
            _("Memo saved."),
        )
        then = redirect("coding-item", slug, evidence_id)
        # The keyboard's submit sends no button, so coding is what a form without one does.
        actions = {"remove": remove, "code": code, "memo": memo}
        return run_action(request, actions, then, default="code")
    if evidence.restricted(record):
        audit.record(study, request.user, AuditEvent.Action.VIEWED, evidence_id)
    previous, following = _neighbours(list(records), evidence_id)
    found = Coding.objects.filter(study=study, evidence_id=evidence_id).select_related(
        "code", "coder"
    )
    context = {
        "study": study,
        "record": record,
        "codes": codebook.tree(study),
        "codings": [(c, codings.coder_of(c)) for c in found],
        "pieces": highlight.pieces(record.text, list(found)),
        "memos": Memo.objects.filter(study=study, evidence_id=evidence_id).select_related("author"),
        "mine": {c.pk for c in found if c.coder_id == request.user.pk},
        "previous": previous,
        "next": following,
    }
    return render(request, "coding/item.html", context)


def _code_passage(request: TeamRequest, study: Study, evidence_id: str) -> Coding:
    code = _code(study, request.POST.get("code", ""))
    if code is None:
        raise InvalidInput(_("Choose a code."))
    start, end = request.POST.get("start", ""), request.POST.get("end", "")
    if start.isdecimal() and end.isdecimal():
        return codings.code_passage(
            study, request.user, code, evidence_id, start=int(start), end=int(end)
        )
    passage = request.POST.get("passage", "")
    return codings.code_passage(study, request.user, code, evidence_id, passage=passage)


@login_required
@require_GET
def agreement_page(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug)
    unit = request.GET.get("unit", "item")
    if unit not in ("item", "segment"):
        unit = "item"
    report = agreement.agreement(study, unit, request.GET.getlist("coder"))
    # Only the words of items this person may read (observers: what may leave the team's
    # restricted view).
    readable = evidence.evidence_for(study, request.user)
    shown = [d for d in report.disagreements if d.evidence_id in readable][:200]
    context = {"study": study, "report": report, "disagreements": shown}
    return render(request, "coding/agreement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def themes_page(request: TeamRequest, slug: str) -> HttpResponse:
    """Suggest themes, then review them: rename, merge, accept (as codes) or set aside."""
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    if request.method == "POST":
        return run_action(request, _theme_actions(request, study), redirect("themes", slug))
    found = Theme.objects.filter(study=study).prefetch_related("items")
    latest = ThemeRun.objects.filter(study=study).first()
    reasons = Counter(reason for _id, reason in latest.unassigned) if latest else Counter()
    context = {
        "study": study,
        "latest": latest,
        "reasons": reasons.most_common(),
        "languages": len({t.language for t in found if t.language}) > 1,
        "suggested": [t for t in found if t.status == ThemeStatus.SUGGESTED],
        "accepted": [t for t in found if t.status == ThemeStatus.ACCEPTED],
        "set_aside": [t for t in found if t.status == ThemeStatus.SET_ASIDE],
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/themes.html", context)


MOST_THEMES_ASKED = 200


def _theme_actions(request: TeamRequest, study: Study) -> dict[str, Action]:
    by, post = request.user, request.POST

    def ticked() -> list[Theme]:
        found = list(Theme.objects.filter(study=study, pk__in=posted_ids(request, "theme")))
        if not found:
            raise InvalidInput(_("Choose a theme first."))
        return found

    def each(change: Callable[[Theme], object]) -> Callable[[], None]:
        def change_each() -> None:
            for theme in ticked():
                change(theme)

        return change_each

    k = post.get("k", "")
    return {
        "suggest": Action(
            lambda: tasks.ask_for_suggestions(
                study,
                by,
                backend=post.get("backend", "default"),
                k=int(k) if k.isdecimal() and 0 < int(k) <= MOST_THEMES_ASKED else None,
            ),
            _("Themes are being suggested in the background; the progress is below."),
        ),
        "add": Action(
            lambda: themes.add_theme(study, by, post.get("label", "")), _("Theme added.")
        ),
        "merge": Action(
            lambda: themes.merge(ticked(), by, post.get("label", "")), _("Themes merged.")
        ),
        "accept": Action(each(lambda t: themes.accept(t, by)), _("Accepted.")),
        "accept_code": Action(each(lambda t: themes.accept(t, by, as_code=True)), _("Accepted.")),
        "set_aside": Action(each(lambda t: themes.set_aside(t, by)), _("Set aside.")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def theme_page(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """One theme: rename it, choose quotes, split items off."""
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    theme = get_object_or_404(Theme, study=study, pk=number)
    if request.method == "POST":
        by, post = request.user, request.POST
        actions = {
            "rename": Action(
                lambda: themes.rename(
                    theme, by, post.get("label", ""), post.get("description", "")
                ),
                _("Saved."),
            ),
            "split": Action(
                lambda: themes.split(theme, by, post.getlist("item"), post.get("label", "")),
                lambda new: _("Split off as '%(t)s'.") % {"t": new.label},
            ),
            "quote": Action(
                lambda: themes.mark_quote(theme, by, post.get("item", ""), post.get("words", "")),
                _("Quote chosen."),
            ),
        }
        return run_action(request, actions, redirect("theme", slug, number))
    records = evidence.evidence_for(study, request.user)
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
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    if request.method == "POST":
        return run_action(request, _findings_actions(request, study), redirect("findings", slug))
    strands, rows = triangulation.triangulation(study)
    shown = [
        (f, findings.finding_evidence(f))
        for f in Finding.objects.filter(study=study).prefetch_related("themes")
    ]
    context = {
        "study": study,
        "strands": strands,
        "rows": rows,
        "findings": shown,
        "recommendations": Recommendation.objects.filter(study=study).prefetch_related("findings"),
        "ordered": findings.recommendations_ordered(study),
        "accepted": Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "quote_level": ConsentLevel.QUOTE,
    }
    return render(request, "coding/findings.html", context)


def _findings_actions(request: TeamRequest, study: Study) -> dict[str, Action]:
    by, post = request.user, request.POST
    steps = -1 if post.get("to") == "up" else 1

    def finding() -> Finding:
        return get_object_or_404(Finding, study=study, pk=posted_id(request, "item"))

    def recommendation() -> Recommendation:
        return get_object_or_404(Recommendation, study=study, pk=posted_id(request, "item"))

    return {
        "finding": Action(
            lambda: findings.save_finding(
                study, by, post.get("title", ""), post.get("text", ""), posted_ids(request, "theme")
            ),
            _("Finding added."),
        ),
        "recommendation": Action(
            lambda: findings.save_recommendation(
                study, by, post.get("text", ""), posted_ids(request, "finding")
            ),
            _("Recommendation added."),
        ),
        "order": Action(
            lambda: findings.set_priority_order(study, by, post.get("ordered") == "yes"),
            _("Saved."),
        ),
        "move-finding": Action(lambda: findings.move_finding(finding(), by, steps), _("Moved.")),
        "move-recommendation": Action(
            lambda: findings.move_recommendation(recommendation(), by, steps), _("Moved.")
        ),
    }


def _save_or_delete(
    request: TeamRequest, study: Study, save: Action, delete: Callable[[], None], page: HttpResponse
) -> HttpResponse:
    """Save a finding or recommendation, or delete it once the person has ticked the box that
    confirms it; then back to the findings, or to its own page when refused."""

    def confirmed_delete() -> None:
        if request.POST.get("confirm") != "yes":
            raise InvalidInput(_("Tick the box to confirm you want to delete it."))
        delete()

    actions = {"save": save, "delete": Action(confirmed_delete, _("Deleted."))}
    return run_action(
        request, actions, redirect("findings", study.slug), failed=page, default="save"
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_page(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """Change a headline finding's words and themes, or delete it."""
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    finding = get_object_or_404(Finding, study=study, pk=number)
    if request.method == "POST":
        save = Action(
            lambda: findings.save_finding(
                study,
                request.user,
                request.POST.get("title", ""),
                request.POST.get("text", ""),
                posted_ids(request, "theme"),
                finding=finding,
            ),
            _("Saved."),
        )
        return _save_or_delete(
            request,
            study,
            save,
            lambda: findings.delete_finding(finding, request.user),
            redirect("finding", slug, finding.pk),
        )
    context = {
        "study": study,
        "finding": finding,
        "chosen": {t.pk for t in finding.themes.all()},
        "accepted": Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "checked": member_check.result_of(finding),
    }
    return render(request, "coding/finding.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_page(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """Change a recommendation's words and the findings it answers, or delete it."""
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    recommendation = get_object_or_404(Recommendation, study=study, pk=number)
    if request.method == "POST":
        save = Action(
            lambda: findings.save_recommendation(
                study,
                request.user,
                request.POST.get("text", ""),
                posted_ids(request, "finding"),
                recommendation=recommendation,
            ),
            _("Saved."),
        )
        return _save_or_delete(
            request,
            study,
            save,
            lambda: findings.delete_recommendation(recommendation, request.user),
            redirect("recommendation", slug, recommendation.pk),
        )
    context = {
        "study": study,
        "recommendation": recommendation,
        "chosen": {f.pk for f in recommendation.findings.all()},
        "findings": Finding.objects.filter(study=study),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/recommendation.html", context)


RETRIEVED = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


@login_required
@require_GET
def passages_page(request: TeamRequest, slug: str) -> HttpResponse:
    """Every passage coded with a code and its sub-codes, across strands; filtered by coder,
    role and strand; downloadable as CSV, a web page or a Word document."""
    study = team_study(request, slug)
    asked = request.GET.get("code", "")
    code = Code.objects.filter(study=study, pk=int(asked)).first() if asked.isdecimal() else None
    if asked and code is None:
        raise Http404(_("There is no such code in this study."))
    filters = retrieval.Filters(
        code=code,
        coder=request.GET.get("coder", "")[:200],
        role=request.GET.get("role", "")[:40],
        strand=request.GET.get("strand", "")[:40],
    )
    found = retrieval.passages(study, request.user, filters)
    title = _("Coded passages: %(c)s") % {"c": code.path() if code else _("every code")}
    wanted = request.GET.get("format", "")
    if wanted in RETRIEVED:
        kind, end = RETRIEVED[wanted]
        make = {
            "csv": lambda: retrieval.as_csv(found),
            "html": lambda: retrieval.as_html(study, found, title),
            "docx": lambda: retrieval.as_docx(study, found, title),
        }
        return _download(make[wanted](), f"{slug}-passages.{end}", kind)
    everything = retrieval.passages(study, request.user, retrieval.Filters(code=code))
    context = {
        "study": study,
        "title": title,
        "codes": codebook.tree(study),
        "code": code,
        "filters": filters,
        "passages": found,
        "coders": sorted({p.coder for p in everything}),
        "roles": sorted({p.role for p in everything}),
        "strands": sorted({p.strand for p in everything}),
        "query": request.GET.urlencode(),
    }
    return render(request, "coding/passages.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def memos_page(request: TeamRequest, slug: str) -> HttpResponse:
    """The team's memos on the study, its codes and its items; write one, or remove your own."""
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    if request.method == "POST":
        return run_action(request, _memo_actions(request, study), redirect("memos", slug))
    found = memos.memos_for(study, request.user)
    context = {
        "study": study,
        "on_study": [m for m in found if m.about == "study"],
        "on_codes": [m for m in found if m.about == "code"],
        "on_items": [m for m in found if m.about == "item"],
        "codes": codebook.tree(study),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "coding/memos.html", context)


def _memo_actions(request: TeamRequest, study: Study) -> dict[str, Action]:
    by, post = request.user, request.POST
    about = post.get("code", "")

    def add() -> object:
        code = None
        if about.isdecimal():
            code = get_object_or_404(Code, study=study, pk=int(about))
        return memos.add_memo(
            study, by, post.get("text", ""), code=code, evidence_id=post.get("item", "").strip()
        )

    def remove() -> None:
        memos.remove_memo(get_object_or_404(Memo, study=study, pk=posted_id(request, "memo")), by)

    return {"add": Action(add, _("Memo saved.")), "remove": Action(remove, _("Memo removed."))}
