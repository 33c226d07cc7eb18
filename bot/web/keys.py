"""The web server's secret key: it signs cookies and CSRF tokens, so every worker behind one
address must have the same one.

SECRET_KEY is required when the server can be reached from elsewhere (a PUBLIC_URL that is not
loopback, or a non-loopback listen address). On loopback with nothing configured, a key is
generated once into the data directory (mode 0600) so that a local trial needs no setup and
sign-ins survive a restart.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from bot.settings import ConfigError, Settings
from storage import data_dir, private_dir

KEY_FILE = "web-secret-key"
MIN_KEY_CHARS = 32
GENERATE_HINT = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_public(settings: Settings, listen: str) -> bool:
    """Whether anyone but this machine may reach the server."""
    if settings.public_url and not is_loopback(urlsplit(settings.public_url).hostname):
        return True
    return not is_loopback(listen)


def secret_key(settings: Settings, listen: str, folder: Path | None = None) -> bytes:
    if settings.secret_key:
        if len(settings.secret_key) < MIN_KEY_CHARS:
            raise ConfigError(f"SECRET_KEY must be at least {MIN_KEY_CHARS} characters; make one with {GENERATE_HINT}")
        return settings.secret_key.encode()
    if is_public(settings, listen):
        raise ConfigError(f"SECRET_KEY is not set: serving a public address needs one; make one with {GENERATE_HINT}")
    return _local_key(folder or data_dir())


def _local_key(folder: Path) -> bytes:
    """The generated key, created with O_EXCL so that two workers starting together agree."""
    path = private_dir(folder) / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as err:
        if err.errno != errno.EEXIST:
            raise
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
    key = path.read_text().strip()
    if len(key) < MIN_KEY_CHARS:
        raise ConfigError(f"{path} holds no usable key: delete it to have a new one generated")
    return key.encode()
