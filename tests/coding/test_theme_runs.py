"""Suggesting themes from the themes page: queued for the background worker, its progress on
the page, and what it left out, with each reason."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.coding.models import Theme, ThemeRun
from coproduce.coding.themes import run_suggestions
from coproduce.studies.models import Role
from tests.support.factories import client_for, story, study_with_team

pytestmark = pytest.mark.django_db

TOLD = [
    "The night bus stopped running so I lost my evening job.",
    "The last bus leaves too early for shift workers like me.",
    "Buses at night would let me get home from work safely.",
    "The bus timetable changed and nobody told us about it.",
    "Our rent went up twice this year and the flat is damp.",
    "The landlord will not fix the mould in the bedroom.",
    "Rents are so high that young people leave the town.",
    "Damp and mould in our flat make my children ill.",
    "The library is closed at weekends when we could go.",
    "The library computers are the only internet I have.",
    "We need the library open in the evenings for homework.",
    "The library is a warm safe place for older people.",
    "asdfghjkl",
    "test",
]


def test_themes_are_suggested_in_the_background_with_progress_and_reasons(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from coproduce.stories import services as story_services

    study, team = study_with_team()
    owner = team[Role.OWNER]
    for text in TOLD:
        told = story_services.tell_story(study, story(text=text))
        story_services.save_check(told, owner, [])
    client = client_for(team[Role.CO_RESEARCHER])
    url = f"/studies/{study.slug}/themes/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "suggest", "backend": "default"}).status_code == 302
        client.post(url, {"action": "suggest", "backend": "default"})  # covered by the first
    [run] = ThemeRun.objects.filter(study=study)
    assert "Waiting for the background worker" in client.get(url).content.decode()
    run_suggestions(run.pk)  # what the worker does
    run.refresh_from_db()
    assert run.state == ThemeRun.State.DONE and run.percent == 100
    reasons = dict(run.unassigned)
    assert sorted(reasons.values()) == ["a test post", "keyboard mashing"]
    page = client.get(url).content.decode()
    assert "2 texts are in no theme" in page and "keyboard mashing" in page
    suggested = Theme.objects.filter(study=study)
    assert suggested and all(t.language == "en" for t in suggested)
    assert not any("asdf" in t.label or "test" in t.terms for t in suggested)
    # A method that does not exist is refused in one sentence, and nothing is queued.
    client.post(url, {"action": "suggest", "backend": "bertopic"})
    assert ThemeRun.objects.filter(study=study).count() == 1
    # Observers may look, not ask.
    assert client_for(team[Role.OBSERVER]).post(url, {"action": "suggest"}).status_code == 403
