"""The texts to find themes in, and the checks they pass first."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from coproduce.errors import InvalidInput

MIN_TEXTS = 3

# Function words: so common in their language that almost any sentence has one. A text reads as
# English unless it is in another script or has more of another language's words than English.
_FUNCTION_WORDS = {
    "english": "the and is are to of that it for with this be not have we they you was were"
    " will would should can our their there what which who from but or an at by on in",
    "german": "der die das und ist nicht ein eine ich wir sie es zu den mit sich auf für dem"
    " des auch wird werden sind kein mehr oder wenn aber noch",
    "french": "le la les et est une des du pas que qui pour dans nous vous ils sont ce avec"
    " sur au aux mais ou plus être",
    "spanish": "el los las y es una del que para con por no se su al lo como pero más está son muy",
    "dutch": "de het een en van niet dat zijn met voor op te ook maar wij hebben naar",
    "italian": "il gli della che non per con una sono del alla anche più come questo",
    "portuguese": "os uma não para com que por mais como dos das são também",
}
_WORDS_OF = {language: frozenset(words.split()) for language, words in _FUNCTION_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN = re.compile(r"^[a-zà-ÿœ']+$")


@dataclass(frozen=True, slots=True)
class Text:
    """One piece of evidence text with the id it is known by."""

    id: str
    text: str


def check_corpus(texts: Sequence[Text], *, source: str = "the texts") -> None:
    """Refuse empty texts, duplicate ids and corpora too small to have themes."""
    seen: set[str] = set()
    for number, t in enumerate(texts, start=1):
        if not t.id.strip():
            raise InvalidInput(f"Item {number} in {source} has no id; give every text an id.")
        if t.id in seen:
            raise InvalidInput(
                f"The id {t.id!r} appears more than once in {source}; every id must be unique."
            )
        seen.add(t.id)
        if not t.text.strip():
            raise InvalidInput(
                f"The text with id {t.id!r} in {source} is empty; remove it or add its text."
            )
    if len(texts) < MIN_TEXTS:
        raise InvalidInput(
            f"{source[0].upper()}{source[1:]} hold {len(texts)} text(s); finding themes needs at"
            f" least {MIN_TEXTS}."
        )


def looks_english(text: str) -> bool:
    """Whether a text reads as English (a heuristic; short texts get the benefit of the doubt)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if any(not _LATIN.match(w) for w in words):
        return False
    if len(words) < 4:
        return True
    english = sum(1 for w in words if w in _WORDS_OF["english"])
    other = max(
        sum(1 for w in words if w in found)
        for lang, found in _WORDS_OF.items()
        if lang != "english"
    )
    return english >= other


def not_english(texts: Sequence[Text]) -> list[str]:
    """The ids of texts that do not read as English."""
    return [t.id for t in texts if not looks_english(t.text)]


def read_csv_texts(data: bytes | str, *, source: str) -> list[Text]:
    """Read a CSV with `id` and `text` columns (any others are ignored)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(
                f"{source} is not UTF-8 text; save it as CSV (UTF-8) and try again."
            ) from None
    reader = csv.DictReader(io.StringIO(data, newline=""))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        raise InvalidInput(
            f"{source} has no {' or '.join(repr(c) for c in missing)} column; the first row must"
            " name the columns id,text."
        )
    reader.fieldnames = columns
    texts: list[Text] = []
    try:
        for row in reader:
            texts.append(Text(id=(row.get("id") or "").strip(), text=row.get("text") or ""))
    except csv.Error as error:
        raise InvalidInput(
            f"{source} is not valid CSV at line {reader.line_num} ({error}); fix that line."
        ) from None
    return texts
