"""Which language each text is in: themes are suggested within each language, and the
personal-data check listens for the cues of the text's language.

Languages are told apart by py3langid (BSD-3-Clause; the method of langid.py, Lui and Baldwin
2012, retrained on 139 languages, the model shipped in its wheel), not by lists of words. Short
texts ("Legalize cannabis", "test") are hard to tell: so each text is first read against every
language, the languages the corpus is written in are those its clearly-told texts use, and
every text is then read again against only those. A corpus in English with a Welsh strand
gets English and Welsh, never Breton for a two-word English text.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from functools import cache

from coproduce.core.language_model import LanguageModel

# The names people read for the languages the model tells apart (ISO 639 codes), so a page
# says "Hindi", never "hi". A language not here is named by its code.
_NAMED = (
    "af Afrikaans|am Amharic|ar Arabic|as Assamese|az Azerbaijani|be Belarusian|bg Bulgarian"
    "|bn Bengali|br Breton|bs Bosnian|ca Catalan|cs Czech|cy Welsh|da Danish|de German"
    "|el Greek|en English|eo Esperanto|es Spanish|et Estonian|eu Basque|fa Persian|fi Finnish"
    "|fo Faroese|fr French|fy Western Frisian|ga Irish|gd Scottish Gaelic|gl Galician"
    "|gu Gujarati|ha Hausa|he Hebrew|hi Hindi|hr Croatian|ht Haitian Creole|hu Hungarian"
    "|hy Armenian|id Indonesian|ig Igbo|is Icelandic|it Italian|ja Japanese|jv Javanese"
    "|ka Georgian|kk Kazakh|km Khmer|kn Kannada|ko Korean|ku Kurdish|ky Kyrgyz|la Latin"
    "|lb Luxembourgish|lg Ganda|ln Lingala|lo Lao|lt Lithuanian|lv Latvian|mg Malagasy"
    "|mk Macedonian|ml Malayalam|mn Mongolian|mr Marathi|ms Malay|mt Maltese|my Burmese"
    "|ne Nepali|nl Dutch|no Norwegian|oc Occitan|om Oromo|or Odia|pa Punjabi|pl Polish"
    "|ps Pashto|pt Portuguese|qu Quechua|ro Romanian|ru Russian|rw Kinyarwanda|sa Sanskrit"
    "|se Northern Sami|si Sinhala|sk Slovak|sl Slovenian|sn Shona|so Somali|sq Albanian"
    "|sr Serbian|st Southern Sotho|sv Swedish|sw Swahili|ta Tamil|te Telugu|tg Tajik|th Thai"
    "|tk Turkmen|tl Tagalog|tr Turkish|tt Tatar|ug Uyghur|uk Ukrainian|ur Urdu|uz Uzbek"
    "|vi Vietnamese|vo Volapük|wa Walloon|xh Xhosa|yo Yoruba|zh Chinese|zu Zulu"
    "|ace Acehnese|an Aragonese|ary Moroccan Arabic|arz Egyptian Arabic|ba Bashkir"
    "|bcl Central Bikol|crh Crimean Tatar|dz Dzongkha|ext Extremaduran|fuv Nigerian Fulfulde"
    "|gcf Guadeloupean Creole|gcr Guianese Creole|gom Goan Konkani|grc Ancient Greek"
    "|gug Paraguayan Guarani|guw Gun|hbo Ancient Hebrew|kab Kabyle|kik Kikuyu|lij Ligurian"
    "|ltg Latgalian|nso Northern Sotho|pcm Nigerian Pidgin|sdh Southern Kurdish"
    "|uzs Southern Uzbek|vec Venetian|zxx no language"
)
NAMES = dict(pair.split(" ", 1) for pair in _NAMED.split("|"))
# Languages the model tells apart that share their writing with another: read as that one
# (Cantonese and Wu in Chinese characters are grouped with Chinese; Norwegian's two written
# forms).
SAME_WRITING = {"yue": "zh", "wuu": "zh", "nn": "no", "nb": "no"}
SURE = 0.9  # a text read this confidently counts towards the corpus's languages
LEAST_WORDS = 4  # ...when it is this long (or, unspaced, twice as many characters)
LEAST_SHARE = 0.002  # a language is the corpus's when this share of its texts are surely in it
LEAST_TEXTS = 2  # ...and at least this many
NO_LANGUAGE = "zxx"  # what the model says of text with no language in it ("asdfgh")
PLAIN_SHARE = 0.1  # a language most texts are read as, surely or not, at least this share
UNDECIDED = 0.6  # read against the corpus's languages, less sure than this: its main language


def name_of(code: str) -> str:
    return NAMES.get(code, code)


_loading = threading.Lock()  # one thread loads the model; any other waits for it


def _reader() -> LanguageModel:
    with _loading:
        return _loaded()


@cache
def _loaded() -> LanguageModel:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageModel(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))


def load_in_background() -> None:
    """Start loading the language model (half a second, mostly decompressing, which lets other
    threads run) so it is ready when first needed: a command loads it while it imports the rest."""
    threading.Thread(target=_reader, name="language model", daemon=True).start()


def long_enough(text: str) -> bool:
    words = text.split()
    return len(words) >= LEAST_WORDS or (len(words) <= 2 and len(text.strip()) >= 2 * LEAST_WORDS)


def languages_of(texts: Sequence[str]) -> list[str]:
    """Each text's language code, read against the languages the corpus is written in."""
    if not texts:
        return []
    reader = _reader()
    features = reader.features(texts)
    first = _same_writing(reader.read(features))
    sure = Counter(
        code
        for text, (code, probability) in zip(texts, first, strict=True)
        if probability >= SURE and code != NO_LANGUAGE and long_enough(text)
    )
    if not sure:  # nothing told clearly (a few short texts): go by what each reads as
        sure = Counter(code for code, _ in first if code != NO_LANGUAGE)
    least = max(LEAST_TEXTS, LEAST_SHARE * len(texts))
    # Or (short texts, such as Chinese ones, are seldom read surely) read so by a tenth.
    plain = Counter(code for code, _ in first if code != NO_LANGUAGE)
    many = max(least, PLAIN_SHARE * len(texts))
    corpus = sorted(
        {c for c, count in sure.items() if count >= least}
        | {c for c, count in plain.items() if count >= many}
    )
    main = max(corpus, key=lambda c: (plain[c], sure[c], c)) if corpus else "en"
    if len(corpus) <= 1:
        return [corpus[0] if corpus else main] * len(texts)
    # Read again against the corpus's languages, but for texts already surely in one.
    again = _same_writing(reader.read(features, among=corpus))
    second = [
        was if was[1] >= SURE and was[0] in corpus and long_enough(text) else now
        for text, was, now in zip(texts, first, again, strict=True)
    ]
    return [
        code if probability >= (UNDECIDED if long_enough(text) else SURE) else main
        for text, (code, probability) in zip(texts, second, strict=True)
    ]


def _same_writing(read: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(SAME_WRITING.get(code, code), probability) for code, probability in read]


def language_of(text: str) -> str:
    """One text's language code, read on its own ("en" when it cannot be told)."""
    reader = _reader()
    [(code, probability)] = _same_writing(reader.read(reader.features([text])))
    return code if probability >= UNDECIDED and long_enough(text) else "en"
