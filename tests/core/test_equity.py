"""Voice equity in numbers: known values on hand-built cases, and the properties that must hold."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.analysis.equity import (
    channel_alerts,
    gini,
    inequality,
    lorenz,
    person_weighted,
    person_weights,
    role_alerts,
    shares,
    talk_time,
    top_share,
)

counts = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5, 5, 5, 5], 0.0),
        (
            [1, 2, 3, 4, 5],
            4 / 15,
        ),  # mean absolute difference 2, mean 3: 2 / (2 * 3) * 4/5... = 0.2667
        ([0, 0, 0, 10], 0.75),  # one of four did everything: (n - 1) / n
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0.9),
        (
            [1, 3],
            0.25,
        ),  # |1 - 3| / (2 * 2^2 * 2) * 2^2 ... the two-person case: (b - a) / (2 (a + b))
        ([], 0.0),
        ([0, 0], 0.0),
    ],
)
def test_gini_known_values(values: list[int], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


def test_gini_refuses_negative_contributions() -> None:
    with pytest.raises(ValueError, match="negative"):
        gini([1, -1])


def test_lorenz_known_curve() -> None:
    flat = [v for point in lorenz([1, 1, 2]) for v in point]
    assert flat == pytest.approx([0, 0, 1 / 3, 0.25, 2 / 3, 0.5, 1, 1])
    assert lorenz([]) == ((0.0, 0.0), (1.0, 1.0))


def test_top_shares() -> None:
    values = [100] + [1] * 19  # 20 people: the top tenth is 2 people
    assert top_share(values, 0.1) == pytest.approx(101 / 119)
    assert top_share(values, 1 / 20) == pytest.approx(100 / 119)
    summary = inequality({"P1": 100, **{f"P{n}": 1 for n in range(2, 21)}}, silent=5)
    assert summary.people == 25
    assert summary.silent == 5
    assert summary.top_person == pytest.approx(100 / 119)


@given(counts, st.randoms())
def test_gini_ignores_order(values: list[int], rng: object) -> None:
    shuffled = list(values)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert gini(shuffled) == pytest.approx(gini(values), abs=1e-12)


@given(counts, st.integers(min_value=1, max_value=1000))
def test_gini_ignores_scale(values: list[int], factor: int) -> None:
    assert gini([v * factor for v in values]) == pytest.approx(gini(values), abs=1e-9)


@given(counts, st.integers(min_value=1, max_value=50))
def test_silent_people_raise_inequality(values: list[int], silent: int) -> None:
    if sum(values) == 0:
        return
    assert gini(values + [0] * silent) > gini(values) - 1e-12
    assert gini(values + [0] * silent) >= gini(values)


@given(counts)
def test_gini_bounds_and_lorenz_shape(values: list[int]) -> None:
    g = gini(values)
    assert 0.0 <= g <= (len(values) - 1) / len(values) + 1e-12
    curve = lorenz(values)
    assert curve[0] == (0.0, 0.0)
    assert curve[-1] == pytest.approx((1.0, 1.0)) or sum(values) == 0
    ys = [y for _, y in curve]
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(ys))
    assert all(y <= x + 1e-9 for x, y in curve)  # never above the line of equality
    # The Gini coefficient is twice the area between the curve and the line of equality.
    if sum(values):
        area = sum((x2 - x1) * (y1 + y2) / 2 for (x1, y1), (x2, y2) in itertools.pairwise(curve))
        assert g == pytest.approx(1 - 2 * area, abs=1e-9)


@given(
    st.lists(st.tuples(st.sampled_from("ABCDEFG"), st.sampled_from(["t1", "t2", "t3"])), min_size=1)
)
def test_each_persons_weights_sum_to_one(pairs: list[tuple[str, str]]) -> None:
    items = [(person, f"{category}:{n}") for n, (person, category) in enumerate(pairs)]
    weights = person_weights(items)
    for person in {p for p, _ in items}:
        assert math.fsum(w for (p, _), w in weights.items() if p == person) == pytest.approx(1.0)
    tally = person_weighted(pairs)
    assert math.fsum(r.person_weight for r in tally.rows) == pytest.approx(
        len({p for p, _ in pairs})
    )
    assert math.fsum(r.person_share for r in tally.rows) == pytest.approx(1.0)
    assert math.fsum(r.item_share for r in tally.rows) == pytest.approx(1.0)


def test_one_prolific_person_tips_the_result_and_it_is_said() -> None:
    pairs = (
        [("P-ANNA", "Waiting lists")] * 12
        + [(f"P-{n}", "Kind staff") for n in range(5)]
        + [("P-BEN", "Waiting lists")]
    )
    tally = person_weighted(pairs, threshold=10)
    assert tally.leader_by_items() == "Waiting lists"
    assert tally.leader_by_people() == "Kind staff"
    said = " ".join(tally.sentences())
    assert "counting each person once, “Kind staff” does" in said
    assert "P-ANNA (12 items)" in said


def test_a_tally_where_people_and_items_agree_says_nothing() -> None:
    pairs = [(f"P{n}", "A") for n in range(4)] + [(f"Q{n}", "B") for n in range(4)]
    assert person_weighted(pairs).sentences() == []


def test_role_and_channel_alerts() -> None:
    people = {"lived_experience": 2, "practitioner": 8}
    contributions = {"web": 90, "paper": 10}
    by_role = shares(people, {"lived_experience": 5, "practitioner": 40})
    alerts = role_alerts(
        by_role, {"lived_experience": 40}, {"lived_experience": "Lived experience"}
    )
    assert len(alerts) == 1
    assert "20% of the people" in alerts[0].sentence
    assert "at least 40%" in alerts[0].sentence
    assert "facilitator" in alerts[0].advice
    assert role_alerts(by_role, {"practitioner": 40}, {}) == []
    by_channel = shares({"web": 9, "paper": 1}, contributions)
    flagged = channel_alerts(by_channel, 60, {"web": "Web"})
    assert [a.sentence.split(":")[0] for a in flagged] == ["Web"]
    assert channel_alerts(by_channel, 95, {}) == []


def test_talk_time_flags_a_quiet_service_user() -> None:
    quiet = talk_time(
        "Interview 1",
        {"organisation": 800, "service_user": 150, "interviewer": 50},
        watched="service_user",
        least=30,
    )
    assert quiet.flagged
    assert quiet.share("organisation") == pytest.approx(0.8)
    fair = talk_time(
        "Interview 2", {"organisation": 400, "service_user": 500}, watched="service_user", least=30
    )
    assert not fair.flagged
    assert not talk_time("Empty", {}, watched="service_user", least=30).flagged
