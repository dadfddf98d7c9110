"""The texts to find themes in, and the checks they pass first."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sklearn.feature_extraction.text import strip_accents_unicode

from coproduce.core.errors import InvalidInput

MIN_TEXTS = 3

# Function words: so common in their language that almost any sentence has one. A text reads as
# English unless it is in another script or has more of another language's words than English.
_FUNCTION_WORDS = {
    "english": "the and is are to of that it for with this be not have we they you was were"
    " will would should can our their there what which who from but or an at by on in",
    "german": "der die das und ist nicht ein eine ich wir sie es zu den mit sich auf für dem"
    " des auch wird werden sind kein keine mehr oder wenn aber noch von im bei nur statt",
    "french": "le la les et est une des du pas que qui pour dans nous vous ils sont ce avec"
    " sur au aux mais ou plus être",
    "spanish": "el los las y es una del que para con por no se su al lo como pero más está son muy",
    "dutch": "de het een en van niet dat zijn met voor op te ook maar wij hebben naar",
    "italian": "il gli della che non per con una sono del alla anche più come questo",
    "portuguese": "os uma não para com que por mais como dos das são também",
}
_WORDS_OF = {language: frozenset(words.split()) for language, words in _FUNCTION_WORDS.items()}
# Further common words left out of theme terms (not used to tell languages apart, being shared).
_MORE_STOP_WORDS = {
    "german": "ein einen einem einer eines im in an am um bei von vom zum zur aus nach so wie"
    " was da dass hat haben habe bin bist war waren kann können muss müssen sein seine ihr ihre"
    " mein meine uns euch man nur schon sehr hier dort dann denn doch ja nein als bis durch"
    " über wo viele alle soll sollen sollte sollten gibt sowie etc zb innen",
    "french": "de en ne je tu il elle on mon ma mes ton ta tes son sa ses notre nos votre vos"
    " leur leurs ces cette cet se y a ai as avons avez ont était fait faire tout tous toute"
    " très bien si comme quand où donc car ni",
    "spanish": "de en un unos unas yo tu tú él ella nosotros ellos ellas mi mis tu tus nuestro"
    " esta este esto estos estas ese esa eso hay ha han he fue ser estar muy todo todos también"
    " cuando donde porque sin sobre entre hasta",
    "dutch": "in is die dit er aan om bij door uit als dan nog al wel zo ik je jij hij zij we"
    " ze mijn ons onze hun was werd worden kan kunnen moet moeten heeft heb veel geen",
    "italian": "di da in un uno la le lo i è ho ha hanno sono era io tu lui lei noi voi loro mio"
    " mia suo sua nostro nel nella nei sul sulla ma se anche molto tutto tutti quando dove",
    "portuguese": "de do da em no na nos nas um o a e é eu tu ele ela nós eles elas meu minha"
    " seu sua nosso se mas muito tudo todos quando onde porque sem sobre foi ser estar tem",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Text:
    """One piece of evidence text with the id it is known by."""

    id: str
    text: str


def check_corpus(texts: Sequence[Text], *, source: str = "the input") -> None:
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
            f"Finding themes needs at least {MIN_TEXTS} texts, and {source} has"
            f" {len(texts)}; add more texts."
        )


OTHER_SCRIPT = "another script"
# Chinese and Japanese are written without spaces between words: their terms are pairs of
# characters (character bigrams, the usual unit for indexing Chinese text).
UNSPACED = "Chinese or Japanese"
_UNSPACED_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TERM = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W\d_\u3040-\u30ff"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}"
)


# Chinese function characters (traditional and simplified; a pair holding one is not a term)
# and common two-character function words.
_UNSPACED_FUNCTION = frozenset("的了是有我你他她們们這这那在就都也和與与及或而被把嗎吗呢吧啊")
_UNSPACED_STOP_WORDS = (
    "可以 如果 什麼 什么 認為 认为 因為 因为 所以 但是 沒有 没有 覺得 觉得 應該 应该 還是 还是"
    " 已經 已经 一個 一个 自己 現在 现在 這樣 这样 其實 其实 不是 一樣 一样 不會 不会"
)
_UNSPACED_STOP = frozenset(_UNSPACED_STOP_WORDS.split())


def unspaced_terms(text: str) -> list[str]:
    """Terms of a Chinese or Japanese text: each pair of neighbouring characters in a run of
    them (leaving out pairs with a function character and common function words), and any
    word in another script (such as "uber") as it is."""
    terms: list[str] = []
    for match in _TERM.finditer(text.lower()):
        run = match.group()
        if not _UNSPACED_RUN.fullmatch(run):
            terms.append(run)
            continue
        for i in range(max(len(run) - 1, 1)):
            pair = run[i : i + 2]
            if not (_UNSPACED_FUNCTION & set(pair)) and pair not in _UNSPACED_STOP:
                terms.append(pair)
    return terms


def _named(language: str) -> str:
    return "the same script" if language == OTHER_SCRIPT else language[0].upper() + language[1:]


def _latin(word: str) -> bool:
    """Whether every letter of a word is a Latin letter (é, ŵ and ł included)."""
    return word.isascii() or all(
        ch.isascii() or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN")
        for ch in word
    )


def language_of(text: str) -> str | None:
    """The language a text reads as (a heuristic), or None when it is too short to tell.

    A text in a script other than Latin is OTHER_SCRIPT; otherwise the language whose function
    words it uses most (a tie cannot tell).
    """
    words = [w.lower() for w in _WORD.findall(text)]
    if not text.isascii() and any(not _latin(w) for w in words):
        letters = sum(1 for ch in text if ch.isalpha())
        unspaced = sum(len(run) for run in _UNSPACED_RUN.findall(text))
        return UNSPACED if unspaced > 0.3 * letters else OTHER_SCRIPT
    if len(words) < 4:
        return None
    found = {lang: sum(1 for w in words if w in known) for lang, known in _WORDS_OF.items()}
    best, second = sorted(found.values(), reverse=True)[:2]
    if best == 0 or best == second:
        return None  # no function words, or as many of two languages: cannot tell
    return max(found, key=found.__getitem__)


def looks_english(text: str) -> bool:
    """Whether a text reads as English (short texts get the benefit of the doubt)."""
    return language_of(text) in (None, "english")


def not_english(texts: Sequence[Text]) -> list[str]:
    """The ids of texts that do not read as English."""
    return [t.id for t in texts if not looks_english(t.text)]


def main_language(texts: Sequence[Text], *, allowed: float, source: str) -> str:
    """The language of the texts; refused when more than `allowed` of them are in others.

    Term-based themes across languages split by language rather than by meaning, so a mixed
    corpus is refused with the ids of texts in the other languages.
    """
    languages = {t.id: language_of(t.text) for t in texts}
    counts = Counter(lang for lang in languages.values() if lang is not None)
    if not counts:
        return "english"
    main = max(counts, key=lambda lang: (counts[lang], lang == "english"))
    others = [i for i, lang in languages.items() if lang is not None and lang != main]
    if len(others) > allowed * len(texts):
        shown = ", ".join(repr(i) for i in others[:3])
        raise InvalidInput(
            f"The texts in {source} mix languages: {len(others)} of {len(texts)} (ids {shown}"
            f"{'…' if len(others) > 3 else ''}) are not in {_named(main)} like the rest, and"
            " themes would follow the language rather than the meaning; suggest themes for each"
            " language separately."
        )
    return main


@dataclass(frozen=True, slots=True)
class Terms:
    """How the texts of one language are cut into terms for the vectorisers: words without
    that language's stop words, or (Chinese, Japanese) pairs of characters."""

    stop_words: str | list[str] | None = "english"
    analyzer: Callable[[str], list[str]] | None = None

    def options(self, ngrams: tuple[int, int] = (1, 1)) -> dict[str, Any]:
        """Keyword arguments for scikit-learn's CountVectorizer and TfidfVectorizer."""
        if self.analyzer is not None:
            return {"analyzer": self.analyzer}
        return {"stop_words": self.stop_words, "strip_accents": "unicode", "ngram_range": ngrams}


def terms_for(language: str) -> Terms:
    """Terms for a language: scikit-learn's English stop words, or our function words."""
    if language == UNSPACED:
        return Terms(stop_words=None, analyzer=unspaced_terms)
    if language == "english":
        return Terms()
    known = _WORDS_OF.get(language)
    if not known:
        return Terms(stop_words=None)
    words = known | set(_MORE_STOP_WORDS.get(language, "").split())
    # The vectorisers strip accents before leaving stop words out: strip them here too.
    return Terms(stop_words=sorted({strip_accents_unicode(w) for w in words}))


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
