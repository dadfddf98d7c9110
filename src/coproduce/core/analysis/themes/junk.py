"""Texts with nothing to place in a theme: set apart first, each with its reason, so that junk
never becomes a theme or a theme's label.

Real conversations hold test posts ("test", "testing 123"), keyboard mashing ("asdfgh",
"jkjkjkjk"), greetings and thanks, and single words. Each rule here is narrow on purpose: a
short real opinion ("Government control", "Diversity in policing") is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from coproduce.core.analysis.themes.corpus import UNSPACED_SCRIPTS, strip_accents

NO_WORDS = "it has no words"
TEST_POST = "a test post"
GREETING = "a greeting, thanks or agreement, with nothing else to place"
MASHING = "keyboard mashing"
ONE_WORD = "a single word, too little to place in a theme"

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]")
# Korean is spaced, but its words are syllable blocks too short for the rules below.
_UNSPACED = re.compile(f"[{UNSPACED_SCRIPTS}\uac00-\ud7af]")
# Scripts that write every vowel as a letter, each with its vowels: a long word of one of them
# with none is typed at random. Others (Arabic, Hebrew, the Indian scripts) write vowels as marks
# or not at all, so the rule never applies to them.
# Vowels are compared without their accents, so the accented ones need not be listed.
_SCRIPTS = (
    (re.compile(r"[a-z\u00df-\u024f\u1e00-\u1eff]+"), frozenset("aeiouywæøœə\u0131")),  # Latin
    (re.compile(r"[\u0430-\u045f\u0491]+"), frozenset("аеиоуыэюяіє")),  # Cyrillic
    (re.compile(r"[\u03ac-\u03ce]+"), frozenset("αεηιουω")),  # Greek
)
# Rows of keys on QWERTY, QWERTZ and AZERTY keyboards, Russian and Ukrainian ЙЦУКЕН, and Greek.
_ROWS = (
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop", "yxcvbnm",
    "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "фівапролджє", "ςερτυθιοπ", "ασδφγηξκλ",
    "ζχψωβνμ",
)  # fmt: skip
_RUNS = {row[i : i + 5] for row in _ROWS for i in range(len(row) - 4)}
# The consonants of the home row, where the fingers rest and mashing mostly lands
# ("aosidfjiasdjf", "dsfgsdfg"): three different ones in a row happen in real words ("folks",
# "Aufklärung", "Wohlstand") but twice in one word in none of 15,600 words of the real
# conversations in ../shared (English, German, Dutch, pinyin) and the stop words of 58
# languages, while most mashing has them twice or more.
_HOME_ROW = frozenset("sdfghjkl")
_HOME_KEYS = _HOME_ROW | {"a"}
_TEST_WORD = re.compile(r"\d*test(?:s|ing|ed|er|est)?\d*")
# On the home row, four keys in a row are enough ("asdf", "hjkl"): no real word has them.
_RUNS |= {"asdfghjkl"[i : i + 4] for i in range(6)}
_RUNS |= {run[::-1] for run in _RUNS}
_REPEATED_UNIT = re.compile(r"^(.{1,4}?)\1{2,}.{0,3}$")

TEST_WORDS = frozenset(
    "test tests testing tester tested ignore please post comment message this is a just only "
    "one two three again hello hi 1 2 3 12 123 1234 12345 asdf lorem ipsum dolor sit amet".split()
)
GREETING_WORDS = frozenset(
    "hi hello hey hiya helo hallo bonjour hola ciao thanks thank you thankyou ta cheers ok okay "
    "good morning afternoon evening bye goodbye lol great cool nice yes no yeah yep nope diolch "
    "danke merci gracias grazie obrigado everyone all there folks guys "
    # agreement with nothing else said ("I agree", "Sounds great!", "Me too")
    "i agree agreed me too so hope sounds same here my god wow true indeed exactly".split()
)


@lru_cache(maxsize=1 << 16)  # words recur across texts: each is judged once
def mashed(token: str) -> bool:
    """Whether a word looks typed at random: a run of neighbouring keys, one short piece
    repeated, or (five letters or more, not capitals, in a script that writes its vowels) no
    vowel at all."""
    if token.isupper() and len(token) <= 6:
        return False  # an acronym: NHS, GDPR, LGBTQ
    word = token.lower()
    if len(word) < 4 or not word.isalpha():
        return False
    if any(word[i : i + n] in _RUNS for n in (4, 5) for i in range(len(word) - n + 1)):
        return True
    if _REPEATED_UNIT.match(word) and len(set(word)) <= 4:
        return True
    return _home_row_runs(word) >= 2 or (len(word) >= 5 and _without_vowels(word))


def _home_row_runs(word: str) -> int:
    """How many times three different home-row consonants follow one another in a word."""
    return sum(
        1
        for i in range(len(word) - 2)
        if word[i] in _HOME_ROW
        and word[i + 1] in _HOME_ROW
        and word[i + 2] in _HOME_ROW
        and len({word[i], word[i + 1], word[i + 2]}) == 3
    )


def _test_post(tokens: list[str]) -> bool:
    """Whether a text is a test post: a test word ("test", "testing", "test123") beside other
    test words, numbers and typing, at least half of what else it says ("test 324234",
    "test aisdfj", "test 2 Oct 18"; not "Test scores matter more than football")."""
    if not any(_TEST_WORD.fullmatch(t) for t in tokens):
        return False
    # What else it says, but for letters alone ("test 811 b") and words of two
    others = [t for t in tokens if not _TEST_WORD.fullmatch(t) and (len(t) > 2 or t.isdigit())]
    filler = sum(
        t in TEST_WORDS or any(c.isdigit() for c in t) or mashed(t) or _typed(t) for t in others
    )
    return filler * 2 >= len(others)


def _typed(token: str) -> bool:
    """Whether a word beside a test word looks typed to fill the box ("aisdfj", "ajodifj"):
    a run of home-row consonants, or five letters or more, most of them on the home row."""
    if _home_row_runs(token) >= 1:
        return True
    return len(token) >= 5 and sum(c in _HOME_KEYS for c in token) >= 0.6 * len(token)


def _without_vowels(word: str) -> bool:
    """Whether a word (lower case) is all in a script that writes vowels as letters, and has
    none of them."""
    for letters, vowels in _SCRIPTS:
        if letters.fullmatch(word):  # vowels with accents count: "ő", "ą", "ά" are vowels
            return not (vowels & set(strip_accents(word)))
    return False


def reason_to_set_apart(text: str) -> str | None:
    """Why this text has nothing to place in a theme, or None when it has."""
    return _reason(text, _TOKEN.findall(text))


def _reason(text: str, original: list[str]) -> str | None:
    """Why a text, cut into these words, has nothing to place in a theme (or None)."""
    if not _LETTER.search(text):
        return NO_WORDS
    if _UNSPACED.search(text):
        return None  # Chinese, Japanese, Thai and others: words are not spaced to count here
    tokens = [t.lower() for t in original]
    if _test_post(tokens) or (set(tokens) <= TEST_WORDS and {"asdf", "lorem"} & set(tokens)):
        return TEST_POST
    if set(tokens) <= GREETING_WORDS and len(tokens) <= 5:
        return GREETING
    if _mostly_mashed(original):
        return MASHING
    if len([t for t in tokens if _LETTER.search(t)]) == 1:
        return ONE_WORD
    return None


def _mostly_mashed(words: list[str]) -> bool:
    """Whether at least half the words look typed at random (judged until that is settled)."""
    allowed = len(words) // 2  # words that may look real, with the text still mostly mashed
    for word in words:
        if not mashed(word):
            allowed -= 1
            if allowed < 0:
                return False
    return True


# A short text with a test word ("Poop test.", "CIOB testing", "test from xid user") is a test
# post when most of its other words are used in no other text kept: not when they are shared
# ("Ban animal testing" where others write of animals).
SHORT_TEST_POST = 5  # words at most


def set_apart(texts: Sequence[str]) -> dict[int, str]:
    """The index of each text with nothing to place, and why."""
    cut = [_TOKEN.findall(text) for text in texts]  # each text's words, cut once for both
    found = {}
    for n, (text, original) in enumerate(zip(texts, cut, strict=True)):
        reason = _reason(text, original)
        if reason is not None:
            found[n] = reason
    return found | _test_posts_of_their_own(cut, found)


def _test_posts_of_their_own(cut: Sequence[list[str]], found: dict[int, str]) -> dict[int, str]:
    """Short texts with a test word whose other words no other kept text uses (see above)."""
    words = {n: [t.lower() for t in original] for n, original in enumerate(cut)}
    candidates = {
        n: {t for t in tokens if len(t) > 2 and not _TEST_WORD.fullmatch(t) and t not in TEST_WORDS}
        for n, tokens in words.items()
        if n not in found
        and len(tokens) <= SHORT_TEST_POST
        and any(_TEST_WORD.fullmatch(t) for t in tokens)
    }
    wanted = set().union(*candidates.values()) if candidates else set()
    used_in: dict[str, set[int]] = {}
    for n, tokens in words.items():
        if n not in found:
            for t in wanted.intersection(tokens):
                used_in.setdefault(t, set()).add(n)
    return {
        n: TEST_POST
        for n, others in candidates.items()
        if 2 * sum(used_in[t] == {n} for t in others) >= len(others)
    }
