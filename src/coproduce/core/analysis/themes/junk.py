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
GREETING = "a greeting or thanks, with nothing else to place"
MASHING = "keyboard mashing"
ONE_WORD = "a single word, too little to place in a theme"

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]")
# Korean is spaced, but its words are syllable blocks too short for the rules below.
_UNSPACED = re.compile(f"[{UNSPACED_SCRIPTS}\uac00-\ud7af]")
# Scripts that write every vowel as a letter, each with its vowels: a long word of one of them
# with none is typed at random. Others (Arabic, Hebrew, the Indian scripts) write vowels as marks
# or not at all, so the rule never applies to them.
_SCRIPTS = {
    "Latin": (re.compile(r"[a-z\u00df-\u024f\u1e00-\u1eff]+"), set("aeiouywæøœə\u0131")),
    "Cyrillic": (re.compile(r"[\u0430-\u045f\u0491]+"), set("аеиоуыэюяієїё")),
    "Greek": (re.compile(r"[\u03ac-\u03ce]+"), set("αεηιουω")),
}
# Rows of keys on QWERTY, QWERTZ and AZERTY keyboards, Russian and Ukrainian ЙЦУКЕН, and Greek.
_ROWS = (
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop", "yxcvbnm",
    "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "фівапролджє", "ςερτυθιοπ", "ασδφγηξκλ",
    "ζχψωβνμ",
)  # fmt: skip
_RUNS = {row[i : i + 5] for row in _ROWS for i in range(len(row) - 4)}
_RUNS |= {run[::-1] for run in _RUNS}
_REPEATED_UNIT = re.compile(r"^(.{1,4}?)\1{2,}.{0,3}$")

TEST_WORDS = frozenset(
    "test tests testing tester tested ignore please post comment message this is a just only "
    "one two three again hello hi 1 2 3 12 123 1234 12345 asdf lorem ipsum dolor sit amet".split()
)
GREETING_WORDS = frozenset(
    "hi hello hey hiya helo hallo bonjour hola ciao thanks thank you thankyou ta cheers ok okay "
    "good morning afternoon evening bye goodbye lol great cool nice yes no yeah yep nope diolch "
    "danke merci gracias grazie obrigado everyone all there folks guys".split()
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
    if any(word[i : i + 5] in _RUNS for i in range(len(word) - 4)):
        return True
    if _REPEATED_UNIT.match(word) and len(set(word)) <= 4:
        return True
    return len(word) >= 5 and _without_vowels(word)


def _without_vowels(word: str) -> bool:
    """Whether a word (lower case) is all in a script that writes vowels as letters, and has
    none of them."""
    for letters, vowels in _SCRIPTS.values():
        if letters.fullmatch(word):  # vowels with accents count: "ő", "ą", "ά" are vowels
            return not (vowels & set(strip_accents(word)))
    return False


def reason_to_set_apart(text: str) -> str | None:
    """Why this text has nothing to place in a theme, or None when it has."""
    if not _LETTER.search(text):
        return NO_WORDS
    if _UNSPACED.search(text):
        return None  # Chinese, Japanese, Thai and others: words are not spaced to count here
    original = _TOKEN.findall(text)
    tokens = [t.lower() for t in original]
    if set(tokens) <= TEST_WORDS and ({"test", "testing", "tests", "asdf", "lorem"} & set(tokens)):
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


def set_apart(texts: Sequence[str]) -> dict[int, str]:
    """The index of each text with nothing to place, and why."""
    found = {}
    for n, text in enumerate(texts):
        reason = reason_to_set_apart(text)
        if reason is not None:
            found[n] = reason
    return found
