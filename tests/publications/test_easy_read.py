"""The Easy Read version: each rule refuses a breaking text naming its sentence; the version is
a tagged PDF and a page with pictures on the left; the team writes it side by side with the
finding, and a version that breaks a rule is never published."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.coding import findings
from coproduce.core.errors import InvalidInput
from coproduce.core.publishing import easy_read as rules
from coproduce.core.publishing import symbols
from coproduce.core.publishing.easy_read import EasyRead, Part, Picture, Point, Word
from coproduce.core.publishing.renderers.easy_read import render_easy_read
from coproduce.publications import easy_read, services
from coproduce.publications.easy_read import PointForm
from coproduce.publications.models import EasyReadPart
from coproduce.studies.models import Role
from tests.support.factories import client_for, study_with_team
from tests.support.files import png
from tests.support.pdf import language_of, structure_of, text_of

BUS = Picture("A bus", symbol="1F68C")


def version(*texts: str, **changes: object) -> EasyRead:
    made = EasyRead(
        "Buses: Easy Read",
        (Part("What we found", tuple(Point(t, BUS) for t in texts)),),
        (Word("participants", "People who took part."),),
    )
    return replace(made, **changes)  # type: ignore[arg-type]


GOOD = version("The last bus is at six o'clock.", "People want buses later at night.")


@pytest.mark.parametrize(
    ("rule", "text", "advice"),
    [
        (
            "sentence-length",
            "We asked lots of people in the town what they would like the buses to do next year.",
            "it has 18 words; keep each sentence to 15",
        ),
        ("one-idea", "Buses are late; people wait.", "with a semicolon"),
        ("one-idea", "Buses are late, and people wait.", "with “, and”"),
        ("one-idea", "The bus which comes at six is late.", "with “which”"),
        ("hard-word", "The stakeholders want buses.", "“stakeholders” is a hard word"),
    ],
)
def test_each_word_rule_refuses_naming_the_sentence(rule: str, text: str, advice: str) -> None:
    found = rules.problems(version("The bus is red.", text))
    assert [p.rule for p in found] == [rule]
    (problem,) = found
    assert problem.sentence == text and problem.where == "What we found, point 2"
    assert advice in str(problem) and f"“{text}”" in str(problem)


def test_an_explained_hard_word_and_a_good_version_break_no_rule() -> None:
    assert rules.problems(GOOD) == []
    assert rules.problems(version("Twenty participants came.")) == []  # explained: allowed
    assert [p.rule for p in rules.problems(version("Twenty participants came.", words=()))] == [
        "hard-word"
    ]


def test_a_point_without_a_picture_or_its_words_is_refused() -> None:
    bare = replace(GOOD, parts=(Part("Found", (Point("Buses are late."),)),))
    assert [str(p) for p in rules.problems(bare)] == [
        "“Buses are late.” (Found, point 1): put a picture beside it"
    ]
    unsaid = replace(
        GOOD, parts=(Part("Found", (Point("Buses are late.", Picture(" ", "1F68C")),)),)
    )
    assert "say in words what its picture shows" in str(rules.problems(unsaid)[0])


def test_small_text_long_documents_and_two_words_for_one_thing_are_refused() -> None:
    assert "make it at least 14" in str(rules.problems(replace(GOOD, text_size=12))[0])
    assert "keep it to 20" in str(rules.problems(GOOD, pages=21)[0])
    mixed = version("The study asked people.", "The project ended in May.")
    (problem,) = rules.problems(mixed)
    assert problem.rule == "same-word" and problem.sentence == "The project ended in May."
    assert "“project” for what was called “study” before" in str(problem)


def test_word_rules_are_for_english_and_the_others_hold_in_every_language() -> None:
    welsh = version("Mae'r bws yn hwyr; mae pobl yn aros.", lang="cy")
    assert rules.problems(welsh) == []
    long_welsh = version(" ".join(["gair"] * 16) + ".", lang="cy")
    assert [p.rule for p in rules.problems(long_welsh)] == ["sentence-length"]


def test_a_breaking_version_is_not_rendered_and_the_refusal_names_each_sentence() -> None:
    bad = version("Buses are late; people wait.", "The stakeholders want buses.")
    with pytest.raises(InvalidInput) as refused:
        render_easy_read(bad, "Buses")
    said = str(refused.value)
    assert "breaks 2 of its rules" in said and "nothing was published" in said
    assert "“Buses are late; people wait.”" in said and "“The stakeholders want buses.”" in said


def test_a_version_longer_than_twenty_pages_is_refused_on_its_rendered_length() -> None:
    parts = tuple(
        Part(f"Part {n}", tuple(Point(f"This is point {m}.", BUS) for m in range(12)))
        for n in range(20)
    )
    with pytest.raises(InvalidInput, match=r"it is \d\d pages long; keep it to 20"):
        render_easy_read(replace(GOOD, parts=parts), "Buses")


def test_the_version_is_a_tagged_pdf_in_large_type_with_every_picture_described() -> None:
    files = render_easy_read(GOOD, "Buses in Bury")
    pdf = files["easy-read.pdf"]
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "poppler-utils' pdfinfo checks the PDFs (make system-packages-test)"
    info = subprocess.run([pdfinfo, "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"Tagged:          yes" in info and b"Title:           Buses: Easy Read" in info
    assert language_of(pdf) == "en-GB"
    figures = [alt for kind, alt in structure_of(pdf) if kind == "Figure"]
    assert figures == ["A bus", "A bus"]
    assert "The last bus is at six o'clock." in text_of(pdf) and "OpenMoji" in text_of(pdf)
    # Every word on the page is at least 14 point: pdftotext's word boxes are about 1.16 times
    # the type's size high, so none may be under 14 times 1.1.
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    heights = [
        float(y2) - float(y1)
        for y1, y2 in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes
        )
    ]
    assert heights and min(heights) >= 14 * 1.1, min(heights)
    page = files["easy-read/index.html"].decode()
    point = page[page.index('<div class="point">') :]
    assert point.index("<img") < point.index("The last bus")  # the picture left, words right
    assert "CC BY-SA 4.0" in page and "<strong>" not in point.split("</div></div>")[0]


def test_explained_words_are_bold_where_used_and_listed_at_the_end() -> None:
    page = render_easy_read(version("Twenty participants came."), "Buses", pdf=False)
    html = page["easy-read/index.html"].decode()
    assert "<strong>participants</strong>" in html
    assert '<h2 id="hard-words">Hard words</h2>' in html and "People who took part." in html


def test_pictures_are_found_by_words_the_same_every_time() -> None:
    assert symbols.search("bus")[0].code == "1F68C"
    assert symbols.search("agree")[0].name == "thumbs up"
    assert symbols.search("the people") == symbols.search("people")
    assert all(hint in symbols.by_name() for hint in symbols.HINTS.values())
    assert symbols.search("zzqx") == [] and symbols.search("") == []
    assert symbols.svg("1F68C").startswith(b"<svg")
    with pytest.raises(InvalidInput, match="is not an OpenMoji picture"):
        symbols.svg("../../etc/passwd")


# The team's editor, the archive and publishing, on the database.


@pytest.fixture
def written(db: object) -> tuple[object, dict[str, object], EasyReadPart]:
    study, team = study_with_team("easy")
    findings.save_finding(study, team[Role.OWNER], "Buses fail people", "Late, rare, full.")
    version = easy_read.version_for(study, team[Role.OWNER])
    part = version.parts.get(kind=EasyReadPart.Kind.FINDING)
    return study, team, part


def test_the_editor_shows_the_finding_beside_its_points_and_saves_pictures_found_by_words(
    written: tuple,
) -> None:
    study, team, part = written
    client = client_for(team[Role.CO_RESEARCHER])
    url = f"/studies/{study.slug}/easy-read/parts/{part.pk}/"
    page = client.get(url).content.decode()
    assert "Late, rare, full." in page and 'name="text-0"' in page
    answer = client.post(
        url,
        {"action": "save", "heading": "Buses", "text-0": "The buses are late.", "picture-0": "bus"},
        follow=True,
    )
    part.refresh_from_db()
    assert part.points[0]["symbol"] == "1F68C" and part.points[0]["alt"] == "bus"
    assert "This part keeps every rule." in answer.content.decode()
    # Another picture chosen from those offered for the same words is kept on the next save.
    client.post(
        url,
        {
            "action": "save",
            "heading": "Buses",
            "text-0": "The buses are late.",
            "picture-0": "bus",
            "was-0": "bus",
            "current-0": "1F68C",
            "choose-0": "1F68F",
        },
    )
    part.refresh_from_db()
    assert part.points[0]["symbol"] == "1F68F"
    client.post(
        url,
        {
            "action": "save",
            "heading": "Buses",
            "text-0": "Late.",
            "picture-0": "bus",
            "was-0": "bus",
            "current-0": "1F68F",
        },
    )
    part.refresh_from_db()
    assert part.points[0]["symbol"] == "1F68F"  # kept: its words did not change


def test_the_editor_names_a_broken_rule_under_its_point_and_checks_as_people_type(
    written: tuple,
) -> None:
    study, team, part = written
    client = client_for(team[Role.OWNER])
    url = f"/studies/{study.slug}/easy-read/parts/{part.pk}/"
    text = "Buses are late; people wait."
    page = client.post(
        url, {"action": "save", "heading": "Buses", "text-0": text, "picture-0": "bus"}, follow=True
    ).content.decode()
    assert "it joins two ideas with a semicolon" in page and "1 rule is broken" in page
    check = client.post(f"/studies/{study.slug}/easy-read/check/", {"text": text})
    assert check.status_code == 200
    assert check.json() == {
        "problems": [
            "“Buses are late; people wait.” (this point): it joins two ideas with a semicolon; "
            "make it two sentences"
        ]
    }


def test_an_own_picture_needs_its_words_and_must_be_an_image(written: tuple) -> None:
    study, team, part = written
    owner = team[Role.OWNER]
    point = PointForm("The bus is red.", "", None, "")
    with pytest.raises(InvalidInput, match=r"Say in words what bus\.png shows"):
        easy_read.save_part(part, owner, "Buses", [point], {0: ("bus.png", png())})
    with pytest.raises(InvalidInput, match="is not a PNG or JPEG image"):
        easy_read.save_part(
            part, owner, "Buses", [replace(point, alt="A bus")], {0: ("bus.png", b"<svg/>")}
        )
    easy_read.save_part(
        part, owner, "Buses", [replace(point, alt="A red bus")], {0: ("b.png", png())}
    )
    part.refresh_from_db()
    image = part.points[0]["image"]
    assert image and part.points[0]["symbol"] == ""
    client = client_for(team[Role.OBSERVER])
    answer = client.get(f"/studies/{study.slug}/easy-read/images/{image}/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    model = easy_read.as_easy_read(part.version)
    picture = model.parts[1].points[0].picture
    assert picture is not None and picture.alt == "A red bus"
    assert picture.image.startswith("data:image/png;base64,")


def test_observers_read_the_version_but_cannot_change_it(written: tuple) -> None:
    study, team, part = written
    observer = team[Role.OBSERVER]
    with pytest.raises(PermissionDenied):
        easy_read.save_part(part, observer, "Buses", [PointForm("Hi.", "bus", None, "")], {})
    answer = client_for(observer).post(
        f"/studies/{study.slug}/easy-read/parts/{part.pk}/", {"action": "save", "heading": "X"}
    )
    assert answer.status_code == 403


def test_a_version_that_breaks_a_rule_is_never_published(written: tuple) -> None:
    study, team, part = written
    owner = team[Role.OWNER]
    good = [PointForm("The buses are late.", "bus", None, "")]
    easy_read.save_part(part, owner, "Buses", good, {})
    version = part.version
    easy_read.save_settings(version, owner, "Buses: Easy Read", 16, published=True)
    files = services.build(study, services.folder_for(study))
    assert "easy-read.pdf" in files and "easy-read/index.html" in files
    assert b"easy-read.pdf" in files["index.html"]
    # Changed afterwards to break a rule: the build is refused, naming the sentence.
    broken = [PointForm("The stakeholders want buses; they wait.", "bus", None, "")]
    easy_read.save_part(part, owner, "Buses", broken, {})
    with pytest.raises(InvalidInput) as refused:
        services.build(study, services.folder_for(study))
    said = str(refused.value)
    assert "“The stakeholders want buses; they wait.” (Buses, point 1)" in said
    assert "explain this word" in said and "make it two sentences" in said
    # And it cannot be set to publish while it breaks one.
    version.published = False
    version.save()
    with pytest.raises(InvalidInput, match="breaks 2 of its rules"):
        easy_read.save_settings(version, owner, "Buses: Easy Read", 16, published=True)


def test_bad_settings_and_too_many_points_are_refused_in_one_sentence(written: tuple) -> None:
    study, team, part = written
    owner = team[Role.OWNER]
    with pytest.raises(InvalidInput, match="at least 14"):
        easy_read.save_settings(part.version, owner, "T", 12, published=False)
    many = [PointForm(f"Point {n}.", "bus", None, "") for n in range(13)]
    with pytest.raises(InvalidInput, match="at most 12 points"):
        easy_read.save_part(part, owner, "Buses", many, {})
    client = client_for(owner)
    answer = client.post(
        f"/studies/{study.slug}/easy-read/", {"action": "settings", "title": "T", "text_size": "x"}
    )
    assert answer.status_code == 302  # told on the page, nothing changed
    part.version.refresh_from_db()
    assert part.version.text_size == 16
