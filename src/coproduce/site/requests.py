"""What the apps' views share about a request: who is asking, what they posted, which study a
team page is about, the participant this browser joined as, and one way to run a posted action.

Views translate between HTTP and the services; these helpers keep that translation the same on
every page, so a view is a few lines: read the request, call a service, show the outcome.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.core.errors import CoproduceError, InvalidInput
from coproduce.studies import services
from coproduce.studies.models import Participant, Study
from coproduce.studies.permissions import Permission

SESSION_KEY = "coproduce_participants"
T = TypeVar("T")


class TeamRequest(HttpRequest):
    """A request from a signed-in team member (the views that take one require sign-in)."""

    user: User


def team_study(
    request: HttpRequest,
    slug: str,
    permission: Permission = Permission.VIEW_STUDY,
    *,
    change: Permission | None = None,
) -> Study:
    """The study, if the signed-in user may see it (404 otherwise, so it does not leak).

    `permission` is needed to open the page; `change`, when given, to post to it (refused with
    403 before any action is looked at; the services check their own rules again).
    """
    study = get_object_or_404(Study, slug=slug)
    if not request.user.has_perm(Permission.VIEW_STUDY, study):
        raise Http404(_("No study here."))
    services.require(request.user, permission, study)
    if change is not None and request.method == "POST":
        services.require(request.user, change, study)
    return study


def confirmed(
    request: HttpRequest, missing: str, then: Callable[[], object]
) -> Callable[[], object]:
    """`then`, to run only once the form's confirmation box is ticked; otherwise it refuses in
    one sentence (`missing`). For buttons that cannot be undone, such as withdrawing."""

    def checked() -> object:
        if request.POST.get("confirm") != "yes":
            raise InvalidInput(missing)
        return then()

    return checked


# Row ids have at most this many digits (a 64-bit integer has 19); a longer number is no row.
LONGEST_ID = 18


def posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even an empty one), or None so a GET shows a fresh form."""
    return request.POST if request.method == "POST" else None


def posted_id(request: HttpRequest, name: str) -> int:
    """A row id from the form; 0 (found nowhere, so a 404) when it is not a number."""
    value = request.POST.get(name, "")
    return int(value) if value.isdecimal() and len(value) <= LONGEST_ID else 0


def posted_ids(request: HttpRequest, name: str) -> list[int]:
    """Every row id posted under this name (ticked boxes), leaving out anything not a number."""
    return [int(v) for v in request.POST.getlist(name) if v.isdecimal() and len(v) <= LONGEST_ID]


@dataclass(frozen=True)
class Action:
    """A button on a team page: the service call it makes, and what to tell the person when it
    worked (a sentence, or a function of the call's result that makes one)."""

    do: Callable[[], Any]
    done: str | Callable[[Any], str] = ""


def run_action(
    request: HttpRequest,
    actions: Mapping[str, Action],
    then: HttpResponse,
    *,
    failed: HttpResponse | None = None,
    default: str = "",
) -> HttpResponse:
    """Run the action the form names (its `action` field, else `default`), tell the person how
    it went, and go on to `then` (or to `failed` when it was refused).

    This is the web surface's one translation of a service's refusal on team pages: the
    sentence of a CoproduceError is shown as an error message, and nothing else changes.
    """
    action = actions.get(request.POST.get("action", "") or default)
    if action is None:
        return then
    try:
        result = action.do()
    except CoproduceError as error:
        messages.error(request, str(error))
        return failed or then
    message = action.done(result) if callable(action.done) else action.done
    if message:
        messages.success(request, message)
    return then


def submitted(form: BaseForm, call: Callable[[], T], field: str | None = None) -> T | None:
    """Call a service with a valid form's data. Its refusal is put on the form (on `field`, or
    on the whole form) and gives None, so the page is shown again with the sentence: the web
    surface's one translation of a refusal on pages with a form."""
    try:
        return call()
    except CoproduceError as error:
        form.add_error(field, str(error))
        return None


def session_participant(request: HttpRequest, study: Study) -> Participant | None:
    """The participant this browser joined the study as, if any."""
    pk = request.session.get(SESSION_KEY, {}).get(str(study.pk))
    return Participant.objects.filter(pk=pk, study=study).first() if pk else None


def remember_participant(request: HttpRequest, study: Study, participant: Participant) -> None:
    """Bind this browser to the participant (a new session key, so a fixed one cannot be used)."""
    joined: dict[str, Any] = request.session.get(SESSION_KEY, {})
    joined[str(study.pk)] = participant.pk
    request.session[SESSION_KEY] = joined
    request.session.cycle_key()


ParticipantView = Callable[[HttpRequest, Study, Participant], HttpResponse]


# A participant's own pages they may open without reading a new consent text first: the page
# asking them to, and their data and withdrawal (their rights do not wait).
READ_FREELY = {
    "participant_consent",
    "participant_withdraw",
    "my_data_page",
    "my_data_json",
    "erase_my_data",
}


def asked_to_reread(participant: Participant) -> HttpResponse | None:
    """A redirect to the new consent text for someone who agreed to an older one, or None."""
    if services.reads_an_older_text(participant):
        return redirect("participant-consent", participant.study.join_code)
    return None


def participant_page(view: ParticipantView) -> Callable[[HttpRequest, str], HttpResponse]:
    """A page of a participant's own (by the study's join code in the address): the view gets
    the study and the participant this browser joined as; anyone else is sent to join first."""

    @functools.wraps(view)
    def page(request: HttpRequest, code: str) -> HttpResponse:
        study = get_object_or_404(Study, join_code=code)
        participant = session_participant(request, study)
        if participant is None:
            return redirect("join", code)
        if request.method == "GET" and view.__name__ not in READ_FREELY:
            asked = asked_to_reread(participant)
            if asked is not None:
                return asked
        return view(request, study, participant)

    return page
