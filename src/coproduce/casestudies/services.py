"""Case studies: profiles, the interview guide, joint-interview transcripts stored turn by turn,
speakers and their perspectives, chosen quotes, and the case-study record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
from coproduce.studies import services as study_services
from coproduce.studies.limits import fitted
from coproduce.studies.models import Organisation, Study
from coproduce.studies.permissions import Permission
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
    interviews that still stand, named by perspective or pseudonym, never by label."""
    quotes: dict[str, list[dict[str, str]]] = {"staff": [], "service_users": []}
    chosen = ChosenQuote.objects.filter(
        case_study=case, turn__interview__withdrawn_at__isnull=True
    ).select_related("turn__speaker__participant")
    for quote in chosen:
        speaker = quote.turn.speaker
        side = "service_users" if speaker.perspective == Perspective.SERVICE_USER else "staff"
        quotes[side].append(
            {"text": quote.turn.text[quote.start : quote.end], "speaker": speaker.shown_name()}
        )
    return {
        "organisation": case.organisation.name,
        **{name: getattr(case, name) for name in RECORD_FIELDS},
        "quotes": quotes,
    }


def interview_words(interviews: Sequence[Interview]) -> int:
    return sum(len(t.text.split()) for i in interviews for t in i.turns.all())
