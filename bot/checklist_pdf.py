"""The checklist as a PDF: one or two US Letter pages drawn with fpdf2.

Every word comes from `templates/checklist_pdf.j2`, rendered through `bot.render`. The
template writes the document as records, one a line: a kind, then tab-separated fields
(see the template's header for the kinds). This module holds layout only: how each kind
is drawn.

fpdf2's core fonts cover Windows-1252 and nothing else, and no TTF font can be counted on
being installed, so all text goes through `pdf_safe`: anything the encoding lacks becomes
a close equivalent (a hyphen for U+2011, ">=" for U+2265, "e" for U+0117...), symbols such
as emoji are dropped, and only a letter with no equivalent becomes "?". Rendering can
therefore never fail on text.

The creation date is the estimate date (`as_of`, midnight UTC), so one assessment always
gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.render import render
from dialogs.assessment import Assessment

TEMPLATE = "checklist_pdf.j2"
ENCODING = "windows-1252"  # what fpdf2's core fonts can show (WinAnsiEncoding)
FONT = "helvetica"
MAX_PAGES = 2
ONE_PAGE_SCALES = (1.0, 0.93, 0.87)  # a little smaller type to keep to one page
TWO_PAGE_SCALES = (1.0, 0.85, 0.72, 0.6)  # else shrink until it fits on MAX_PAGES

MARGIN = 18.0  # mm
FOOT = 14.0  # mm kept clear at the bottom for the page footer
INK = (20, 20, 20)
GREY = (95, 95, 95)
RULE = (160, 160, 160)
PALE = (242, 242, 242)
OUTCOME_STYLE = {  # style key from the template -> (text colour, fill colour)
    "likely_eligible": ((18, 94, 38), (226, 243, 229)),
    "needs_review": ((128, 80, 0), (253, 242, 214)),
    "likely_ineligible": ((150, 24, 24), (250, 228, 228)),
}
EPSILON = 0.01  # mm: sums of heights that land on the page bottom still fit
FOOTER_KINDS = ("meta", "notice")
META_KINDS = ("doc_title", "doc_subject", "doc_creator", "page_footer")


# --- text --------------------------------------------------------------------------------

_EQUIVALENTS = {
    **dict.fromkeys("\u2010\u2011\u2012\u2212\ufe63\uff0d", "-"),
    "\u2015": "\u2014",
    **dict.fromkeys("\u2032\u2035\u02bc\u02b9", "'"),
    **dict.fromkeys("\u2033\u2036\u02ba", '"'),
    "\u201b": "'",
    "\u201f": '"',
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u2248": "~",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2194": "<->",
    "\u21d2": "=>",
    "\u2713": "x",
    "\u2714": "x",
    "\u2715": "x",
    "\u2717": "x",
    "\u2718": "x",
    "\u2610": "[ ]",
    "\u2611": "[x]",
    "\u2612": "[x]",
    **dict.fromkeys("\u2023\u2043\u25aa\u25cf\u25e6\u2219", "\u2022"),
    "\u2116": "No.",
    "\u2103": "\u00b0C",
    "\u2109": "\u00b0F",
    **dict.fromkeys("\u2028\u2029\u0085", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
}


def pdf_safe(text: str) -> str:
    """`text` with every character the core fonts can show; never raises."""
    return "".join(_safe_char(ch) for ch in unicodedata.normalize("NFC", text))


def _encodable(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _safe_char(ch: str) -> str:
    if ch in _EQUIVALENTS:
        return _EQUIVALENTS[ch]
    category = unicodedata.category(ch)
    if category == "Cc":
        return " "
    if _encodable(ch):
        return ch
    if category == "Zs":
        return " "
    # a compatibility form or an accented letter: ﬁ -> fi, Ａ -> A, ė -> e
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.category(c).startswith("M"))
    if decomposed and decomposed != ch and _encodable(decomposed):
        return decomposed
    if category[0] in "LNP":
        return "?"
    return ""  # symbols (emoji), marks, format and unassigned code points


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    kind: str
    fields: tuple[str, ...]

    @classmethod
    def of(cls, kind: str, *fields: str) -> Record:
        """A record with every field PDF-safe and whitespace-folded."""
        return cls(kind.strip(), tuple(_fold(f) for f in fields))


def _fold(text: str) -> str:
    return " ".join(pdf_safe(text).split())


def records(assessment: Assessment) -> list[Record]:
    """The template's output, one Record a line, every field PDF-safe and whitespace-folded."""
    out = []
    for line in render(TEMPLATE, a=assessment, rules=assessment.rules).split("\n"):
        if not line.strip():
            continue
        kind, *fields = line.split("\t")
        out.append(Record.of(kind, *fields))
    return out


# --- layout --------------------------------------------------------------------------------


#: Widths of words in the core fonts, by (family, style, size): a pure function of the text
#: (core fonts have no kerning), measured once per process instead of once per document.
_WIDTHS: dict[tuple[str, str, float], dict[str, float]] = {}
_WIDTHS_KEPT = 20_000


class _Doc(FPDF):
    def __init__(self, scale: float, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.core_fonts_encoding = ENCODING
        self.s = scale
        self.footer_text = footer_text
        self.widths = _WIDTHS  # shared by every document: the same words recur in every checklist
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False, margin=FOOT + 4)  # breaks are placed below
        self.set_line_width(0.25)
        self.set_draw_color(*RULE)
        self.c_margin = 0
        self.add_page()

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-FOOT)
        self.font(7.5, colour=GREY)
        text = self.footer_text.replace("{page}", str(self.page_no()))
        text = text.replace("{pages}", self.str_alias_nb_pages)
        self.cell(0, 4, text, align="C")

    # helpers
    def font(self, size: float, style: str = "", colour: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, style, size * self.s)
        self.set_text_color(*colour)

    def wrap(self, text: str, width: float) -> list[str]:
        """`text` (whitespace already folded) broken into lines no wider than `width`.

        fpdf2's multi_cell does the same but re-measures the line at every character,
        which made a page cost tens of milliseconds; core fonts have no kerning, so
        word widths simply add up.
        """
        widths = self.widths.setdefault((self.font_family, self.font_style, self.font_size_pt), {})
        if len(widths) > _WIDTHS_KEPT:  # answers bring words of their own: the cache stays bounded
            widths.clear()

        def measure(word: str) -> float:
            if word not in widths:
                widths[word] = self.get_string_width(word)
            return widths[word]

        space = measure(" ")
        rows: list[str] = []
        line: list[str] = []
        used = 0.0
        for word in text.split():
            w = measure(word)
            while w > width:  # a word longer than a whole line: break it anywhere
                if line:
                    rows.append(" ".join(line))
                    line, used = [], 0.0
                cut, run = 1, measure(word[0])
                while cut < len(word) and run + measure(word[cut]) <= width:
                    run += measure(word[cut])
                    cut += 1
                rows.append(word[:cut])
                word = word[cut:]
                w = measure(word)
            if not word:
                continue
            if line and used + space + w > width:
                rows.append(" ".join(line))
                line, used = [], 0.0
            used = used + space + w if line else w
            line.append(word)
        if line:
            rows.append(" ".join(line))
        return rows

    def para(
        self,
        text: str,
        line: float,
        x: float | None = None,
        dry: bool = False,
        fill: bool = False,
        pad: tuple[float, float] = (0.0, 0.0),
    ) -> float:
        """A paragraph from `x` to the right margin, `pad` (mm, vertical and horizontal)
        inside its optional fill; returns its height. `dry` only measures."""
        x = self.l_margin if x is None else x
        width = self.w - self.r_margin - x
        pad_v, pad_h = pad[0] * self.s, pad[1] * self.s
        step = line * self.s
        rows = self.wrap(text, width - 2 * pad_h)
        height = len(rows) * step + (2 * pad_v if rows else 0.0)
        if dry or not rows:
            return height
        if fill:
            self.room(height)
            self.rect(x, self.y, width, height, style="F")
        self.set_y(self.y + pad_v)
        for row in rows:
            if self.y + step > self.page_break_trigger + EPSILON:
                self.add_page()
            self.set_x(x + pad_h)
            self.cell(width - 2 * pad_h, step, row, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(self.y + pad_v)
        return height

    def room(self, height: float) -> None:
        """A new page unless `height` more fits on this one."""
        if self.y + height > self.page_break_trigger + EPSILON and self.y > self.t_margin + 1:
            self.add_page()

    def gap(self, mm: float) -> None:
        self.set_y(self.y + mm * self.s)

    def hrule(self) -> None:
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)

    # kinds
    def draw_title(self, text: str) -> None:
        self.font(17, "B")
        self.para(text, 8)

    def draw_subtitle(self, text: str) -> None:
        self.font(9, colour=GREY)
        self.para(text, 4.6)
        self.gap(2)
        self.hrule()
        self.gap(3)

    def draw_outcome(self, style: str, text: str) -> None:
        ink, fill = OUTCOME_STYLE.get(style, (INK, PALE))
        self.font(12.5, "B", colour=ink)
        self.set_fill_color(*fill)
        self.para(text, 6.5, fill=True, pad=(2, 3))
        self.gap(2.5)

    def draw_field(self, label: str, value: str) -> None:
        self.font(10, "B")
        width = max(32 * self.s, self.get_string_width(label) + 2)
        self.room(5.2 * self.s)
        top = self.y
        self.set_xy(self.l_margin, top)
        self.cell(width, 5.2 * self.s, label)
        self.set_y(top)
        self.font(10)
        self.para(value, 5.2, x=self.l_margin + width)

    def draw_heading(self, text: str) -> None:
        self.gap(4)
        self.font(12, "B")
        self.room(self.para(text, 6, dry=True) + 14 * self.s)  # keep with what follows
        self.para(text, 6)
        self.gap(0.6)
        self.hrule()
        self.gap(2)

    def _table(self, part: str, points: str, style: str, fill: bool, border: str) -> None:
        line = 6 * self.s
        self.room(line)
        self.font(10, style)
        self.set_fill_color(*PALE)
        self.set_x(self.l_margin)
        self.c_margin = 2 * self.s
        self.cell(62 * self.s, line, part, border=border, fill=fill)
        self.cell(28 * self.s, line, points, border=border, fill=fill, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.c_margin = 0

    def draw_table_head(self, part: str, points: str) -> None:
        self._table(part, points, "B", True, "TB")

    def draw_table_row(self, part: str, points: str) -> None:
        self._table(part, points, "", False, "")

    def draw_table_total(self, part: str, points: str) -> None:
        self._table(part, points, "B", False, "TB")
        self.gap(1.5)

    def draw_note(self, text: str) -> None:
        self.font(8.5, "I", colour=GREY)
        self.para(text, 4.2)
        self.gap(1.5)

    def draw_box(self, text: str, cite: str = "") -> None:
        indent = self.l_margin + 7.5 * self.s
        self.font(10)
        need = self.para(text, 4.8, x=indent, dry=True)
        self.font(8)
        need += self.para(cite, 3.8, x=indent, dry=True) if cite else 0
        self.room(max(need, 4.8 * self.s) + 1.6 * self.s)
        top = self.y
        side = 3.8 * self.s
        self.set_draw_color(*INK)
        self.rect(self.l_margin + 0.5 * self.s, top + 0.6 * self.s, side, side)
        self.set_draw_color(*RULE)
        self.font(10)
        self.para(text, 4.8, x=indent)
        if cite:
            self.font(8, colour=GREY)
            self.para(cite, 3.8, x=indent)
        self.set_y(max(self.y, top + 4.8 * self.s))  # an empty item still gets its line
        self.gap(1.6)

    def draw_bullet(self, text: str) -> None:
        indent = self.l_margin + 5 * self.s
        self.font(10)
        self.room(self.para(text, 5, x=indent, dry=True))  # an item is never split between pages
        dot = 1.3 * self.s
        self.set_fill_color(*INK)
        self.ellipse(self.l_margin + 1.2 * self.s, self.y + 2.5 * self.s - dot / 2, dot, dot, style="F")
        self.para(text, 5, x=indent)
        self.gap(1)

    def draw_meta(self, text: str, dry: bool = False) -> float:
        self.font(8.5, colour=GREY)
        return self.para(text, 4.2, dry=dry)

    def draw_notice(self, text: str, dry: bool = False) -> float:
        self.font(8.5, "I")
        self.set_fill_color(*PALE)
        return self.para(text, 4.2, dry=dry, fill=True, pad=(2, 2.5))

    def footer_block(self, block: list[Record]) -> None:
        """Estimate date, rules and notice: at the foot of the last page when they fit."""
        spacing = 1.5
        height = sum(self._draw(r, dry=True) + spacing * self.s for r in block)
        self.gap(5)
        if self.y + height <= self.page_break_trigger:
            self.set_y(self.page_break_trigger - height)
        else:
            self.room(height)
        self.hrule()
        for r in block:
            self.gap(spacing)
            self._draw(r)

    def _draw(self, r: Record, dry: bool = False) -> float:
        """Draw (or with `dry` measure, for the kinds that can) one record."""
        if dry:
            return getattr(self, "draw_" + r.kind)(*r.fields, dry=True)
        getattr(self, "draw_" + r.kind)(*r.fields)
        return 0.0


DRAWN_KINDS = frozenset(
    {
        "title",
        "subtitle",
        "outcome",
        "field",
        "heading",
        "table_head",
        "table_row",
        "table_total",
        "note",
        "box",
        "bullet",
        *FOOTER_KINDS,
    }
)


def _layout(recs: list[Record], created: datetime, scale: float) -> _Doc:
    meta = {r.kind: (r.fields[0] if r.fields else "") for r in recs if r.kind in META_KINDS}
    doc = _Doc(scale, meta.get("page_footer", ""))
    doc.set_title(meta.get("doc_title", ""))
    doc.set_subject(meta.get("doc_subject", ""))
    doc.set_creator(meta.get("doc_creator", ""))
    doc.set_lang("en-US")
    doc.set_creation_date(created)
    body = [r for r in recs if r.kind not in META_KINDS]
    for r in body:
        if r.kind not in DRAWN_KINDS:
            raise ValueError(f"{TEMPLATE}: unknown record kind {r.kind!r}")
    split = len(body)
    while split and body[split - 1].kind in FOOTER_KINDS:
        split -= 1
    for r in body[:split]:
        doc._draw(r)
    if split < len(body):
        doc.footer_block(body[split:])
    return doc


def checklist_pdf(assessment: Assessment) -> bytes:
    """The checklist PDF for `assessment`: US Letter, one or two pages, same input same bytes."""
    return pdf_from_records(records(assessment), assessment.as_of)


def pdf_from_records(recs: list[Record], as_of: date) -> bytes:
    """Lay out records (one or two pages, shrinking the type if need be); created on `as_of`."""
    created = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    layouts: dict[float, _Doc] = {}
    for pages, scales in ((1, ONE_PAGE_SCALES), (MAX_PAGES, TWO_PAGE_SCALES)):
        for scale in scales:
            if scale not in layouts:
                layouts[scale] = _layout(recs, created, scale)
            doc = layouts[scale]
            if doc.pages_count <= pages:
                return bytes(doc.output())
    return bytes(doc.output())  # absurdly long text: as small as it goes
