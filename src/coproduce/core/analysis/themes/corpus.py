"""The texts to find themes in, and the checks they pass first."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import stopwordsiso
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as _SKLEARN_ENGLISH

from coproduce.core.errors import InvalidInput

MIN_TEXTS = 3

# Function words of each language, left out of its theme terms (languages themselves are told
# apart by py3langid: see languages.py).
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
    " über wo viele alle soll sollen sollte sollten gibt sowie etc zb innen vor allem allen ab"
    " sofort desto je diese dieser dieses diesen diesem jede jeder jedes jeden jedem mehr muss"
    " sollen bzw usw daher dabei damit dazu darf dürfen wäre wären würde würden könnte könnten",
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
_MORE_STOP_WORDS["welsh"] = (
    "a ac ar at y yr yn i o mae ei eu fy dy ein eich nhw fi ti ef fe hi ni chi yw ydy ydw oedd"
    " oes bod wedi gyda am fel neu ond hefyd ddim dim na nad nid sydd hyn hynny hon hwn hwnnw"
    " rhai pob mwy iawn gan drwy dros heb rhwng wrth tan tuag fod roedd bydd byddai gallu gall"
    " dylai yma yno pan os achos felly gyd hefo efo ac mi"
)
# Language codes (py3langid's, ISO 639-1) and the names the stop words above go by.
_BY_CODE = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "nl": "dutch",
    "it": "italian",
    "pt": "portuguese",
    "cy": "welsh",
}


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


# Chinese, Japanese, Thai, Lao, Khmer and Burmese are written without spaces between words:
# their terms are pairs of characters (character bigrams, the usual unit for indexing Chinese
# text).
UNSPACED = "written without spaces"
# Scripts written without spaces between words: Thai and Lao, Myanmar, Khmer, Japanese kana,
# Chinese characters (as a regular expression's character ranges).
UNSPACED_SCRIPTS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
UNSPACED_CODES = frozenset({"zh", "ja", "th", "lo", "my", "km"})
_UNSPACED_RUN = re.compile(f"[{UNSPACED_SCRIPTS}]+")
_TERM = re.compile(f"[{UNSPACED_SCRIPTS}]+|[^\\W\\d_{UNSPACED_SCRIPTS}]{{2,}}")


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


# scikit-learn's English stop words, with what is left of contractions once split ("don't" is
# "don" and "t") and filler words people write in comments, which make no theme.
ENGLISH_STOP_WORDS = sorted(
    set(_SKLEARN_ENGLISH)
    | set(
        "don doesn didn isn wasn aren weren haven hasn hadn shouldn wouldn couldn won ll ve re "
        "just like really lot lots thing things think thinks maybe yes ok okay got get gets "
        "want wants im ive dont doesnt didnt isnt cant wont thats theres".split()
    )
)


# The Indian scripts (Devanagari to Sinhala) and Thai, Lao, Burmese and Khmer write vowels
# and other parts of a word as marks, which are not word characters to a regular expression:
# kept inside words, so "किराया" is one word, not three pieces.
WORD_MARKS = "\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
WORD_CHARACTERS = f"\\w{WORD_MARKS}"
# Words of two characters or more (scikit-learn's own pattern, with those marks inside words).
TOKENS = f"(?u)[{WORD_CHARACTERS}]{{2,}}"
_TOKEN = re.compile(TOKENS)
_KEPT_MARKS = re.compile(f"[{WORD_MARKS}]")


def strip_accents(text: str) -> str:
    """Text without accents ("propriétaire" is "proprietaire"), as scikit-learn strips them,
    but keeping the marks of the scripts that spell words with them (WORD_MARKS)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_accents())


@cache
def _accents() -> dict[int, None]:
    """Every combining character but the marks kept, to be removed (str.translate's table)."""
    return {
        code: None
        for code in range(0x300, 0x20000)
        if unicodedata.combining(chr(code)) and not _KEPT_MARKS.match(chr(code))
    }


@dataclass(frozen=True, slots=True)
class Terms:
    """How the texts of one language are cut into terms for the vectorisers: words without
    that language's stop words, or (Chinese, Japanese) pairs of characters."""

    stop_words: str | list[str] | None = field(default_factory=lambda: ENGLISH_STOP_WORDS)
    analyzer: Callable[[str], list[str]] | None = None

    def options(self, ngrams: tuple[int, int] = (1, 1)) -> dict[str, Any]:
        """Keyword arguments for scikit-learn's CountVectorizer and TfidfVectorizer."""
        if self.analyzer is not None:
            return {"analyzer": self.analyzer}
        return {
            "stop_words": self.stop_words,
            "strip_accents": strip_accents,
            "token_pattern": TOKENS,
            "ngram_range": ngrams,
        }


def terms_for_code(code: str) -> Terms:
    """Terms for a language by its code: pairs of characters for languages written without
    spaces, stop words where Coproduce has them, plain words otherwise."""
    if code in UNSPACED_CODES:
        return terms_for(UNSPACED)
    return terms_for(_BY_CODE.get(code, code))


def terms_for(language: str) -> Terms:
    """Terms for a language (its name, or its code where Coproduce has no words of its own):
    scikit-learn's English stop words, our function words, or the Stopwords ISO list."""
    if language == UNSPACED:
        return Terms(stop_words=None, analyzer=unspaced_terms)
    if language == "english":
        return Terms(stop_words=ENGLISH_STOP_WORDS)
    known = _WORDS_OF.get(language, frozenset())
    words = set(known) | set(_MORE_STOP_WORDS.get(language, "").split())
    if not words and stopwordsiso.has_lang(language):
        words = set(stopwordsiso.stopwords(language))  # Stopwords ISO, for other languages
    if not words:
        return Terms(stop_words=None)
    # The vectorisers strip accents and cut words before leaving stop words out: so here too
    # (a stop word of two words leaves out each).
    plain = {strip_accents(w.lower()) for w in words}
    return Terms(stop_words=sorted(plain | {t for w in plain for t in _TOKEN.findall(w)}))


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
