"""The audit log: who viewed restricted material, exported, moderated, withdrew or erased.

Services and the pages that show participants' own words call `record`; the study's owners read
the log on its page or as a CSV file. Changes to the team are kept apart, in TeamChange.
"""

from __future__ import annotations

import csv
import io

from coproduce.accounts.models import User
from coproduce.core.formats.spreadsheet import SafeWriter
from coproduce.studies.models import AuditEvent, Study
from coproduce.studies.permissions import Permission, require

PARTICIPANT = "the participant"
COMMAND_LINE = "the command line"


def record(study: Study, by: User | str, action: str, subject: str) -> AuditEvent:
    """Note that someone did something to restricted material (never changed afterwards).

    `by` is the team member, or a label for who else acted (PARTICIPANT, COMMAND_LINE).
    """
    actor = by if isinstance(by, User) else None
    label = by.email if isinstance(by, User) else by
    return AuditEvent.objects.create(
        study=study, actor=actor, actor_label=label, action=action, subject=subject[:200]
    )


def events_for(study: Study, by: User, limit: int = 500) -> list[AuditEvent]:
    """The newest events, for the study's owners."""
    require(by, Permission.MANAGE_TEAM, study)
    return list(study.audit_events.all()[:limit])


def csv_for(study: Study, by: User) -> str:
    """The whole log as CSV (cells that cannot run as spreadsheet formulas)."""
    require(by, Permission.MANAGE_TEAM, study)
    out = io.StringIO()
    writer = SafeWriter(csv.writer(out))
    writer.writerow(["when", "who", "what", "about"])
    for e in study.audit_events.order_by("at", "id"):
        writer.writerow([e.at.isoformat(), e.actor_label, e.get_action_display(), e.subject])
    return out.getvalue()
