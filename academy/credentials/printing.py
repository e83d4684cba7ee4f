"""The certificate as a PDF (A4 landscape), drawn with fpdf2 in a CJK font found at run time.

Names and titles are Chinese, so the PDF must embed a font that has the
glyphs. None ships with the package: the server's fonts are searched (the
``CERTIFICATE_FONT`` setting, then known Debian paths, then ``fc-match``), and
`FontMissingError` says which packages to install when none is found.
"""

from __future__ import annotations

import functools
import io
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: Fonts with Simplified Chinese glyphs on Debian/Ubuntu (package in the comment).
KNOWN_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
)
PACKAGES = "fonts-wqy-microhei or fonts-noto-cjk"


class FontMissingError(RuntimeError):
    """No font with Chinese glyphs is installed on the server."""

    def __init__(self) -> None:
        super().__init__(
            f"No Chinese (CJK) font found for the PDF certificate. Install {PACKAGES} "
            "(e.g. `apt-get install fonts-wqy-microhei`) or set CERTIFICATE_FONT."
        )


@dataclass(frozen=True)
class FontFile:
    """A font file and, for a collection (.ttc), the index of the face to use."""

    path: Path
    index: int = 0


def find_cjk_font(configured: str | None = None) -> FontFile:
    """The first usable CJK font: configured path, known paths, then fc-match."""
    found = _find(configured or "")
    if found is None:
        raise FontMissingError()
    return found


@functools.lru_cache(maxsize=4)
def _find(configured: str) -> FontFile | None:
    candidates = [configured] if configured else []
    candidates += list(KNOWN_FONTS)
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file():
            return FontFile(path, _simplified_face(path))
    return _fc_match()


def _simplified_face(path: Path) -> int:
    """In a collection, the Simplified Chinese face (Noto CJK holds JP, KR, SC, TC…)."""
    if path.suffix.lower() != ".ttc":
        return 0
    try:
        from fontTools.ttLib import TTCollection

        collection = TTCollection(str(path), lazy=True)
        try:
            for index, font in enumerate(collection.fonts):
                name = str(font["name"].getDebugName(1) or "")
                if name.endswith(" SC") or "Micro Hei" in name or "Zen Hei" in name:
                    return index
        finally:
            collection.close()
    except Exception:  # noqa: BLE001 - an unreadable collection: take its first face
        logger.warning("could not read the faces of %s", path)
    return 0


def _fc_match() -> FontFile | None:
    executable = shutil.which("fc-match")
    if executable is None:
        return None
    try:
        output = subprocess.run(
            [executable, "-f", "%{file}|%{index}", "sans-serif:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, index = output.partition("|")
    path = Path(file.strip())
    if not path.is_file() or path.suffix.lower() not in (".ttf", ".ttc", ".otf"):
        return None
    return FontFile(path, int(index) if index.strip().isdigit() else 0)


@dataclass(frozen=True)
class CertificateText:
    """Everything printed on a certificate, already translated and formatted."""

    heading: str  # e.g. 合格证书
    heading_en: str  # e.g. CERTIFICATE
    issuer: str
    preamble: str  # "This certifies that"
    name: str
    achievement: str  # "has earned"
    title: str
    title_en: str
    description: str
    dates: Sequence[tuple[str, str]]  # (label, value)
    code_label: str
    code: str
    verify_label: str
    verify_url: str
    status_note: str | None = None  # e.g. "REVOKED" stamped across


BRAND = (11, 92, 142)
INK = (28, 36, 48)
MUTED = (91, 102, 118)
BAD = (180, 35, 24)


def certificate_pdf(
    text: CertificateText, qr_modules: Sequence[Sequence[bool]], font: FontFile
) -> bytes:
    """The certificate on one A4 landscape page, with the QR code drawn as vector squares."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(f"{text.title} · {text.name}")
    pdf.set_creator("Academy")
    characters = "".join(
        [
            text.heading,
            text.heading_en,
            text.issuer,
            text.preamble,
            text.name,
            text.achievement,
            text.title,
            text.title_en,
            text.description,
            *(label + value for label, value in text.dates),
            text.code_label,
            text.code,
            text.verify_label,
            text.verify_url,
            text.status_note or "",
        ]
    )
    with tempfile.TemporaryDirectory(prefix="academy-pdf-") as folder:
        subset = Path(folder) / "cjk.ttf"
        subset.write_bytes(font_subset(font, characters))
        pdf.add_font("cjk", "", str(subset))
        pdf.add_page()
        _draw(pdf, text, qr_modules)
        return bytes(pdf.output())


def font_subset(font: FontFile, characters: str) -> bytes:
    """A small TrueType font with only the glyphs of `characters` (fast to embed).

    fpdf2 would otherwise parse the whole CJK font (tens of thousands of glyphs)
    for every PDF: seconds instead of a fraction of one.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = TTFont(str(font.path), fontNumber=font.index, lazy=True)
    try:
        return _subset(source, characters, subset)
    finally:
        source.close()


def _subset(source: Any, characters: str, subset: Any) -> bytes:
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters + " ")
    subsetter.subset(source)
    buffer = io.BytesIO()
    source.save(buffer)
    return buffer.getvalue()


def _draw(pdf: Any, text: CertificateText, qr_modules: Sequence[Sequence[bool]]) -> None:
    width, height = pdf.w, pdf.h

    # Frame: a thick brand border and a thin inner rule.
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(2.2)
    pdf.rect(9, 9, width - 18, height - 18)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, width - 26, height - 26)

    def line(y: float, content: str, size: float, colour: tuple[int, int, int] = INK) -> None:
        pdf.set_font("cjk", size=size)
        pdf.set_text_color(*colour)
        pdf.set_xy(20, y)
        pdf.cell(width - 40, size * 0.5, content, align="C")

    line(22, text.issuer, 11, MUTED)
    line(33, text.heading, 30, BRAND)
    line(48, text.heading_en, 11, MUTED)
    line(62, text.preamble, 13, MUTED)
    line(72, text.name, 28)
    line(89, text.achievement, 13, MUTED)
    line(99, text.title, 24, BRAND)
    line(113, text.title_en, 12, MUTED)
    if text.description:
        pdf.set_font("cjk", size=10.5)
        pdf.set_text_color(*INK)
        pdf.set_xy(45, 122)
        pdf.multi_cell(width - 90, 5.6, text.description, align="C")

    # Dates and code, bottom left; QR code, bottom right.
    y = 150.0
    for label, value in text.dates:
        pdf.set_xy(28, y)
        pdf.set_font("cjk", size=10)
        pdf.set_text_color(*MUTED)
        pdf.cell(38, 6, label)
        pdf.set_font("cjk", size=12)
        pdf.set_text_color(*INK)
        pdf.cell(80, 6, value)
        y += 8
    pdf.set_xy(28, y + 2)
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(*MUTED)
    pdf.cell(38, 5, text.code_label)
    pdf.set_text_color(*INK)
    pdf.cell(120, 5, text.code)

    size = 38.0
    left, top = width - 28 - size, height - 26 - size - 8
    count = len(qr_modules)
    if count:
        cell = size / count
        pdf.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(qr_modules):
            for col_index, dark in enumerate(row):
                if dark:
                    pdf.rect(left + col_index * cell, top + row_index * cell, cell, cell, "F")
    pdf.set_font("cjk", size=7.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(left - 40, top + size + 1.5)
    pdf.cell(size + 40, 4, text.verify_label, align="R")
    pdf.set_xy(left - 80, top + size + 5.5)
    pdf.cell(size + 80, 4, text.verify_url, align="R")

    if text.status_note:
        with pdf.rotation(18, width / 2, height / 2):
            pdf.set_font("cjk", size=54)
            pdf.set_text_color(*BAD)
            pdf.set_xy(0, height / 2 - 12)
            pdf.cell(width, 24, text.status_note, align="C")
