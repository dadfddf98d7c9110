"""Every route of the URL configuration, and a route filled in with a study's values."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def routes() -> list[str]:
    """Every route in the URL configuration but the site administration's."""

    def walk(patterns: list[Any], prefix: str = "") -> list[str]:
        found = []
        for p in patterns:
            if isinstance(p, URLResolver):
                found += walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append(prefix + str(p.pattern))
        return found

    return sorted({r for r in walk(get_resolver().url_patterns) if not r.startswith("admin/")})


def address(route: str, values: dict[str, str]) -> str:
    """The route with its parameters filled in from the study."""
    path = route
    code = values["join"] if route.startswith("join/") else values["conversation"]
    number = values["number"]
    for kind in ("theme", "finding", "recommendation"):
        if route.startswith(f"studies/<slug:slug>/{kind}s/"):
            number = values[kind]
    if route.startswith("studies/<slug:slug>/easy-read/parts/"):
        number = values.get("part", "1")
    for param, value in (
        ("<slug:slug>", values["slug"]),
        ("<str:code>", code),
        ("<code>", values["conversation"]),
        ("<str:pseudonym>", values["pseudonym"]),
        ("<str:token>", values["token"]),
        ("<int:number>", number),
        ("<slug:organisation>", values["organisation"]),
        ("<str:evidence_id>", values["evidence_id"]),
        ("<path:path>", values.get("path", "index.html")),
        ("<str:symbol>", "1F68C"),
        ("<int:image>", values.get("image", "1")),
        ("<int:session>", values.get("session", "1")),
        ("<uidb64>", "MQ"),  # no such account: the page says the link no longer works
        ("<token>", "not-a-token"),
    ):
        path = path.replace(param, value)
    return "/" + path
