"""The JSON API (OpenAPI schema at /api/openapi.json, documentation at /api/docs)."""

from ninja import NinjaAPI

from coproduce import __version__
from coproduce.conversations.api import router as conversations

api = NinjaAPI(
    title="Coproduce API",
    version=__version__,
    description="Embed a Coproduce conversation in another site: list statements, fetch the "
    "next one, vote and add statements, identifying each person by their external id (xid).",
    urls_namespace="api",
)
api.add_router("/", conversations)
