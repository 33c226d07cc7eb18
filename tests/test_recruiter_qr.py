"""The recruiter's QR page, read back the way a phone would: the code is decoded from the
PNG and from the PDF as printed (rasterised by PDFium, Chrome's PDF engine), and must give the
link exactly."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from bot.checklist_pdf import pdf_safe
from bot.recruiter_qr import qr_page

LINK = "https://t.me/lateral_screener_bot?start=Ab3_xY9-Qw12ZzK0"
LONGEST_LINK = "https://t.me/" + "b" * 29 + "bot?start=" + "Zz0_-" * 12 + "Qw9a"  # 32 + 64 chars
RECRUITER = "Sgt. Jane Doe"
LETTER = (612, 792)  # points
DPI = 150
MM_PER_INCH = 25.4

LINKS = {"example": LINK, "longest Telegram allows": LONGEST_LINK}
AGENCIES = {
    "plain": "Mobile Police Department",
    "html, emoji, other scripts": "Mobile <b>PD</b> 🚓 Zoë Ωmega",
    "long": "Alabama Law Enforcement Agency, State Bureau of Investigation, Northern Region "
    "Field Office of Criminal Investigations",
    "empty": "",
}


def shown(text: str) -> str:
    """What the PDF can show of `text`: core-font characters, whitespace folded."""
    return " ".join(pdf_safe(text).split())


def decode(image: Image.Image) -> list[zxingcpp.Result]:
    return list(zxingcpp.read_barcodes(image))


def rasterise(pdf: bytes) -> list[Image.Image]:
    """The PDF's pages as a printer would see them, at DPI."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=DPI / 72).to_pil() for page in document]
    finally:
        document.close()


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def corners(result: zxingcpp.Result) -> tuple[int, int, int, int]:
    """Left, top, right, bottom of the symbol (without its quiet zone), in pixels."""
    p = result.position
    points = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    xs, ys = [q.x for q in points], [q.y for q in points]
    return min(xs), min(ys), max(xs), max(ys)


def one_qr(results: list[zxingcpp.Result], link: str) -> zxingcpp.Result:
    """The only code found: a full-size QR code (not Micro QR), level M or higher, of `link`."""
    assert [r.text for r in results] == [link]
    (result,) = results
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.ec_level in ("M", "Q", "H")
    assert result.bytes == link.encode("utf-8")
    return result


@pytest.mark.parametrize("link", LINKS.values(), ids=LINKS.keys())
@pytest.mark.parametrize("agency", AGENCIES.values(), ids=AGENCIES.keys())
def test_png_decodes_to_the_link(link: str, agency: str) -> None:
    image = Image.open(io.BytesIO(qr_page(link, agency, RECRUITER, "png")))
    result = one_qr(decode(image), link)
    left, top, right, _ = corners(result)
    extra = result.extra  # a dict, though zxing-cpp's stub says `object`
    assert isinstance(extra, dict)
    modules = 17 + 4 * int(extra["Version"])
    module = (right - left) / modules
    assert module == pytest.approx(10, abs=0.1)  # 10 px a module: prints sharp
    assert top >= 4 * module and left >= 4 * module  # the quiet zone is there


@pytest.mark.parametrize("link", LINKS.values(), ids=LINKS.keys())
@pytest.mark.parametrize("agency", AGENCIES.values(), ids=AGENCIES.keys())
def test_pdf_decodes_to_the_link_as_printed(link: str, agency: str) -> None:
    pdf = qr_page(link, agency, RECRUITER, "pdf")
    (page,) = rasterise(pdf)
    result = one_qr(decode(page), link)
    left, _, right, _ = corners(result)
    assert (right - left) / DPI * MM_PER_INCH == pytest.approx(100, abs=3)  # about 10 cm
    assert abs((left + right) / 2 - page.width / 2) < DPI / 25  # centred, within a mm


@pytest.mark.parametrize("agency", AGENCIES.values(), ids=AGENCIES.keys())
def test_pdf_is_one_letter_page_with_the_words(agency: str) -> None:
    pdf = qr_page(LINK, agency, RECRUITER, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert tuple(round(v) for v in reader.pages[0].mediabox[2:]) == LETTER
    text = text_of(pdf)
    for words in (shown(agency), LINK, "Recruiter: " + RECRUITER, "lateral entry", "preliminary estimate", "consent"):
        assert words in text


def test_pdf_shows_what_it_can_of_an_odd_agency_name() -> None:
    text = text_of(qr_page(LINK, "Mobile <b>PD</b> 🚓 Zoë Ωmega", "Zoë", "pdf"))
    assert "Mobile <b>PD</b> Zoë ?mega" in text  # markup as written, emoji dropped
    assert "Recruiter: Zoë" in text


def test_png_caption_widens_the_image_only_for_an_unbreakable_name() -> None:
    def width(agency: str) -> int:
        return Image.open(io.BytesIO(qr_page(LINK, agency, RECRUITER, "png"))).width

    assert width("Mobile Police Department") == width("")
    assert width("X" * 60) > width("")


@pytest.mark.parametrize("fmt", ["pdf", "png"])
@pytest.mark.parametrize("agency", AGENCIES.values(), ids=AGENCIES.keys())
def test_same_input_same_bytes(fmt: str, agency: str) -> None:
    assert qr_page(LINK, agency, RECRUITER, fmt) == qr_page(LINK, agency, RECRUITER, fmt)


def test_the_link_changes_the_bytes() -> None:
    for fmt in ("pdf", "png"):
        assert qr_page(LINK, "Mobile PD", RECRUITER, fmt) != qr_page(LONGEST_LINK, "Mobile PD", RECRUITER, fmt)


@pytest.mark.parametrize("fmt", ["svg", "PDF", ""])
def test_unknown_format(fmt: str) -> None:
    with pytest.raises(ValueError, match="pdf, png"):
        qr_page(LINK, "Mobile PD", RECRUITER, fmt)
