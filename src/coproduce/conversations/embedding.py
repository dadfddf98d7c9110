"""Embedding a conversation in another site: the xid that site sends must carry its signature.

How a site signs an xid is in docs/conversations.md ("Embedding"); the mathematics is in
coproduce.core.signing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.conversations.intake import forget_secret
from coproduce.conversations.models import Conversation, new_embed_secret
from coproduce.core.signing import signed, xid_signature
from coproduce.studies.permissions import Permission
from coproduce.studies.services import require

NOT_SIGNED = _(
    "This external id (xid) is not signed with the conversation's embedding secret; the "
    "embedding site must send xid_signature with it (see docs/conversations.md)."
)


def check_xid(conversation: Conversation, xid: str, signature: str) -> None:
    """Refuse an xid the embedding site did not sign."""
    if not signed(conversation.embed_secret, conversation.code, xid, signature):
        raise PermissionDenied(NOT_SIGNED)


def sign_xid(conversation: Conversation, xid: str) -> str:
    """The signature the embedding site sends with `xid` (for the team's own tools and tests)."""
    return xid_signature(conversation.embed_secret, conversation.code, xid)


def replace_embed_secret(conversation: Conversation, by: User) -> str:
    """Make a new secret (when the old one may have leaked); xids signed with it stop working."""
    require(by, Permission.CHANGE_STUDY, conversation.study)
    conversation.embed_secret = new_embed_secret()
    conversation.save(update_fields=["embed_secret"])
    forget_secret(conversation.code)
    return conversation.embed_secret
