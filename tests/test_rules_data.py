"""The rules data file is validated when loaded: a broken file names itself and the key."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

import dialogs.rules as rules_module
from bot.conversation import Conversation, next_ask
from bot.leads import view
from dialogs.answers import answers_from_json
from dialogs.assessment import LIKELY_ELIGIBLE, LIKELY_INELIGIBLE
from dialogs.eligibility import assess
from dialogs.interview import Command, Text
from dialogs.rules import RULES_DIR, RulesError, load_rule_versions, load_rules_file, parse_rules
from storage import Store
from storage.leads import LeadRecord
from tests.helpers import FEDERAL_BASE
from tests.screenings import OUT_OF_STATE_TYPED

SHIPPED = sorted(RULES_DIR.glob("*.yaml"))
RAW = yaml.safe_load(SHIPPED[0].read_text(encoding="utf-8"))


def test_the_shipped_file_loads() -> None:
    rules = load_rules_file(SHIPPED[0])
    assert rules.points.pass_mark.value == 10
    assert "August 30, 2024" in rules.meta.current_through


def _broken(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    edit(data)
    return data


@pytest.mark.parametrize(
    "edit,key,message",
    [
        (lambda d: d["points"]["training"]["bands"][2].update(min=330), "points.training.bands[2].min", "gap"),
        (lambda d: d["points"]["training"]["bands"][2].update(min=300), "points.training.bands[2].min", "overlap"),
        (lambda d: d["points"]["experience"]["bands"][3].update(min="10y2d"), "points.experience.bands[3].min", "gap"),
        (lambda d: d["points"]["experience"]["bands"][0].update(min="1d"), "points.experience.bands[0].min", "start"),
        (lambda d: d["points"]["pass_mark"].pop("cite"), "points.pass_mark.cite", "missing citation"),
        (lambda d: d["checklist"][0].pop("cite"), "checklist[0].cite", "missing citation"),
        (lambda d: d["points"]["experience"]["bands"][1].pop("cite"), "points.experience.bands[1].cite", "missing"),
        (
            lambda d: d["out_of_state"].update(typo_key={"value": 1, "cite": "x"}),
            "out_of_state.typo_key",
            "unknown key",
        ),
        (
            lambda d: d["points"]["training"]["bands"][1].update(belwo=320),
            "points.training.bands[1].belwo",
            "unknown key",
        ),
        (lambda d: d["points"]["pass_mark"].update(value="ten"), "points.pass_mark.value", "whole number"),
        (
            lambda d: d["out_of_state"]["max_break_in_service"].update(value="2 years"),
            "out_of_state.max_break_in_service.value",
            "span",
        ),
        (lambda d: d["checklist"][1].update(when="sometimes"), "checklist[1].when", "unknown condition"),
        (lambda d: d["checklist"][1].update(id="application_forms"), "checklist[1].id", "duplicate"),
        (lambda d: d["meta"].pop("effective"), "meta.effective", "missing key"),
        (lambda d: d["meta"].update(effective="soon"), "meta.effective", "date like 2022-10-15"),
        (lambda d: d["points"]["pass_mark"].update(value=True), "points.pass_mark.value", "whole number"),
        (lambda d: d["points"]["pass_mark"].update(value=-1), "points.pass_mark.value", "whole number"),
        (lambda d: d["points"]["pass_mark"].update(cite="  "), "points.pass_mark.cite", "non-empty text"),
        (lambda d: d["points"]["training"].update(bands=[]), "points.training.bands", "non-empty list"),
        (
            lambda d: d["points"]["experience"]["bands"][1].update(below="soon"),
            "points.experience.bands[1].below",
            "span",
        ),
        (lambda d: d.update(standards=[1, 2]), "standards", "mapping"),
        (
            lambda d: d["points"]["training"]["bands"][-1].update(below=2000),
            "points.training.bands[6].below",
            "open-ended",
        ),
    ],
)
def test_a_broken_file_names_the_file_and_the_key(
    edit: Callable[[dict[str, Any]], object], key: str, message: str
) -> None:
    with pytest.raises(RulesError) as err:
        parse_rules(_broken(edit), "rules.yaml")
    text = str(err.value)
    assert text.startswith("rules.yaml: ") and key in text and message in text


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("points: [unclosed", encoding="utf-8")
    with pytest.raises(RulesError, match="bad.yaml"):
        load_rules_file(bad)


def test_every_value_in_the_file_has_a_citation() -> None:
    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if "value" in node or isinstance(node.get("points"), int) or "id" in node:
                assert node.get("cite"), path
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(RAW, "")


def test_every_shipped_version_loads_and_they_follow_each_other() -> None:
    versions = load_rule_versions(RULES_DIR).versions
    assert len(versions) == len(SHIPPED)
    assert [v.meta.effective for v in versions] == sorted({v.meta.effective for v in versions})


# --- versions by effective date: a fabricated amendment ------------------------------

LATER = Path(__file__).parent / "data" / "rules-later-version.yaml"


def _amended(changes: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    for dotted, value in changes.items():
        *path, last = dotted.split(".")
        node = data
        for key in path:
            node = node[key]
        node[last] = value
    return data


@pytest.fixture
def amended_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The shipped versions plus the fabricated one of tests/data, as the shipped rules."""
    changes = yaml.safe_load(LATER.read_text(encoding="utf-8"))
    for path in SHIPPED:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "2027-03-01.yaml").write_text(yaml.safe_dump(_amended(changes)), encoding="utf-8")
    monkeypatch.setattr(rules_module, "RULES_DIR", tmp_path)
    return changes


# 14 years (7) + 480 hours (3) + an associate degree (1) = 11 points
ELEVEN_POINTS = {**FEDERAL_BASE, "basic_course_hours": 480, "highest_degree": "associate", "service_end": "2025-12-31"}


@pytest.mark.parametrize(
    "as_of,outcome,pass_mark",
    [
        ("2027-02-28", LIKELY_ELIGIBLE, 10),  # the day before the amendment: 11 >= 10
        ("2027-03-01", LIKELY_INELIGIBLE, 12),  # its first day: 11 < 12
        ("2027-12-30", LIKELY_INELIGIBLE, 12),
    ],
)
def test_an_assessment_uses_the_version_in_force_on_its_date(
    amended_rules: dict[str, Any], as_of: str, outcome: str, pass_mark: int
) -> None:
    data = {**ELEVEN_POINTS, "as_of": as_of}
    a = assess(answers_from_json(data, date.fromisoformat(as_of)), date.fromisoformat(as_of))
    assert a.points is not None and a.points.total.value == 11
    assert (a.outcome, a.rules.points.pass_mark.value) == (outcome, pass_mark)
    later = as_of >= amended_rules["meta.effective"].isoformat()
    assert (a.rules_version == amended_rules["meta.version"]) is later


def test_a_lead_is_shown_under_the_version_it_was_shared_under(amended_rules: dict[str, Any]) -> None:
    """Shared under the old version (11 points: eligible), looked at under the new one."""
    shared_on = date(2027, 2, 28)
    answers = dict(ELEVEN_POINTS)
    del answers["as_of"]
    old_version = load_rule_versions(RULES_DIR).versions[-1].meta.version
    lead = _lead(answers, shared_on, old_version)
    assert view(lead, ZoneInfo("UTC")).assessment.outcome == LIKELY_ELIGIBLE
    unknown = _lead(answers, date(2027, 3, 2), "a version no longer shipped")  # falls back to its date
    assert view(unknown, ZoneInfo("UTC")).assessment.outcome == LIKELY_INELIGIBLE


def _lead(answers: dict[str, Any], as_of: date, rules_version: str | None) -> LeadRecord:
    now = datetime(2027, 3, 5, tzinfo=UTC)
    return LeadRecord(
        1,
        1,
        "R",
        1,
        "A",
        1,
        None,
        "new",
        None,
        now,
        now,
        None,
        "telegram",
        None,
        answers,
        as_of,
        rules_version,
        None,
        None,
    )


def test_versions_must_differ_in_day_and_name(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(RAW), encoding="utf-8")
    with pytest.raises(RulesError, match="two versions take effect on 2022-10-15"):
        load_rule_versions(tmp_path)
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(_amended({"meta.effective": date(2030, 1, 1)})), encoding="utf-8")
    with pytest.raises(RulesError, match="share a meta.version"):
        load_rule_versions(tmp_path)
    with pytest.raises(RulesError, match="no rules versions"):
        load_rule_versions(tmp_path / "missing")


def test_a_finished_screening_stores_the_version_it_was_assessed_under(
    amended_rules: dict[str, Any], store: Store
) -> None:
    """The screening's row keeps the rules version of its result, beside its outcome."""
    conversation = Conversation(store, "telegram", lambda: date(2027, 3, 1))
    conversation.handle("8", Command("start"), state_update=next_ask, update_id=1)
    for i, step in enumerate(OUT_OF_STATE_TYPED):
        turn = conversation.handle("8", Text(step), state_update=next_ask, update_id=i + 2)
    stored = store.current_session("telegram", "8")
    assert stored is not None and stored.is_finished and stored.outcome
    assert stored.rules_version == amended_rules["meta.version"]
    assert turn is not None and turn.session is not None and turn.session.rules_version == stored.rules_version
