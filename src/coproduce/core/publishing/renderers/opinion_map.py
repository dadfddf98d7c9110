"""The opinion map as SVG: each group an outlined area with its label, no JavaScript.

Pure: plain data in, SVG text out, no Django. The picture is one view of data that pages also
give as a table (the text alternative); the SVG names itself with a title and a description, and
each group is a link to its part of the page, so the map can be used from the keyboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Dark enough for 3:1 against white and against each other's labels (WCAG 2.2, 1.4.11); a
# group is never told by colour alone: each carries its letter and size in text.
COLOURS = ("#1d4e89", "#a34700", "#0f6b4f", "#6b3fa0", "#a3123a", "#4d5b00")
PATTERNS = ("", "4 3", "1 3", "8 3 2 3", "6 2", "2 2")


@dataclass(frozen=True)
class MapGroup:
    label: str  # "Group A"
    size: int
    centre: tuple[float, float]
    outline: Sequence[tuple[float, float]]
    link: str = ""  # where the group's details are, e.g. "#group-a"


def letter(index: int) -> str:
    """Polis names groups A, B, C ...; past Z, AA, AB ..."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def opinion_map(
    groups: Sequence[MapGroup],
    *,
    title: str,
    description: str,
    width: int = 640,
    height: int = 400,
    ident: str = "opinion-map",
) -> str:
    """An SVG opinion map. Coordinates are scaled to fit; the axes have no units (they are the
    two main directions people's votes differ in), so none are drawn."""
    points = [p for g in groups for p in (*g.outline, g.centre)]
    margin = 36.0
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        scale = min(width - 2 * margin, height - 2 * margin) / span
        mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    else:
        scale, mid_x, mid_y = 1.0, 0.0, 0.0

    def place(p: tuple[float, float]) -> tuple[float, float]:
        # Screen y grows downwards; flip so that "up" on the map is the positive direction.
        return (width / 2 + (p[0] - mid_x) * scale, height / 2 - (p[1] - mid_y) * scale)

    title_id, desc_id = f"{ident}-title", f"{ident}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="opinion-map" viewBox="0 0 {width} '
        f'{height}" role="group" aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#ffffff" '
        'stroke="#6b6b6b"/>',
    ]
    for index, group in enumerate(groups):
        colour = COLOURS[index % len(COLOURS)]
        dash = PATTERNS[index % len(PATTERNS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        outline = [place(p) for p in group.outline] or [place(group.centre)]
        cx, cy = place(group.centre)
        name = f"{group.label}, {group.size} {'person' if group.size == 1 else 'people'}"
        if len(outline) >= 3:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in outline)
            shape = (
                f'<polygon points="{path}" fill="{colour}" fill-opacity="0.12" '
                f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        elif len(outline) == 2:
            (x1, y1), (x2, y2) = outline
            shape = (
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-width="8" stroke-linecap="round" stroke-opacity="0.5"/>'
            )
        else:
            x, y = outline[0]
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{colour}" fill-opacity="0.4"/>'
        label = (
            f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" dominant-baseline="middle" '
            f'font-size="15" font-weight="700" fill="{colour}" stroke="#ffffff" stroke-width="4" '
            f'paint-order="stroke">{escape(group.label)} ({group.size})</text>'
        )
        body = shape + label
        if group.link:
            body = (
                f'<a href="{escape(group.link)}" aria-label="{escape(name)}" '
                f'class="map-group">{body}</a>'
            )
        parts.append(f"<g>{body}</g>")
    parts.append("</svg>")
    return "".join(parts)
