"""Long results are split under Telegram's limit without losing or reordering anything."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.messages import split_message

lines = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n"), max_size=300)
texts = st.lists(st.lists(lines, min_size=1, max_size=8).map("\n".join), min_size=1, max_size=40).map("\n\n".join)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=20, max_value=500))
def test_parts_fit_and_keep_everything_in_order(text: str, limit: int) -> None:
    parts = split_message(text, limit)
    assert all(len(p) <= limit for p in parts)
    assert "".join("".join(p.split()) for p in parts) == "".join(text.split())


def test_short_text_is_one_part_and_paragraphs_are_preferred() -> None:
    assert split_message("hello", 4096) == ["hello"]
    text = "\n\n".join(["<b>a</b> " * 300, "<i>b</i> " * 300])
    assert split_message(text, 4096) == text.split("\n\n")
