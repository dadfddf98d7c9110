"""The JSON API (OpenAPI schema at /api/openapi.json, documentation at /api/docs)."""

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.parser import Parser

from coproduce import __version__
from coproduce.conversations.api import router as conversations
from coproduce.core.text import unstorable


class StrictJSON(Parser):
    """JSON as the API takes it: no text with half of a UTF-16 surrogate pair ("\\ud800"),
    which JSON allows but no database can store. Refused, as anything unreadable is, with 400."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        if _has_lone_surrogate(data):
            raise ValueError("text with a NUL character or a lone surrogate cannot be stored")
        return data


def _has_lone_surrogate(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if unstorable(item) is not None:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


api = NinjaAPI(
    parser=StrictJSON(),
    title="Coproduce API",
    version=__version__,
    description="Embed a Coproduce conversation in another site: list statements, fetch the "
    "next one, vote and add statements, identifying each person by their external id (xid).",
    urls_namespace="api",
)
api.add_router("/", conversations)
