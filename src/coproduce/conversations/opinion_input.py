"""Votes for the opinion analysis, from a Polis export or from the database."""

from __future__ import annotations

from coproduce.core.analysis.opinion import VoteLog
from coproduce.core.formats.polis import PolisExport

MODERATED_OUT = -1


def log_from_polis(export: PolisExport) -> VoteLog:
    """The export's votes in the order they were cast (a later vote replaces an earlier one)."""
    ordered = sorted(
        enumerate(export.votes),
        key=lambda item: (item[1].timestamp_ms if item[1].timestamp_ms is not None else 0, item[0]),
    )
    return VoteLog.of(
        ((v.voter_id, v.comment_id, v.vote) for _, v in ordered),
        [c.comment_id for c in export.comments],
        moderated_out=[c.comment_id for c in export.comments if c.moderated == MODERATED_OUT],
        meta=[c.comment_id for c in export.comments if c.is_meta],
    )
