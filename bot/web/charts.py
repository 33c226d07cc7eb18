"""Charts drawn on the server as SVG: no script, no library, no CDN, and nothing a CSP must allow.

Bars are drawn with presentation attributes (never `style`), labels are escaped text, and the
picture carries a title and description for screen readers; each page also shows the numbers
as a table, so nothing is only in the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

INK, MUTED, BAR, GRID = "#1b1f24", "#555e68", "#1d4f91", "#c9ced4"
FONT = 'font-family="system-ui, sans-serif" font-size="14"'


def _svg(key: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def funnel(key: str, steps: Sequence[tuple[str, int]], title: str) -> Markup:
    """Horizontal bars, one per step, widths in proportion to the first (largest) step."""
    width, label_w, row_h, bar_h = 400, 112, 34, 22  # narrow: the text stays legible on a phone
    top = max((count for _, count in steps), default=0) or 1
    span = width - label_w - 40
    body = []
    for i, (label, count) in enumerate(steps):
        y = 8 + i * row_h
        w = max(2, round(span * count / top)) if count else 0
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" fill="{INK}" {FONT}>{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 16}" fill="{INK}" {FONT}>{count}</text>'
        )
    desc = "; ".join(f"{label}: {count}" for label, count in steps)
    return _svg(key, width, 16 + len(steps) * row_h, title, desc, body)


def columns(key: str, points: Sequence[tuple[str, int]], title: str) -> Markup:
    """Vertical bars over labelled periods (leads per week), with a zero line and the maximum marked."""
    width, height, left, bottom, top_pad = 400, 200, 30, 36, 16
    top = max((count for _, count in points), default=0) or 1
    plot_h = height - bottom - top_pad
    slot = (width - left - 24) / max(1, len(points))  # room on the right for the last week's label
    bar_w = max(4, slot * 0.6)
    every = max(1, math.ceil(len(points) / 4))
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="{GRID}"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" fill="{MUTED}" {FONT}>{top}</text>',
        f'<line x1="{left}" y1="{top_pad}" x2="{width - 4}" y2="{top_pad}" stroke="{GRID}" stroke-dasharray="3 3"/>',
        f'<text x="{left - 6}" y="{height - bottom + 4}" text-anchor="end" fill="{MUTED}" {FONT}>0</text>',
    ]
    for i, (label, count) in enumerate(points):
        x = left + i * slot + (slot - bar_w) / 2
        h = round(plot_h * count / top)
        body.append(f'<rect x="{x:.1f}" y="{height - bottom - h}" width="{bar_w:.1f}" height="{h}" fill="{BAR}"/>')
        if count:
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom - h - 4}" text-anchor="middle" '
                f'fill="{INK}" {FONT}>{count}</text>'
            )
        if (len(points) - 1 - i) % every == 0:  # counted from the newest week, which is always named
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="{MUTED}" {FONT}>{escape(label)}</text>'
            )
    desc = "; ".join(f"{label}: {count}" for label, count in points)
    return _svg(key, width, height, title, desc, body)
