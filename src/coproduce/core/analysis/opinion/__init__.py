"""Polis-compatible opinion analysis: groups, representative statements, consensus.

Pure numpy/scipy/scikit-learn, no Django; see ../shared/design/polis-math.md and
docs/opinion-analysis.md. Unlike Polis it is deterministic: the same votes give the same output.
"""

from coproduce.core.analysis.opinion.analysis import (
    Analysis,
    ModeratedOut,
    OpinionGroup,
    WarmStart,
    analyse,
)
from coproduce.core.analysis.opinion.matrix import VoteLog

__all__ = ["Analysis", "ModeratedOut", "OpinionGroup", "VoteLog", "WarmStart", "analyse"]
