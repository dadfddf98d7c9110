"""Proving that an external id (xid) comes from the site that embeds a conversation.

The embedding site and Coproduce share a secret per conversation. The site sends, with each
xid, its signature: HMAC-SHA256 of "<conversation code>:<xid>" under that secret, in hex
(RFC 2104). Without the secret nobody can make a signature, so knowing someone's xid is not
enough to act as them.
"""

from __future__ import annotations

import hashlib
import hmac


def xid_signature(secret: str, conversation: str, xid: str) -> str:
    """The signature an embedding site sends with `xid` for this conversation."""
    message = f"{conversation}:{xid}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed(secret: str, conversation: str, xid: str, signature: str) -> bool:
    """True when `signature` is the xid's signature (compared in constant time). An xid that is
    not valid text (a lone surrogate) has no signature: no site could have sent it."""
    try:
        expected = xid_signature(secret, conversation, xid).encode()
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))
