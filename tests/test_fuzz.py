"""Hostile input, generated: no traceback, whatever arrives.

* `assess` on generated answer files and on raw bytes: exit 0 with an estimate, or exit 2
  with exactly one line on standard error, never anything else. The generators aim at the
  edges: nesting thousands deep, integers of thousands of digits, dates in any year (0001
  to 9999, 29 February, months), every field with every wrong type, duplicate keys, keys
  and strings of any Unicode (line separators included), byte-order marks, invalid UTF-8.
* The whole interview (pure: `dialogs.interview.step`, then every reply rendered for both
  channels) fed arbitrary Unicode messages. The readers one by one are fuzzed in
  tests/test_readers.py.

`assess` runs in process here (thousands of examples); tests/test_assess_command.py runs
the real process on the same edges.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import date
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.presenter import present
from dialogs.answers import DATE, END_DATE, FIELD_NAMES, FUTURE_DATE, SPECS
from dialogs.interview import Flow, Text, step
from dialogs.reading import Parsed, Reask, read_contact

TODAY = date(2026, 11, 22)


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )


def run_assess(data: bytes, fmt: str = "text") -> tuple[int, str, str]:
    """`lateral-screener assess - --format fmt` in process, on `data` as standard input."""
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "stdin", stdin), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["assess", "-", "--format", fmt])
    return code, out.getvalue(), err.getvalue()


def assert_contract(code: int, out: str, err: str) -> None:
    event(f"exit {code}")  # the split shows with --hypothesis-show-statistics
    if code == 0:
        assert out and not err
        return
    assert code == 2, (code, err)
    assert not out
    assert len(err.splitlines()) == 1 and err.endswith("\n"), err
    assert err.startswith("<stdin>: field ") and "Traceback" not in err


# --- generators ----------------------------------------------------------------------------
def _iso(year: int, month: int, day: int | None) -> str:
    return f"{year:04d}-{month:02d}" + ("" if day is None else f"-{day:02d}")


edge_dates = st.one_of(
    st.builds(_iso, st.integers(0, 9999), st.integers(0, 13), st.none() | st.integers(0, 32)),
    st.builds(
        _iso,
        st.sampled_from([1, 1899, 1900, 1966, 2024, 2026, 2027, 2028, 2999, 3000, 9998, 9999]),
        st.integers(1, 12),
        st.none() | st.integers(1, 31),
    ),
    st.dates().map(date.isoformat),
    st.dates(date(1960, 1, 1), date(2030, 12, 31)).map(lambda d: d.isoformat()[: 7 if d.day % 2 else 10]),
    st.sampled_from(
        [
            "2024-02-29",
            "2023-02-29",
            "9999-12-31",
            "0001-01-01",
            "2026-11-22",
            "2026-11-22\n",
            " 2026-11-22",
            "２０２６-11-22",
            "2026-1-1",
            "20261122",
            "",
        ]
    ),
)


class Raw(str):
    """JSON text written as is: a number of any length (Python cannot even print some as int)."""


def to_text(value: Any, ascii_only: bool = True) -> str:
    """JSON text of `value`, with Raw parts verbatim and pairs (a list of tuples) kept as given."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        return (
            "{" + ",".join(f"{json.dumps(k, ensure_ascii=ascii_only)}:{to_text(v, ascii_only)}" for k, v in value) + "}"
        )
    if isinstance(value, list):
        return "[" + ",".join(to_text(v, ascii_only) for v in value) + "]"
    if isinstance(value, dict):
        return to_text(list(value.items()) or Raw("{}"), ascii_only)
    return json.dumps(value, ensure_ascii=ascii_only)


huge_ints = st.one_of(
    st.integers(),
    st.integers(10**18, 10**40),
    st.integers(-(10**40), -1),
    st.builds(lambda sign, n: Raw(sign + "9" * n), st.sampled_from(["", "-"]), st.integers(19, 6000)),
    st.sampled_from(
        [
            Raw("1e400"),
            Raw("-1e400"),
            Raw("1" + "0" * 400 + ".0"),
            Raw("5000.0"),
            Raw("NaN"),
            Raw("Infinity"),
            Raw("-0"),
        ]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    huge_ints,
    st.floats(allow_nan=False),
    st.text(max_size=20),
    edge_dates,
    st.sampled_from(["federal", "GA", "ga", "none", "valid", "offer", "bachelor"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
        st.just({"not_sure": True}),
        st.fixed_dictionaries({"not_sure": inner}),
    ),
    max_leaves=12,
)
keys = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.text(max_size=12),
    st.sampled_from(["a\u2028b", "x\ny", "\ufeffas_of", "AS_OF", "", "\x00"]),
)


@st.composite
def answer_file_texts(draw: Any) -> bytes:
    """An object as text, so that keys may repeat and numbers may be any length."""
    pairs = draw(st.lists(st.tuples(keys, json_values), max_size=10))
    if pairs and draw(st.booleans()):
        pairs.append((pairs[0][0], draw(json_values)))  # a duplicate key
    body = to_text(pairs, ascii_only=draw(st.booleans())) if pairs else "{}"
    prefix = draw(st.sampled_from(["", "", "\ufeff", " \n", "\ufeff\ufeff"]))
    return (prefix + body).encode("utf-8")


@st.composite
def nested(draw: Any) -> bytes:
    depth = draw(st.integers(1, 100_000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('{"background":[', "]}")]))
    inner = draw(st.sampled_from(["1", "null", '"x"', "[]", ""]))
    closed = draw(st.booleans())
    return (opener * depth + inner + (closer * depth if closed else "")).encode()


@st.composite
def typed_files(draw: Any) -> bytes:
    """Every known field with a value of any type, at most once each (the common mistake)."""
    fields = draw(st.lists(st.sampled_from(FIELD_NAMES), unique=True, max_size=12))
    return to_text({name: draw(json_values) for name in fields}).encode()


# --- assess --------------------------------------------------------------------------------
@fuzz(600)
@given(answer_file_texts(), st.sampled_from(["text", "json"]))
def test_assess_keeps_its_contract_on_hostile_answer_files(data: bytes, fmt: str) -> None:
    assert_contract(*run_assess(data, fmt))


@fuzz(600)
@given(typed_files())
def test_assess_keeps_its_contract_on_wrong_types_and_edge_values(data: bytes) -> None:
    assert_contract(*run_assess(data))


@fuzz(150)
@given(nested())
def test_assess_refuses_deep_nesting_in_one_line(data: bytes) -> None:
    assert_contract(*run_assess(data))


@fuzz(400)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_assess_keeps_its_contract_on_any_bytes(data: bytes) -> None:
    assert_contract(*run_assess(data))


DATE_FIELDS = [f for f in FIELD_NAMES if f != "as_of" and SPECS[f].kind in (DATE, END_DATE, FUTURE_DATE)]


@fuzz(400)
@given(st.sampled_from(DATE_FIELDS), edge_dates, st.sampled_from(["2026-11-22", "1900-01-01", "2999-12-31", None]))
def test_a_date_in_any_year_is_assessed_or_refused_naming_its_field(field: str, value: str, as_of: str | None) -> None:
    data = {"background": "federal", field: value, **({"as_of": as_of} if as_of else {})}
    code, out, err = run_assess(json.dumps(data).encode())
    assert_contract(code, out, err)
    if code == 2:
        assert f"field {field}:" in err or "field as_of:" in err, err


# --- the contact reader (the other readers: tests/test_readers.py) --------------------------------
@fuzz(400)
@given(
    st.one_of(
        st.text(max_size=300),
        st.text(alphabet="0123456789+-() .@xX", max_size=40),
        st.emails(),
        st.from_regex(r"\+?[0-9 ()-]{7,20}", fullmatch=True),
    )
)
def test_the_contact_reader_reads_any_text_without_raising(text: str) -> None:
    result = read_contact(text)
    assert isinstance(result, (Parsed, Reask))
    if isinstance(result, Parsed):
        value = result.value
        assert isinstance(value, str) and value == value.strip() and len(value.splitlines()) == 1
        assert "@" in value or value.startswith("+") and value[1:].isdigit()


# --- the interview -------------------------------------------------------------------------
messages = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "back",
            "review",
            "restart",
            "yes",
            "no",
            "delete",
            "ok",
            "1",
            "99",
            "not sure",
            "/start",
            "/mydata",
            "help",
            "privacy",
            "withdraw",
            "still serving",
            "2015-06-01",
            "June 2019",
            "640",
            "none",
            "GA",
        ]
    ),
)


@fuzz(300)
@given(st.lists(messages, min_size=1, max_size=25))
def test_the_interview_answers_any_message_in_any_state(texts: list[str]) -> None:
    flow = Flow.load({}, {})
    for text in texts:
        result = step(flow, Text(text), TODAY)
        answers = dict(result.flow.answers)
        assert result.replies
        for reply in result.replies:
            assert present(reply, answers, terminal=True).strip()
            assert present(reply, answers, html=True, buttons=True).strip()
        flow = result.flow
