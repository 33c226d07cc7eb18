"""The rules data file is validated when loaded: a broken file names itself and the key."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from dialogs.rules import DEFAULT_RULES_FILE, RulesError, load_rules_file, parse_rules

RAW = yaml.safe_load(DEFAULT_RULES_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_loads() -> None:
    rules = load_rules_file(DEFAULT_RULES_FILE)
    assert rules.points.pass_mark.value == 10
    assert "August 30, 2024" in rules.meta.current_through


def _broken(edit) -> dict:
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
        (
            lambda d: d["points"]["training"]["bands"][-1].update(below=2000),
            "points.training.bands[6].below",
            "open-ended",
        ),
    ],
)
def test_a_broken_file_names_the_file_and_the_key(edit, key: str, message: str) -> None:
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
    def walk(node, path):
        if isinstance(node, dict):
            if "value" in node or isinstance(node.get("points"), int) or "id" in node:
                assert node.get("cite"), path
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(RAW, "")
