"""Case studies: the guide, profiles, joint interviews stored turn by turn, quotes, withdrawal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.archive import dump_study
from coproduce.casestudies import services
from coproduce.casestudies.models import CaseStudy, Interview, Perspective, Turn
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel, Strand
from coproduce.studies.models import Organisation, Role
from coproduce.studies.strands import evidence_items
from coproduce.uploads import Upload
from tests.support.factories import client_for, study_with_team
from tests.support.files import TRANSCRIPT, word_file

pytestmark = pytest.mark.django_db


VOICES = b"""WEBVTT

00:00:01.000 --> 00:00:03.000
<v Interviewer>What helped?

00:00:03.500 --> 00:00:08.000
<v Precious>Being believed, the first time I asked.
"""


def case_study():  # type: ignore[no-untyped-def]
    study, team = study_with_team()
    organisation = Organisation.objects.create(name="Canal Street Food", slug="canal-food")
    study.organisations.add(organisation)
    case = services.start_case_study(study, team[Role.RESEARCHER], organisation)
    return study, team, case


def test_a_case_study_is_only_for_a_partner_and_only_once() -> None:
    study, team, case = case_study()
    stranger = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    with pytest.raises(InvalidInput, match="not a partner of this study"):
        services.start_case_study(study, team[Role.RESEARCHER], stranger)
    with pytest.raises(InvalidInput, match="already has a case study"):
        services.start_case_study(study, team[Role.RESEARCHER], case.organisation)
    guide = services.set_guide(study, team[Role.RESEARCHER], ["What helps?", "", "What hinders?"])
    assert [q.text for q in guide] == ["What helps?", "What hinders?"]


def test_a_text_transcript_is_stored_turn_by_turn_with_speakers() -> None:
    _, team, case = case_study()
    interview = services.import_interview(
        case,
        team[Role.FACILITATOR],
        Upload("interview.txt", TRANSCRIPT),
        consent_level=ConsentLevel.PUBLISH,
        perspectives={"Dev": Perspective.SERVICE_USER},
    )
    turns = list(interview.turns.select_related("speaker"))
    assert [(t.speaker.label, t.text) for t in turns] == [
        ("Interviewer", "What is the example?"),
        (
            "Angela",
            "Members run the shop and decide what it stocks. We have done it for three years.",
        ),
        ("Dev", "We actually decide things, and then we see them happen."),
        ("Interviewer", "What helped?"),
        ("Angela", "Paying people for their time, properly and on time."),
    ]
    perspectives = {s.label: s.perspective for s in interview.speakers.all()}
    assert perspectives == {
        "Interviewer": Perspective.INTERVIEWER,
        "Angela": Perspective.NOT_SET,
        "Dev": Perspective.SERVICE_USER,
    }


def test_webvtt_voices_and_word_files_are_read_too() -> None:
    _, team, case = case_study()
    timed = services.import_interview(
        case, team[Role.FACILITATOR], Upload("talk.vtt", VOICES), consent_level=ConsentLevel.QUOTE
    )
    last = timed.turns.last()
    assert last is not None and (last.speaker.label, last.start, last.end) == ("Precious", 3.5, 8.0)
    word = services.import_interview(
        case,
        team[Role.FACILITATOR],
        Upload("talk.docx", word_file(["Interviewer: Why?", "Sam: Because we were asked."])),
        consent_level=ConsentLevel.QUOTE,
    )
    assert [t.speaker.label for t in word.turns.all()] == ["Interviewer", "Sam"]


@pytest.mark.parametrize(
    ("upload", "consent", "message"),
    [
        (
            Upload("a.txt", b"Just some words with nobody speaking."),
            ConsentLevel.QUOTE,
            "turn 1 has no speaker",
        ),
        (
            Upload("a.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n"),
            ConsentLevel.QUOTE,
            "has no text",
        ),
        (Upload("a.docx", word_file([])), ConsentLevel.QUOTE, "has no text"),
        (Upload("a.txt", TRANSCRIPT), None, "Choose what the speakers agreed"),
    ],
)
def test_bad_transcripts_store_nothing(upload: Upload, consent: int | None, message: str) -> None:
    _, team, case = case_study()
    with pytest.raises(InvalidInput, match=message):
        services.import_interview(case, team[Role.FACILITATOR], upload, consent_level=consent)
    assert Interview.objects.count() == 0 and Turn.objects.count() == 0


def test_quotes_fill_the_record_by_side_without_names() -> None:
    study, team, case = case_study()
    interview = services.import_interview(
        case,
        team[Role.FACILITATOR],
        Upload("interview.txt", TRANSCRIPT),
        consent_level=ConsentLevel.PUBLISH,
    )
    researcher = team[Role.RESEARCHER]
    speakers = {s.label: s.pk for s in interview.speakers.all()}
    services.set_perspectives(
        interview,
        researcher,
        {speakers["Angela"]: Perspective.ORGANISATION, speakers["Dev"]: Perspective.SERVICE_USER},
    )
    angela, dev = (interview.turns.get(position=p) for p in (4, 2))
    services.choose_quote(case, researcher, angela, "Paying people for their time")
    services.choose_quote(case, researcher, dev, "then we see them happen")
    with pytest.raises(InvalidInput, match="not in that turn"):
        services.choose_quote(case, researcher, dev, "words nobody said")
    services.update_record(case, researcher, challenges="The freezer broke twice.")
    record = services.record(case)
    assert record["challenges"] == "The freezer broke twice."
    assert record["quotes"] == {
        "staff": [{"text": "Paying people for their time", "speaker": "The organisation"}],
        "service_users": [
            {
                "text": "then we see them happen",
                "speaker": "A service user who co-produced with them",
            }
        ],
    }
    # Interview turns are evidence (not the interviewer's questions), without names.
    items = evidence_items(study, strands=[Strand.INTERVIEW])
    assert len(items) == 3 and all(
        i.author in ("The organisation", "A service user who co-produced with them") for i in items
    )


def test_quotes_need_consent_to_quote() -> None:
    _, team, case = case_study()
    interview = services.import_interview(
        case, team[Role.FACILITATOR], Upload("i.txt", TRANSCRIPT), consent_level=ConsentLevel.STORE
    )
    with pytest.raises(InvalidInput, match="did not agree to be quoted"):
        services.choose_quote(
            case, team[Role.RESEARCHER], interview.turns.get(position=2), "decide"
        )


def test_a_withdrawn_interview_leaves_exports_evidence_and_the_record() -> None:
    study, team, case = case_study()
    interview = services.import_interview(
        case,
        team[Role.FACILITATOR],
        Upload("i.txt", TRANSCRIPT),
        consent_level=ConsentLevel.PUBLISH,
    )
    services.choose_quote(
        case, team[Role.RESEARCHER], interview.turns.get(position=2), "decide things"
    )
    services.withdraw_interview(interview, team[Role.FACILITATOR])
    part = dump_study(study)["case_studies"]["case_studies"][0]
    assert part["interviews"] == [] and part["quotes"] == []
    assert evidence_items(study, strands=[Strand.INTERVIEW]) == []
    assert services.record(case)["quotes"] == {"staff": [], "service_users": []}


def test_case_study_pages() -> None:
    study, team, case = case_study()
    researcher = client_for(team[Role.RESEARCHER])
    listing = researcher.get(f"/studies/{study.slug}/case-studies/")
    assert listing.status_code == 200 and b"Canal Street Food" in listing.content
    url = f"/studies/{study.slug}/case-studies/{case.organisation.slug}/"
    imported = researcher.post(
        url,
        {
            "action": "import",
            "level": "3",
            "held_on": "2026-03-02",
            "transcript": SimpleUploadedFile("i.txt", TRANSCRIPT, "text/plain"),
        },
    )
    assert imported.status_code == 302
    page = researcher.get(url).content.decode()
    assert "Paying people for their time" in page and "Import an interview transcript" in page
    bad = researcher.post(
        url,
        {
            "action": "import",
            "level": "3",
            "transcript": SimpleUploadedFile("i.txt", b"No speakers here."),
        },
    )
    assert bad.status_code == 302
    assert "has no speaker" in researcher.get(url).content.decode()
    assert Interview.objects.count() == 1
    # Interviews hold what people said: observers may not read them.
    assert client_for(team[Role.OBSERVER]).get(url).status_code == 403
    assert CaseStudy.objects.count() == 1


def test_case_study_page_bad_input_gets_one_sentence() -> None:
    study, team, case = case_study()
    researcher = client_for(team[Role.RESEARCHER])
    url = f"/studies/{study.slug}/case-studies/{case.organisation.slug}/"
    researcher.post(url, {"action": "import", "level": "3"})
    assert "Choose the transcript file to import." in researcher.get(url).content.decode()
    researcher.post(
        url,
        {
            "action": "import",
            "level": "3",
            "held_on": "last Tuesday",
            "transcript": SimpleUploadedFile("i.txt", TRANSCRIPT, "text/plain"),
        },
    )
    assert "is not a date; give it as year-month-day" in researcher.get(url).content.decode()
    assert Interview.objects.count() == 0
    for action, field in (("quote", "turn"), ("speakers", "interview"), ("withdraw", "interview")):
        assert researcher.post(url, {"action": action, field: "abc"}).status_code == 404


def test_only_people_who_record_consent_withdraw_an_interview() -> None:
    from django.core.exceptions import PermissionDenied

    _study, team, case = case_study()
    interview = services.import_interview(
        case, team[Role.FACILITATOR], Upload("i.txt", TRANSCRIPT), consent_level=ConsentLevel.QUOTE
    )
    with pytest.raises(PermissionDenied):
        services.withdraw_interview(interview, team[Role.OBSERVER])
    interview.refresh_from_db()
    assert interview.withdrawn_at is None
    services.withdraw_interview(interview, team[Role.FACILITATOR])
    interview.refresh_from_db()
    assert interview.withdrawn_at is not None


def test_a_speaker_name_too_long_for_the_record_is_refused_not_cut() -> None:
    _study, team, case = case_study()
    voices = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Interviewer>What helped?\n\n"
        b"00:00:03.500 --> 00:00:08.000\n<v " + b"S" * 101 + b">Being believed.\n"
    )
    with pytest.raises(InvalidInput, match="is 101 characters long; shorten it to 100"):
        services.import_interview(
            case, team[Role.FACILITATOR], Upload("i.vtt", voices), consent_level=2
        )
    assert not Interview.objects.exists()
