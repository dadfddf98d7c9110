"""Stories: telling, gathering, importing, checking for personal data, quoting, withdrawing.

Every function checks its input and raises InvalidInput with one sentence naming what is wrong;
nothing is stored half-way (files are written first and removed again if the story fails).
"""

from __future__ import annotations

import contextlib
import csv
import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole
from coproduce.core.formats.transcripts import TranscriptError, read_transcript
from coproduce.core.personal_data import Hit, find_personal_data, redact
from coproduce.core.text import storable
from coproduce.stories.models import (
    DEFAULT_SECTORS,
    Feeling,
    Quote,
    Sector,
    Story,
    StoryKind,
    Tag,
)
from coproduce.studies import services as study_services
from coproduce.studies.bulk import batches
from coproduce.studies.limits import SELF_DESCRIPTION_LIMIT, fitted, within
from coproduce.studies.models import Participant, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.signals import evidence_text_changed
from coproduce.uploads import Upload, upload_limit

# Recordings people may upload, by the type their content shows (never their name).
RECORDING_TYPES = {
    "audio/mpeg": ".mp3",
    "audio/x-wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/x-flac": ".flac",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/webm": ".webm",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "video/quicktime": ".mov",
}
RECORDING_SUFFIXES = {".mp3", ".wav", ".ogg", ".oga", ".flac", ".m4a", ".mp4", ".webm", ".mov"}
LONGEST_STORY = 100_000
CONSENT_WORDS = {
    "store": ConsentLevel.STORE,
    "quote": ConsentLevel.QUOTE,
    "publish": ConsentLevel.PUBLISH,
}


@dataclass
class NewStory:
    kind: str
    consent_level: int | None
    text: str = ""
    title: str = ""
    question: str = ""
    sectors: Sequence[str] = ()
    feeling: str = Feeling.NOT_SAID
    feeling_words: str = ""
    channel: str = Channel.WEB
    collected_in: str = ""
    tags: Sequence[str] = field(default_factory=tuple)


def sectors_for(study: Study) -> list[Sector]:
    """The study's sectors, starting from the default list the first time."""
    if not Sector.objects.filter(study=study).exists():
        Sector.objects.bulk_create(
            [Sector(study=study, name=name, position=i) for i, name in enumerate(DEFAULT_SECTORS)],
            ignore_conflicts=True,
        )
    return list(Sector.objects.filter(study=study))


def set_sectors(study: Study, by: User, names: Iterable[str]) -> list[Sector]:
    """Replace the study's sector list (stories keep sectors that are still named)."""
    study_services.require(by, Permission.CHANGE_STUDY, study)
    wanted = [" ".join(n.split()) for n in names if n.strip()]
    if not wanted:
        raise InvalidInput(_("Give at least one sector, one per line."))
    if len({w.lower() for w in wanted}) != len(wanted):
        raise InvalidInput(_("Each sector must be named once."))
    with transaction.atomic():
        Sector.objects.filter(study=study).exclude(name__in=wanted).delete()
        for i, name in enumerate(wanted):
            Sector.objects.update_or_create(study=study, name=name, defaults={"position": i})
    return sectors_for(study)


def check_story_input(study: Study, story: NewStory) -> list[Sector]:
    if story.kind not in StoryKind.values:
        raise InvalidInput(_("Choose the type of story: snapshot, dialogue or monologue."))
    if story.consent_level not in (ConsentLevel.STORE, ConsentLevel.QUOTE, ConsentLevel.PUBLISH):
        raise InvalidInput(
            _("Choose what may be done with the story: keep it, quote it, or publish it in full.")
        )
    if story.feeling not in Feeling.values:
        raise InvalidInput(_("Choose how it felt: positive, negative, mixed or not said."))
    if story.channel not in {c.value for c in Channel}:
        raise InvalidInput(_("'%(c)s' is not a way of taking part.") % {"c": story.channel})
    fitted(story.title, Story, "title", _("story's title"))
    fitted(story.question, Story, "question", _("question asked"))
    fitted(story.feeling_words, Story, "feeling_words", _("description of how it felt"))
    fitted(story.collected_in, Story, "collected_in", _("place where it was gathered"))
    for tag in story.tags:
        fitted(" ".join(tag.split()), Tag, "name", _("tag '%(t)s'") % {"t": tag[:40] + "…"})
    known = {s.name.lower(): s for s in sectors_for(study)}
    chosen = []
    for name in story.sectors:
        sector = known.get(" ".join(name.split()).lower())
        if sector is None:
            raise InvalidInput(
                _("'%(s)s' is not one of this study's sectors (%(all)s).")
                % {"s": name, "all": ", ".join(s.name for s in known.values())}
            )
        chosen.append(sector)
    return chosen


def stored_recording(recording: Upload) -> tuple[str, str]:
    """Check a recording by its content and size; the media type and the file extension."""
    if recording.size > upload_limit():
        raise InvalidInput(
            _("%(name)s is %(mb).0f MB; recordings may be at most %(max).0f MB.")
            % {
                "name": recording.name,
                "mb": recording.size / 1e6,
                "max": upload_limit() / 1e6,
            }
        )
    kind = filetype.guess(recording.head())
    if kind is None or kind.mime not in RECORDING_TYPES:
        shown = kind.mime if kind is not None else _("not a recording")
        raise InvalidInput(
            _(
                "%(name)s is %(type)s; upload an audio or video recording "
                "(MP3, WAV, OGG, FLAC, M4A, MP4, WebM or MOV)."
            )
            % {"name": recording.name, "type": shown}
        )
    suffix = PurePath(recording.name).suffix.lower()
    if suffix and suffix not in RECORDING_SUFFIXES:
        raise InvalidInput(
            _("%(name)s is named like a %(suffix)s file but holds %(type)s; rename it.")
            % {"name": recording.name, "suffix": suffix, "type": kind.mime}
        )
    return kind.mime, RECORDING_TYPES[kind.mime]


def record_story(
    study: Study,
    teller: Participant,
    story: NewStory,
    *,
    recording: Upload | None = None,
    transcript: Upload | None = None,
    by: User | None = None,
) -> Story:
    """Store a story told by `teller` (typed, or a transcript, optionally with its recording)."""
    if teller.study_id != study.pk:
        raise InvalidInput(_("That participant is not in this study."))
    sectors = check_story_input(study, story)
    text = story.text.strip()
    cues: list[dict[str, Any]] = []
    transcript_kind = ""
    if transcript is not None:
        if len(transcript.data) > upload_limit():
            raise InvalidInput(
                _("%(name)s is too large for a transcript.") % {"name": transcript.name}
            )
        try:
            read = read_transcript(
                transcript.name, transcript.data, speakers=story.kind == StoryKind.DIALOGUE
            )
        except TranscriptError as error:
            raise InvalidInput(str(error)) from None
        transcript_kind = read.kind
        text, cues = with_speakers(read.placed()[1])
    elif recording is not None:
        raise InvalidInput(
            _(
                "A recording needs its transcript (.txt, .vtt, .srt or .docx), "
                "so that it can be read, checked and quoted."
            )
        )
    check_typed_text(text)
    media_path = media_type = ""
    written: Path | None = None
    if recording is not None:
        media_type, suffix = stored_recording(recording)
        relative = Path("stories") / str(study.pk) / f"{uuid.uuid4().hex}{suffix}"
        written = recording.save_as(Path(settings.MEDIA_ROOT) / relative)
        media_path = str(relative)
    try:
        with transaction.atomic():
            saved = create_numbered(
                study,
                teller=teller,
                kind=story.kind,
                title=story.title.strip(),
                question=story.question.strip(),
                text=text,
                feeling=story.feeling,
                feeling_words=story.feeling_words.strip(),
                consent_level=int(story.consent_level or 0),
                channel=story.channel,
                collected_by=by,
                collected_in=story.collected_in.strip(),
                media=media_path,
                media_type=media_type,
                transcript_kind=transcript_kind,
                cues=cues,
            )
            saved.sectors.set(sectors)
            set_tags(saved, story.tags)
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    return saved


def check_typed_text(text: str) -> None:
    if not text:
        raise InvalidInput(_("The story is empty: type it, or upload its transcript."))
    if len(text) > LONGEST_STORY:
        raise InvalidInput(
            _("The story is %(n)d characters long; the most is %(max)d. Split it into parts.")
            % {"n": len(text), "max": LONGEST_STORY}
        )


def with_speakers(placed: Sequence[Any]) -> tuple[str, list[dict[str, Any]]]:
    """The story text with "Speaker: " before each labelled turn, and each cue's span in it."""
    pieces: list[str] = []
    cues: list[dict[str, Any]] = []
    at = 0
    for p in placed:
        if pieces:
            at += 2
        prefix = f"{p.turn.speaker}: " if p.turn.speaker else ""
        piece = prefix + p.turn.text
        cues.append(
            {
                "start": p.turn.start,
                "end": p.turn.end,
                "from": at + len(prefix),
                "to": at + len(piece),
                "speaker": p.turn.speaker,
            }
        )
        pieces.append(piece)
        at += len(piece)
    return "\n\n".join(pieces), cues


def create_numbered(study: Study, **fields: Any) -> Story:
    """A story with the next number in the study (a retry if two arrive at once)."""
    for _attempt in range(5):
        number = (Story.objects.filter(study=study).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return Story.objects.create(study=study, number=number, **fields)
        except IntegrityError:
            continue
    raise InvalidInput(_("Too many stories arrived at once; please send yours again."))


def tell_story(
    study: Study,
    story: NewStory,
    *,
    teller: Participant | None = None,
    role: str = ContributorRole.NOT_SAID,
    self_description: str = "",
    recording: Upload | None = None,
    transcript: Upload | None = None,
) -> Story:
    """A participant tells a story on the web; joining the study first if they have not."""
    check_story_input(study, story)
    described = within(self_description, SELF_DESCRIPTION_LIMIT, _("description of yourself"))
    if teller is not None and teller.consent_level() == ConsentLevel.WITHDRAWN:
        raise Conflict(
            _(
                "You have withdrawn from this study, so we cannot take your story; "
                "join again if you would like to take part."
            )
        )
    with transaction.atomic():
        if teller is None:
            teller = study_services.join(study, int(story.consent_level or 0), role=role)
        if described and not teller.self_description:
            teller.self_description = described
            teller.save(update_fields=["self_description"])
        return record_story(study, teller, story, recording=recording, transcript=transcript)


def gather_story(
    study: Study,
    by: User,
    story: NewStory,
    *,
    role: str = ContributorRole.NOT_SAID,
    self_description: str = "",
    recording: Upload | None = None,
    transcript: Upload | None = None,
) -> Story:
    """A facilitator records a story gathered in person, with the teller's consent."""
    study_services.require(by, Permission.RECORD_CONSENT, study)
    check_story_input(study, story)
    described = within(self_description, SELF_DESCRIPTION_LIMIT, _("teller's description"))
    channel = Channel(story.channel) if story.channel != Channel.WEB else Channel.FACILITATOR
    story.channel = channel
    with transaction.atomic():
        teller = study_services.join(
            study, int(story.consent_level or 0), channel=channel, recorded_by=by, role=role
        )
        if described:
            teller.self_description = described
            teller.save(update_fields=["self_description"])
        return record_story(study, teller, story, recording=recording, transcript=transcript, by=by)


CSV_COLUMNS = ("type", "story", "consent")
CSV_OPTIONAL = (
    "title",
    "question",
    "role",
    "self_description",
    "sectors",
    "feeling",
    "feeling_words",
    "channel",
    "collected_in",
    "tags",
)


# A story longer than this in one CSV field is not a story someone told (about 30,000 words).
LONGEST_CSV_FIELD = 200_000


def import_stories_csv(study: Study, by: User, data: bytes) -> int:
    """Import stories from CSV (columns: type, story, consent; optional: title, question,
    role, self_description, sectors and tags separated by ";", feeling, feeling_words, channel,
    collected_in). All or nothing: the first bad row is named and nothing is stored."""
    study_services.require(by, Permission.RECORD_CONSENT, study)
    try:
        text = storable(data.decode("utf-8-sig"), _("The CSV file"))
    except UnicodeDecodeError:
        raise InvalidInput(
            _("The CSV file is not UTF-8 text; save it as CSV UTF-8 and try again.")
        ) from None
    csv.field_size_limit(LONGEST_CSV_FIELD)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        rows = list(reader)
    except csv.Error as error:
        raise InvalidInput(
            _("Line %(n)d of the CSV file cannot be read (%(e)s); fix it and try again.")
            % {"n": reader.line_num + 1, "e": error}
        ) from None
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            _(
                "The CSV file has no %(cols)s column; "
                "its first row must name the columns (type, story, consent, ...)."
            )
            % {"cols": ", ".join(missing)}
        )
    unknown = [h for h in header if h not in CSV_COLUMNS + CSV_OPTIONAL]
    if unknown:
        raise InvalidInput(
            _("The CSV file has columns Coproduce does not know: %(cols)s.")
            % {"cols": ", ".join(unknown)}
        )
    checked = [
        row for line, raw in enumerate(rows, start=2) if (row := checked_row(study, line, raw))
    ]
    if not checked:
        raise InvalidInput(_("The CSV file has no stories in it."))
    store_rows(study, by, checked)
    return len(checked)


@dataclass(frozen=True)
class CsvStory:
    line: int
    story: NewStory
    role: str
    described: str


# Stories written in one transaction, so that a long file never holds SQLite's write lock for
# long (coproduce.studies.bulk).
STORIES_CHUNK = 40


def checked_row(study: Study, line: int, raw: dict[str | None, Any]) -> CsvStory | None:
    """One row of the CSV file read and checked, writing nothing; None for an empty row."""
    if None in raw:  # csv puts fields past the header's under None
        raise InvalidInput(
            _(
                "Row %(n)d of the CSV file has more fields than its first row names;"
                " put quotes around text with commas in it, or remove the extra fields."
            )
            % {"n": line}
        )
    row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
    if not any(row.values()):
        return None
    try:
        consent = CONSENT_WORDS.get(row["consent"].lower())
        if consent is None:
            raise InvalidInput(_("consent must be store, quote or publish"))
        story = NewStory(
            kind=row["type"].lower(),
            consent_level=consent,
            text=row["story"],
            title=row.get("title", ""),
            question=row.get("question", ""),
            sectors=split_list(row.get("sectors", "")),
            feeling=(row.get("feeling") or Feeling.NOT_SAID).lower().replace(" ", "_"),
            feeling_words=row.get("feeling_words", ""),
            channel=(row.get("channel") or Channel.IMPORT).lower().replace(" ", "_"),
            collected_in=row.get("collected_in", ""),
            tags=split_list(row.get("tags", "")),
        )
        role = (row.get("role") or ContributorRole.NOT_SAID).lower().replace(" ", "_")
        if role not in {r.value for r in ContributorRole}:
            raise InvalidInput(
                _("'%(role)s' is not one of the roles people can give.") % {"role": role}
            )
        check_story_input(study, story)
        check_typed_text(story.text.strip())
        described = within(
            row.get("self_description", ""), SELF_DESCRIPTION_LIMIT, _("teller's description")
        )
        return CsvStory(line, story, role, described)
    except InvalidInput as error:
        raise InvalidInput(
            _("Row %(line)d of the CSV file: %(error)s")
            % {"line": line, "error": str(error).rstrip(".") + "."}
        ) from None


def store_rows(study: Study, by: User, rows: list[CsvStory]) -> None:
    """Store checked rows, a chunk a transaction; if anything fails, what this import stored is
    removed again, so the file is imported whole or not at all."""
    stories: list[int] = []
    tellers: list[int] = []
    try:
        for batch in batches(rows, STORIES_CHUNK):
            for row in batch:
                teller, story = store_row(study, by, row)
                tellers.append(teller)
                stories.append(story)
    except BaseException:
        with transaction.atomic():
            Story.objects.filter(pk__in=stories).delete()
            Participant.objects.filter(pk__in=tellers).delete()
        raise


def store_row(study: Study, by: User, row: CsvStory) -> tuple[int, int]:
    try:
        teller = study_services.join(
            study,
            int(row.story.consent_level or 0),
            channel=Channel(row.story.channel),
            recorded_by=by,
            role=row.role,
        )
        if row.described:
            teller.self_description = row.described
            teller.save(update_fields=["self_description"])
        story = record_story(study, teller, row.story, by=by)
    except InvalidInput as error:
        raise InvalidInput(
            _("Row %(line)d of the CSV file: %(error)s")
            % {"line": row.line, "error": str(error).rstrip(".") + "."}
        ) from None
    return teller.pk, story.pk


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def set_tags(story: Story, names: Iterable[str]) -> None:
    tags = []
    wanted = {" ".join(n.split()) for n in names if n.strip()}
    for name in wanted:
        fitted(name, Tag, "name", _("tag '%(t)s'") % {"t": name[:40] + "…"})
    for name in wanted:
        tag, _created = Tag.objects.get_or_create(study_id=story.study_id, name=name)
        tags.append(tag)
    story.tags.set(tags)


def tag_story(story: Story, by: User, names: Iterable[str]) -> None:
    study_services.require(by, Permission.CHANGE_STUDY, story.study)
    set_tags(story, names)


def withdraw_story(story: Story, by: User | Participant) -> None:
    """Withdraw a story: it leaves every export and output from now on.

    `by` is its teller (on their own pages), or a team member who records consent and is told
    of the withdrawal by phone, letter or in person.
    """
    if isinstance(by, Participant):
        if story.teller_id != by.pk:
            raise PermissionDenied(_("Only the person who told a story can withdraw it."))
    else:
        study_services.require(by, Permission.RECORD_CONSENT, story.study)
    if story.withdrawn_at is None:
        story.withdrawn_at = timezone.now()
        story.publishable = False
        story.save(update_fields=["withdrawn_at", "publishable"])


def personal_data(story: Story) -> list[Hit]:
    """Likely personal data in the story's original text, for the team to review."""
    return find_personal_data(story.text)


def save_check(story: Story, by: User, spans: Sequence[tuple[int, int, str]]) -> Story:
    """Record the personal-data check: redact the chosen spans (the original stays as it is)."""
    study_services.require(by, Permission.CHANGE_STUDY, story.study)
    for start, end, _kind in spans:
        if not (0 <= start < end <= len(story.text)):
            raise InvalidInput(
                _("A redaction (%(s)d to %(e)d) lies outside the story's %(n)d characters.")
                % {"s": start, "e": end, "n": len(story.text)}
            )
    result = redact(story.text, spans)
    before = (
        redact(story.text, [(s, e, k) for s, e, k in story.redactions])
        if story.checked_at is not None
        else None
    )
    with transaction.atomic():
        story.redactions = [[s, e, k] for s, e, k in sorted(spans)]
        story.redacted_text = result.text
        story.checked_at = timezone.now()
        story.checked_by = by
        story.save(update_fields=["redactions", "redacted_text", "checked_at", "checked_by"])
        evidence_text_changed.send(
            sender=Story,
            study=story.study,
            evidence_id=f"story:{story.pk}",
            before=before,
            after=result,
        )
    return story


def keep_only_redacted(story: Story) -> None:
    """Replace a checked story's original with its redacted words and delete its recording
    (anonymised erasure, purge after retention). Quotes move with the words; the evidence is
    unchanged, since outputs used the redacted words already."""
    if story.checked_at is None:
        raise Conflict(_("Only a story checked for personal data can keep its redacted words."))
    mapped = redact(story.text, [(int(s), int(e), str(k)) for s, e, k in story.redactions])
    quotes = list(story.quotes.all())
    for quote in quotes:
        quote.start, quote.end = mapped.span(quote.start, quote.end)
    Quote.objects.bulk_update(quotes, ["start", "end"])
    for cue in story.cues:
        cue["from"], cue["to"] = mapped.span(int(cue["from"]), int(cue["to"]))
    story.text, story.redactions = mapped.text, []
    story.save(update_fields=["text", "redactions", "cues"])
    remove_recording(story)


def remove_recording(story: Story) -> bool:
    """Take the recording off the story, and delete its file once the transaction commits
    (never, if it is rolled back); True if there was one."""
    if not story.media:
        return False
    path = Path(settings.MEDIA_ROOT) / story.media

    def delete_file() -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    transaction.on_commit(delete_file)
    story.media = ""
    story.save(update_fields=["media"])
    return True


def set_publishable(story: Story, by: User, publishable: bool) -> None:
    study_services.require(by, Permission.CHANGE_STUDY, story.study)
    if publishable and story.checked_at is None:
        raise InvalidInput(
            _("Check the story for personal data before marking it ready for outputs.")
        )
    if publishable and story.consent() < ConsentLevel.QUOTE:
        raise InvalidInput(
            _("The teller has not agreed to be quoted, so the story cannot go into outputs.")
        )
    story.publishable = publishable
    story.save(update_fields=["publishable"])


def mark_quote(story: Story, by: User, words: str) -> Quote:
    """Mark the words given (copied from the story) as a quote; they must appear exactly once."""
    study_services.require(by, Permission.CHANGE_STUDY, story.study)
    wanted = words.strip()
    if not wanted:
        raise InvalidInput(_("Paste the words to quote, exactly as they appear in the story."))
    first = story.text.find(wanted)
    if first < 0:
        raise InvalidInput(
            _("Those words are not in the story; copy them exactly, including punctuation.")
        )
    if story.text.find(wanted, first + 1) >= 0:
        raise InvalidInput(
            _("Those words appear more than once in the story; include a few words more.")
        )
    return add_quote(story, by, first, first + len(wanted))


def add_quote(story: Story, by: User | None, start: int, end: int) -> Quote:
    if not (0 <= start < end <= len(story.text)):
        raise InvalidInput(
            _("A quote must lie within the story's %(n)d characters and not be empty.")
            % {"n": len(story.text)}
        )
    return Quote.objects.create(story=story, start=start, end=end, marked_by=by)


def quote_text(quote: Quote) -> str:
    """The quote as outputs show it: from the redacted text, spans mapped through redaction."""
    return quote_texts(quote.story, [quote])[0]


def quote_texts(story: Story, quotes: Sequence[Quote]) -> list[str]:
    """Several quotes of one story as outputs show them, redacting the story once; empty
    strings before the story is checked."""
    if story.checked_at is None:
        return ["" for _quote in quotes]
    mapped = redact(story.text, [(int(s), int(e), str(k)) for s, e, k in story.redactions])
    spans = (mapped.span(q.start, q.end) for q in quotes)
    return [mapped.text[start:end] for start, end in spans]


# Story-bank filters that are a plain match on one field.
BANK_LOOKUPS = {
    "sector": "sectors__name",
    "kind": "kind",
    "role": "teller__role",
    "feeling": "feeling",
    "channel": "channel",
    "tag": "tags__name",
}


def bank(study: Study, filters: dict[str, str], *, restricted: bool = True) -> QuerySet[Story]:
    """The story bank, filtered by sector, type, role, feeling, consent level, channel, tag and
    words. Withdrawn stories (and those of tellers who left the study) are listed only under
    the "withdrawn" filter. Without restricted access (`restricted=False`, observers) the
    words are looked for only in the checked, redacted text, so a search cannot tell whether
    a name is in a story."""
    stories = (
        Story.objects.filter(study=study)
        .select_related("teller")
        .prefetch_related("sectors", "tags", "teller__consents")
    )
    for name, lookup in BANK_LOOKUPS.items():
        if filters.get(name):
            stories = stories.filter(**{lookup: filters[name]})
    # A story is withdrawn on its own, or with everything of a teller who left the study.
    standing = Participant.objects.filter(study=study).consenting().values("pk")
    withdrawn = Q(withdrawn_at__isnull=False) | ~Q(teller__in=standing)
    if filters.get("consent") == "withdrawn":
        stories = stories.filter(withdrawn)
    elif filters.get("consent", "").isdecimal():
        stories = stories.filter(consent_level=int(filters["consent"])).exclude(withdrawn)
    else:
        stories = stories.exclude(withdrawn)
    if filters.get("q") and restricted:
        stories = stories.filter(Q(text__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    elif filters.get("q"):
        stories = stories.filter(checked_at__isnull=False, redacted_text__icontains=filters["q"])
    return stories.distinct().order_by("number")
