"""The life of a piece of background work the team asked for (a publication build, suggested
themes), kept on its record so the team's page can show it: started, then done or failed with
one sentence. It never stays "running" after an unexpected error; the worker logs that error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from coproduce.core.errors import CoproduceError


def run_recorded(
    record: Any,
    *,
    running: str,
    done: str,
    failed: str,
    unexpected: str,
    work: Callable[[], object],
) -> None:
    """Mark `record` `running`, do the work, then mark it `done`, or `failed` with the sentence
    of the refusal (or `unexpected`, the error being raised again for the worker's log). The
    record needs `state`, `problem` and `finished_at` fields."""
    record.state = running
    record.save(update_fields=["state"])
    try:
        work()
    except CoproduceError as problem:
        record.state, record.problem = failed, str(problem)
    except Exception:
        record.state, record.problem, record.finished_at = failed, unexpected, timezone.now()
        record.save(update_fields=["state", "problem", "finished_at"])
        raise
    else:
        record.state = done
    record.finished_at = timezone.now()
    record.save(update_fields=["state", "problem", "finished_at"])
