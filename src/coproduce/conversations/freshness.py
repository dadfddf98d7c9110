"""When a stored opinion analysis is out of date, told by a few cheap aggregates."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Freshness:
    """What an analysis depends on, in a few cheap aggregates: the last vote, the statements'
    statuses and the study's consents. Equal values mean an analysis is still current.

    Stored with the analysis as text (`v12:s40/35/3/2:c90/1`) by str(), read back by parse().
    """

    last_vote: int
    last_statement: int
    approved: int
    rejected: int
    meta: int
    last_consent: int
    withdrawn: int

    def __str__(self) -> str:
        return (
            f"v{self.last_vote}:s{self.last_statement}/{self.approved}/{self.rejected}/"
            f"{self.meta}:c{self.last_consent}/{self.withdrawn}"
        )

    @classmethod
    def parse(cls, text: str) -> Freshness | None:
        """The freshness stored as text; None when the text is not one."""
        found = FRESHNESS_TEXT.fullmatch(text)
        return None if found is None else cls(*(int(n) for n in found.groups()))

    def statements_or_consent_changed(self, now: Freshness) -> bool:
        """True when a statement was added or moderated, or someone withdrew, since this."""
        return (
            (self.last_statement, self.approved, self.rejected, self.meta)
            != (now.last_statement, now.approved, now.rejected, now.meta)
        ) or self.withdrawn != now.withdrawn


FRESHNESS_TEXT = re.compile(r"v(\d+):s(\d+)/(\d+)/(\d+)/(\d+):c(\d+)/(\d+)")
