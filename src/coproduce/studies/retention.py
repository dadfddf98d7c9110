"""How long raw restricted material is kept, and purging it afterwards (`coproduce purge`).

A study's owners set a retention period: so many months after the study ends. After that, raw
material goes: recordings, the original words of stories and interviews (their checked, redacted
words stay, so findings and publications keep their quotes), everything unchecked or withdrawn,
and participants' names, external ids and self-descriptions. What stays is what may leave the
restricted view, and the consent records and audit log the study must keep.

Each app says what it purges through one registry, as with people's rights (studies.rights).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.core.errors import Conflict
from coproduce.studies import audit
from coproduce.studies.models import AuditEvent, Participant, Study
from coproduce.studies.permissions import Permission, require


@dataclass(frozen=True)
class PurgePart:
    """One app's raw material: `purge(study)` removes it and says how much went, by what it is.
    It runs inside the purge's transaction (rolled back for a dry run), so files are deleted
    only once that commits (transaction.on_commit)."""

    name: str
    purge: Callable[[Study], dict[str, int]]
    order: int = 50  # parts whose items others point at (codings) go last


_parts: dict[str, PurgePart] = {}


def register_purge(part: PurgePart) -> None:
    _parts[part.name] = part


def add_months(day: date, months: int) -> date:
    """The same day so many months later (the month's last day when it is shorter)."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


def purge_from(study: Study) -> date | None:
    """The first day raw material may be purged, or None until the study has an end date and
    a retention period."""
    if study.ends_on is None or study.retention_months is None:
        return None
    return add_months(study.ends_on, study.retention_months)


@dataclass
class PurgeReport:
    """What a purge removed (or, in a dry run, would remove), by part and kind."""

    study: str
    purge_from: date
    made_at: str
    dry_run: bool
    removed: dict[str, dict[str, int]] = field(default_factory=dict)

    def total(self) -> int:
        return sum(n for counts in self.removed.values() for n in counts.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "purge_from": self.purge_from.isoformat(),
            "made_at": self.made_at,
            "dry_run": self.dry_run,
            "removed": self.removed,
            "total": self.total(),
        }

    def as_text(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        lines = [
            f"Purge of {self.study} (retention ended {self.purge_from.isoformat()}), "
            f"{'dry run, nothing changed' if self.dry_run else 'done'} at {self.made_at}.",
        ]
        for part, counts in self.removed.items():
            for what, n in counts.items():
                lines.append(f"{verb} {n}: {what} ({part})")
        if not self.total():
            lines.append("Nothing raw was left to remove.")
        return "\n".join(lines) + "\n"


def purge(
    study: Study, by: User | str, *, today: date | None = None, dry_run: bool = False
) -> PurgeReport:
    """Remove the study's raw restricted material once its retention period has ended.

    `by` is an owner, or audit.COMMAND_LINE for the server's operator. One transaction: nothing
    half-purged (recording files go once it commits).
    """
    if isinstance(by, User):
        require(by, Permission.MANAGE_TEAM, study)
    due = purge_from(study)
    if due is None:
        raise Conflict(
            _(
                "%(s)s has no retention period or no end date yet; an owner sets both on the "
                "study's consent page before anything is purged."
            )
            % {"s": study.slug}
        )
    today = today or timezone.localdate()
    if today < due:
        raise Conflict(
            _("%(s)s keeps its raw material until %(d)s; purge on or after that day.")
            % {"s": study.slug, "d": due.isoformat()}
        )
    report = PurgeReport(study.slug, due, timezone.now().isoformat(), dry_run)
    ordered = sorted(_parts.values(), key=lambda part: part.order)
    with transaction.atomic():
        for part in ordered:
            counts = {what: n for what, n in part.purge(study).items() if n}
            if counts:
                report.removed[part.name] = counts
        if dry_run:
            transaction.set_rollback(True)  # and no file is deleted: that waits for a commit
        else:
            subject = f"raw material after the retention period: {report.total()} things"
            audit.record(study, by, AuditEvent.Action.PURGED, subject)
    return report


def purge_participants(study: Study) -> dict[str, int]:
    """Names, external ids and self-descriptions: the pseudonym and consent history stay."""
    held = Participant.objects.filter(study=study).exclude(name="", xid=None, self_description="")
    count = held.update(name="", named_with_consent=False, xid=None, self_description="")
    return {"participants' names, external ids and self-descriptions": count}


register_purge(PurgePart("participants", purge_participants, order=90))
