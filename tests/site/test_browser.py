"""Participant pages in a real browser: usable without JavaScript, and axe-core finds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services
from coproduce.studies.models import Participant
from tests.support.factories import study_with_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(chromium: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own database calls
    # are ordinary blocking calls, which Django allows once told so.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Database calls made while Playwright's loop ran used their own connections; close
        # them here, in the same context, so the test database can be dropped at the end.
        from django.db import connections

        connections.close_all()


def signed_in(browser: Any, site: str, user: Any, **options: Any) -> Any:
    """A browser context whose session is signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": site + "/"}])
    return context


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
        },
    )
    return [
        f"{v['id']}: {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]


def test_join_pages_pass_axe_and_work_without_javascript(browser: Any, site: str) -> None:
    study, _ = study_with_team()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/join/{study.join_code}/")
    # Sending the form empty shows the error summary.
    page.get_by_role("button", name="Take part").click()
    assert page.get_by_role("alert").is_visible()
    context_js = browser.new_context()
    checker = context_js.new_page()
    checker.goto(f"{site}/join/{study.join_code}/")
    assert axe_violations(checker) == []
    # The error state must be accessible too.
    checker.get_by_role("button", name="Take part").click()
    assert axe_violations(checker) == []
    # Join with JavaScript off: choose, tick, send.
    page.get_by_label("You may quote my words without my name").check()
    page.get_by_label("I have read the information above").check()
    page.get_by_role("button", name="Take part").click()
    assert page.get_by_role("heading", name="Your part in the study").is_visible()
    participant = Participant.objects.get(study=study)
    assert participant.consent_level() == ConsentLevel.QUOTE
    page.goto(f"{site}/join/{study.join_code}/withdraw/")
    page.get_by_role("button", name="Yes, withdraw me").click()
    assert participant.consent_level() == ConsentLevel.WITHDRAWN
    context.close()
    context_js.close()


def test_participant_own_pages_pass_axe(browser: Any, site: str) -> None:
    study, _ = study_with_team()
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}/join/{study.join_code}/")
    page.get_by_label("You may publish what I share in full").check()
    page.get_by_label("I have read the information above").check()
    page.get_by_role("button", name="Take part").click()
    for path in ("you/", "withdraw/", "you/data/", "you/erase/"):
        page.goto(f"{site}/join/{study.join_code}/{path}")
        assert axe_violations(page) == [], path
    context.close()


def test_team_pages_pass_axe(browser: Any, site: str) -> None:
    from django.test import Client

    study, team = study_with_team()
    client = Client()
    participant = services.join(study, ConsentLevel.QUOTE)
    services.invite(study, team["owner"], "new@example.org", "observer")
    services.revise_consent_text(study, team["owner"], "Version two.", "anonymise")
    services.set_retention(study, team["owner"], 24)
    services.add_organisation(study, team["owner"], "Food Hub")
    client.force_login(team["owner"])
    cookie = client.cookies["sessionid"].value
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": site + "/"}])
    page = context.new_page()
    for path in (
        "/",
        f"/studies/{study.slug}/",
        f"/studies/{study.slug}/edit/",
        f"/studies/{study.slug}/team/",
        f"/studies/{study.slug}/participants/",
        f"/studies/{study.slug}/organisations/",
        f"/studies/{study.slug}/audit/",
        f"/studies/{study.slug}/consent/",
        f"/studies/{study.slug}/participants/{participant.pseudonym}/",
        "/studies/new/",
    ):
        page.goto(site + path)
        assert axe_violations(page) == [], path
    context.close()


def walk_conversation(page: Any, base: str, check: Any) -> None:
    """Go through a conversation as a participant would, calling check(page, step) on each page."""
    page.goto(base)
    check(page, "start")
    page.get_by_role("button", name="Take part").click()
    check(page, "start with errors")
    page.get_by_label("You may quote my words without my name").check()
    page.get_by_label("I have read the information above").check()
    page.get_by_role("button", name="Take part").click()
    assert "Statement 1 of 2" in page.content()
    check(page, "vote")
    page.get_by_role("button", name="Agree", exact=True).click()
    page.get_by_role("button", name="Pass / unsure").click()
    assert page.get_by_role("heading", name="You have seen every statement").is_visible()
    check(page, "all voted")
    page.goto(base + "write/")
    check(page, "write")
    page.get_by_role("button", name="Add my statement").click()
    check(page, "write with errors")
    page.get_by_label("Your statement").fill("Pay people for their time")
    page.get_by_role("button", name="Add my statement").click()
    assert page.get_by_role("heading", name="Someone has written something similar").is_visible()
    check(page, "similar")
    page.get_by_role("button", name="Mine says something different: add it").click()
    check(page, "thanks")
    page.goto(base + "about-you/")
    check(page, "about you")
    page.get_by_label("Person with lived experience").check()
    page.get_by_label("Describe yourself in any way you choose").fill("Young carer")
    page.get_by_role("button", name="Save").click()


def no_axe_violations(page: Any, step: str) -> None:
    assert axe_violations(page) == [], step


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-axe"])
def test_conversation_pages(browser: Any, site: str, javascript: bool) -> None:
    """Without JavaScript every step works; with it, axe-core checks every page on the way."""
    from coproduce.conversations import services as conversations

    study, team = study_with_team()
    conversation = conversations.create_conversation(study, team["owner"], "What helps?")
    conversations.add_statements(
        conversation,
        [
            conversations.NewStatement(text=t, is_seed=True, written_by=team["owner"])
            for t in ("Paying people for their time.", "Meeting in familiar places.")
        ],
    )
    context = browser.new_context(java_script_enabled=javascript)
    check = no_axe_violations if javascript else (lambda page, step: None)
    walk_conversation(context.new_page(), f"{site}/c/{conversation.code}/", check)
    context.close()
    assert conversation.statements.filter(text="Pay people for their time").exists()
    person = Participant.objects.get(study=study)
    assert (person.role, person.self_description) == ("lived_experience", "Young carer")


def test_conversation_team_pages_pass_axe(browser: Any, site: str) -> None:

    from coproduce.conversations import services as conversations

    study, team = study_with_team()
    conversation = conversations.create_conversation(study, team["owner"], "What helps?")
    person = services.join(study, ConsentLevel.QUOTE)
    conversations.write_statement(conversation, person, "Childcare during meetings.")
    context = signed_in(browser, site, team["owner"])
    page = context.new_page()
    prefix = f"/studies/{study.slug}/conversations"
    for path in (
        f"{prefix}/new/",
        f"{prefix}/{conversation.code}/",
        f"{prefix}/{conversation.code}/moderate/",
        f"{prefix}/{conversation.code}/enter/",
        f"/studies/{study.slug}/",
    ):
        page.goto(site + path)
        assert axe_violations(page) == [], path
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_results_pages_pass_axe_and_the_map_works_from_the_keyboard(
    browser: Any, site: str, javascript: bool
) -> None:
    """The team's and the public results pages: no axe-core violations, and with or without
    JavaScript, Tab reaches each group on the map and Enter jumps to its row in the table."""

    from coproduce.conversations import opinion
    from tests.support.factories import two_camps

    conversation, team, _ = two_camps()
    conversation.results_public = True
    conversation.save()
    opinion.refresh(conversation)
    context = signed_in(browser, site, team["owner"], java_script_enabled=javascript)
    page = context.new_page()
    team_path = f"/studies/{conversation.study.slug}/conversations/{conversation.code}/results/"
    for path in (team_path, f"/c/{conversation.code}/results/"):
        page.goto(site + path)
        assert page.locator("svg.opinion-map").count() == 1, path
        if javascript:
            assert axe_violations(page) == [], path
        page.locator("svg.opinion-map a").first.focus()
        assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
            "Group A, 12 people"
        )
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
            "Group B"
        )
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{path}#group-b")
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_story_form_passes_axe_and_works_without_javascript(
    browser: Any, site: str, javascript: bool
) -> None:
    from coproduce.stories.models import Story

    study, _ = study_with_team()
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{site}/join/{study.join_code}/story/")
    if javascript:
        assert axe_violations(page) == []
    page.get_by_role("button", name="Share my story").click()
    assert page.locator(".error-summary").count() == 1
    if javascript:
        assert axe_violations(page) == []  # the page with its errors too
    page.get_by_label("A short answer: what you would say to one open question").check()
    page.get_by_role("textbox", name="Your story").fill("They listened, and then they acted.")
    page.get_by_label("Housing").check()
    page.get_by_label("You may quote my words without my name").check()
    page.get_by_label("I have read the information above and I agree to take part.").check()
    page.get_by_role("button", name="Share my story").click()
    assert page.get_by_role("heading", name="Thank you for your story").count() == 1
    if javascript:
        assert axe_violations(page) == []
    assert Story.objects.get(study=study).text == "They listened, and then they acted."
    page.get_by_role("link", name="Your stories (you can withdraw any of them)").click()
    if javascript:
        assert axe_violations(page) == []
    page.get_by_role("button", name="Withdraw story 1").click()
    assert Story.objects.get(study=study).withdrawn_at is None  # not before confirming
    page.get_by_role("button", name="Yes, withdraw story 1").click()
    assert page.get_by_text("Withdrawn: it is left out of everything we publish.").count() == 1
    assert Story.objects.get(study=study).withdrawn_at is not None
    context.close()


def test_story_and_case_study_team_pages_pass_axe(browser: Any, site: str) -> None:

    from coproduce.casestudies import services as cases
    from coproduce.stories import services as stories
    from coproduce.uploads import Upload
    from tests.support.files import PLANTED, STORIES_CSV, TRANSCRIPT

    study, team = study_with_team()
    stories.import_stories_csv(study, team["researcher"], STORIES_CSV.encode())
    first = study.stories.get(number=1)
    first.text = PLANTED
    first.save()
    from coproduce.studies.models import Organisation

    organisation = Organisation.objects.create(name="Canal Street Food", slug="canal-food-axe")
    study.organisations.add(organisation)
    case = cases.start_case_study(study, team["researcher"], organisation)
    cases.import_interview(
        case, team["researcher"], Upload("i.txt", TRANSCRIPT), consent_level=ConsentLevel.PUBLISH
    )
    named = "Interviewer: Who?\n\nAngela: Ring Dev on 07700 900123.\n\nDev: Angela did.\n"
    checked = cases.import_interview(
        case, team["researcher"], Upload("n.txt", named.encode()), consent_level=3
    )
    cases.save_check(checked, team["researcher"], {})
    stories.withdraw_story(study.stories.get(number=2), team["owner"])
    context = signed_in(browser, site, team["owner"])
    page = context.new_page()
    for path in (
        f"/studies/{study.slug}/stories/",
        f"/studies/{study.slug}/stories/1/",
        f"/studies/{study.slug}/stories/2/",
        f"/studies/{study.slug}/stories/?consent=withdrawn",
        f"/studies/{study.slug}/stories/new/",
        f"/studies/{study.slug}/stories/import/",
        f"/studies/{study.slug}/case-studies/",
        f"/studies/{study.slug}/case-studies/{organisation.slug}/",
        f"/studies/{study.slug}/",
    ):
        page.goto(site + path)
        assert axe_violations(page) == [], path
    context.close()


def test_analysis_pages_pass_axe_and_code_from_the_keyboard(browser: Any, site: str) -> None:

    from coproduce.coding import codebook, codings, findings, themes
    from coproduce.coding.models import Coding
    from tests.support.factories import told

    study, team = study_with_team()
    owner = team["owner"]
    ids = told(study)
    transport = codebook.add_code(study, owner, "Transport")
    codebook.add_code(study, owner, "Night buses", transport)
    codings.code_passage(study, owner, transport, ids[0], passage="night bus")
    codings.code_passage(study, team["researcher"], transport, ids[0], passage="night bus stopped")
    theme = themes.add_theme(study, owner, "Buses fail people", ids[:2])
    themes.mark_quote(theme, owner, ids[0], "I lost my evening job")
    finding = findings.save_finding(study, owner, "Transport cuts cost jobs", "Text.", [theme.pk])
    findings.save_finding(study, owner, "Night work depends on buses", "", [theme.pk])
    advice = findings.save_recommendation(study, owner, "Restore the night bus", [finding.pk])
    findings.save_recommendation(study, owner, "Ask shift workers first", [finding.pk])
    context = signed_in(browser, site, owner)
    page = context.new_page()
    for path in (
        f"/studies/{study.slug}/codebook/",
        f"/studies/{study.slug}/coding/",
        f"/studies/{study.slug}/coding/{ids[1]}/",
        f"/studies/{study.slug}/agreement/",
        f"/studies/{study.slug}/themes/",
        f"/studies/{study.slug}/themes/{theme.pk}/",
        f"/studies/{study.slug}/findings/",
        f"/studies/{study.slug}/findings/{finding.pk}/",
        f"/studies/{study.slug}/recommendations/{advice.pk}/",
    ):
        page.goto(site + path)
        assert axe_violations(page) == [], path
    # Select words in the text and press 2 (the second code, "Transport > Night buses").
    page.goto(site + f"/studies/{study.slug}/coding/{ids[1]}/")
    page.evaluate(
        """() => {
            const node = document.getElementById('evidence-text').firstChild;
            const range = document.createRange();
            range.setStart(node, 0);
            range.setEnd(node, 15);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    with page.expect_navigation():
        page.keyboard.press("2")
    made = Coding.objects.get(evidence_id=ids[1])
    assert (made.start, made.end, made.passage) == (0, 15, "Buses after ten")
    assert made.code.name == "Night buses"
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.url.endswith(f"/coding/{ids[2]}/")
    context.close()


def camps(groups: int = 4, each: int = 10) -> Any:
    """A published conversation where `groups` camps each agree with their own statements and
    disagree with the rest: an analysis with several groups, so the table is wide."""
    from coproduce.conversations import opinion
    from coproduce.conversations import services as conversations
    from coproduce.core.evidence import ConsentLevel as Level

    study, team = study_with_team()
    conversation = conversations.create_conversation(study, team["owner"], "What would help?")
    words = [
        f"Statement {n}: people in camp {n % groups} would say this about buses." for n in range(12)
    ]
    conversations.add_seed_statements(conversation, team["owner"], words)
    for camp in range(groups):
        for i in range(each):
            person = services.join(study, Level.PUBLISH, xid=f"c{camp}-{i}")
            for statement in conversation.statements.all():
                mine = statement.number % groups == camp
                conversations.vote(
                    statement, person, 1 if mine else -1 if (i + statement.number) % 5 else 0
                )
    conversation.results_public = True
    conversation.save()
    opinion.refresh(conversation)
    return conversation


def test_the_statement_table_fits_every_screen_from_320_to_1920_pixels(
    browser: Any, site: str
) -> None:
    """A card per statement on a phone; on wider screens the statement column stays in view and
    the table scrolls within its region: at no width is anything cut off or the page itself
    wider than the screen."""
    conversation = camps()
    page = browser.new_page()
    page.goto(f"{site}/c/{conversation.code}/results/")
    columns = page.locator(".statement-table thead th").count()
    assert columns >= 4  # the statement, everyone, and at least two groups
    for width in (320, 1280, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        fit = page.evaluate(
            """() => {
              const doc = document.documentElement;
              const region = document.querySelector('.statement-table').parentElement;
              region.scrollLeft = region.scrollWidth;  // see the far end too
              const box = region.getBoundingClientRect();
              const cells = [...document.querySelectorAll(
                '.statement-table tbody th, .statement-table tbody td')];
              const cut = cells.filter(c => {
                const r = c.getBoundingClientRect();
                return r.width < 20 || c.scrollWidth > c.clientWidth + 1;
              }).length;
              const lastHead = [...document.querySelectorAll('.statement-table thead th')].pop();
              const statement = document.querySelector('.statement-table tbody th');
              return {
                page: doc.scrollWidth - window.innerWidth,
                cut,
                lastHeadRight: lastHead.getBoundingClientRect().right - box.right,
                statementWidth: statement.getBoundingClientRect().width,
                statementLeft: statement.getBoundingClientRect().left - box.left,
                cards: getComputedStyle(statement).display === 'block',
              };
            }"""
        )
        assert fit["page"] <= 0, (width, fit)
        assert fit["cut"] == 0, (width, fit)
        assert fit["statementWidth"] >= 220, (width, fit)  # never a word a line
        if width == 320:
            assert fit["cards"], fit
        else:
            assert not fit["cards"] and fit["lastHeadRight"] <= 1, (width, fit)
            assert abs(fit["statementLeft"]) <= 1, (width, fit)  # kept in view while scrolled
    page.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_participant_walks_through_a_whole_study(
    browser: Any, site: str, javascript: bool
) -> None:
    """From the study link: consent, every open conversation, a story, results, a new consent
    text to read, withdrawing a story and then from the study, each after confirming. With
    JavaScript, axe-core checks every page on the way; without it, everything still works."""
    from coproduce.conversations import services as conversations

    study, team = study_with_team()
    owner = team["owner"]
    first = conversations.create_conversation(study, owner, "What helps you get about?")
    conversations.add_seed_statements(first, owner, ["Later buses.", "Cheaper fares."])
    conversations.publish_results(first, owner, public=True)
    second = conversations.create_conversation(study, owner, "What gets in the way?")
    conversations.add_seed_statements(second, owner, ["Broken lifts."])
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    checked: list[str] = []

    def check(step: str) -> None:
        checked.append(step)
        if javascript:
            assert axe_violations(page) == [], step

    page.goto(f"{site}/join/{study.join_code}/")
    check("join")
    page.get_by_label("You may quote my words without my name").check()
    page.get_by_label("I have read the information above").check()
    page.get_by_role("button", name="Take part").click()
    assert page.get_by_text("2 statements wait for you").is_visible()
    check("home")
    page.get_by_role("link", name="What helps you get about?", exact=True).click()
    page.get_by_role("link", name="Start").click()
    for _ in range(2):
        check("vote")
        page.get_by_role("button", name="Agree", exact=True).click()
    assert page.get_by_role("heading", name="You have seen every statement").is_visible()
    check("end of a conversation")
    page.get_by_role("link", name="Next conversation: What gets in the way?").click()
    page.get_by_role("link", name="Start").click()
    page.get_by_role("button", name="Disagree").click()
    page.get_by_role("link", name="Your part in the study", exact=False).first.click()
    page.get_by_role("link", name="Tell a story").first.click()
    check("tell a story")
    page.get_by_label("A short answer").check()
    page.get_by_role("textbox", name="Your story").fill(
        "The lift at the station was broken for a month."
    )
    page.get_by_role("button", name="Share my story").click()
    assert page.get_by_role("heading", name="Thank you for your story").is_visible()
    check("thanks")
    page.get_by_role("link", name="Your part in the study", exact=False).first.click()
    page.get_by_role("link", name="Results: What helps you get about?").click()
    check("results")
    # The team writes a new consent text; at their next visit the participant reads it first.
    services.revise_consent_text(study, owner, "We will also tell the council.", "remove")
    page.goto(f"{site}/join/{study.join_code}/you/")
    assert page.get_by_role("heading", name="What you agree to has changed").is_visible()
    check("new consent text")
    page.get_by_label("You may quote my words without my name").check()
    page.get_by_label("I have read the information above").check()
    page.get_by_role("button", name="I agree").click()
    page.get_by_role("link", name="See your stories, or withdraw one").click()
    page.get_by_role("button", name="Withdraw story 1").click()
    check("confirm withdrawing a story")
    page.get_by_role("button", name="Yes, withdraw story 1").click()
    assert page.get_by_text("Withdrawn: it is left out of everything we publish.").is_visible()
    page.goto(f"{site}/join/{study.join_code}/withdraw/")
    check("confirm withdrawing")
    page.get_by_role("button", name="Yes, withdraw me").click()
    assert page.get_by_role("heading", name="You have withdrawn from this study").is_visible()
    check("withdrawn")
    person = Participant.objects.get(study=study)
    assert person.consent_level() == ConsentLevel.WITHDRAWN
    assert person.stories.get().withdrawn_at is not None and person.consents.count() == 2
    assert len(checked) == 12
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_publication_works_from_a_usb_stick(
    browser: Any, site: str, javascript: bool, tmp_path: Any
) -> None:
    """Every HTML page of a publication, opened from file:// (no server, no network): axe-core
    finds nothing with JavaScript on; with it off, a finding still opens its evidence."""
    from coproduce.coding import findings, themes
    from coproduce.publications import services as publications
    from coproduce.stories import services as stories
    from tests.support.factories import story

    conversation = camps(groups=2, each=6)
    study, owner = conversation.study, conversation.study.memberships.get(role="owner").user
    told = stories.tell_story(study, story(text="The last bus leaves at six, so I cannot stay."))
    stories.save_check(told, owner, [])
    theme = themes.add_theme(study, owner, "Buses end too early", [f"story:{told.pk}"])
    themes.mark_quote(theme, owner, f"story:{told.pk}", "The last bus leaves at six")
    finding = findings.save_finding(
        study, owner, "Evening buses decide who can take part", theme_ids=[theme.pk]
    )
    findings.save_recommendation(study, owner, "Meet before six", [finding.pk])
    folder = tmp_path / "publication"
    files = publications.build(study, folder)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    for path in sorted(p for p in files if p.endswith(".html")):
        page.goto((folder / path).as_uri())
        assert page.locator("h1").count() == 1, path
        if javascript:
            assert axe_violations(page) == [], path
    page.goto((folder / "summary" / "index.html").as_uri())
    quote = page.get_by_text("“The last bus leaves at six”")
    assert not quote.is_visible()
    page.get_by_text("1. Evening buses decide who can take part").click()
    assert quote.is_visible()
    page.get_by_role("link", name="Report: the whole study on one page, ready to print").click()
    assert page.url.endswith("/report.html")
    context.close()


def test_the_easy_read_editor_passes_axe_checks_as_people_type_and_works_without_javascript(
    browser: Any, site: str
) -> None:
    from coproduce.coding import findings
    from coproduce.publications import easy_read

    study, team = study_with_team()
    owner = team["owner"]
    findings.save_finding(study, owner, "Buses fail people", "Late, rare, full.")
    version = easy_read.version_for(study, owner)
    part = version.parts.get(kind="finding")
    easy_read.explain_word(version, owner, "participants", "People who took part.")
    easy_read.save_part(
        part, owner, "Buses", [easy_read.PointForm("Buses are late.", "bus", None, "")], {}
    )
    editor = f"{site}/studies/{study.slug}/easy-read/parts/{part.pk}/"
    context = signed_in(browser, site, owner)
    page = context.new_page()
    for path in ("easy-read/", f"easy-read/parts/{part.pk}/", "easy-read/preview/"):
        page.goto(f"{site}/studies/{study.slug}/{path}")
        assert axe_violations(page) == [], path
    page.goto(editor)
    page.get_by_label("Words", exact=True).first.fill("Buses are late; people wait at the stop.")
    page.get_by_text("it joins two ideas with a semicolon").wait_for(timeout=10_000)
    context.close()
    quiet = signed_in(browser, site, owner, java_script_enabled=False)
    page = quiet.new_page()
    page.goto(editor)
    page.get_by_label("Words", exact=True).nth(1).fill("The stakeholders want more buses.")
    page.get_by_label("Picture: a word to find one").nth(1).fill("people")
    page.get_by_role("button", name="Save and check").click()
    assert "“stakeholders” is a hard word: explain this word" in page.content()
    part.refresh_from_db()
    assert [p["text"] for p in part.points] == [
        "Buses are late.",
        "The stakeholders want more buses.",
    ]
    quiet.close()


def test_equity_and_member_check_pages_pass_axe(browser: Any, site: str) -> None:
    from coproduce.conversations import services as conversations
    from coproduce.conversations.models import StatementComment
    from coproduce.equity import member_check
    from tests.support.equity import a_lopsided_study

    s = a_lopsided_study()
    owner = s.team["owner"]
    check = member_check.open_member_check(s.study, owner)
    statement = check.findings.get(finding=s.first).statement
    conversations.vote_with_comment(statement, s.others[0], 1, "Yes, and the phone line too.")
    session = member_check.start_session(check, owner, "Network session")
    member_check.record_hands(session, owner, s.first, "12", "3", "1", "Mostly true.")
    member_check.revise_finding(s.second, owner, "Kindness matters", "", "The room said so.")
    context = signed_in(browser, site, owner)
    page = context.new_page()
    slug = s.study.slug
    for path in (
        f"/studies/{slug}/equity/",
        f"/studies/{slug}/member-check/",
        f"/studies/{slug}/member-check/paper/",
        f"/studies/{slug}/member-check/sessions/{session.pk}/",
        f"/studies/{slug}/member-check/sessions/{session.pk}/?finding=2",
    ):
        page.goto(site + path)
        assert axe_violations(page) == [], path
    # The participant's side: the vote page with its comment box.
    visitor = browser.new_context()
    mine = visitor.new_page()
    mine.goto(f"{site}/c/{check.conversation.code}/")
    mine.get_by_label("You may quote my words without my name").check()
    mine.get_by_label("I have read the information above").check()
    mine.get_by_role("button", name="Take part").click()
    assert axe_violations(mine) == [], "the member check's vote page"
    mine.get_by_label("What is missing or wrong? (optional)").fill("Nothing about money.")
    mine.get_by_role("button", name="Disagree", exact=True).click()
    assert "Statement 2 of 2" in mine.content()
    visitor.close()
    assert StatementComment.objects.filter(text="Nothing about money.").exists()
