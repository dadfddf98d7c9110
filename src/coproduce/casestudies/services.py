"""Case studies: profiles, the interview guide, joint-interview transcripts stored turn by turn,
speakers and their perspectives, chosen quotes, and the case-study record."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.casestudies.models import (
    CaseStudy,
    ChosenQuote,
    GuideQuestion,
    Interview,
    Perspective,
    Speaker,
    Turn,
)
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel
from coproduce.core.formats.transcripts import TranscriptError, read_transcript
from coproduce.core.personal_data import Hit, find_personal_data, merge, redact
from coproduce.studies import services as study_services
from coproduce.studies.limits import fitted
from coproduce.studies.models import Organisation, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.signals import evidence_text_changed
from coproduce.uploads import Upload, upload_limit

RECORD_FIELDS = (
    "what_it_does",
    "who_it_serves",
    "example",
    "enabling_factors",
    "challenges",
    "outcomes_staff",
    "outcomes_service_users",
)
INTERVIEWER_WORDS = ("interviewer", "researcher", "facilitator", "reporter", "q")


def start_case_study(
    study: Study, by: User, organisation: Organisation, **record: str
) -> CaseStudy:
    """A case study of one of the study's partner organisations."""
    study_services.require(by, Permission.CHANGE_STUDY, study)
    if not study.organisations.filter(pk=organisation.pk).exists():
        raise InvalidInput(
            _("%(org)s is not a partner of this study; add it on the organisations page first.")
            % {"org": organisation.name}
        )
    if CaseStudy.objects.filter(study=study, organisation=organisation).exists():
        raise InvalidInput(_("%(org)s already has a case study.") % {"org": organisation.name})
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        raise InvalidInput(
            _("Unknown case-study fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    defaults = {"what_it_does": organisation.description, **record}
    return CaseStudy.objects.create(study=study, organisation=organisation, **defaults)


def update_record(case: CaseStudy, by: User, **record: str) -> CaseStudy:
    study_services.require(by, Permission.CHANGE_STUDY, case.study)
    for name, value in record.items():
        if name not in RECORD_FIELDS:
            raise InvalidInput(_("Unknown case-study field: %(f)s.") % {"f": name})
        setattr(case, name, value.strip())
    case.save()
    return case


def set_guide(study: Study, by: User, questions: Iterable[str]) -> list[GuideQuestion]:
    """Replace the study's interview guide, one question per item."""
    study_services.require(by, Permission.CHANGE_STUDY, study)
    wanted = [" ".join(q.split()) for q in questions if q.strip()]
    if not wanted:
        raise InvalidInput(_("Write at least one question, one per line."))
    too_long = [q for q in wanted if len(q) > 500]
    if too_long:
        raise InvalidInput(_("A question is longer than 500 characters; shorten it."))
    with transaction.atomic():
        GuideQuestion.objects.filter(study=study).delete()
        return GuideQuestion.objects.bulk_create(
            GuideQuestion(study=study, position=i, text=q) for i, q in enumerate(wanted)
        )


def guess_perspective(label: str) -> str:
    return (
        Perspective.INTERVIEWER
        if label.strip().lower().rstrip(".") in INTERVIEWER_WORDS
        else Perspective.NOT_SET
    )


def import_interview(
    case: CaseStudy,
    by: User,
    transcript: Upload,
    *,
    consent_level: int | None,
    held_on: date | None = None,
    perspectives: dict[str, str] | None = None,
) -> Interview:
    """Store a joint-interview transcript turn by turn (.txt with "Name: text" lines, .vtt with
    voices, or .docx). Speakers are created from the labels; their perspectives come from
    `perspectives` or are set afterwards. All or nothing."""
    study_services.require(by, Permission.RECORD_CONSENT, case.study)
    if consent_level not in (ConsentLevel.STORE, ConsentLevel.QUOTE, ConsentLevel.PUBLISH):
        raise InvalidInput(_("Choose what the speakers agreed may be done with the interview."))
    if len(transcript.data) > upload_limit():
        raise InvalidInput(_("%(name)s is too large for a transcript.") % {"name": transcript.name})
    try:
        read = read_transcript(transcript.name, transcript.data, speakers=True)
    except TranscriptError as error:
        raise InvalidInput(str(error)) from None
    unlabelled = [i + 1 for i, t in enumerate(read.turns) if not t.speaker]
    if unlabelled:
        raise InvalidInput(
            _(
                "%(name)s: turn %(n)d has no speaker; start each turn with the speaker's name "
                'and a colon ("Sam: ..."), or use WebVTT voices.'
            )
            % {"name": transcript.name, "n": unlabelled[0]}
        )
    chosen = perspectives or {}
    bad = [p for p in chosen.values() if p not in Perspective.values]
    if bad:
        raise InvalidInput(_("'%(p)s' is not a perspective.") % {"p": bad[0]})
    labels = list(dict.fromkeys(t.speaker for t in read.turns))
    source_name = fitted(transcript.name, Interview, "source_name", _("transcript's file name"))
    for label in labels:
        fitted(label, Speaker, "label", _("speaker name '%(s)s'") % {"s": label[:40] + "…"})
    with transaction.atomic():
        interview = Interview.objects.create(
            case_study=case,
            held_on=held_on,
            source_name=source_name,
            transcript_kind=read.kind,
            consent_level=consent_level,
            recorded_by=by,
        )
        speakers = {
            label: Speaker.objects.create(
                interview=interview,
                label=label,
                perspective=chosen.get(label, guess_perspective(label)),
            )
            for label in labels
        }
        Turn.objects.bulk_create(
            Turn(
                interview=interview,
                position=i,
                speaker=speakers[t.speaker],
                text=t.text,
                start=t.start,
                end=t.end,
            )
            for i, t in enumerate(read.turns)
        )
    return interview


def set_perspectives(interview: Interview, by: User, perspectives: dict[int, str]) -> None:
    """Set each speaker's perspective (organisation, service user, interviewer)."""
    study_services.require(by, Permission.CHANGE_STUDY, interview.case_study.study)
    for speaker_id, perspective in perspectives.items():
        if perspective not in Perspective.values:
            raise InvalidInput(_("'%(p)s' is not a perspective.") % {"p": perspective})
        Speaker.objects.filter(interview=interview, pk=speaker_id).update(perspective=perspective)


def withdraw_interview(interview: Interview, by: User) -> None:
    """A speaker withdrew: the interview leaves every export and output from now on. The team
    member recording it must be allowed to record consent."""
    study_services.require(by, Permission.RECORD_CONSENT, interview.case_study.study)
    if interview.withdrawn_at is None:
        interview.withdrawn_at = timezone.now()
        interview.save(update_fields=["withdrawn_at"])


def personal_data(interview: Interview) -> list[tuple[Turn, Hit]]:
    """Likely personal data in every turn of the interview, for the team to review.

    Speakers' labels from the transcript are looked for too, wherever they are said (people
    name each other as they talk), as names."""
    turns = list(interview.turns.select_related("speaker").order_by("position"))
    labels = {s.label for s in interview.speakers.all() if not s.label.startswith("removed-")}
    found = []
    for turn in turns:
        said = [hit for label in labels for hit in _said(label, turn.text)]
        hits = merge([*find_personal_data(turn.text), *said])
        found += [(turn, Hit(h.start, h.end, h.kind, turn.text[h.start : h.end])) for h in hits]
    return found


def _said(label: str, text: str) -> list[Hit]:
    """Where a speaker's label (a first name, usually) is said in a turn, as whole words."""
    if len(label) < 2 or label.lower() in INTERVIEWER_WORDS or not label[0].isupper():
        return []
    pattern = re.compile(rf"(?<![\w]){re.escape(label)}(?![\w])")
    return [Hit(m.start(), m.end(), "name", m.group()) for m in pattern.finditer(text)]


def save_check(
    interview: Interview, by: User, spans: Mapping[int, Sequence[tuple[int, int, str]]]
) -> Interview:
    """Record the personal-data check of a whole interview: redact the chosen spans of each
    turn (`spans` by turn id; the original words stay in the restricted record)."""
    study_services.require(by, Permission.CHANGE_STUDY, interview.case_study.study)
    turns = {t.pk: t for t in interview.turns.all()}
    unknown = set(spans) - set(turns)
    if unknown:
        raise InvalidInput(_("Turn %(t)d is not part of this interview.") % {"t": min(unknown)})
    for turn_id, chosen in spans.items():
        for start, end, _kind in chosen:
            if not (0 <= start < end <= len(turns[turn_id].text)):
                raise InvalidInput(
                    _("A redaction (%(s)d to %(e)d) lies outside turn %(p)d's words.")
                    % {"s": start, "e": end, "p": turns[turn_id].position + 1}
                )
    with transaction.atomic():
        for turn in turns.values():
            _redact_turn(interview, turn, sorted(spans.get(turn.pk, ())))
        interview.checked_at, interview.checked_by = timezone.now(), by
        interview.save(update_fields=["checked_at", "checked_by"])
    return interview


def _redact_turn(interview: Interview, turn: Turn, spans: list[tuple[int, int, str]]) -> None:
    before = (
        redact(turn.text, [(int(s), int(e), str(k)) for s, e, k in turn.redactions])
        if interview.checked_at is not None
        else None
    )
    after = redact(turn.text, spans)
    turn.redactions = [[s, e, k] for s, e, k in spans]
    turn.redacted_text = after.text
    turn.save(update_fields=["redactions", "redacted_text"])
    evidence_text_changed.send(
        sender=Turn,
        study=interview.case_study.study,
        evidence_id=f"turn:{turn.pk}",
        before=before,
        after=after,
    )


def keep_only_redacted(turn: Turn) -> None:
    """Replace a checked turn's original words with its redacted ones (anonymised erasure,
    purge after retention); chosen quotes move with the words."""
    if turn.interview.checked_at is None:
        raise InvalidInput(_("Only a checked interview can keep its redacted words."))
    mapped = redact(turn.text, [(int(s), int(e), str(k)) for s, e, k in turn.redactions])
    quotes = list(ChosenQuote.objects.filter(turn=turn))
    for quote in quotes:
        quote.start, quote.end = mapped.span(quote.start, quote.end)
    ChosenQuote.objects.bulk_update(quotes, ["start", "end"])
    turn.text, turn.redacted_text, turn.redactions = mapped.text, mapped.text, []
    turn.save(update_fields=["text", "redacted_text", "redactions"])


def quote_shown(quote: ChosenQuote) -> str:
    """A chosen quote as outputs show it: from the redacted turn, its span mapped through the
    redactions; empty before the interview is checked."""
    turn = quote.turn
    if turn.interview.checked_at is None:
        return ""
    mapped = redact(turn.text, [(int(s), int(e), str(k)) for s, e, k in turn.redactions])
    start, end = mapped.span(quote.start, quote.end)
    return mapped.text[start:end]


def choose_quote(case: CaseStudy, by: User, turn: Turn, words: str) -> ChosenQuote:
    """Choose words from one turn as a quote for the record (they must appear once in it)."""
    study_services.require(by, Permission.CHANGE_STUDY, case.study)
    if turn.interview.case_study_id != case.pk:
        raise InvalidInput(_("That turn is from another case study's interview."))
    if turn.interview.consent_level < ConsentLevel.QUOTE:
        raise InvalidInput(_("The speakers did not agree to be quoted."))
    wanted = words.strip()
    at = turn.text.find(wanted) if wanted else -1
    if at < 0:
        raise InvalidInput(_("Those words are not in that turn; copy them exactly."))
    if turn.text.find(wanted, at + 1) >= 0:
        raise InvalidInput(_("Those words appear more than once in that turn; include a few more."))
    return ChosenQuote.objects.create(
        case_study=case, turn=turn, start=at, end=at + len(wanted), chosen_by=by
    )


def record(case: CaseStudy) -> dict[str, Any]:
    """The case-study record as plain data: what a poster is built from. Quotes only from
    interviews that still stand and were checked for personal data, their redactions applied,
    from speakers who still agree to be quoted, named by perspective or pseudonym, never by
    label."""
    quotes: dict[str, list[dict[str, str]]] = {"staff": [], "service_users": []}
    chosen = ChosenQuote.objects.filter(
        case_study=case,
        turn__interview__withdrawn_at__isnull=True,
        turn__interview__checked_at__isnull=False,
    ).select_related("turn__speaker__participant", "turn__interview")
    for quote in chosen:
        speaker = quote.turn.speaker
        if speaker.participant is not None and (
            speaker.participant.consent_level() < ConsentLevel.QUOTE
        ):
            continue
        side = "service_users" if speaker.perspective == Perspective.SERVICE_USER else "staff"
        quotes[side].append({"text": quote_shown(quote), "speaker": speaker.shown_name()})
    return {
        "organisation": case.organisation.name,
        **{name: getattr(case, name) for name in RECORD_FIELDS},
        "quotes": quotes,
    }


def interview_words(interviews: Sequence[Interview]) -> int:
    return sum(len(t.text.split()) for i in interviews for t in i.turns.all())
