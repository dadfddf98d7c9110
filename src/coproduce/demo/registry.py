"""One registry of demo parts; each app registers a function that adds its evidence."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_SEED = 20191203  # the demo is the same every time it is built


@dataclass
class DemoContext:
    """What demo parts share: the study, its team by role, and one seeded random source."""

    study: Any = None
    team: dict[str, Any] = field(default_factory=dict)
    participants: list[Any] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))


@dataclass(frozen=True)
class DemoPart:
    name: str
    order: int
    build: Callable[[DemoContext], None]


_parts: dict[str, DemoPart] = {}


def register_demo_part(name: str, order: int, build: Callable[[DemoContext], None]) -> None:
    _parts[name] = DemoPart(name, order, build)


def demo_parts() -> list[DemoPart]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.name))
