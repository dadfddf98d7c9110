"""Who may open which page: every URL in the URL configuration against every kind of visitor.

Each URL is given the rule that guards it; the expected answer for each visitor follows from the
rule. A URL with no rule here fails the suite, so a new page cannot arrive unguarded.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from coproduce.casestudies import services as case_services
from coproduce.coding import codebook, findings, themes
from coproduce.conversations import services as conversation_services
from coproduce.stories import services as story_services
from coproduce.studies import services as study_services
from coproduce.studies.models import Organisation, Participant, Role
from coproduce.uploads import Upload
from tests.support.factories import account, client_for, story, study_with_team
from tests.support.files import TRANSCRIPT, VTT, recording

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

RULES: dict[str, dict[str, object]] = {
    "": EVERYONE,
    "accounts/login/": EVERYONE,
    "accounts/logout/": dict.fromkeys(VISITORS, 405),
    "studies/new/": SIGNED_IN,
    "studies/<slug:slug>/": team_rule(TEAM),
    "studies/<slug:slug>/edit/": team_rule(EDITORS),
    "studies/<slug:slug>/team/": team_rule(TEAM),
    "studies/<slug:slug>/audit/": team_rule((Role.OWNER,)),
    "studies/<slug:slug>/organisations/": team_rule(TEAM),
    "studies/<slug:slug>/participants/": team_rule(PEOPLE),
    "studies/<slug:slug>/participants/<str:pseudonym>/": team_rule(PEOPLE),
    "studies/<slug:slug>/participants/<str:pseudonym>/data.json": team_rule(PEOPLE),
    "invitations/<str:token>/": EVERYONE,
    "join/<str:code>/": EVERYONE,
    "join/<str:code>/you/": OWN_PAGE,
    "join/<str:code>/withdraw/": OWN_PAGE,
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
    "studies/<slug:slug>/themes/": team_rule(TEAM),
    "studies/<slug:slug>/themes/<int:number>/": team_rule(TEAM),
    "studies/<slug:slug>/findings/": team_rule(TEAM),
    "studies/<slug:slug>/findings/<int:number>/": team_rule(TEAM),
    "studies/<slug:slug>/recommendations/<int:number>/": team_rule(TEAM),
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


def routes() -> list[str]:
    """Every route in the URL configuration but the site administration's."""

    def walk(patterns: list[Any], prefix: str = "") -> list[str]:
        found = []
        for p in patterns:
            if isinstance(p, URLResolver):
                found += walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append(prefix + str(p.pattern))
        return found

    return sorted({r for r in walk(get_resolver().url_patterns) if not r.startswith("admin/")})


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
    }, clients


def address(route: str, values: dict[str, str]) -> str:
    """The route with its parameters filled in from the study."""
    path = route
    code = values["join"] if route.startswith("join/") else values["conversation"]
    number = values["number"]
    for kind in ("theme", "finding", "recommendation"):
        if route.startswith(f"studies/<slug:slug>/{kind}s/"):
            number = values[kind]
    for param, value in (
        ("<slug:slug>", values["slug"]),
        ("<str:code>", code),
        ("<code>", values["conversation"]),
        ("<str:pseudonym>", values["pseudonym"]),
        ("<str:token>", values["token"]),
        ("<int:number>", number),
        ("<slug:organisation>", values["organisation"]),
        ("<str:evidence_id>", values["evidence_id"]),
    ):
        path = path.replace(param, value)
    return "/" + path


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
