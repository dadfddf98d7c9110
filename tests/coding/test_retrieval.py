"""Retrieval and the coded item: passages under a code and its sub-codes across strands,
filtered and exported; coded passages highlighted in the item's text."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from coproduce.coding import codebook, codings
from coproduce.coding.highlight import pieces
from coproduce.coding.models import Coding
from coproduce.stories import services as story_services
from coproduce.studies.models import Role
from tests.support.factories import client_for, story, study_with_team

pytestmark = pytest.mark.django_db


def a_coded_study():  # type: ignore[no-untyped-def]
    study, team = study_with_team()
    owner = team[Role.OWNER]
    told = [
        story_services.tell_story(study, story(text=text))
        for text in (
            "The night bus stopped, so I lost my evening job.",
            "Rent went up twice this year and the flat is damp.",
        )
    ]
    for s in told:
        story_services.save_check(s, owner, [])
    transport = codebook.add_code(study, owner, "Transport")
    buses = codebook.add_code(study, owner, "Buses", parent=transport)
    housing = codebook.add_code(study, owner, "Housing")
    codings.code_passage(study, owner, buses, f"story:{told[0].pk}", passage="The night bus")
    codings.code_passage(
        study,
        team[Role.RESEARCHER],
        transport,
        f"story:{told[0].pk}",
        passage="lost my evening job",
    )
    codings.code_passage(study, owner, housing, f"story:{told[1].pk}", passage="Rent went up")
    return study, team, told, transport, buses


def test_passages_under_a_code_include_its_sub_codes_and_filter_and_export() -> None:
    study, team, _told, transport, buses = a_coded_study()
    client = client_for(team[Role.CO_RESEARCHER])
    url = f"/studies/{study.slug}/passages/"
    page = client.get(url, {"code": transport.pk}).content.decode()
    assert "The night bus" in page and "lost my evening job" in page
    assert "Rent went up" not in page  # another code
    only_buses = client.get(url, {"code": buses.pk}).content.decode()
    assert "The night bus" in only_buses and "lost my evening job" not in only_buses
    researcher = codings.coder_of(Coding.objects.get(passage="lost my evening job"))
    by_coder = client.get(url, {"code": transport.pk, "coder": researcher})
    assert "lost my evening job" in by_coder.content.decode()
    assert "The night bus" not in by_coder.content.decode()
    exported = client.get(url, {"code": transport.pk, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    # In codebook order (Transport before its sub-code Buses), then by item and place.
    assert [r["passage"] for r in rows] == ["lost my evening job", "The night bus"]
    assert {r["code"] for r in rows} == {"Transport", "Transport > Buses"}
    word = client.get(url, {"code": transport.pk, "format": "docx"})
    with zipfile.ZipFile(io.BytesIO(word.content)) as document:
        assert "The night bus" in document.read("word/document.xml").decode()
    html = client.get(url, {"format": "html"}).content.decode()
    assert '<html lang="en-GB">' in html and "Rent went up" in html
    assert client.get(url, {"code": "999999"}).status_code == 404


def test_withdrawn_stories_give_no_passages() -> None:
    study, team, told, *_ = a_coded_study()
    story_services.withdraw_story(told[0], team[Role.OWNER])
    page = client_for(team[Role.OWNER]).get(f"/studies/{study.slug}/passages/").content.decode()
    assert "The night bus" not in page and "Rent went up" in page


def test_coded_passages_are_highlighted_and_the_text_is_unchanged() -> None:
    study, team, told, *_ = a_coded_study()
    client = client_for(team[Role.OWNER])
    page = client.get(f"/studies/{study.slug}/coding/story:{told[0].pk}/").content.decode()
    assert (
        '<mark class="coded"' in page
        and 'title="Transport &gt; Buses">The night bus</mark>' in (page)
    )
    found = list(Coding.objects.filter(evidence_id=f"story:{told[0].pk}"))
    cut = pieces(told[0].text, found)
    assert "".join(p.text for p in cut) == told[0].text
    assert [p.text for p in cut if p.codings] == ["The night bus", "lost my evening job"]
