"""Conversation pages: participants vote and write (no JavaScript needed); the team moderates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coproduce.conversations import embedding, routing, services
from coproduce.conversations.embedding import check_xid
from coproduce.conversations.forms import (
    AboutYouForm,
    ConversationForm,
    ModerateForm,
    SeedForm,
    SeedUploadForm,
    SessionForm,
    VoteForm,
    WriteForm,
)
from coproduce.conversations.models import Conversation, Statement, StatementStatus, VoteValue
from coproduce.conversations.results import results
from coproduce.conversations.sections import next_conversation
from coproduce.conversations.seeds import import_seed_csv
from coproduce.core.errors import CoproduceError
from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.site.requests import (
    Action,
    TeamRequest,
    asked_to_reread,
    posted,
    posted_ids,
    remember_participant,
    run_action,
    session_participant,
    submitted,
    team_study,
)
from coproduce.studies import services as study_services
from coproduce.studies.forms import JoinForm
from coproduce.studies.models import Participant
from coproduce.studies.permissions import Permission


def open_conversation(code: str) -> Conversation:
    conversation = Conversation.objects.select_related("study").filter(code=code).first()
    if conversation is None:
        raise Http404(_("No conversation here."))
    return conversation


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    """The landing page: the question, and consent for people who have not joined yet."""
    conversation = open_conversation(code)
    # An embedding site may link here with its xid, signed (a bare xid could be anyone's).
    xid = request.GET.get("xid") or None
    if xid is not None:
        check_xid(conversation, xid, request.GET.get("xid_signature", ""))
    participant = session_participant(request, conversation.study)
    withdrawn = participant is not None and participant.consent_level() == ConsentLevel.WITHDRAWN
    if withdrawn and request.method == "GET" and request.GET.get("again") != "1":
        left: dict[str, Any] = {"conversation": conversation, "study": conversation.study}
        return render(request, "conversations/withdrawn.html", left)
    if withdrawn:
        participant = None  # joining again, afresh: a new pseudonym
    asked = asked_to_reread(participant) if participant and request.method == "GET" else None
    if asked is not None:
        return asked
    form = JoinForm(posted(request))
    if request.method == "POST" and participant is None and form.is_valid():
        participant = study_services.join(conversation.study, form.cleaned_data["level"], xid=xid)
        remember_participant(request, conversation.study, participant)
        return redirect("conversation-vote", code)
    context = {
        "conversation": conversation,
        "participant": participant,
        "form": form,
        "consent_text": study_services.current_consent_text(conversation.study),
        "is_open": conversation.is_open(),
    }
    return render(request, "conversations/start.html", context, status=400 if form.errors else 200)


def joined(request: HttpRequest, conversation: Conversation) -> Participant | None:
    participant = session_participant(request, conversation.study)
    if participant is None or participant.consent_level() == ConsentLevel.WITHDRAWN:
        return None
    return participant


@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, code: str) -> HttpResponse:
    """One statement at a time, with Agree, Disagree and Pass buttons."""
    conversation = open_conversation(code)
    participant = joined(request, conversation)
    if participant is None:
        return redirect("conversation-start", code)
    asked = asked_to_reread(participant) if request.method == "GET" else None
    if asked is not None:
        return asked
    error = None
    if request.method == "POST":
        form = VoteForm(request.POST)
        if form.is_valid():
            voted_on = get_object_or_404(
                Statement, conversation=conversation, number=form.cleaned_data["statement"]
            )
            try:
                services.vote_with_comment(
                    voted_on, participant, form.cleaned_data["vote"], form.cleaned_data["comment"]
                )
                return redirect("conversation-vote", code)
            except CoproduceError as problem:
                error = str(problem)
        else:
            error = _("Choose Agree, Disagree or Pass.")
    statement = routing.next_statement(conversation, participant)
    done, total = routing.progress(conversation, participant)
    context = {
        "conversation": conversation,
        "statement": statement,
        "next_conversation": None if statement else next_conversation(participant, conversation),
        "done": done,
        "total": total,
        "error": error,
        "choices": VoteValue,
        "is_open": conversation.is_open(),
    }
    return render(request, "conversations/vote.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, code: str) -> HttpResponse:
    """Write your own statement; a near-duplicate is offered for a vote instead."""
    conversation = open_conversation(code)
    participant = joined(request, conversation)
    if participant is None:
        return redirect("conversation-start", code)
    form = WriteForm(posted(request))
    similar = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        similar = (
            None if form.cleaned_data["confirm"] else services.similar_statement(conversation, text)
        )
        written = None
        if similar is None:
            written = submitted(
                form, lambda: services.write_statement(conversation, participant, text), "text"
            )
        if written is not None:
            messages.success(
                request,
                _("Thank you. Your statement will be shown to others once it has been checked.")
                if conversation.moderation == "strict"
                else _("Thank you. Your statement has been added."),
            )
            return redirect("conversation-vote", code)
    context = {
        "conversation": conversation,
        "form": form,
        "similar": similar,
        "similar_statement": Statement.objects.filter(pk=similar.key).first() if similar else None,
    }
    return render(request, "conversations/write.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def about(request: HttpRequest, code: str) -> HttpResponse:
    """Optional questions about the participant, in their own words; never forced boxes."""
    conversation = open_conversation(code)
    participant = joined(request, conversation)
    if participant is None:
        return redirect("conversation-start", code)
    initial = {
        "role": "" if participant.role == "not_said" else participant.role,
        "self_description": participant.self_description,
    }
    form = AboutYouForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        study_services.describe_participant(
            participant, form.cleaned_data["role"], form.cleaned_data["self_description"]
        )
        messages.success(request, _("Thank you for telling us about yourself."))
        return redirect("conversation-vote", code)
    return render(request, "conversations/about.html", {"conversation": conversation, "form": form})


# Team pages


def team_conversation(
    request: TeamRequest,
    slug: str,
    code: str,
    permission: Permission = Permission.VIEW_STUDY,
    *,
    change: Permission | None = None,
) -> Conversation:
    study = team_study(request, slug, permission, change=change)
    return get_object_or_404(Conversation, study=study, code=code)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, Permission.CHANGE_STUDY)
    form = ConversationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        conversation = services.create_conversation(
            study, request.user, data.pop("question"), **data
        )
        messages.success(request, _("Conversation started. Add some seed statements next."))
        return redirect(conversation)
    return render(request, "conversations/form.html", {"study": study, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: TeamRequest, slug: str, code: str) -> HttpResponse:
    conversation = team_conversation(request, slug, code, change=Permission.CHANGE_STUDY)
    can_edit = request.user.has_perm(Permission.CHANGE_STUDY, conversation.study)
    seed_form, upload_form = SeedForm(), SeedUploadForm()
    if request.method == "POST" and request.POST.get("action") == "new-secret":
        replace = Action(
            lambda: embedding.replace_embed_secret(conversation, request.user),
            _("A new embedding secret is made; give it to the embedding site."),
        )
        return run_action(request, {"new-secret": replace}, redirect(conversation))
    if request.method == "POST":
        form: SeedForm | SeedUploadForm
        if request.POST.get("action") == "upload" or "file" in request.FILES:
            form = upload_form = SeedUploadForm(request.POST, request.FILES)
        else:
            form = seed_form = SeedForm(request.POST)
        n = submitted(form, lambda: _add_seeds(request, conversation, form))
        if n is not None:
            messages.success(
                request,
                ngettext("Added %(n)d seed statement.", "Added %(n)d seed statements.", n)
                % {"n": n},
            )
            return redirect(conversation)
    statements = services.standing_statements(conversation).order_by("number")
    context = {
        "study": conversation.study,
        "conversation": conversation,
        "statements": statements,
        "can_edit": can_edit,
        "seed_form": seed_form,
        "upload_form": upload_form,
        "participant_url": request.build_absolute_uri(conversation.participant_url()),
        "pending": statements.filter(status=StatementStatus.PENDING).count(),
    }
    return render(request, "conversations/detail.html", context)


def _add_seeds(
    request: TeamRequest, conversation: Conversation, form: SeedForm | SeedUploadForm
) -> int | None:
    """Add the seed statements the form holds; None when the form itself is not filled in."""
    if not form.is_valid():
        return None
    if isinstance(form, SeedUploadForm):
        return import_seed_csv(conversation, request.user, form.cleaned_data["file"].read())
    lines = form.cleaned_data["statements"].splitlines()
    return services.add_seed_statements(conversation, request.user, lines)


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: TeamRequest, slug: str, code: str) -> HttpResponse:
    conversation = team_conversation(request, slug, code, Permission.CHANGE_STUDY)
    status = request.GET.get("status", StatementStatus.PENDING)
    if request.method == "POST":
        form = ModerateForm(request.POST)
        chosen = posted_ids(request, "statement")
        if form.is_valid() and chosen:
            changed = services.moderate(
                conversation, request.user, chosen, form.cleaned_data["status"]
            )
            messages.success(
                request,
                ngettext("%(n)d statement updated.", "%(n)d statements updated.", changed)
                % {"n": changed},
            )
        else:
            messages.error(request, _("Tick at least one statement, then choose what to do."))
        return redirect(f"{request.path}?status={status}")
    # Statements of people who have withdrawn are not for anyone to read, moderators included.
    statements = services.standing_statements(conversation).order_by("number")
    if status != "all":
        statements = statements.filter(status=status)
    context = {
        "study": conversation.study,
        "conversation": conversation,
        "statements": statements.select_related("author"),
        "status": status,
        "statuses": [("all", _("All")), *StatementStatus.choices],
        "actions": StatementStatus.choices,
    }
    return render(request, "conversations/moderate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: TeamRequest, slug: str, code: str) -> HttpResponse:
    """A facilitator types in one person's paper, phone or in-person responses at once."""
    conversation = team_conversation(request, slug, code, Permission.RECORD_CONSENT)
    statements = list(services.visible_statements(conversation).order_by("number"))
    form = SessionForm(posted(request), initial=request.session.get("facilitator_session"))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        level = request.POST.get("level", "2")
        responses = services.FacilitatedResponses(
            channel=Channel(form.cleaned_data["channel"]),
            session=form.cleaned_data["session"],
            consent_level=int(level) if level.isdecimal() else 0,
            answers={s.number: request.POST.get(f"s{s.number}", "") for s in statements},
            new_statements=request.POST.get("new_statements", ""),
        )
        try:
            recorded = services.record_responses(conversation, request.user, responses)
        except CoproduceError as error:
            errors.append(str(error))
        else:
            request.session["facilitator_session"] = form.cleaned_data
            messages.success(
                request,
                _(
                    "Recorded %(code)s: %(votes)d votes and %(new)d statements. "
                    "Ready for the next person."
                )
                % {"code": recorded.pseudonym, "votes": recorded.votes, "new": recorded.statements},
            )
            return redirect(request.path)
    context = {
        "study": conversation.study,
        "conversation": conversation,
        "statements": statements,
        "form": form,
        "errors": errors,
        "choices": VoteValue.choices,
    }
    return render(request, "conversations/enter.html", context, status=400 if errors else 200)


# Results


@login_required
@require_http_methods(["GET", "POST"])
def team_results(request: TeamRequest, slug: str, code: str) -> HttpResponse:
    """The team's view of the opinion analysis; owners and editors publish it from here."""
    conversation = team_conversation(request, slug, code, change=Permission.CHANGE_STUDY)
    can_edit = request.user.has_perm(Permission.CHANGE_STUDY, conversation.study)
    if request.method == "POST":
        by = request.user
        actions = {
            "publish": Action(
                lambda: services.publish_results(conversation, by, public=True),
                _("Everyone can now see these results."),
            ),
            "unpublish": Action(
                lambda: services.publish_results(conversation, by, public=False),
                _("The results are now for the team only."),
            ),
            "refresh": Action(
                lambda: services.refresh_results(conversation, by),
                _("The analysis will be updated in a few seconds."),
            ),
        }
        return run_action(request, actions, redirect("conversation-results", slug, code))
    context = {
        "study": conversation.study,
        "conversation": conversation,
        "results": results(conversation, public=False),
        "can_edit": can_edit,
        "public_url": request.build_absolute_uri(
            reverse("conversation-public-results", args=[conversation.code])
        ),
    }
    return render(request, "conversations/results.html", context)


@require_http_methods(["GET"])
def public_results(request: HttpRequest, code: str) -> HttpResponse:
    """The published results, for anyone with the link (404 until the team publishes them)."""
    conversation = open_conversation(code)
    if not conversation.results_public:
        raise Http404(_("These results have not been published."))
    context = {
        "study": conversation.study,
        "conversation": conversation,
        "results": results(conversation, public=True),
        "public": True,
    }
    return render(request, "conversations/results.html", context)
