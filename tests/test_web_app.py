"""The `serve` application's frame: /healthz, the stylesheet, security headers, the secret key,
the signing helpers, and the webhook mounted next to the pages."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.settings import ConfigError, Settings
from bot.web.app import Web, build_app
from bot.web.headers import CSP
from bot.web.keys import KEY_FILE, secret_key
from bot.web.serve import ROUTE_SETS
from bot.web.signing import csrf_ok, csrf_token, derived_secret, new_token, sign, token_hash, unsign
from storage import Store

KEY = b"k" * 40


def client(store: Store, base_url: str = "http://127.0.0.1:8080") -> TestClient:
    settings = Settings(database_url=store.url.render_as_string(hide_password=False))
    return TestClient(build_app(Web(store, settings, KEY, base_url), ROUTE_SETS), base_url=base_url)


def test_health_says_ok_when_the_database_answers_and_is_migrated(store: Store) -> None:
    response = client(store).get("/healthz")
    assert response.status_code == 200 and response.text == "ok\n"


def test_health_is_503_when_the_schema_is_not_this_codes(sqlite_url: str) -> None:
    import sqlalchemy as sa

    store = Store(sqlite_url)
    try:
        with store.engine.begin() as connection:
            connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
        assert client(store).get("/healthz").status_code == 503
    finally:
        store.close()


def test_every_response_carries_the_security_headers(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    try:
        http = client(store)
        for path in ("/dashboard", "/static/site.css", "/healthz", "/no-such-page"):
            headers = http.get(path).headers
            assert headers["content-security-policy"] == CSP, path
            assert headers["x-frame-options"] == "DENY"
            assert headers["referrer-policy"] == "no-referrer"
            assert headers["x-content-type-options"] == "nosniff"
            assert "strict-transport-security" not in headers  # plain http on loopback
        assert "script-src" not in CSP and "'unsafe-inline'" not in CSP and "default-src 'none'" in CSP
        css = http.get("/static/site.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        assert client(store, "https://screener.example.org").get("/healthz").headers["strict-transport-security"]
    finally:
        store.close()


def test_the_root_and_short_links_are_the_applicant_channel(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    try:
        http = client(store)
        assert "Start the screening" in http.get("/").text and "Start the screening" in http.get("/s/abc").text
    finally:
        store.close()


# --- the secret key ---------------------------------------------------------------------------
def test_on_loopback_a_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite://")
    first = secret_key(settings, "127.0.0.1", tmp_path)
    assert len(first) >= 32 and secret_key(settings, "::1", tmp_path) == first
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "public_url,listen",
    [("https://screener.example.org", "127.0.0.1"), (None, "0.0.0.0"), ("http://10.0.0.5:8080", "127.0.0.1")],
)
def test_a_public_server_needs_a_secret_key(tmp_path: Path, public_url: str | None, listen: str) -> None:
    settings = Settings(database_url="sqlite://", public_url=public_url)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set") as err:
        secret_key(settings, listen, tmp_path)
    assert "\n" not in str(err.value)
    assert not (tmp_path / KEY_FILE).exists()
    given = Settings(database_url="sqlite://", public_url=public_url, secret_key="s" * 32)
    assert secret_key(given, listen, tmp_path) == b"s" * 32
    with pytest.raises(ConfigError, match="at least 32"):
        secret_key(Settings(database_url="sqlite://", secret_key="short"), listen, tmp_path)


def test_serve_without_a_key_on_a_public_address_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("LATERAL_SCREENER_HOME", str(tmp_path))
    monkeypatch.setenv("PUBLIC_URL", "https://screener.example.org")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lateral-screener: SECRET_KEY is not set") and err.count("\n") == 1


# --- signing ----------------------------------------------------------------------------------
def test_signed_values_and_csrf_tokens_cannot_be_forged_or_moved() -> None:
    signed = sign(KEY, "cookie", "abc")
    assert unsign(KEY, "cookie", signed) == "abc"
    assert unsign(KEY, "other", signed) is None
    assert unsign(b"x" * 40, "cookie", signed) is None
    assert unsign(KEY, "cookie", "abd" + signed[3:]) is None
    assert unsign(KEY, "cookie", None) is None and unsign(KEY, "cookie", "nodot") is None
    assert csrf_ok(KEY, "session-1", csrf_token(KEY, "session-1"))
    assert not csrf_ok(KEY, "session-2", csrf_token(KEY, "session-1"))
    assert not csrf_ok(KEY, "session-1", "") and not csrf_ok(KEY, None, csrf_token(KEY, "session-1"))
    token = new_token()
    assert len(token) >= 43 and token_hash(token) != token and len(token_hash(token)) == 64
    assert derived_secret(KEY, "telegram-webhook").replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize(
    "env,words",
    [
        ({"TELEGRAM_BOT_TOKEN": "123456789:" + "A" * 35}, "serve receives Telegram updates at PUBLIC_URL"),
        ({"PUBLIC_URL": "ftp://screener.example.org"}, "PUBLIC_URL must be an http(s) address"),
        ({"PUBLIC_URL": "https://screener.example.org?x=1"}, "PUBLIC_URL must be an http(s) address"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be at least 32 characters"),
    ],
)
def test_serve_settings_that_cannot_work_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str], words: str
) -> None:
    from bot.cli import main

    monkeypatch.setenv("LATERAL_SCREENER_HOME", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
