"""Who may open which page: every URL in the URL configuration against every kind of visitor.

Each URL is given the rule that guards it; the expected answer for each visitor follows from the
rule. A URL with no rule here fails the suite, so a new page cannot arrive unguarded.
"""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.casestudies import services as case_services
from coproduce.coding import codebook, findings, themes
from coproduce.conversations import services as conversation_services
from coproduce.equity import member_check
from coproduce.publications import easy_read
from coproduce.stories import services as story_services
from coproduce.studies import services as study_services
from coproduce.studies.models import Organisation, Participant, Role
from coproduce.uploads import Upload
from tests.support.factories import account, client_for, story, study_with_team
from tests.support.files import PNG, TRANSCRIPT, VTT, recording
from tests.support.urls import address, routes

pytestmark = pytest.mark.django_db

VISITORS = (
    "anonymous",
    "participant",
    "other participant",
    "other member",
    Role.OBSERVER,
    Role.FACILITATOR,
    Role.CO_RESEARCHER,
    Role.RESEARCHER,
    Role.OWNER,
)
TEAM = (Role.OBSERVER, Role.FACILITATOR, Role.CO_RESEARCHER, Role.RESEARCHER, Role.OWNER)
PEOPLE = (Role.FACILITATOR, Role.CO_RESEARCHER, Role.RESEARCHER, Role.OWNER)
EDITORS = (Role.CO_RESEARCHER, Role.RESEARCHER, Role.OWNER)
EXPORTERS = (Role.RESEARCHER, Role.OWNER)
LOGIN = "login"  # a redirect to the sign-in page
AWAY = "redirect"  # a redirect elsewhere (a participant page for someone not joined)


def team_rule(allowed: tuple[str, ...]) -> dict[str, object]:
    """Team members in `allowed` see the page; others in the team are refused (403), members of
    another study do not learn it exists (404), everyone else is asked to sign in."""
    return {
        **dict.fromkeys(("anonymous", "participant", "other participant"), LOGIN),
        "other member": 404,
        **{role: (200 if role in allowed else 403) for role in TEAM},
    }


EVERYONE = dict.fromkeys(VISITORS, 200)
SIGNED_IN = {**EVERYONE, **dict.fromkeys(("anonymous", "participant", "other participant"), LOGIN)}
OWN_PAGE = {**dict.fromkeys(VISITORS, AWAY), "participant": 200}
NOT_A_PAGE = dict.fromkeys(VISITORS, 405)  # an API call that takes only POST

GET_ONLY = {**team_rule(TEAM), **dict.fromkeys((*TEAM, "other member"), 405)}
RULES: dict[str, dict[str, object]] = {
    "": EVERYONE,
    "accounts/login/": EVERYONE,
    "accounts/logout/": dict.fromkeys(VISITORS, 405),
    # Filled in with a conversation's code, which is no language (test_languages has the rest).
    "language/<str:code>/": dict.fromkeys(VISITORS, 404),
    "studies/new/": SIGNED_IN,
    "studies/<slug:slug>/": team_rule(TEAM),
    "studies/<slug:slug>/edit/": team_rule(EDITORS),
    "studies/<slug:slug>/team/": team_rule(TEAM),
    "studies/<slug:slug>/audit/": team_rule((Role.OWNER,)),
    "studies/<slug:slug>/consent/": team_rule(TEAM),
    "studies/<slug:slug>/organisations/": team_rule(TEAM),
    "studies/<slug:slug>/participants/": team_rule(PEOPLE),
    "studies/<slug:slug>/participants/<str:pseudonym>/": team_rule(PEOPLE),
    "studies/<slug:slug>/participants/<str:pseudonym>/data.json": team_rule(PEOPLE),
    "invitations/<str:token>/": EVERYONE,
    "join/<str:code>/": EVERYONE,
    "join/<str:code>/you/": OWN_PAGE,
    "join/<str:code>/withdraw/": OWN_PAGE,
    "join/<str:code>/you/consent/": OWN_PAGE,
    "join/<str:code>/you/about/": OWN_PAGE,
    "join/<str:code>/you/data/": OWN_PAGE,
    "join/<str:code>/you/data.json": OWN_PAGE,
    "join/<str:code>/you/erase/": OWN_PAGE,
    "join/<str:code>/story/": EVERYONE,
    "join/<str:code>/stories/": OWN_PAGE,
    "c/<str:code>/": EVERYONE,
    "c/<str:code>/vote/": OWN_PAGE,
    "c/<str:code>/write/": OWN_PAGE,
    "c/<str:code>/about-you/": OWN_PAGE,
    "c/<str:code>/results/": EVERYONE,  # once the team has published them
    "studies/<slug:slug>/conversations/new/": team_rule(EDITORS),
    "studies/<slug:slug>/conversations/<str:code>/": team_rule(TEAM),
    "studies/<slug:slug>/conversations/<str:code>/moderate/": team_rule(EDITORS),
    "studies/<slug:slug>/conversations/<str:code>/results/": team_rule(TEAM),
    "studies/<slug:slug>/conversations/<str:code>/enter/": team_rule(PEOPLE),
    "studies/<slug:slug>/stories/": team_rule(TEAM),
    "studies/<slug:slug>/stories/new/": team_rule(PEOPLE),
    "studies/<slug:slug>/stories/import/": team_rule(PEOPLE),
    "studies/<slug:slug>/stories/<int:number>/": team_rule(PEOPLE),
    "studies/<slug:slug>/stories/<int:number>/recording/": team_rule(PEOPLE),
    "studies/<slug:slug>/case-studies/": team_rule(TEAM),
    "studies/<slug:slug>/case-studies/<slug:organisation>/": team_rule(PEOPLE),
    "studies/<slug:slug>/codebook/": team_rule(TEAM),
    "studies/<slug:slug>/codebook.csv": team_rule(TEAM),
    "studies/<slug:slug>/codebook.qdc": team_rule(TEAM),
    "studies/<slug:slug>/project.qdpx": team_rule(EXPORTERS),
    "studies/<slug:slug>/coding/": team_rule(TEAM),
    "studies/<slug:slug>/coding/<str:evidence_id>/": team_rule(TEAM),
    "studies/<slug:slug>/agreement/": team_rule(TEAM),
    "studies/<slug:slug>/passages/": team_rule(TEAM),
    "studies/<slug:slug>/memos/": team_rule(TEAM),
    "studies/<slug:slug>/equity/": team_rule(PEOPLE),
    "accounts/password-reset/": EVERYONE,
    "accounts/password-reset/sent/": EVERYONE,
    "accounts/reset/<uidb64>/<token>/": EVERYONE,
    "accounts/reset/done/": EVERYONE,
    # The site's administrators only (none of these visitors is one).
    "status/": {**team_rule(()), "other member": 403},
    "studies/<slug:slug>/member-check/": team_rule(PEOPLE),
    "studies/<slug:slug>/member-check/paper/": team_rule(PEOPLE),
    "studies/<slug:slug>/member-check/sessions/<int:session>/": team_rule(PEOPLE),
    "studies/<slug:slug>/themes/": team_rule(TEAM),
    "studies/<slug:slug>/themes/<int:number>/": team_rule(TEAM),
    "studies/<slug:slug>/findings/": team_rule(TEAM),
    "studies/<slug:slug>/findings/<int:number>/": team_rule(TEAM),
    "studies/<slug:slug>/recommendations/<int:number>/": team_rule(TEAM),
    # Nothing is published in this study: the public pages do not exist yet.
    "s/<slug:slug>/": dict.fromkeys(VISITORS, 404),
    "s/<slug:slug>/files/<path:path>": dict.fromkeys(VISITORS, 404),
    "studies/<slug:slug>/publication/": team_rule(TEAM),
    "studies/<slug:slug>/easy-read/": team_rule(TEAM),
    "studies/<slug:slug>/easy-read/parts/<int:number>/": team_rule(TEAM),
    "studies/<slug:slug>/easy-read/check/": GET_ONLY,
    "studies/<slug:slug>/easy-read/preview/": team_rule(TEAM),
    "studies/<slug:slug>/easy-read/pictures/<str:symbol>.svg": team_rule(TEAM),
    "studies/<slug:slug>/easy-read/images/<int:image>/": team_rule(TEAM),
    "api/": dict.fromkeys(VISITORS, 404),
    "api/openapi.json": EVERYONE,
    "api/docs": EVERYONE,
    "api/conversations/<code>": EVERYONE,
    "api/conversations/<code>/statements": EVERYONE,
    "api/conversations/<code>/participants": NOT_A_PAGE,
    "api/conversations/<code>/votes": NOT_A_PAGE,
    # Asking for the next statement needs an xid signed by the embedding site (test_api).
    "api/conversations/<code>/next": dict.fromkeys(VISITORS, 422),
}


def test_every_url_has_a_rule() -> None:
    unguarded = sorted(set(routes()) - set(RULES))
    assert not unguarded, f"add these URLs to RULES with who may open them: {unguarded}"
    assert not sorted(set(RULES) - set(routes())), "RULES names URLs that no longer exist"


def a_study_with_everything() -> tuple[dict[str, str], dict[str, Client]]:
    """A study with something behind every URL, and a client for every kind of visitor."""
    study, team = study_with_team()
    owner = team[Role.OWNER]
    conversation = conversation_services.create_conversation(study, owner, "What helps?")
    conversation_services.add_seed_statements(conversation, owner, ["Pay people."])
    conversation_services.publish_results(conversation, owner, public=True)
    told = story_services.gather_story(
        study,
        team[Role.FACILITATOR],
        story(text="A recorded story."),
        recording=Upload("talk.wav", recording()),
        transcript=Upload("talk.vtt", VTT),
    )
    story_services.save_check(told, owner, [])
    organisation = Organisation.objects.create(name="Canal Food", slug="canal-food")
    study.organisations.add(organisation)
    case = case_services.start_case_study(study, team[Role.RESEARCHER], organisation)
    case_services.import_interview(case, owner, Upload("i.txt", TRANSCRIPT), consent_level=2)
    codebook.add_code(study, owner, "Transport")
    theme = themes.add_theme(study, owner, "Buses", [f"story:{told.pk}"])
    finding = findings.save_finding(study, owner, "Buses fail people", theme_ids=[theme.pk])
    advice = findings.save_recommendation(study, owner, "Restore the night bus", [finding.pk])
    version = easy_read.version_for(study, owner)
    image = version.images.create(data=PNG, kind="image/png", alt="A bus")
    checking = member_check.open_member_check(study, owner)
    session = member_check.start_session(checking, owner, "Network session")
    invitation = study_services.invite(study, owner, "new@example.org", Role.OBSERVER)
    other, other_team = study_with_team("other-study")
    clients = {role: client_for(user) for role, user in team.items()}
    clients["anonymous"] = Client()
    clients["other member"] = client_for(other_team[Role.OWNER])
    for name, joined in (("participant", study), ("other participant", other)):
        clients[name] = Client()
        clients[name].post(f"/join/{joined.join_code}/", {"level": "3", "agree": "on"})
    person = Participant.objects.filter(study=study).order_by("pk").first()
    assert person is not None and account("spare@example.org")
    values = {
        "slug": study.slug,
        "pseudonym": person.pseudonym,
        "token": invitation.token,  # type: ignore[union-attr]
        "number": str(told.number),
        "organisation": organisation.slug,
        "evidence_id": f"story:{told.pk}",
    }
    return {
        **values,
        "conversation": conversation.code,
        "join": study.join_code,
        "theme": str(theme.pk),
        "finding": str(finding.pk),
        "recommendation": str(advice.pk),
        "part": str(version.parts.first().pk),  # type: ignore[union-attr]
        "image": str(image.pk),
        "session": str(session.pk),
    }, clients


def answer(client: Client, url: str) -> object:
    response = client.get(url)
    if response.status_code == 302:
        return LOGIN if "/accounts/login/" in response["Location"] else AWAY
    return response.status_code


def test_every_visitor_gets_the_answer_the_rule_gives() -> None:
    values, clients = a_study_with_everything()
    wrong = []
    for route in routes():
        url = address(route, values)
        for visitor in VISITORS:
            expected, got = RULES[route][visitor], answer(clients[visitor], url)
            if got != expected:
                wrong.append(f"{url} as {visitor}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


# Posting: who may change what. A visitor who may not is refused before any action is looked at
# (asked to sign in, 404 for another study's member, 403 for a team role without the right, 405
# where the page takes no posts); one who may reaches the page's actions, which answer an empty
# post with a form error, a message and a redirect, or a 404 for the missing row.
ACTS = "acts"
ACTING = {200, AWAY, 400, 404}


def team_post(allowed: tuple[str, ...]) -> dict[str, object]:
    return {**team_rule(allowed), **{role: ACTS for role in allowed}}


OWN_POST = {**dict.fromkeys(VISITORS, AWAY), "participant": ACTS}
EDIT = team_post(EDITORS)
POST_RULES: dict[str, dict[str, object]] = {
    "": EVERYONE,
    "accounts/login/": EVERYONE,  # the sign-in form, with its errors
    "language/<str:code>/": dict.fromkeys(VISITORS, 405),
    "studies/new/": {**SIGNED_IN, **dict.fromkeys(TEAM, ACTS), "other member": ACTS},
    "studies/<slug:slug>/": GET_ONLY,
    "studies/<slug:slug>/edit/": EDIT,
    "studies/<slug:slug>/team/": team_post((Role.OWNER,)),
    "studies/<slug:slug>/audit/": GET_ONLY,
    "studies/<slug:slug>/consent/": team_post((Role.OWNER,)),
    "studies/<slug:slug>/organisations/": EDIT,
    "studies/<slug:slug>/participants/": team_post(PEOPLE),
    "studies/<slug:slug>/participants/<str:pseudonym>/": team_post(PEOPLE),
    "studies/<slug:slug>/participants/<str:pseudonym>/data.json": GET_ONLY,
    # The invited address only: every member here has another address (403).
    "invitations/<str:token>/": {**EVERYONE, **dict.fromkeys((*TEAM, "other member"), 403)},
    # Joining needs the consent box ticked; someone who joined already is sent to their page.
    "join/<str:code>/": {**dict.fromkeys(VISITORS, 400), "participant": AWAY},
    "join/<str:code>/you/": OWN_POST,
    "join/<str:code>/you/consent/": OWN_POST,
    "join/<str:code>/you/about/": OWN_POST,
    "join/<str:code>/you/data/": OWN_POST,
    "join/<str:code>/you/data.json": OWN_POST,
    "join/<str:code>/you/erase/": OWN_POST,
    "join/<str:code>/story/": dict.fromkeys(VISITORS, 400),  # a story needs its words
    "join/<str:code>/stories/": OWN_POST,
    "c/<str:code>/": dict.fromkeys(VISITORS, 400),
    "c/<str:code>/vote/": OWN_POST,
    "c/<str:code>/write/": OWN_POST,
    "c/<str:code>/about-you/": OWN_POST,
    "c/<str:code>/results/": dict.fromkeys(VISITORS, 405),
    "studies/<slug:slug>/conversations/new/": EDIT,
    "studies/<slug:slug>/conversations/<str:code>/": EDIT,
    "studies/<slug:slug>/conversations/<str:code>/moderate/": EDIT,
    "studies/<slug:slug>/conversations/<str:code>/results/": EDIT,
    "studies/<slug:slug>/conversations/<str:code>/enter/": team_post(PEOPLE),
    "studies/<slug:slug>/stories/": EDIT,
    "studies/<slug:slug>/stories/new/": team_post(PEOPLE),
    "studies/<slug:slug>/stories/import/": team_post(PEOPLE),
    "studies/<slug:slug>/stories/<int:number>/": team_post(PEOPLE),
    "studies/<slug:slug>/stories/<int:number>/recording/": GET_ONLY,
    "studies/<slug:slug>/case-studies/": EDIT,
    "studies/<slug:slug>/case-studies/<slug:organisation>/": team_post(PEOPLE),
    "studies/<slug:slug>/codebook/": EDIT,
    "studies/<slug:slug>/codebook.csv": GET_ONLY,
    "studies/<slug:slug>/codebook.qdc": GET_ONLY,
    "studies/<slug:slug>/project.qdpx": GET_ONLY,
    "studies/<slug:slug>/coding/": GET_ONLY,
    "studies/<slug:slug>/coding/<str:evidence_id>/": EDIT,
    "studies/<slug:slug>/agreement/": GET_ONLY,
    "studies/<slug:slug>/passages/": GET_ONLY,
    "studies/<slug:slug>/memos/": EDIT,
    "studies/<slug:slug>/equity/": EDIT,
    "status/": {**team_rule(()), **dict.fromkeys((*TEAM, "other member"), 405)},
    "accounts/password-reset/": EVERYONE,  # the page saying to ask the administrator
    "accounts/password-reset/sent/": dict.fromkeys(VISITORS, 405),
    "accounts/reset/<uidb64>/<token>/": EVERYONE,  # the page saying the link no longer works
    "accounts/reset/done/": dict.fromkeys(VISITORS, 405),
    "studies/<slug:slug>/member-check/": EDIT,
    "studies/<slug:slug>/member-check/paper/": team_post(PEOPLE),
    "studies/<slug:slug>/member-check/sessions/<int:session>/": team_post(PEOPLE),
    "studies/<slug:slug>/themes/": EDIT,
    "studies/<slug:slug>/themes/<int:number>/": EDIT,
    "studies/<slug:slug>/findings/": EDIT,
    "studies/<slug:slug>/findings/<int:number>/": EDIT,
    "studies/<slug:slug>/recommendations/<int:number>/": EDIT,
    "s/<slug:slug>/": dict.fromkeys(VISITORS, 405),
    "s/<slug:slug>/files/<path:path>": dict.fromkeys(VISITORS, 405),
    "studies/<slug:slug>/publication/": team_post(EXPORTERS),
    "studies/<slug:slug>/easy-read/": EDIT,
    "studies/<slug:slug>/easy-read/parts/<int:number>/": EDIT,
    "studies/<slug:slug>/easy-read/check/": EDIT,
    "studies/<slug:slug>/easy-read/preview/": GET_ONLY,
    "studies/<slug:slug>/easy-read/pictures/<str:symbol>.svg": GET_ONLY,
    "studies/<slug:slug>/easy-read/images/<int:image>/": GET_ONLY,
    "api/": dict.fromkeys(VISITORS, 404),
    "api/openapi.json": EVERYONE,
    "api/docs": EVERYONE,
    "api/conversations/<code>": dict.fromkeys(VISITORS, 405),
    "api/conversations/<code>/next": dict.fromkeys(VISITORS, 405),
    # The API's posts need a body (and a signed xid): an empty one is refused as bad input.
    "api/conversations/<code>/statements": dict.fromkeys(VISITORS, 400),
    "api/conversations/<code>/participants": dict.fromkeys(VISITORS, 400),
    "api/conversations/<code>/votes": dict.fromkeys(VISITORS, 400),
}
# Signing out and withdrawing are one click each by design (a confirmation page comes first
# for withdrawing); both are tested on their own, and would end the sessions this test needs.
NOT_POSTED = ("accounts/logout/", "join/<str:code>/withdraw/")


def test_every_url_has_a_rule_for_posting() -> None:
    missing = sorted(set(routes()) - set(POST_RULES) - set(NOT_POSTED))
    assert not missing, f"add these URLs to POST_RULES with who may post to them: {missing}"


def test_every_visitor_posting_gets_the_answer_the_rule_gives() -> None:
    values, clients = a_study_with_everything()
    wrong = []
    for route in [r for r in routes() if r not in NOT_POSTED]:
        url = address(route, values)
        for visitor in VISITORS:
            response = clients[visitor].post(url, {})
            got: object = response.status_code
            if got == 302:
                got = LOGIN if "/accounts/login/" in response["Location"] else AWAY
            expected = POST_RULES[route][visitor]
            if got != expected and not (expected == ACTS and got in ACTING):
                wrong.append(f"POST {url} as {visitor}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)
