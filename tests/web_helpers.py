"""Driving the `serve` application in process (Starlette's TestClient), with a clock the test moves."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from starlette.testclient import TestClient

from bot.settings import Settings
from bot.web.app import Web, build_app
from bot.web.links import sign_in_link
from bot.web.serve import ROUTE_SETS
from storage import Store
from storage.recruiting import RecruiterInfo, Recruiting

KEY = b"test-secret-key-" * 3
LOCAL = "http://127.0.0.1:8080"


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 22, 15, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def settings_of(store: Store, public_url: str | None = None) -> Settings:
    return Settings(database_url=store.url.render_as_string(hide_password=False), public_url=public_url)


def web_client(store: Store, clock: Clock, base_url: str = LOCAL) -> TestClient:
    web = Web(store, settings_of(store, base_url), KEY, base_url, clock)
    return TestClient(build_app(web, ROUTE_SETS), base_url=base_url, follow_redirects=False)


def link_for(store: Store, clock: Clock, recruiter: RecruiterInfo, base_url: str = LOCAL) -> str:
    made = sign_in_link(store, settings_of(store, base_url), recruiter.id, clock)
    assert made is not None
    return made[0]


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name!r}"
    return match[1]


def sign_in(http: TestClient, link: str) -> None:
    opened = http.get(link)
    assert opened.status_code == 200, opened.text
    used = http.post(
        "/dashboard/sign-in", data={"token": hidden(opened.text, "token"), "csrf": hidden(opened.text, "csrf")}
    )
    assert used.status_code == 303 and used.headers["location"] == "/dashboard", used.text


def recruiter(store: Store, clock: Clock, name: str = "Sgt. Ana Smith", agency: str = "Mobile PD") -> RecruiterInfo:
    return Recruiting(store, clock).add(agency, name)[0]
