"""Coder agreement against published worked examples."""

from __future__ import annotations

import pytest

from coproduce.core.analysis.agreement import cohen_kappa, krippendorff_alpha, per_code


def test_cohen_kappa_worked_example() -> None:
    # 50 grant proposals read by two readers: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    # p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    # (the example in Cohen's kappa's Wikipedia article and many textbooks).
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.4)


def test_cohen_kappa_edges() -> None:
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == pytest.approx(1.0)
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None  # one value throughout: undefined
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError, match="same units"):
        cohen_kappa(["a"], ["a", "b"])


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, missing values; nominal alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 1, None, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [None, 5, 5, 5],
    [None, None, 1, 1],
    [None, 3, None, None],
]


def test_krippendorff_alpha_worked_example() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(0.743, abs=0.0005)


def test_krippendorff_alpha_two_coders_binary() -> None:
    # Krippendorff (2011), section A: two observers, ten units, binary; alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha(list(zip(a, b, strict=True))) == pytest.approx(0.095, abs=0.0005)


def test_krippendorff_alpha_edges() -> None:
    assert krippendorff_alpha([[1, 1], [2, 2]]) == pytest.approx(1.0)
    assert krippendorff_alpha([[1, 1], [1, 1]]) is None  # no disagreement possible
    assert krippendorff_alpha([[1, None], [None, 2]]) is None  # nothing pairable
    assert krippendorff_alpha([]) is None


def test_per_code_agreement_for_two_and_three_coders() -> None:
    units = ["u1", "u2", "u3", "u4"]
    two = {
        "ann": [("u1", "payment"), ("u2", "payment"), ("u3", "trust")],
        "ben": [("u1", "payment"), ("u3", "trust"), ("u4", "trust")],
    }
    found = {a.code: a for a in per_code(two, units, ["payment", "trust", "unused"])}
    assert found["payment"].percent == pytest.approx(0.75)
    # payment: ann yes,yes,no,no; ben yes,no,no,no -> p_o .75, p_e .5*.25+.5*.75 = .5 -> .5
    assert found["payment"].kappa == pytest.approx(0.5)
    assert found["unused"].kappa is None and found["unused"].alpha is None
    assert "same judgement" in found["unused"].note
    three = dict(two, cat=[("u1", "payment"), ("u2", "payment")])
    payment = per_code(three, units, ["payment"])[0]
    assert payment.kappa is None and payment.coders == 3
    assert payment.alpha is not None and -1 <= payment.alpha <= 1
