"""Find personal data in a story or transcript, and redact it keeping quote spans valid. Pure.

What is looked for: e-mail addresses, phone numbers (the `phonenumbers` library, UK first),
UK postcodes, street addresses, dates of birth and people's names. Names are the hard part
without a language model: a name is found after a title (Mrs Patel), after words that
introduce one ("my name is", "my son", "called"), or when it is a common first name in the
list below followed by a capitalised word. It is a check for a person to review, not a
guarantee: the page says so, and nothing is redacted without the team choosing it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import phonenumbers

KINDS = {
    "name": "a name",
    "email": "an e-mail address",
    "phone": "a phone number",
    "postcode": "a postcode",
    "address": "a street address",
    "date_of_birth": "a date of birth",
}
PLACEHOLDERS = {
    "name": "[name]",
    "email": "[e-mail]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "date_of_birth": "[date of birth]",
    "other": "[removed]",
}

EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")
# UK postcodes: outward code (area, district) and inward code (sector, unit); GIR 0AA too.
POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPSTUW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Place|Pl|"
    "Terrace|Gardens|Grove|Hill|Square|Sq|Row|Walk|Mews|Parade|Park|Rise|View|Green|Vale"
)
ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:[A-Z][a-z'\u2019]+\s+){{1,3}}(?:{STREET_TYPES})\b\.?"
)
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{MONTHS})\.?,?\s+(?:19|20)\d{{2}}"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})"
)
DATE_OF_BIRTH = re.compile(
    rf"(?:\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth|birthday(?:\s+is)?)\s*:?\s*)({DATE})",
    re.IGNORECASE,
)
TITLED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sister|Father|Nurse)\.?\s+((?:[A-Z][a-z'\u2019-]+\s?){1,3})"
)
NAME_CUE = re.compile(
    r"\b(?i:my name is|i am called|i'm called|called|named|known as|"
    r"my (?:son|daughter|husband|wife|partner|mum|mother|dad|father|brother|sister|nan|gran|"
    r"grandad|friend|carer|worker|support worker|social worker|key worker|nurse|doctor|gp|"
    r"neighbour|boss|manager|colleague)(?: is)?|"
    r"(?:son|daughter|husband|wife|partner|brother|sister|friend|carer)(?: called| named)?)"
    r",?\s+((?:[A-Z][a-z'\u2019-]+)(?:\s+[A-Z][a-z'\u2019-]+)?)"
)
# Names as other languages introduce them (a title, or "my name is", "my son"), for texts in
# those languages; English cues are listened for in every text.
_NAME = r"((?:[A-ZÀ-ÖØ-ÞŴŶ][\w'\u2019-]+)(?:\s+[A-ZÀ-ÖØ-ÞŴŶ][\w'\u2019-]+)?)"
CUES_BY_LANGUAGE = {
    "de": re.compile(
        r"\b(?:Herr|Frau|Dr|Prof)\.?\s+" + _NAME + r"|\b(?i:ich heiße|mein name ist|"
        r"mein(?:e)? (?:sohn|tochter|mann|frau|mutter|vater|bruder|schwester|freund|freundin)"
        r"(?: heißt)?),?\s+" + _NAME
    ),
    "fr": re.compile(
        r"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Dr)\s+" + _NAME + r"|(?i:je m'appelle|"
        r"je m\u2019appelle|mon nom est|(?:mon|ma) (?:fils|fille|mari|femme|mère|père|frère|"
        r"sœur|ami|amie)(?: s'appelle| s\u2019appelle)?),?\s+" + _NAME
    ),
    "es": re.compile(
        r"\b(?:Sr|Sra|Srta|Don|Doña|Dr)\.?\s+" + _NAME + r"|\b(?i:me llamo|mi nombre es|"
        r"mi (?:hijo|hija|marido|esposa|madre|padre|hermano|hermana|amigo|amiga)"
        r"(?: se llama)?),?\s+" + _NAME
    ),
    "cy": re.compile(
        r"\b(?i:fy enw i yw|fy enw yw|fy enw i ydy|fy (?:mab|merch|ngŵr|ngwraig|mam|nhad|"
        r"mrawd|chwaer|ffrind)(?: yw| ydy)?),?\s+" + _NAME
    ),
}
# Common first names in the UK (ONS baby-name tables and census forenames, a fact list).
FIRST_NAMES = frozenset(
    """
    aaliyah abdul abigail adam adrian agnes ahmed aisha alan albert alex alexander alfie alice
    alison amanda amber amelia amir amy andrea andrew angela ann anna anne anthony archie arthur
    ava barbara barry ben benjamin beth betty bilal bill billy brenda brian callum carl carol
    caroline catherine charles charlie charlotte chloe chris christine christopher claire colin
    connor craig dale daniel danny darren david dawn dean debbie deborah dennis derek diane
    dolly donna dorothy dylan edward eileen elaine eleanor elizabeth ella ellie emily emma eric
    ethan evelyn fatima finley florence frank freddie gary gemma george georgia gillian gordon
    grace graham hannah harper harry harvey hassan hayley heather helen henry holly ian imran
    isabella isla ivy jack jacob jade jake james jamie jane janet jasmine jason jean jennifer
    jessica jill jim joan joanne joe john jonathan joseph joshua joyce julie karen kate katie
    keith kelly kevin kieran kim laura lauren leah lee leo liam lily linda lisa logan louise
    lucy luke lynn maisie malcolm margaret maria marie mark martin mary matthew maureen megan
    melanie michael michelle mohammed mohammad muhammad molly nathan neil nicholas nicola noah
    oliver olivia oscar pamela patricia paul paula pauline peter philip priya rachel rebecca
    richard rita robert ruby ryan sally samantha samuel sandra sarah scott sean sharon shirley
    simon sophia sophie stephen steven stuart susan teresa theo thomas tina tom tracy trevor
    valerie victoria vincent wayne wendy william yasmin yusuf zara zoe
    """.split()
)
POSSESSIVE = re.compile(r"['\u2019]s?$")
WORD = re.compile(r"\b[A-Z][a-z'\u2019-]+\b")
NOT_SURNAMES = frozenset(
    """
    I The And But So Then When If My Our We He She They It This That Street Road Centre Council
    Hospital School Team Service Services NHS
    """.split()
)


@dataclass(frozen=True, order=True)
class Hit:
    start: int
    end: int
    kind: str
    text: str

    @property
    def described(self) -> str:
        return KINDS.get(self.kind, "personal data")


def find_personal_data(text: str, language: str | None = None) -> list[Hit]:
    """Every likely piece of personal data, in order, overlaps merged (the wider kind wins).
    Names are also listened for as the text's `language` introduces them (told from the text
    when not given: see coproduce.core.languages)."""
    hits: list[Hit] = []
    hits += [Hit(m.start(), m.end(), "email", m.group()) for m in EMAIL.finditer(text)]
    for match in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        if sum(c.isdigit() for c in match.raw_string) >= 9:  # not a year or a small count
            hits.append(Hit(match.start, match.end, "phone", match.raw_string))
    hits += [Hit(m.start(), m.end(), "postcode", m.group()) for m in POSTCODE.finditer(text)]
    hits += [
        Hit(m.start(), m.end(), "address", m.group().rstrip(".")) for m in ADDRESS.finditer(text)
    ]
    hits += [
        Hit(m.start(1), m.end(1), "date_of_birth", m.group(1)) for m in DATE_OF_BIRTH.finditer(text)
    ]
    if language is None:
        from coproduce.core.languages import language_of

        language = language_of(text)
    patterns = [TITLED, NAME_CUE]
    if language in CUES_BY_LANGUAGE:
        patterns.append(CUES_BY_LANGUAGE[language])
    for pattern in patterns:
        for m in pattern.finditer(text):
            group = next(g for g in range(1, (pattern.groups or 1) + 1) if m.group(g))
            name = POSSESSIVE.sub("", m.group(group).rstrip())
            hits.append(Hit(m.start(group), m.start(group) + len(name), "name", name))
    for m in WORD.finditer(text):
        if m.group().lower() in FIRST_NAMES:
            end = m.end()
            following = WORD.match(text, end + 1) if text[end : end + 1] == " " else None
            if following and following.group() not in NOT_SURNAMES:
                end = following.end()
            hits.append(Hit(m.start(), end, "name", text[m.start() : end]))
    return [Hit(h.start, h.end, h.kind, text[h.start : h.end]) for h in merge(hits)]


def merge(hits: Iterable[Hit]) -> list[Hit]:
    """Overlapping hits become one spanning both, with the kind of the longer one."""
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if merged and hit.start < merged[-1].end:
            last = merged[-1]
            longer = hit if hit.end - hit.start > last.end - last.start else last
            merged[-1] = Hit(last.start, max(last.end, hit.end), longer.kind, "")
            continue
        merged.append(hit)
    return merged


@dataclass(frozen=True)
class Redacted:
    """Text with spans replaced by placeholders, and the map from original offsets to new ones."""

    text: str
    cuts: tuple[tuple[int, int, int, int], ...]  # (old start, old end, new start, new end)

    def position(self, offset: int, *, end: bool = False) -> int:
        """Where an offset of the original text lands in the redacted text. An offset inside a
        redacted span moves to the span's start (or, for the end of a span, its end), so a quote
        that touches redacted words still covers their placeholder."""
        starts = [c[0] for c in self.cuts]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        old_start, old_end, new_start, new_end = self.cuts[i]
        if offset >= old_end:
            return new_end + (offset - old_end)
        if offset == old_start:
            return new_start
        return new_end if end else new_start

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.position(start), self.position(end, end=True)

    def original(self, offset: int, *, end: bool = False) -> int:
        """Where an offset of the redacted text lies in the original: the inverse of `position`.
        An offset inside a placeholder moves to the redacted span's start (for an end: its end)."""
        starts = [c[2] for c in self.cuts]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        old_start, old_end, new_start, new_end = self.cuts[i]
        if offset >= new_end:
            return old_end + (offset - new_end)
        return old_end if end and offset > new_start else old_start


def redact(text: str, spans: Sequence[tuple[int, int, str]]) -> Redacted:
    """Replace each (start, end, kind) span with its placeholder; overlapping spans are merged."""
    cleaned = merge(
        Hit(max(0, s), min(len(text), e), kind, "") for s, e, kind in spans if 0 <= s < e
    )
    pieces: list[str] = []
    cuts: list[tuple[int, int, int, int]] = []
    at_old = at_new = 0
    for hit in cleaned:
        pieces.append(text[at_old : hit.start])
        at_new += hit.start - at_old
        placeholder = PLACEHOLDERS.get(hit.kind, PLACEHOLDERS["other"])
        pieces.append(placeholder)
        cuts.append((hit.start, hit.end, at_new, at_new + len(placeholder)))
        at_new += len(placeholder)
        at_old = hit.end
    pieces.append(text[at_old:])
    return Redacted("".join(pieces), tuple(cuts))
