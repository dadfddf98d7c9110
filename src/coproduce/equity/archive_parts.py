"""Voice equity targets and member checking in the study archive: which conversation checks
which finding, the room's hands, each finding's revisions and the team's responses. The votes
and comments travel with the conversations part."""

from __future__ import annotations

from datetime import date
from typing import Any

from coproduce.archive import ArchivePart, ImportContext, register_part
from coproduce.coding.models import Finding
from coproduce.conversations.models import Conversation
from coproduce.core.errors import InvalidInput
from coproduce.equity.models import (
    CheckedFinding,
    EquityTargets,
    FindingResponse,
    FindingRevision,
    MemberCheck,
    RoomSession,
    RoomTally,
)
from coproduce.studies.archive_parts import optional_account, parse_datetime, when
from coproduce.studies.models import Study


def dump(study: Study) -> dict[str, Any]:
    index = {f.pk: n for n, f in enumerate(Finding.objects.filter(study=study))}
    targets = EquityTargets.objects.filter(study=study).first()
    check = MemberCheck.objects.filter(study=study).select_related("conversation").first()
    return {
        "targets": None
        if targets is None
        else {
            "role_floors": targets.role_floors,
            "channel_ceiling": targets.channel_ceiling,
            "difference": targets.difference,
            "talk_floor": targets.talk_floor,
        },
        "member_check": None
        if check is None
        else {
            "conversation": check.conversation.code,
            "opened_at": when(check.opened_at),
            "findings": [
                {"finding": index[c.finding_id], "statement": c.statement.number}
                for c in check.findings.select_related("statement").order_by("pk")
            ],
            "sessions": [
                {
                    "name": s.name,
                    "held_on": s.held_on.isoformat(),
                    "tallies": [
                        {
                            "finding": index[t.finding_id],
                            "agree": t.agree,
                            "disagree": t.disagree,
                            "unsure": t.unsure,
                            "comments": t.comments,
                            "recorded_at": when(t.recorded_at),
                        }
                        for t in s.tallies.order_by("pk")
                    ],
                }
                for s in check.sessions.all()
            ],
        },
        "revisions": [
            {
                "finding": index[r.finding_id],
                "reason": r.reason,
                "title_before": r.title_before,
                "text_before": r.text_before,
                "by": r.by.email if r.by else None,
                "at": when(r.at),
            }
            for r in FindingRevision.objects.filter(finding__study=study).select_related("by")
        ],
        "responses": [
            {
                "finding": index[r.finding_id],
                "text": r.text,
                "by": r.by.email if r.by else None,
                "at": when(r.at),
            }
            for r in FindingResponse.objects.filter(finding__study=study).select_related("by")
        ],
    }


def load(context: ImportContext, data: dict[str, Any]) -> None:
    study = context.study

    def finding(n: int) -> Finding:
        found: Finding = context.get("finding", str(n), "the member check")
        return found

    if data.get("targets"):
        EquityTargets.objects.create(study=study, **data["targets"])
    check_data = data.get("member_check")
    if check_data:
        conversation = Conversation.everything.filter(  # the study is still hidden
            study=study, code=check_data["conversation"]
        ).first()
        if conversation is None:
            raise InvalidInput(
                "The member check refers to a conversation that is not in the archive;"
                " the archive is damaged, export it again."
            )
        check = MemberCheck.objects.create(
            study=study,
            conversation=conversation,
            opened_at=parse_datetime(check_data["opened_at"]),
        )
        for row in check_data["findings"]:
            CheckedFinding.objects.create(
                member_check=check,
                finding=finding(row["finding"]),
                statement=conversation.statements.get(number=row["statement"]),
            )
        for row in check_data["sessions"]:
            session = RoomSession.objects.create(
                member_check=check, name=row["name"], held_on=date.fromisoformat(row["held_on"])
            )
            for t in row["tallies"]:
                RoomTally.objects.create(
                    session=session,
                    finding=finding(t["finding"]),
                    agree=int(t["agree"]),
                    disagree=int(t["disagree"]),
                    unsure=int(t["unsure"]),
                    comments=t["comments"],
                    recorded_at=parse_datetime(t["recorded_at"]),
                )
    for row in data.get("revisions", []):
        FindingRevision.objects.create(
            finding=finding(row["finding"]),
            reason=row["reason"],
            title_before=row["title_before"],
            text_before=row["text_before"],
            by=optional_account(row["by"]),
            at=parse_datetime(row["at"]),
        )
    for row in data.get("responses", []):
        FindingResponse.objects.create(
            finding=finding(row["finding"]),
            text=row["text"],
            by=optional_account(row["by"]),
            at=parse_datetime(row["at"]),
        )


register_part(
    ArchivePart(
        "equity",
        1,
        95,
        dump,
        load,
        holds="Revisions and responses with their authors' e-mail addresses; the room's comments.",
    )
)
