"""Stories: told, gathered, imported, checked for personal data, quoted, withdrawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from coproduce.archive import dump_study, export_study, import_study
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import Channel, ConsentLevel, Strand
from coproduce.stories import services
from coproduce.stories.models import Story
from coproduce.studies import services as study_services
from coproduce.studies.models import Role
from coproduce.studies.strands import evidence_items
from coproduce.uploads import Upload
from tests.support.factories import story, study_with_team
from tests.support.files import PLANTED, STORIES_CSV, VTT, recording

pytestmark = pytest.mark.django_db


def test_a_participant_tells_a_story_and_joins_the_study() -> None:
    study, _ = study_with_team()
    told = services.tell_story(
        study, story(), role="lived_experience", self_description="Young carer"
    )
    assert told.number == 1 and told.teller.role == "lived_experience"
    assert told.teller.self_description == "Young carer"
    assert [s.name for s in told.sectors.all()] == ["Housing"]
    assert told.consent() == ConsentLevel.PUBLISH
    assert told.channel == Channel.WEB


def test_a_facilitator_gathers_a_recorded_story_with_its_timed_transcript() -> None:
    study, team = study_with_team()
    told = services.gather_story(
        study,
        team[Role.FACILITATOR],
        story(kind="dialogue", text="", collected_in="Library drop-in"),
        recording=Upload("interview.wav", recording()),
        transcript=Upload("interview.vtt", VTT),
    )
    assert told.channel == Channel.FACILITATOR and told.collected_by == team[Role.FACILITATOR]
    assert told.media_type == "audio/x-wav" and told.transcript_kind == "vtt"
    stored = Path(settings.MEDIA_ROOT) / told.media
    assert stored.read_bytes() == recording()
    assert told.text.startswith("Amira: I started volunteering")
    first = told.cues[0]
    assert (first["start"], first["end"], first["speaker"]) == (1.0, 4.5, "Amira")
    assert told.text[first["from"] : first["to"]] == "I started volunteering after my own recovery."


@pytest.mark.parametrize(
    ("changes", "uploads", "message"),
    [
        ({"consent_level": None}, {}, "Choose what may be done with the story"),
        ({"kind": "poem"}, {}, "Choose the type of story"),
        ({"text": "   "}, {}, "The story is empty"),
        ({"sectors": ["Space travel"]}, {}, "not one of this study's sectors"),
        ({"text": ""}, {"recording": Upload("a.wav", recording())}, "needs its transcript"),
        (
            {"text": ""},
            {"recording": Upload("a.wav", b"just text"), "transcript": Upload("a.vtt", VTT)},
            "upload an audio or video recording",
        ),
        (
            {"text": ""},
            {"recording": Upload("a.pdf", recording()), "transcript": Upload("a.vtt", VTT)},
            "named like a .pdf file",
        ),
        (
            {"text": ""},
            {"transcript": Upload("a.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHi\n")},
            "line 3",
        ),
    ],
)
def test_bad_stories_get_one_sentence_and_nothing_is_stored(
    changes: dict[str, object], uploads: dict[str, Upload], message: str
) -> None:
    study, team = study_with_team()
    before = (
        set(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else set()
    )
    with pytest.raises(InvalidInput) as error:
        services.gather_story(study, team[Role.FACILITATOR], story(**changes), **uploads)  # type: ignore[arg-type]
    assert message in str(error.value)
    assert Story.objects.count() == 0
    assert study.participants.count() == 0
    after = (
        set(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else set()
    )
    assert after == before


def test_oversize_recordings_are_refused(settings: object) -> None:
    settings.COPRODUCE_UPLOAD_MAX_BYTES = 1000  # type: ignore[attr-defined]
    study, team = study_with_team()
    with pytest.raises(InvalidInput, match="recordings may be at most"):
        services.gather_story(
            study,
            team[Role.FACILITATOR],
            story(text=""),
            recording=Upload("long.wav", recording(1.0)),
            transcript=Upload("long.vtt", VTT),
        )
    assert Story.objects.count() == 0


def test_only_people_who_work_with_participants_gather_stories() -> None:
    from django.core.exceptions import PermissionDenied

    study, team = study_with_team()
    with pytest.raises(PermissionDenied):
        services.gather_story(study, team[Role.OBSERVER], story())


def test_csv_import_is_all_or_nothing() -> None:
    study, team = study_with_team()
    assert services.import_stories_csv(study, team[Role.RESEARCHER], STORIES_CSV.encode()) == 2
    assert [s.feeling for s in Story.objects.order_by("number")] == ["positive", "negative"]
    assert [t.name for t in Story.objects.get(number=1).tags.all()] == ["listening"]
    bad = STORIES_CSV + "snapshot,Fine.,maybe,,,,\n"
    with pytest.raises(InvalidInput, match=r"Row 4 of the CSV file: consent must be store"):
        services.import_stories_csv(study, team[Role.RESEARCHER], bad.encode())
    assert Story.objects.count() == 2
    with pytest.raises(InvalidInput, match="no type, story column"):
        services.import_stories_csv(study, team[Role.RESEARCHER], b"consent\npublish\n")


def test_personal_data_check_redacts_outputs_and_keeps_quotes_valid() -> None:
    study, team = study_with_team()
    told = services.tell_story(study, story(kind="monologue", text=PLANTED))
    researcher = team[Role.RESEARCHER]
    hits = services.personal_data(told)
    assert {h.kind for h in hits} >= {
        "name",
        "email",
        "phone",
        "postcode",
        "address",
        "date_of_birth",
    }
    quote = services.mark_quote(told, researcher, "Sarah Jones from the council helped.")
    with pytest.raises(InvalidInput, match="Check the story for personal data"):
        services.set_publishable(told, researcher, True)
    assert told.output_text() == ""
    services.save_check(told, researcher, [(h.start, h.end, h.kind) for h in hits])
    services.set_publishable(told, researcher, True)
    told.refresh_from_db()
    assert told.text == PLANTED  # the original stays in the restricted record
    assert "josie.wren@example.org" not in told.output_text()
    assert services.quote_text(quote) == "[name] from the council helped."
    with pytest.raises(InvalidInput, match="not in the story"):
        services.mark_quote(told, researcher, "words nobody said")
    evidence = evidence_items(study, strands=[Strand.STORY])
    assert len(evidence) == 1 and "Josie" not in evidence[0].text


def test_a_story_not_for_quoting_cannot_be_marked_ready_for_outputs() -> None:
    study, team = study_with_team()
    told = services.tell_story(study, story(consent_level=ConsentLevel.STORE))
    services.save_check(told, team[Role.RESEARCHER], [])
    with pytest.raises(InvalidInput, match="has not agreed to be quoted"):
        services.set_publishable(told, team[Role.RESEARCHER], True)


def test_withdrawal_removes_a_story_from_exports_and_evidence(tmp_path: Path) -> None:
    study, _team = study_with_team()
    kept = services.tell_story(study, story(text="Kept story."))
    gone = services.tell_story(study, story(text="A story to withdraw."))
    by_teller = services.tell_story(study, story(text="Teller leaves the study."))
    services.withdraw_story(gone, gone.teller)
    study_services.withdraw(by_teller.teller)
    stories = dump_study(study)["stories"]["stories"]
    assert [s["text"] for s in stories] == ["Kept story."]
    assert [e.text for e in evidence_items(study, strands=[Strand.STORY])] == ["Kept story."]
    # And a round trip through the archive brings back exactly what was exported.
    archive = export_study(study, tmp_path / "study.zip")
    study.delete()
    again = import_study(archive)
    assert list(Story.objects.filter(study=again).values_list("text", flat=True)) == ["Kept story."]
    assert kept.pk is not None


def test_the_story_bank_filters() -> None:
    study, team = study_with_team()
    services.import_stories_csv(study, team[Role.RESEARCHER], STORIES_CSV.encode())
    services.tell_story(study, story(kind="dialogue", sectors=["Communities"], feeling="mixed"))
    assert services.bank(study, {}).count() == 3
    assert [s.number for s in services.bank(study, {"sector": "Housing"})] == [1]
    assert [s.number for s in services.bank(study, {"kind": "dialogue"})] == [3]
    assert [s.number for s in services.bank(study, {"role": "practitioner"})] == [2]
    assert [s.number for s in services.bank(study, {"feeling": "mixed"})] == [3]
    assert [s.number for s in services.bank(study, {"channel": "import"})] == [1, 2]
    assert [s.number for s in services.bank(study, {"tag": "listening"})] == [1]
    assert [s.number for s in services.bank(study, {"consent": str(ConsentLevel.QUOTE)})] == [2]
    assert [s.number for s in services.bank(study, {"q": "months"})] == [2]


def test_a_story_is_withdrawn_by_its_teller_or_by_the_team_who_record_consent() -> None:
    from django.core.exceptions import PermissionDenied

    study, team = study_with_team()
    first = services.tell_story(study, story(text="First story."))
    second = services.tell_story(study, story(text="Second story."))
    for someone_else in (second.teller, team[Role.OBSERVER]):
        with pytest.raises(PermissionDenied):
            services.withdraw_story(first, someone_else)
    first.refresh_from_db()
    assert first.withdrawn_at is None
    services.withdraw_story(first, team[Role.FACILITATOR])
    services.withdraw_story(second, second.teller)
    assert Story.objects.filter(withdrawn_at__isnull=False).count() == 2


def test_too_long_values_are_refused_in_one_sentence_never_cut() -> None:
    study, team = study_with_team()
    for changes, what in (
        ({"title": "T" * 201}, "story's title is 201 characters long; shorten it to 200"),
        ({"question": "Q" * 301}, "question asked is 301 characters long; shorten it to 300"),
        ({"feeling_words": "w" * 301}, "how it felt is 301 characters long"),
        ({"tags": ["x" * 61]}, "is 61 characters long; shorten it to 60"),
    ):
        with pytest.raises(InvalidInput, match=what):
            services.tell_story(study, story(**changes))
    with pytest.raises(InvalidInput, match="description of yourself is 2001 characters"):
        services.tell_story(study, story(), self_description="d" * 2001)
    csv = "type,story,consent,self_description\nsnapshot,Fine.,publish," + "d" * 2001 + "\n"
    with pytest.raises(InvalidInput, match="Row 2 of the CSV file: The teller's description"):
        services.import_stories_csv(study, team[Role.RESEARCHER], csv.encode())
    assert Story.objects.count() == 0
    told = services.tell_story(study, story(title="T" * 200), self_description="d" * 2000)
    assert len(told.title) == 200 and len(told.teller.self_description) == 2000
    with pytest.raises(InvalidInput, match="shorten it to 60"):
        services.tag_story(told, team[Role.RESEARCHER], ["y" * 61])


@pytest.mark.django_db(transaction=True)  # the import's own commits, as on the site
def test_a_long_csv_is_stored_in_chunks_and_whole() -> None:
    study, team = study_with_team()
    rows = "".join(
        f'snapshot,"Story number {n}: the bus did not come.",publish,,,,\n' for n in range(250)
    )
    header = STORIES_CSV.splitlines()[0] + "\n"
    imported = services.import_stories_csv(study, team[Role.RESEARCHER], (header + rows).encode())
    assert imported == 250 > 2 * services.STORIES_CHUNK
    assert Story.objects.filter(study=study).count() == 250
    assert study.participants.count() == 250
    # A bad row anywhere, even the last, is found before anything is written.
    for last, message in [
        ("snapshot,Fine.,maybe,,,,", "consent must be store"),
        ("poem,Fine.,publish,,,,", "Choose the type of story"),
        ("snapshot,Fine.,publish,,Nowhere,,", "'Nowhere' is not one of this study's sectors"),
        ("snapshot,,publish,,,positive,", "The story is empty"),
        ("snapshot,Fine.,publish,astronaut,,,", "'astronaut' is not one of the roles"),
    ]:
        bad = header + rows + last + "\n"
        with pytest.raises(InvalidInput, match=f"Row 252 of the CSV file: {message}"):
            services.import_stories_csv(study, team[Role.RESEARCHER], bad.encode())
        assert Story.objects.filter(study=study).count() == 250
        assert study.participants.count() == 250


def test_a_large_recording_is_stored_without_being_read_into_memory(tmp_path: Path) -> None:
    import hashlib
    import tracemalloc

    from django.core.files.uploadedfile import TemporaryUploadedFile

    from coproduce.uploads import upload

    study, team = study_with_team()
    wav = recording(seconds=1900)  # about 30 MB
    digest = hashlib.sha256(wav).hexdigest()
    # As Django keeps a large upload while it arrives: in a temporary file on disk.
    spooled = TemporaryUploadedFile("long-interview.wav", "audio/wav", len(wav), None)
    spooled.write(wav)
    spooled.flush()
    del wav
    arrived = upload(spooled)
    assert arrived is not None and arrived.source is not None
    tracemalloc.start()
    try:
        told = services.gather_story(
            study,
            team[Role.FACILITATOR],
            story(kind="dialogue", text="", collected_in="Library drop-in"),
            recording=arrived,
            transcript=Upload("interview.vtt", VTT),
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    stored = Path(settings.MEDIA_ROOT) / told.media
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest
    assert peak < 5_000_000, f"{peak:,} bytes held while storing a 30 MB recording"
    spooled.close()
