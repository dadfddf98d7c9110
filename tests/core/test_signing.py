"""Signing an embedding site's xids (HMAC-SHA256, RFC 2104)."""

from __future__ import annotations

import hashlib
import hmac

from coproduce.core.signing import signed, xid_signature


def test_a_signature_is_hmac_sha256_of_code_and_xid_and_only_it_passes() -> None:
    expected = hmac.new(b"s3cret", b"abc123:person-7", hashlib.sha256).hexdigest()
    assert xid_signature("s3cret", "abc123", "person-7") == expected
    assert signed("s3cret", "abc123", "person-7", expected)
    assert not signed("s3cret", "other", "person-7", expected)
    assert not signed("other", "abc123", "person-7", expected)
    assert not signed("s3cret", "abc123", "person-7", expected.upper() + " café")


def test_an_xid_that_is_not_valid_text_is_never_signed() -> None:
    assert not signed("s3cret", "abc123", "\ud800", "anything")
    assert not signed("s3cret", "abc123", "person-7", "\ud800")
