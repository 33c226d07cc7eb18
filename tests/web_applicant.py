"""An applicant in the web channel, driven in process (Starlette's TestClient): reads the page's
forms as a browser would (hidden fields, buttons by their label, the answer field) and posts
them, following the redirect after each turn (Post/Redirect/Get)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from starlette.testclient import TestClient


@dataclass
class Form:
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str | None, str | None, str]] = field(default_factory=list)  # name, value, label
    text_field: bool = False


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._button: list[str | None] | None = None
        self._label: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style", "head"):
            self._skip += 1
        if tag == "form":
            self._form = Form(a.get("action") or "")
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            if a.get("type") == "hidden":
                self._form.hidden[a.get("name") or ""] = a.get("value") or ""
            elif a.get("name") == "text":
                self._form.text_field = True
        elif tag == "button":
            self._button = [a.get("name"), a.get("value")]
            self._label = []
        elif tag in ("p", "div", "li", "h1", "h2", "br"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip -= 1
        if tag == "form":
            self._form = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form.buttons.append((self._button[0], self._button[1], " ".join("".join(self._label).split())))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._label.append(data)
        if not self._skip:
            self.text.append(data)


@dataclass
class WebApplicant:
    http: TestClient
    html: str = ""
    locations: list[str] = field(default_factory=list)  # every redirect: no personal data may be in one

    @property
    def forms(self) -> list[Form]:
        parser = _Forms()
        parser.feed(self.html)
        return parser.forms

    @property
    def text(self) -> str:
        parser = _Forms()
        parser.feed(self.html)
        return re.sub(r"[ \t]+", " ", "".join(parser.text))

    def open(self, path: str = "/") -> str:
        response = self.http.get(path)
        assert response.status_code == 200, response.text
        self.html = response.text
        return self.html

    def start(self, code: str | None = None) -> str:
        self.open(f"/s/{code}" if code else "/")
        form = next(f for f in self.forms if f.action == "/start")
        return self.submit(form, None)

    def submit(self, form: Form, button: tuple[str | None, str | None, str] | None, **extra: str) -> str:
        data = dict(form.hidden)
        if button is not None and button[0]:
            data[button[0]] = button[1] or ""
        data.update(extra)
        response = self.http.post(form.action, data=data)
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        self.locations.append(location)
        return self.open(location.split("#")[0])

    def button(self, label: str) -> tuple[Form, tuple[str | None, str | None, str]]:
        for form in self.forms:
            for button in form.buttons:
                if button[2] == label:
                    return form, button
        raise AssertionError(f"no button {label!r} on the page: {self.text[-800:]}")

    def tap(self, label: str) -> str:
        return self.submit(*self.button(label))

    def type(self, text: str) -> str:
        form = [f for f in self.forms if f.text_field][-1]
        return self.submit(form, None, text=text)

    def command(self, name: str) -> str:
        form = next(f for f in self.forms if any(b[0] == "command" for b in f.buttons))
        return self.submit(form, ("command", name, name))

    def answer(self, step: str) -> str:
        """A step of tests/screenings.py: `tap:Label` presses a button, anything else is typed."""
        return self.tap(step[4:]) if step.startswith("tap:") else self.type(step)
