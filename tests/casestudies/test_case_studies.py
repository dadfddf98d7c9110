"""Case studies: the guide, profiles, joint interviews stored turn by turn, quotes, withdrawal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
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
    # Nothing of the interview leaves before its personal-data check.
    assert services.record(case)["quotes"] == {"staff": [], "service_users": []}
    assert all(not i.checked for i in evidence_items(study, strands=[Strand.INTERVIEW]))
    services.save_check(interview, researcher, {})
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


NAMED = b"""Interviewer: Who helped?

Precious: Angela did. Ring her on 07700 900123 and say Precious sent you.

Angela: Precious runs the Tuesday group now, at 14 Canal Street in M1 3HB.
"""


def test_the_personal_data_check_finds_speakers_names_and_redacts_quotes_and_evidence() -> None:
    study, team, case = case_study()
    researcher = team[Role.RESEARCHER]
    interview = services.import_interview(
        case, researcher, Upload("named.txt", NAMED), consent_level=ConsentLevel.PUBLISH
    )
    found = {(t.position, h.text, h.kind) for t, h in services.personal_data(interview)}
    assert {
        (1, "Angela", "name"),
        (1, "07700 900123", "phone"),
        (1, "Precious", "name"),
        (2, "Precious", "name"),
        (2, "M1 3HB", "postcode"),
    } <= found
    assert not any(text == "Interviewer" for _p, text, _k in found)
    precious = interview.turns.get(position=1)
    services.choose_quote(case, researcher, precious, "Ring her on 07700 900123")
    chosen: dict[int, list[tuple[int, int, str]]] = {}
    for turn, hit in services.personal_data(interview):
        if hit.text != "Angela":  # the team leaves the organisation's own worker named
            chosen.setdefault(turn.pk, []).append((hit.start, hit.end, hit.kind))
    services.save_check(interview, researcher, chosen)
    [quote] = services.record(case)["quotes"]["staff"]
    assert quote["text"] == "Ring her on [phone]"
    texts = " ".join(i.text for i in evidence_items(study, strands=[Strand.INTERVIEW]))
    assert "07700" not in texts and "Precious" not in texts and "M1 3HB" not in texts
    assert "Canal Street" not in texts and "Angela did. Ring her on [phone]" in texts
    # The original words stay in the restricted record.
    assert "07700 900123" in Turn.objects.get(pk=precious.pk).text


def test_a_check_refuses_spans_outside_the_interview() -> None:
    _, team, case = case_study()
    interview = services.import_interview(
        case, team[Role.RESEARCHER], Upload("i.txt", TRANSCRIPT), consent_level=3
    )
    turn = interview.turns.get(position=1)
    with pytest.raises(InvalidInput, match="outside turn 2's words"):
        services.save_check(interview, team[Role.RESEARCHER], {turn.pk: [(0, 10_000, "name")]})
    with pytest.raises(InvalidInput, match="not part of this interview"):
        services.save_check(interview, team[Role.RESEARCHER], {10**6: [(0, 1, "name")]})
    assert Interview.objects.get(pk=interview.pk).checked_at is None
    with pytest.raises(PermissionDenied):
        services.save_check(interview, team[Role.OBSERVER], {})


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
    interview = Interview.objects.get()
    assert "Not checked for personal data yet" in researcher.get(url).content.decode()
    assert (
        "Nothing was found; read the interview to be sure." in researcher.get(url).content.decode()
    )
    Turn.objects.filter(pk=interview.turns.get(position=2).pk).update(
        text="Dev here. Angela will tell you: ring 07700 900123."
    )
    found = {
        f"{turn.pk}-{i}": hit.text
        for i, (turn, hit) in enumerate(services.personal_data(interview))
    }
    assert sorted(found.values()) == ["07700 900123", "Angela", "Dev"]  # labels said, as names
    page = researcher.get(url).content.decode()
    assert all(f'value="{value}" checked' in page for value in found)  # all ticked at first
    leave_angela = [value for value, text in found.items() if text != "Angela"]
    checked = researcher.post(
        url, {"action": "check", "interview": interview.pk, "redact": leave_angela}
    )
    assert checked.status_code == 302
    interview.refresh_from_db()
    assert interview.checked_at is not None
    assert (
        interview.turns.get(position=2).redacted_text
        == "[name] here. Angela will tell you: ring [phone]."
    )
    assert "Checked on" in researcher.get(url).content.decode()
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
        posted = {"action": action, field: "abc", "confirm": "yes"}
        assert researcher.post(url, posted).status_code == 404


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
