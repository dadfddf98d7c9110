"""Voice equity in numbers: who was heard, how evenly, and whether a few people tip a result.

Pure Python, no Django. The studies' services gather the counts; this module measures them.

- **Participation inequality**: the Gini coefficient of contributions per person, people who
  contributed nothing counted as zeros, computed as the mean absolute difference over twice
  the mean (Gini 1912; the sorted-rank form in Damgaard and Weiner 2000):
      G = sum_i (2i - n - 1) x_(i) / (n * sum x),  x sorted ascending, i = 1..n
  0 when everyone contributed alike, (n - 1) / n when one person contributed everything.
  With it, the Lorenz curve (Lorenz 1905), the share of the most active tenth of people and of
  the single most active person.
- **Representation** against the team's targets: a group under its floor, a channel over its
  ceiling, each with a plain alert and what the team can do about it.
- **Person weighting**: each person's items share one vote between them (weights 1/k for a
  person with k items), so a tally can count items or people, and say which people tip it.
- **Talk time** in joint interviews: the share of words by perspective.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

TOP_FRACTION = 0.1


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of non-negative values (0 when there are none, or all are 0)."""
    if any(v < 0 for v in values):
        raise ValueError("contributions cannot be negative")
    n, total = len(values), math.fsum(values)
    if n == 0 or total == 0:
        return 0.0
    ordered = sorted(values)
    weighted = math.fsum((2 * i - n + 1) * x for i, x in enumerate(ordered))
    return weighted / (n * total)


def lorenz(values: Sequence[float]) -> tuple[tuple[float, float], ...]:
    """The Lorenz curve: after the least active k people (as a share of everyone), the share
    of all contributions they made; from (0, 0) to (1, 1)."""
    n, total = len(values), math.fsum(values)
    if n == 0:
        return ((0.0, 0.0), (1.0, 1.0))
    points = [(0.0, 0.0)]
    running = 0.0
    for i, x in enumerate(sorted(values), start=1):
        running += x
        points.append((i / n, running / total if total else i / n))
    return tuple(points)


def top_share(values: Sequence[float], fraction: float = TOP_FRACTION) -> float:
    """The share of all contributions made by the most active `fraction` of people (at least
    one person)."""
    total = math.fsum(values)
    if not values or total == 0:
        return 0.0
    count = max(1, math.ceil(fraction * len(values) - 1e-9))
    return math.fsum(sorted(values, reverse=True)[:count]) / total


@dataclass(frozen=True)
class Inequality:
    """How evenly one strand's (or the whole study's) contributions are spread over people."""

    people: int  # everyone the study knows in it, the silent included
    silent: int  # of whom contributed nothing
    contributions: float
    gini: float
    top_tenth: float  # share made by the most active tenth of people
    top_person: float  # share made by the single most active person
    lorenz: tuple[tuple[float, float], ...]


def inequality(per_person: Mapping[str, float], silent: int = 0) -> Inequality:
    """Measure contributions per person; `silent` more people are known to have given none."""
    values = [float(v) for v in per_person.values()] + [0.0] * silent
    return Inequality(
        people=len(values),
        silent=sum(1 for v in values if v == 0),
        contributions=math.fsum(values),
        gini=gini(values),
        top_tenth=top_share(values, TOP_FRACTION),
        top_person=top_share(values, 1 / len(values)) if values else 0.0,
        lorenz=lorenz(values),
    )


@dataclass(frozen=True)
class Share:
    """One group (a role or a channel): its people and contributions, as counts and shares."""

    group: str
    people: int
    contributions: int
    people_share: float
    contribution_share: float


@dataclass(frozen=True)
class Alert:
    """Something the team should know about who was heard, and what it can do."""

    sentence: str
    advice: str


def shares(people: Mapping[str, int], contributions: Mapping[str, int]) -> tuple[Share, ...]:
    """Each group's share of the people and of the contributions, largest first."""
    all_people = sum(people.values()) or 1
    all_contributions = sum(contributions.values()) or 1
    groups = sorted(set(people) | set(contributions), key=lambda g: (-people.get(g, 0), g))
    return tuple(
        Share(
            group=g,
            people=people.get(g, 0),
            contributions=contributions.get(g, 0),
            people_share=people.get(g, 0) / all_people,
            contribution_share=contributions.get(g, 0) / all_contributions,
        )
        for g in groups
    )


def role_alerts(
    by_role: Sequence[Share], floors: Mapping[str, float], names: Mapping[str, str]
) -> list[Alert]:
    """A role whose share of the people is under the team's floor (a percentage)."""
    found = []
    known = {s.group: s for s in by_role}
    for role, floor in sorted(floors.items()):
        share = known.get(role)
        have = share.people_share if share else 0.0
        if have * 100 < floor:
            name = names.get(role, role)
            found.append(
                Alert(
                    f"{name}: {have:.0%} of the people who took part, under the target of at"
                    f" least {floor:g}%.",
                    "Reach more people in this role: open another channel they use (paper,"
                    " phone, a session where they already meet) or have a facilitator enter"
                    " their responses.",
                )
            )
    return found


def channel_alerts(
    by_channel: Sequence[Share], ceiling: float, names: Mapping[str, str]
) -> list[Alert]:
    """A channel bringing in more than the ceiling (a percentage) of the contributions."""
    found = []
    for share in by_channel:
        if share.contribution_share * 100 > ceiling and len(by_channel) >= 1:
            name = names.get(share.group, share.group)
            found.append(
                Alert(
                    f"{name}: {share.contribution_share:.0%} of the contributions came through"
                    f" this one channel, over the limit of {ceiling:g}%.",
                    "People who do not use it are less likely to be heard: add another channel"
                    " (paper forms, phone calls, an in-person session with facilitator-entered"
                    " responses).",
                )
            )
    return found


@dataclass(frozen=True)
class Weighted:
    """One category's count of items and its person-weighted count."""

    category: str
    items: int
    people: int  # distinct people with an item in it
    item_share: float
    person_weight: float  # sum of its items' weights: each person's items share one
    person_share: float

    def gap(self) -> float:
        """How far the two shares differ, in percentage points."""
        return abs(self.item_share - self.person_share) * 100


@dataclass(frozen=True)
class WeightedTally:
    """A tally counted by items and by people, and who tips it."""

    rows: tuple[Weighted, ...]
    threshold: float  # percentage points
    tippers: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def differing(self) -> tuple[Weighted, ...]:
        return tuple(r for r in self.rows if r.gap() > self.threshold)

    def leader_by_items(self) -> str | None:
        return (
            max(self.rows, key=lambda r: (r.item_share, r.category)).category if self.rows else None
        )

    def leader_by_people(self) -> str | None:
        return (
            max(self.rows, key=lambda r: (r.person_share, r.category)).category
            if self.rows
            else None
        )

    def sentences(self, *, named: bool = True) -> list[str]:
        """Plain sentences where counting people tells another story than counting items;
        `named` gives the pseudonyms of the people who tip it (for the team, never published)."""
        said = []
        if self.leader_by_items() != self.leader_by_people():
            said.append(
                f"By items, “{self.leader_by_items()}” comes first; counting each person once,"
                f" “{self.leader_by_people()}” does."
            )
        for row in self.differing():
            who = self.tippers.get(row.category, ())
            who = tuple((person, n) for person, n in who if n > 1)  # one item tips nothing
            if named:
                tipping = ", ".join(f"{person} ({n} items)" for person, n in who)
            else:
                counts = ", ".join(str(n) for _, n in who)
                people = "one person" if len(who) == 1 else f"{len(who)} people"
                tipping = f"{people} ({counts} items)" if who else ""
            said.append(
                f"“{row.category}”: {row.item_share:.0%} of items but {row.person_share:.0%}"
                f" counting each person once"
                + (
                    f"; most of its items come from {tipping}."
                    if tipping and row.item_share > row.person_share
                    else "."
                )
            )
        return said


def person_weighted(
    pairs: Iterable[tuple[str, str]], threshold: float = 10.0, tippers: int = 3
) -> WeightedTally:
    """Tally (person, category) items both ways. Each person's items carry weights that sum to
    1, so a prolific few count as few; `tippers` names the people with most items in each
    category."""
    items = list(pairs)
    per_person = Counter(person for person, _ in items)
    count: Counter[str] = Counter()
    weight: defaultdict[str, float] = defaultdict(float)
    people: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for person, category in items:
        count[category] += 1
        weight[category] += 1 / per_person[person]
        people[category][person] += 1
    total_items = len(items) or 1
    total_people = len(per_person) or 1
    rows = tuple(
        Weighted(
            category=c,
            items=count[c],
            people=len(people[c]),
            item_share=count[c] / total_items,
            person_weight=weight[c],
            person_share=weight[c] / total_people,
        )
        for c in sorted(count, key=lambda c: (-count[c], c))
    )
    top = {
        c: tuple(sorted(people[c].items(), key=lambda kv: (-kv[1], kv[0]))[:tippers]) for c in count
    }
    return WeightedTally(rows=rows, threshold=threshold, tippers=top)


def person_weights(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """The weight of each (person, item): 1 / the person's number of items."""
    items = list(pairs)
    per_person = Counter(person for person, _ in items)
    return {(p, i): 1 / per_person[p] for p, i in items}


@dataclass(frozen=True)
class TalkTime:
    """Words spoken by each perspective in one interview (or all of them)."""

    name: str
    words: dict[str, int]
    flagged: bool  # the service user's share is under the threshold

    def share(self, perspective: str) -> float:
        total = sum(self.words.values())
        return self.words.get(perspective, 0) / total if total else 0.0


def talk_time(name: str, words: Mapping[str, int], *, watched: str, least: float) -> TalkTime:
    """Share of words by perspective; flagged when `watched` (the service user) speaks less
    than `least` percent of the words."""
    kept = {k: int(v) for k, v in words.items() if v}
    total = sum(kept.values())
    flagged = total > 0 and kept.get(watched, 0) / total * 100 < least
    return TalkTime(name=name, words=kept, flagged=flagged)
