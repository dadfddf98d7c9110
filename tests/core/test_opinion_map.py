"""The pure SVG opinion map renderer."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from coproduce.core.publishing.renderers.opinion_map import MapGroup, letter, opinion_map

SVG = "{http://www.w3.org/2000/svg}"


def test_groups_are_lettered_like_polis() -> None:
    assert [letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_the_map_is_well_formed_svg_with_a_title_description_and_a_link_per_group() -> None:
    groups = [
        MapGroup("Group A", 10, (0.0, 0.0), [(-1, -1), (1, -1), (0, 1)], "#group-a"),
        MapGroup("Group <B> & co", 1, (3.0, 3.0), [(3.0, 3.0)], "#group-b"),
        MapGroup("Group C", 2, (5.0, 0.0), [(4.0, 0.0), (6.0, 0.0)], "#group-c"),
    ]
    svg = opinion_map(groups, title="Opinion map", description="Three groups.")
    # Raises on anything not well formed (an unescaped "<", say). Our own output, not untrusted.
    root = ET.fromstring(svg)  # noqa: S314
    assert root.find(f"{SVG}title").text == "Opinion map"
    assert root.find(f"{SVG}desc").text == "Three groups."
    links = root.findall(f".//{SVG}a")
    assert [a.get("aria-label") for a in links] == [
        "Group A, 10 people",
        "Group <B> & co, 1 person",
        "Group C, 2 people",
    ]
    assert root.find(f".//{SVG}polygon") is not None
    assert root.find(f".//{SVG}circle") is not None
    assert root.find(f".//{SVG}line") is not None
    # Every shape lies inside the picture.
    for polygon in root.iter(f"{SVG}polygon"):
        for pair in polygon.get("points").split():
            x, y = (float(v) for v in pair.split(","))
            assert 0 <= x <= 640 and 0 <= y <= 400


def test_an_empty_map_is_still_valid() -> None:
    root = ET.fromstring(opinion_map([], title="Opinion map", description="No groups yet."))  # noqa: S314
    assert root.findall(f".//{SVG}a") == []
