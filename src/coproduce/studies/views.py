"""Study pages for the team, and the join pages for participants (no account needed).

Views stay thin: they check permissions through the rules, call a service and render.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.models import User
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.site.requests import (
    Action,
    TeamRequest,
    confirmed,
    participant_page,
    posted,
    posted_id,
    remember_participant,
    run_action,
    session_participant,
    submitted,
    team_study,
)
from coproduce.studies import audit, rights, services
from coproduce.studies.forms import (
    AboutYouForm,
    AcceptInvitationForm,
    InviteForm,
    JoinForm,
    OrganisationForm,
    RecordParticipantForm,
    StudyForm,
    ValueFormSet,
)
from coproduce.studies.models import AuditEvent, Erasure, Invitation, Participant, Role, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.retention import purge_from
from coproduce.studies.sections import participant_sections_for, sections_for
from coproduce.studies.strands import evidence_items, registered_strands
from coproduce.uploads import upload


def home(request: HttpRequest) -> HttpResponse:
    studies = services.studies_for(request.user)
    return render(request, "studies/home.html", {"studies": studies})


@login_required
@require_http_methods(["GET", "POST"])
def study_create(request: TeamRequest) -> HttpResponse:
    form = StudyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("title", "slug")}
        title, short_name = form.cleaned_data["title"], form.cleaned_data["slug"]
        study = submitted(
            form, lambda: services.create_study(request.user, title, short_name, **fields), "slug"
        )
        if study is not None:
            messages.success(request, _("Study created. You are its owner."))
            return redirect(study)
    return render(request, "studies/study_form.html", {"form": form, "creating": True})


@login_required
@require_GET
def study_detail(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug)
    members = study.memberships.select_related("user").order_by("role", "user__name")
    context = {
        "study": study,
        "members": members,
        "role": study.memberships.filter(user=request.user).first(),
        "participant_count": study.participants.count(),
        "strands": registered_strands(),
        "evidence_count": len(evidence_items(study)),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "can_manage_team": request.user.has_perm(Permission.MANAGE_TEAM, study),
        "can_view_participants": request.user.has_perm(Permission.VIEW_PARTICIPANTS, study),
        "join_url": request.build_absolute_uri(study.join_url()),
        "sections": sections_for(study, request.user),
    }
    return render(request, "studies/study_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def study_edit(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, Permission.CHANGE_STUDY)
    form = StudyForm(posted(request), instance=study)
    values = ValueFormSet(posted(request), initial=study.values, prefix="values")
    if request.method == "POST" and form.is_valid() and values.is_valid():
        kept = [
            {"title": v["title"], "text": v["text"]}
            for v in values.cleaned_data
            if v and not v.get("DELETE")
        ]
        fields = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        services.update_study(study, request.user, values=kept, **fields)
        messages.success(request, _("Study saved."))
        return redirect(study)
    return render(
        request, "studies/study_form.html", {"form": form, "values": values, "study": study}
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_team(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, change=Permission.MANAGE_TEAM)
    can_manage = request.user.has_perm(Permission.MANAGE_TEAM, study)
    form = InviteForm(posted(request))
    action = request.POST.get("action") or ("role" if "member" in request.POST else "invite")
    if request.method == "POST" and action != "invite":
        then = redirect("study-team", study.slug)
        return run_action(request, _team_actions(request, study), then, default=action)
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        result = submitted(form, lambda: services.invite(study, request.user, email, role), "email")
        if result is not None:
            if isinstance(result, Invitation):
                link = request.build_absolute_uri(result.get_absolute_url())
                messages.success(
                    request,
                    _("Invitation made. Send this link to %(email)s: %(link)s")
                    % {"email": result.email, "link": link},
                )
            else:
                messages.success(request, _("Added to the team."))
            return redirect("study-team", study.slug)
    context = {
        "study": study,
        "members": study.memberships.select_related("user").order_by("role", "user__email"),
        "invitations": [i for i in study.invitations.all() if i.open],
        "changes": study.team_changes.select_related("by")[:100],
        "form": form,
        "can_manage": can_manage,
        "roles": Role.choices,
    }
    return render(request, "studies/study_team.html", context)


def _team_actions(request: TeamRequest, study: Study) -> dict[str, Action]:
    by, role = request.user, request.POST.get("role", "")

    def member() -> User:
        return get_object_or_404(User, pk=posted_id(request, "member"), memberships__study=study)

    def invitation() -> Invitation:
        return get_object_or_404(Invitation, study=study, pk=posted_id(request, "invitation"))

    return {
        "role": Action(lambda: services.change_role(study, by, member(), role), _("Role changed.")),
        "remove": Action(
            lambda: services.remove_member(study, by, member()), _("Removed from the team.")
        ),
        "revoke": Action(
            lambda: services.revoke_invitation(invitation(), by),
            _("Invitation taken back: its link no longer works."),
        ),
    }


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.open_invitation(token)
    user = request.user
    if user.is_authenticated:
        if request.method == "POST":
            services.accept_invitation(invitation, user)
            return redirect(invitation.study)
        return render(request, "studies/invitation.html", {"invitation": invitation})
    form = AcceptInvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.accept_with_new_account(invitation, data["name"], data["password"])
        except Conflict as error:
            messages.info(request, str(error))
            return redirect(f"/accounts/login/?next={invitation.get_absolute_url()}")
        login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(invitation.study)
    return render(request, "studies/invitation.html", {"invitation": invitation, "form": form})


def _upload_logo(request: TeamRequest, study: Study) -> HttpResponse:
    organisation = get_object_or_404(study.organisations, pk=posted_id(request, "organisation"))

    def save() -> None:
        logo = upload(request.FILES.get("logo"))
        if logo is None:
            raise InvalidInput(_("Choose the logo's image file to upload."))
        services.set_logo(study, request.user, organisation, logo.name, logo.data)

    done = _("%(name)s's logo is saved; it goes on its poster.") % {"name": organisation}
    return run_action(
        request, {"logo": Action(save, done)}, redirect("study-organisations", study.slug)
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_organisations(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    form = OrganisationForm(posted(request))
    if request.method == "POST":
        if request.POST.get("action") == "logo":
            return _upload_logo(request, study)
        if "remove" in request.POST:
            organisation = get_object_or_404(study.organisations, pk=posted_id(request, "remove"))
            services.remove_organisation(study, request.user, organisation)
            messages.success(
                request, _("%(name)s is no longer a partner.") % {"name": organisation}
            )
            return redirect("study-organisations", study.slug)
        if form.is_valid():
            data = form.cleaned_data
            organisation = services.add_organisation(
                study,
                request.user,
                data["name"],
                data["kind"],
                description=data["description"],
                website=data["website"],
            )
            messages.success(request, _("%(name)s added as a partner.") % {"name": organisation})
            return redirect("study-organisations", study.slug)
    context = {
        "study": study,
        "form": form,
        "organisations": study.organisations.all(),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "studies/organisations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participants(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, Permission.VIEW_PARTICIPANTS)
    form = RecordParticipantForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participant = services.join(
            study,
            data["level"],
            channel=Channel(data["channel"]),
            recorded_by=request.user,
            role=data["role"],
        )
        messages.success(
            request, _("Recorded participant %(code)s.") % {"code": participant.pseudonym}
        )
        return redirect("participants", study.slug)
    people = study.participants.prefetch_related("consents").order_by("pseudonym")
    rows = [(p, p.current_consent()) for p in people]
    context = {"study": study, "rows": rows, "form": form}
    return render(request, "studies/participants.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participant_detail(request: TeamRequest, slug: str, pseudonym: str) -> HttpResponse:
    study = team_study(request, slug, Permission.VIEW_PARTICIPANTS)
    participant = get_object_or_404(Participant, study=study, pseudonym=pseudonym)
    if request.method == "POST":
        then = redirect("participant", study.slug, participant.pseudonym)
        actions = {
            "withdraw": Action(
                confirmed(
                    request,
                    _("Tick the box to confirm they asked to withdraw."),
                    lambda: services.record_withdrawal(participant, request.user),
                ),
                _("Withdrawal recorded."),
            ),
            "erase": Action(
                confirmed(
                    request,
                    _("Tick the box to confirm: erasing cannot be undone."),
                    lambda: rights.erase_for(participant, request.user),
                ),
                _("Their contributions are erased; their pseudonym and consent record stay."),
            ),
        }
        return run_action(request, actions, then, default="withdraw")
    subject = f"participant {participant.pseudonym}"
    audit.record(study, request.user, AuditEvent.Action.VIEWED, subject)
    consents = participant.consents.select_related("consent_text", "recorded_by")
    return render(
        request,
        "studies/participant.html",
        {
            "study": study,
            "participant": participant,
            "consents": consents,
            "withdrawn": participant.consent_level() == ConsentLevel.WITHDRAWN,
        },
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    study = get_object_or_404(Study, join_code=code)
    already = session_participant(request, study)
    standing = already is not None and already.consent_level() != ConsentLevel.WITHDRAWN
    if standing and request.method == "POST":
        return redirect("participant-home", code)  # joined already: one code per person
    form = JoinForm(posted(request))
    if request.method == "POST" and form.is_valid():
        # No xid here: an external id is taken only signed, through a conversation's link.
        participant = services.join(study, form.cleaned_data["level"])
        remember_participant(request, study, participant)
        return redirect("participant-home", code)
    context = {
        "study": study,
        "form": form,
        "consent_text": services.current_consent_text(study),
        "already": already if standing else None,
        "withdrew": already is not None and not standing,
    }
    return render(request, "studies/join.html", context, status=400 if form.errors else 200)


@participant_page
def participant_home(request: HttpRequest, study: Study, participant: Participant) -> HttpResponse:
    """The participant's hub in a study: what is open to them, what they gave, their rights."""
    withdrawn = participant.consent_level() == ConsentLevel.WITHDRAWN
    context = {
        "study": study,
        "participant": participant,
        "consent": participant.current_consent(),
        "withdrawn": withdrawn,
        "sections": [] if withdrawn else participant_sections_for(study, participant),
    }
    return render(request, "studies/participant_home.html", context)


@participant_page
@require_http_methods(["GET", "POST"])
def participant_consent(
    request: HttpRequest, study: Study, participant: Participant
) -> HttpResponse:
    """The consent text changed since they agreed: they read the new one and agree again (or
    withdraw)."""
    if participant.consent_level() == ConsentLevel.WITHDRAWN:
        return redirect("participant-home", study.join_code)
    consent = participant.current_consent()
    form = JoinForm(posted(request), initial={"level": consent.level if consent else None})
    if request.method == "POST" and form.is_valid():
        services.renew_consent(participant, form.cleaned_data["level"])
        messages.success(request, _("Thank you: you agreed to the new version."))
        return redirect("participant-home", study.join_code)
    context = {
        "study": study,
        "form": form,
        "consent_text": services.current_consent_text(study),
        "older": consent.consent_text if consent else None,
    }
    status = 400 if form.errors else 200
    return render(request, "studies/participant_consent.html", context, status=status)


@participant_page
@require_http_methods(["GET", "POST"])
def participant_about(request: HttpRequest, study: Study, participant: Participant) -> HttpResponse:
    """Change what they agreed to, and how they describe themselves."""
    if participant.consent_level() == ConsentLevel.WITHDRAWN:
        return redirect("participant-home", study.join_code)
    initial = {
        "level": participant.consent_level(),
        "role": participant.role,
        "self_description": participant.self_description,
    }
    form = AboutYouForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["level"] != participant.consent_level():
            services.renew_consent(participant, data["level"])
        services.describe_participant(participant, data["role"], data["self_description"])
        messages.success(request, _("Saved."))
        return redirect("participant-home", study.join_code)
    context = {"study": study, "form": form}
    status = 400 if form.errors else 200
    return render(request, "studies/participant_about.html", context, status=status)


@participant_page
@require_http_methods(["GET", "POST"])
def participant_withdraw(
    request: HttpRequest, study: Study, participant: Participant
) -> HttpResponse:
    if request.method == "POST":
        services.withdraw(participant)
        subject = f"participant {participant.pseudonym}, from their own page"
        audit.record(study, audit.PARTICIPANT, AuditEvent.Action.WITHDREW, subject)
        return redirect("participant-home", study.join_code)
    return render(
        request, "studies/participant_withdraw.html", {"study": study, "participant": participant}
    )


def _data_download(data: dict[str, object], pseudonym: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="coproduce-{pseudonym}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@participant_page
def my_data_page(request: HttpRequest, study: Study, participant: Participant) -> HttpResponse:
    """Everything the study holds about this participant, readable (GDPR Article 15)."""
    data = rights.my_data(participant)
    parts = [v for v in data.values() if isinstance(v, dict) and {"title", "items"} <= v.keys()]
    context = {"study": study, "participant": participant, "data": data, "parts": parts}
    response = render(request, "studies/my_data.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@participant_page
def my_data_json(request: HttpRequest, study: Study, participant: Participant) -> HttpResponse:
    """The same, as a JSON file to keep or to take elsewhere."""
    return _data_download(rights.my_data(participant), participant.pseudonym)


@participant_page
@require_http_methods(["GET", "POST"])
def erase_my_data(request: HttpRequest, study: Study, participant: Participant) -> HttpResponse:
    """Erase what this participant contributed (GDPR Article 17), once they confirm."""
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            rights.erase(participant)
            messages.success(
                request, _("Everything you contributed is erased. Thank you for taking part.")
            )
            return redirect("participant-home", study.join_code)
        error = _("Tick the box to confirm: erasing cannot be undone.")
    context = {"study": study, "participant": participant, "error": error}
    return render(request, "studies/erase.html", context, status=400 if error else 200)


@login_required
@require_GET
def participant_data_json(request: TeamRequest, slug: str, pseudonym: str) -> HttpResponse:
    """A participant's data for the team member answering their request (paper, phone)."""
    study = team_study(request, slug, Permission.VIEW_PARTICIPANTS)
    participant = get_object_or_404(Participant, study=study, pseudonym=pseudonym)
    return _data_download(rights.data_for(participant, request.user), participant.pseudonym)


@login_required
@require_GET
def audit_log(request: TeamRequest, slug: str) -> HttpResponse:
    """Who viewed restricted material, exported, moderated, withdrew or erased: for owners."""
    study = team_study(request, slug, Permission.MANAGE_TEAM)
    if request.GET.get("format") == "csv":
        response = HttpResponse(audit.csv_for(study, request.user), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{slug}-audit.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    events = audit.events_for(study, request.user)
    return render(request, "studies/audit.html", {"study": study, "events": events})


@login_required
@require_http_methods(["GET", "POST"])
def consent_settings(request: TeamRequest, slug: str) -> HttpResponse:
    """What participants agree to (every version), what erasure does, and how long raw material
    is kept: the team reads it, owners change it."""
    study = team_study(request, slug, change=Permission.MANAGE_TEAM)
    if request.method == "POST":
        by, post = request.user, request.POST
        months = post.get("retention_months", "").strip()
        actions = {
            "text": Action(
                lambda: services.revise_consent_text(
                    study,
                    by,
                    post.get("text", ""),
                    post.get("on_erasure", ""),
                    **{name: post.get(name, "") for name in services.CONSENT_TEXT_PARTS},
                ),
                _("A new version of the consent text is saved; people who join now see it."),
            ),
            "retention": Action(
                lambda: services.set_retention(study, by, _months(months)),
                _("Retention period saved."),
            ),
        }
        return run_action(request, actions, redirect("consent-settings", slug))
    context = {
        "study": study,
        "current": services.current_consent_text(study),
        "versions": study.consent_texts.order_by("-version"),
        "erasure_choices": Erasure.choices,
        "can_manage": request.user.has_perm(Permission.MANAGE_TEAM, study),
        "purge_from": purge_from(study),
    }
    return render(request, "studies/consent.html", context)


def _months(text: str) -> int | None:
    """The retention period from the form: a whole number of months, or empty for later."""
    if not text:
        return None
    if not text.isdecimal():
        raise InvalidInput(
            _(
                "'%(t)s' is not a number of months; give a whole number such as 24, "
                "or leave it empty."
            )
            % {"t": text[:20]}
        )
    return int(text)
