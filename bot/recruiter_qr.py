"""A recruiter's deep link as a printable QR code, for job fairs and flyers.

Applicants at a booth will not type a Telegram link, but they will point a phone at a code:
scanning opens the screener with the recruiter's start code, so the screening is
attributed to that recruiter. Two forms: a US Letter PDF flyer (agency, a one-line pitch,
the code about 10 cm wide, the link written out for anyone without a camera, the
recruiter's name and the consent notice) and a PNG of the code with the agency name under
it, for pasting into other material.

Every word comes from `templates/recruiter_qr.j2` through `bot.render.say`. The code is
drawn by segno at error correction "M" (it survives a crease or a smudge) as vector
rectangles in one filled path, so it stays sharp at any print size and rasterisers leave
no seams between modules. PDF text goes through `checklist_pdf.pdf_safe`, since fpdf2's
core fonts show Windows-1252 only; the PNG caption is further folded to ASCII, all that
Pillow's built-in font draws (no TTF font can be counted on being installed). So an agency
name with emoji or other scripts still renders. The PDF creation date is fixed and Pillow
writes no timestamp, so the same input always gives the same bytes.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import segno
from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos
from PIL import Image, ImageDraw, ImageFont

from bot.checklist_pdf import ENCODING, FONT, pdf_safe
from bot.render import say

TEMPLATE = "recruiter_qr.j2"
FORMATS = ("pdf", "png")
ERROR = "m"  # error correction level M (about 15% of the code may be damaged)
BORDER = 4  # modules of quiet zone, the minimum the QR standard asks for

# PDF (mm, on US Letter: 215.9 x 279.4)
CREATED = datetime(2025, 1, 1, tzinfo=UTC)  # fixed, so the bytes are too
MARGIN = 20.0
QR_SIDE = 100.0  # the symbol itself; the white page around it is its quiet zone
AGENCY_SIZES = (30, 26, 22, 18)  # pt: the first that fits on AGENCY_LINES lines
AGENCY_LINES = 2
LEADING = 0.45  # mm of line per pt of type: 1.28 line spacing
LINK_SIZE = 13.0  # pt, less when a long link would not fit on one line
NOTICE_GAP = 8.0  # at least this much clear above the notice
INK = (20, 20, 20)
GREY = (95, 95, 95)
QR_INK = "#000000"

# PNG (pixels)
SCALE = 10  # pixels per module: prints sharp a few inches wide
CAPTION_SIZE = 32
CAPTION_LINE = 40
CAPTION_PAD = 24


def qr_page(link: str, agency: str, recruiter: str, fmt: str) -> bytes:
    """The QR code of `link` as a one-page US Letter PDF flyer or a PNG ("pdf" / "png")."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    qr = segno.make(link, error=ERROR, micro=False, boost_error=False)
    if fmt == "pdf":
        return _pdf(qr, link, agency, recruiter)
    return _png(qr, agency)


def _text(code: str, **params: Any) -> str:
    """A phrase from the template, PDF-safe, whitespace folded (a dropped emoji leaves none)."""
    return " ".join(pdf_safe(say(code, TEMPLATE, **params)).split())


# --- PDF ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    agency: str
    pitch: str
    link: str
    recruiter: str
    notice: str


class _Flyer(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)  # one page, whatever the text
        self.c_margin = 0
        self.add_page()

    def font(self, size: float, style: str = "", colour: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)

    def rows(self, text: str, line: float) -> int:
        lines = self.multi_cell(self.epw, line, text, align=Align.C, dry_run=True, output=MethodReturnValue.LINES)
        assert isinstance(lines, list)
        return len(lines)

    def centred(self, text: str, line: float, link: str = "") -> None:
        self.set_x(self.l_margin)
        self.multi_cell(self.epw, line, text, align=Align.C, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def gap(self, mm: float) -> None:
        self.set_y(self.y + mm)

    def qr(self, qr: segno.QRCode, side: float, link: str) -> None:
        """The symbol `side` mm wide, centred under the cursor, one rectangle per dark run."""
        matrix = [list(row) for row in qr.matrix]
        module = side / len(matrix)
        left, top = (self.w - side) / 2, self.y
        with self.new_path() as path:
            path.style.fill_color = QR_INK
            path.style.stroke_color = None
            for r, row in enumerate(matrix):
                c = 0
                while c < len(row):
                    if not row[c]:
                        c += 1
                        continue
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    path.rectangle(left + start * module, top + r * module, (c - start) * module, module)
        self.link(left, top, side, side, link)
        self.set_y(top + side)

    def body(self, top: float, words: _Words, qr: segno.QRCode, link: str) -> float:
        """Everything but the notice, from `top`; returns where it ends."""
        self.set_y(top)
        for size in AGENCY_SIZES:
            self.font(size, "B")
            if self.rows(words.agency, size * LEADING) <= AGENCY_LINES:
                break
        self.centred(words.agency, size * LEADING)  # the last size wraps as it must
        self.gap(7)
        self.font(16)
        self.centred(words.pitch, 7.5)
        self.gap(10)
        self.qr(qr, QR_SIDE, link)
        self.gap(7)
        self.font(LINK_SIZE, "B")
        width = self.get_string_width(words.link)
        if width > self.epw:  # a long link shrinks to stay on one line
            self.font(LINK_SIZE * self.epw / width, "B")
        self.centred(words.link, 6, link=link)
        self.gap(8)
        self.font(15)
        self.centred(words.recruiter, 7)
        return self.y

    def notice(self, text: str) -> float:
        """The notice at the foot of the page; returns its top."""
        self.font(9.5, "I", colour=GREY)
        top = self.h - MARGIN - self.rows(text, 4.6) * 4.6
        self.set_y(top)
        self.centred(text, 4.6)
        return top


def _pdf(qr: segno.QRCode, link: str, agency: str, recruiter: str) -> bytes:
    words = _Words(
        agency=_text("agency", agency=agency),
        pitch=_text("pitch"),
        link=_text("link", link=link),
        recruiter=_text("recruiter", name=recruiter),
        notice=_text("notice"),
    )
    height = _Flyer().body(0, words, qr, link)  # measured on a scratch page
    doc = _Flyer()
    doc.set_title(_text("doc_title", agency=agency))
    doc.set_subject(_text("doc_subject"))
    doc.set_creator(_text("doc_creator"))
    doc.set_lang("en-US")
    doc.set_creation_date(CREATED)
    room = doc.notice(words.notice) - NOTICE_GAP - MARGIN
    doc.body(MARGIN + max(0.0, room - height) / 2, words, qr, link)  # centred above the notice
    return bytes(doc.output())


# --- PNG ------------------------------------------------------------------------------------


def _png(qr: segno.QRCode, agency: str) -> bytes:
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=SCALE, border=BORDER)
    code = Image.open(buffer).convert("L")
    font = ImageFont.load_default(size=CAPTION_SIZE)
    caption = _ascii(_text("png_caption", agency=agency))
    rows = _wrap(caption, font, code.width - 2 * BORDER * SCALE)
    widest = max((font.getlength(row) for row in rows), default=0)
    width = max(code.width, round(widest) + 2 * CAPTION_PAD)
    height = code.height + (len(rows) * CAPTION_LINE + CAPTION_PAD if rows else 0)
    page = Image.new("L", (width, height), 255)
    page.paste(code, ((width - code.width) // 2, 0))
    draw = ImageDraw.Draw(page)
    for i, row in enumerate(rows):  # under the quiet zone, which must stay blank
        draw.text((width / 2, code.height + i * CAPTION_LINE), row, fill=0, font=font, anchor="mt")
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """`text` broken at spaces into rows no wider than `width` px (a longer word keeps its
    own row, and the image widens to fit it)."""
    rows: list[str] = []
    for word in text.split():
        if rows and font.getlength(rows[-1] + " " + word) <= width:
            rows[-1] += " " + word
        else:
            rows.append(word)
    return rows


_ASCII = {
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u00f0": "d",
    "\u00d0": "D",
    "\u00fe": "th",
    "\u00de": "Th",
    "\u2022": "-",
    "\u00d7": "x",
    "\u20ac": "EUR",
}


def _ascii(text: str) -> str:
    """PDF-safe `text` in ASCII, all that Pillow's built-in font draws: accents dropped
    (Zoe), dashes and quotes plain, anything else "?"."""
    out = []
    for ch in text:
        bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if bare.isascii():
            out.append(bare)
        elif ch in _ASCII:
            out.append(_ASCII[ch])
        elif unicodedata.category(ch) == "Pd":
            out.append("-")
        elif unicodedata.category(ch) in ("Pi", "Pf"):
            out.append('"' if "DOUBLE" in unicodedata.name(ch, "") else "'")
        else:
            out.append("?")
    return " ".join("".join(out).split())
