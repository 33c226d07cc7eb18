"""Tokens, signed values and CSRF tokens: the few cryptographic helpers the web pages share.

* A bearer token (a sign-in link, a session cookie) is random and stored only as its SHA-256:
  a copy of the database signs nobody in.
* A signed value carries an HMAC of the secret key, so a browser cannot forge or alter it.
* A CSRF token is an HMAC of what the form is bound to (the session, or a sign-in nonce): a
  page of another site cannot read it, so it cannot make the browser post it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits, as URL-safe base64 (43 characters)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(key: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(key, f"{purpose}\0{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def derived_secret(key: bytes, purpose: str) -> str:
    """A secret of its own for `purpose` (A-Z a-z 0-9 _ -, 43 characters), from the one key."""
    return _mac(key, "derived", purpose)


def sign(key: bytes, purpose: str, value: str) -> str:
    """`value` and its signature; `purpose` keeps a value signed for one use from passing for another."""
    return f"{value}.{_mac(key, purpose, value)}"


def unsign(key: bytes, purpose: str, signed: str | None) -> str | None:
    """The value if the signature is right, else None."""
    if not signed or "." not in signed:
        return None
    value, _, mac = signed.rpartition(".")
    return value if hmac.compare_digest(mac.encode(), _mac(key, purpose, value).encode()) else None


def csrf_token(key: bytes, binding: str) -> str:
    return _mac(key, "csrf", binding)


def csrf_ok(key: bytes, binding: str | None, given: str | None) -> bool:
    if not binding or not given:
        return False
    return hmac.compare_digest(given.encode(), csrf_token(key, binding).encode())
