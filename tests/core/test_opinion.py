"""The opinion analysis: every formula against hand-computed cases, properties, bad input."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from coproduce.core.analysis import routing
from coproduce.core.analysis.opinion import ModeratedOut, VoteLog, analyse, pca, repness
from coproduce.core.analysis.opinion.matrix import build, in_conversation
from tests.support.processes import run_cli


def plain_env(tmp_path: Path) -> dict[str, str]:
    """No database is needed: an empty data directory proves it."""
    return dict(os.environ, COPRODUCE_DATA_DIR=str(tmp_path / "data"))


def latent_votes(
    people: int = 60, statements: int = 12, groups: int = 2, seed: int = 1, missing: float = 0.2
) -> list[tuple[int, int, int]]:
    """Votes from people in latent groups that mostly agree among themselves."""
    rng = np.random.default_rng(seed)
    stance = rng.choice([-1, 1], size=(groups, statements))
    votes = []
    for p in range(people):
        g = p % groups
        for s in range(statements):
            if rng.random() < missing:
                continue
            value = stance[g, s] if rng.random() < 0.85 else int(rng.choice([-1, 0, 1]))
            votes.append((p, s, int(value)))
    return votes


# --- formulas, by hand ---------------------------------------------------------------------


def test_smoothed_share_and_one_proportion_test() -> None:
    # 3 agrees of 4 votes: pa = (3 + 1) / (4 + 2); pat = 2 sqrt(5) (4/5 - 1/2).
    assert repness.p_smoothed(np.array(3.0), np.array(4.0)) == pytest.approx(4 / 6)
    assert repness.one_proportion_test(np.array(3.0), np.array(4.0)) == pytest.approx(
        2 * math.sqrt(5) * 0.3
    )


def test_two_proportion_test() -> None:
    # p1 = 4/5, p2 = 2/5, p = 6/10; z = 0.4 / sqrt(0.6 * 0.4 * (1/5 + 1/5)).
    z = repness.two_proportion_test(np.array(3.0), np.array(4.0), np.array(1.0), np.array(4.0))
    assert z == pytest.approx(0.4 / math.sqrt(0.6 * 0.4 * 0.4))
    # Everyone agrees everywhere: p is 1 and the test is 0, not a division by zero.
    everyone = repness.two_proportion_test(
        np.array(4.0), np.array(4.0), np.array(4.0), np.array(4.0)
    )
    assert everyone == 0.0


def test_repness_tests_against_the_rest() -> None:
    # Group 0: 3 of 4 agree; group 1: 1 of 4 agrees.
    counts = repness.Counts(
        agree=np.array([[3.0], [1.0]]),
        disagree=np.array([[1.0], [3.0]]),
        seen=np.array([[4.0], [4.0]]),
    )
    found = repness.tests(counts)
    assert found.pa[0, 0] == pytest.approx(4 / 6)
    assert found.ra[0, 0] == pytest.approx((4 / 6) / (2 / 6))
    assert found.rat[0, 0] == pytest.approx(0.4 / math.sqrt(0.6 * 0.4 * 0.4))
    assert found.rdt[1, 0] == pytest.approx(found.rat[0, 0])
    assert found.agree_side[0, 0] and not found.agree_side[1, 0]
    metric = found.ra[0, 0] * found.rat[0, 0] * found.pa[0, 0] * found.pat[0, 0]
    assert found.metric[0, 0] == pytest.approx(metric)


def test_significant_statements_are_ordered_best_agree_first() -> None:
    # Statement 0 divides the groups sharply; statement 1 is what group 0 rejects.
    counts = repness.Counts(
        agree=np.array([[40.0, 0.0, 20.0], [0.0, 40.0, 20.0]]),
        disagree=np.array([[0.0, 40.0, 20.0], [40.0, 0.0, 20.0]]),
        seen=np.array([[40.0, 40.0, 40.0], [40.0, 40.0, 40.0]]),
    )
    found = repness.tests(counts)
    chosen = repness.representative(counts, found, 0, np.array([True, True, True]))
    assert [(c.statement, c.side) for c in chosen] == [(0, "agree"), (1, "disagree")]
    assert all(c.significant for c in chosen)
    # Set aside statement 0 and only 1 is left.
    chosen = repness.representative(counts, found, 0, np.array([False, True, True]))
    assert [(c.statement, c.side) for c in chosen] == [(1, "disagree")]


def test_without_significant_statements_the_best_agree_candidate_stands_in() -> None:
    counts = repness.Counts(
        agree=np.array([[2.0, 1.0], [2.0, 1.0]]),
        disagree=np.array([[1.0, 1.0], [1.0, 1.0]]),
        seen=np.array([[4.0, 4.0], [4.0, 4.0]]),
    )
    chosen = repness.representative(counts, repness.tests(counts), 0, np.array([True, True]))
    assert [(c.statement, c.side, c.significant) for c in chosen] == [(0, "agree", False)]


def test_consensus_and_group_informed_consensus() -> None:
    agree, disagree = np.array([18.0, 2.0, 10.0]), np.array([1.0, 17.0, 10.0])
    seen = np.array([20.0, 20.0, 20.0])
    agreed, disagreed = repness.consensus(agree, disagree, seen, np.array([True, True, True]))
    assert [a.statement for a in agreed] == [0] and [d.statement for d in disagreed] == [1]
    assert agreed[0].p == pytest.approx(19 / 22)
    counts = repness.Counts(
        agree=np.array([[3.0], [1.0]]),
        disagree=np.array([[0.0], [2.0]]),
        seen=np.array([[4.0], [3.0]]),
    )
    informed_agree, informed_disagree = repness.group_informed(counts)
    assert informed_agree[0] == pytest.approx((4 / 6) * (2 / 5))
    assert informed_disagree[0] == pytest.approx((1 / 6) * (3 / 5))


def test_latest_vote_counts_and_passes_are_votes() -> None:
    log = VoteLog.of([(7, 1, 1), (7, 1, -1), (7, 2, 0), (9, 1, 1)], [1, 2, 3])
    matrix = build(log)
    assert list(matrix.participants) == [7, 9] and list(matrix.statements) == [1, 2, 3]
    assert matrix.values.toarray().tolist() == [[-1, 0, 0], [1, 0, 0]]
    assert matrix.seen.toarray().tolist() == [[1, 1, 0], [1, 0, 0]]


def test_the_centred_matrix_is_zero_where_nobody_voted() -> None:
    log = VoteLog.of([(0, 0, 1), (1, 0, -1), (2, 0, 1), (0, 1, 1), (1, 1, 0)])
    x, means, _columns = pca.centred(build(log))
    assert means.tolist() == pytest.approx([1 / 3, 1 / 2])
    dense = x.toarray()
    assert dense[2, 1] == 0.0  # participant 2 did not vote on statement 1
    assert dense[0].tolist() == pytest.approx([2 / 3, 1 / 2])
    assert dense[1].tolist() == pytest.approx([-4 / 3, -1 / 2])


def test_components_match_a_dense_svd_of_the_mean_filled_matrix() -> None:
    # Large enough for the iterative solver, compared with numpy's exact SVD.
    log = VoteLog.of(latent_votes(people=800, statements=400, groups=3, missing=0.5))
    matrix = build(log)
    x, means, _ = pca.centred(matrix)
    assert x.shape[0] * x.shape[1] > pca.DENSE_CELLS
    filled = np.where(matrix.seen.toarray() > 0, matrix.values.toarray(), means) - means
    _, _, vt = np.linalg.svd(filled, full_matrices=False)
    found, _ = pca.top_components(x)
    for i in range(2):
        assert abs(float(found[i] @ vt[i])) == pytest.approx(1.0, abs=1e-8)
        assert found[i, int(np.argmax(np.abs(found[i])))] > 0  # the fixed sign


def test_positions_are_scaled_for_sparse_voters() -> None:
    # Two statements; participant 2 voted on one: their projection is scaled by sqrt(2 / 1).
    log = VoteLog.of([(0, 0, 1), (0, 1, 1), (1, 0, -1), (1, 1, -1), (2, 0, 1)])
    projection = pca.project(build(log))
    x, _, _ = pca.centred(build(log))
    raw = x.toarray() @ projection.components.T
    assert projection.positions[2] == pytest.approx(raw[2] * math.sqrt(2))
    assert projection.positions[0] == pytest.approx(raw[0])
    # Extremity: |1 - mean| * |component| * sqrt(statements).
    j = 0
    expected = (
        abs(1 - projection.means[j]) * np.linalg.norm(projection.components[:, j]) * math.sqrt(2)
    )
    assert projection.extremity[j] == pytest.approx(expected)


def test_who_is_in_the_conversation() -> None:
    votes = np.array([7, 6, 9, 0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5])
    chosen = in_conversation(votes, 50, None)
    # Two reach 7 votes; topped up to 15 by most votes (earlier rows first among equals).
    assert chosen.sum() == 15 and chosen[0] and chosen[2] and chosen[1] and not chosen[3]
    assert in_conversation(np.array([3, 3, 1]), 3, None).tolist() == [True, True, True]
    assert in_conversation(np.array([0, 2]), 3, None).tolist() == [False, True]


def test_priorities_match_routing() -> None:
    result = analyse(VoteLog.of(latent_votes(), meta=[3]))
    for s in result.statements:
        tally = routing.StatementTally(
            s.key, s.agree, s.disagree, s.seen, s.extremity, is_meta=s.key == 3
        )
        assert s.priority == pytest.approx(routing.priority(tally))


# --- the whole analysis ----------------------------------------------------------------------


def test_latent_groups_are_found() -> None:
    votes = latent_votes(people=90, statements=20, groups=3, seed=4)
    result = analyse(VoteLog.of(votes))
    truth = {p: p % 3 for p, _, _ in votes}
    found = result.group_by_participant()
    keys = sorted(k for k, v in found.items() if v is not None)
    assert len(result.groups) == 3 and result.message is None
    assert adjusted_rand_score([truth[k] for k in keys], [found[k] for k in keys]) > 0.95
    assert [g.id for g in result.groups] == [0, 1, 2]
    assert all(g.representative for g in result.groups)


def test_the_same_votes_always_give_identical_output() -> None:
    log = VoteLog.of(latent_votes(people=120, statements=30, groups=2, seed=9))
    first, second = analyse(log).to_json(), analyse(log).to_json()
    first.pop("seconds"), second.pop("seconds")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), groups=st.integers(2, 4))
def test_permuting_participants_and_statements_does_not_change_groups(
    seed: int, groups: int
) -> None:
    votes = latent_votes(people=60, statements=15, groups=groups, seed=seed)
    rng = np.random.default_rng(seed)
    people, statements = rng.permutation(1000)[:60], rng.permutation(1000)[:15]
    shuffled = [(int(people[p]), int(statements[s]), v) for p, s, v in votes]
    order = rng.permutation(len(shuffled))
    # Each participant votes once per statement, so the order of the log does not matter.
    permuted = [shuffled[i] for i in order]
    a = analyse(VoteLog.of(votes)).group_by_participant()
    b = analyse(VoteLog.of(permuted)).group_by_participant()
    assert [a[p] is None for p in range(60)] == [b[int(people[p])] is None for p in range(60)]
    keys = [p for p in range(60) if a[p] is not None]
    assert adjusted_rand_score([a[p] for p in keys], [b[int(people[p])] for p in keys]) == 1.0


def test_a_moderated_out_statement_changes_nothing_in_repness() -> None:
    votes = latent_votes(people=80, statements=12, groups=2, seed=3)
    rng = np.random.default_rng(0)
    extra = [(p, 99, int(rng.choice([-1, 0, 1]))) for p in range(80)]
    plain = analyse(VoteLog.of(votes)).to_json()
    moderated = analyse(VoteLog.of(votes + extra, moderated_out=[99])).to_json()
    assert plain["groups"] == moderated["groups"]
    assert plain["participants"] == moderated["participants"]
    assert plain["consensus"] == moderated["consensus"]


def test_zeroed_moderation_counts_a_zero_from_everyone_as_polis_does() -> None:
    votes = latent_votes(people=80, statements=12, groups=2, seed=3)
    extra = [(p, 99, 1) for p in range(0, 80, 2)]
    zeroed = ModeratedOut.ZEROED
    plain = analyse(VoteLog.of(votes), moderated_out=zeroed)
    moderated = analyse(VoteLog.of(votes + extra, moderated_out=[99]), moderated_out=zeroed)
    # A zeroed statement never shapes the components, never appears among representative
    # statements or consensus, but adds one zero vote to everyone's scaling: positions are
    # plain positions times sqrt((12 + 1) / (n + 1)) / sqrt(12 / n).
    assert np.allclose(moderated.components[:, :12], plain.components[:, :12])
    n = np.array([sum(1 for p, _, _ in votes if p == q) for q in range(80)], dtype=float)
    factor = np.sqrt(13 / (n + 1)) / np.sqrt(12 / n)
    assert np.allclose(moderated.positions, plain.positions * factor[:, None])
    chosen = {r.key for g in moderated.groups for r in g.representative}
    chosen |= {c.key for c in moderated.consensus_agree + moderated.consensus_disagree}
    assert 99 not in chosen
    # A moderated-out statement nobody voted on has no column in Polis: nothing changes.
    unvoted = analyse(VoteLog.of(votes, [*range(12), 99], moderated_out=[99]), moderated_out=zeroed)
    assert unvoted.to_json()["groups"] == plain.to_json()["groups"]


def test_zeroed_moderation_counts_votes_on_moderated_statements_towards_joining() -> None:
    # Participant 50 votes on 6 ordinary statements and on 1 moderated out: 7 votes.
    votes = latent_votes(people=40, statements=10, groups=2, seed=4)
    votes += [(50, s, 1) for s in range(6)] + [(50, 99, -1)]
    log = VoteLog.of(votes, moderated_out=[99])
    joined = analyse(log, moderated_out=ModeratedOut.ZEROED).group_by_participant()
    left_out = analyse(log).group_by_participant()
    assert joined[50] is not None
    assert left_out[50] is None


def test_a_warm_start_keeps_group_ids() -> None:
    votes = latent_votes(people=100, statements=20, groups=2, seed=5)
    first = analyse(VoteLog.of(votes))
    more = votes + [(p, 20, 1 if p % 2 else -1) for p in range(100)]
    second = analyse(VoteLog.of(more), previous=first)
    a, b = first.group_by_participant(), second.group_by_participant()
    same = sum(a[p] == b[p] for p in a if a[p] is not None)
    assert same >= 0.95 * sum(a[p] is not None for p in a)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "kwargs", "needs"),
    [
        ([], {}, "statements"),
        ([(0, 0, 1), (0, 1, -1)], {}, "participants"),
        ([(p, s, 0) for p in range(20) for s in range(5)], {}, "passes alone"),
        ([(p, 0, 1 if p % 2 else -1) for p in range(20)], {}, "statements"),
        (
            [(p, s, 1) for p in range(20) for s in range(5)],
            {"moderated_out": range(5)},
            "statements",
        ),
        ([(0, 0, 1), (1, 1, -1), (2, 2, 1)], {}, "one vote per statement"),
    ],
    ids=[
        "no votes",
        "one participant",
        "only passes",
        "one statement",
        "all moderated",
        "one vote each",
    ],
)
def test_not_enough_votes_is_a_clear_result(votes, kwargs, needs: str) -> None:  # type: ignore[no-untyped-def]
    result = analyse(VoteLog.of(votes, **kwargs))
    assert result.groups == ()
    assert result.message is not None and result.message.startswith("Not enough votes")
    assert needs in result.message
    text = json.dumps(result.to_json(), allow_nan=False)  # no NaN or infinity anywhere
    assert "NaN" not in text and "Infinity" not in text
    assert np.isfinite(result.positions).all()


# --- the CLI on real Polis exports ---------------------------------------------------------------


def test_analyse_polis_prints_json_for_every_shared_export(shared_polis, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for folder in sorted(p for p in shared_polis.iterdir() if p.is_dir()):
        result = run_cli("analyse", "polis", str(folder), "--json", env=plain_env(tmp_path))
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert set(data) >= {"participants", "groups", "consensus", "seconds"}
        assert len(data["groups"]) >= 2
        sizes = sum(g["size"] for g in data["groups"])
        assert sizes == sum(v is not None for v in data["participants"].values())


def test_analyse_polis_refuses_what_is_not_an_export(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "comments.csv").write_text("not,a,polis,file\n", encoding="utf-8")
    result = run_cli("analyse", "polis", str(tmp_path), "--json", env=plain_env(tmp_path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1


def test_k_smoothing_changes_k_after_four_wins_in_a_row() -> None:
    from coproduce.core.analysis.opinion.analysis import KHold

    hold = KHold(2, 2, 0)
    for best in (3, 3, 3):
        hold = hold.after(best)
        assert hold.current == 2
    assert hold.after(3).current == 3
    # An interruption starts the count again.
    interrupted = KHold(2, 2, 0).after(3).after(3).after(4).after(3)
    assert interrupted.current == 2 and interrupted.wins == 1


@pytest.mark.django_db
def test_stored_votes_of_withdrawn_people_are_left_out() -> None:
    from coproduce.conversations import services
    from coproduce.conversations.models import StatementStatus
    from coproduce.conversations.opinion import publishable, vote_log
    from coproduce.core.evidence import ConsentLevel
    from coproduce.studies import services as study_services
    from coproduce.studies.models import Role
    from tests.support.factories import study_with_team

    study, team = study_with_team()
    conversation = services.create_conversation(study, team[Role.OWNER], "What helps?")
    services.add_statements(
        conversation,
        [
            services.NewStatement(text=f"Statement {i}", is_seed=True, written_by=team[Role.OWNER])
            for i in range(8)
        ],
    )
    conversation.statements.filter(number=7).update(status=StatementStatus.REJECTED)
    people = [study_services.join(study, ConsentLevel.PUBLISH, xid=f"p{i}") for i in range(20)]
    for i, person in enumerate(people):
        for statement in conversation.statements.exclude(number=7):
            value = 1 if (i % 2) == (statement.number % 2) else -1
            services.vote(statement, person, value)
    study_services.withdraw(people[0])
    log = vote_log(conversation)
    assert people[0].pk not in set(log.participant.tolist())
    assert len(set(log.participant.tolist())) == 19
    rejected = conversation.statements.get(number=7).pk
    assert log.moderated_out == frozenset({rejected})
    data = publishable(conversation, analyse(log))
    assert set(data["participants"]) == {p.pseudonym for p in people[1:]}
    assert len(data["groups"]) == 2


def test_per_group_counts_and_outlines() -> None:
    result = analyse(VoteLog.of(latent_votes(people=90, statements=12, groups=3, seed=8)))
    data = result.to_json()
    members = {g.id: set(g.members) for g in result.groups}
    votes = latent_votes(people=90, statements=12, groups=3, seed=8)
    for s in data["statements"]:
        for gid, counts in s["groups"].items():
            cast = [v for p, st, v in votes if st == s["statement"] and p in members[int(gid)]]
            assert counts == {
                "agree": cast.count(1),
                "disagree": cast.count(-1),
                "seen": len(cast),
            }
    # Each outline is a convex polygon around its members' positions.
    position = dict(zip(result.participants.tolist(), result.positions, strict=True))
    for group in result.groups:
        hull = np.array(group.hull)
        assert len(hull) >= 3
        for member in group.members:
            x, y = position[member]
            # Inside (or on) a counter-clockwise convex polygon: left of every edge.
            for (x1, y1), (x2, y2) in zip(hull, np.roll(hull, -1, axis=0), strict=True):
                assert (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) >= -1e-5
