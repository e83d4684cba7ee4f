"""Uploaded images: type checked by content, SVG cleaned, stored under their SHA-256 (pure).

Only the bytes decide the type (the file name and the browser's claim are
ignored). An SVG keeps only drawing elements and attributes: no scripts, no
event handlers, no links outside the image, no DOCTYPE or entities.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024

RASTER = {  # magic bytes → (mime, extension)
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "defs", "linearGradient", "radialGradient", "stop", "title", "desc",
    "use", "symbol", "clipPath", "mask", "pattern",
}  # fmt: skip
SVG_ATTRIBUTES = {
    "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
    "ry", "d", "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "opacity",
    "transform", "font-size", "font-family", "font-weight", "text-anchor", "offset",
    "stop-color", "stop-opacity", "id", "class", "gradientUnits", "gradientTransform",
    "clip-path", "mask", "preserveAspectRatio", "dominant-baseline", "version",
    "clip-rule", "patternUnits", "dx", "dy",
}  # fmt: skip


class MediaError(ValueError):
    """An upload refused; the message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class CheckedImage:
    data: bytes  # what is stored (an SVG cleaned)
    mime: str
    extension: str
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.sha256}.{self.extension}"


def check_image(data: bytes, *, max_bytes: int = MAX_BYTES) -> CheckedImage:
    """The image to store, or `MediaError` naming what is wrong with it."""
    if not data:
        raise MediaError("the file is empty")
    if len(data) > max_bytes:
        raise MediaError(
            f"the image is {len(data) / 1_048_576:.1f} MB; at most {max_bytes // 1_048_576} MB"
        )
    for magic, (mime, extension) in RASTER.items():
        if data.startswith(magic):
            return _checked(data, mime, extension)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _checked(data, "image/webp", "webp")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return _checked(clean_svg(data), "image/svg+xml", "svg")
    raise MediaError("this is not a PNG, JPEG, WebP or SVG image (whatever its name says)")


def _checked(data: bytes, mime: str, extension: str) -> CheckedImage:
    return CheckedImage(data, mime, extension, hashlib.sha256(data).hexdigest())


def clean_svg(data: bytes) -> bytes:
    """The SVG with only drawing elements and attributes left."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise MediaError("SVG with a DOCTYPE or entities is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise MediaError(f"the SVG is not well-formed XML: {exc}") from None
    if _local(root.tag) != "svg":
        raise MediaError("the file's root element is not <svg>")
    _clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _clean(element: ET.Element) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or _local(child.tag) not in SVG_ELEMENTS:
            element.remove(child)
            continue
        _clean(child)
    for name in list(element.attrib):
        local = _local(name)
        value = element.attrib[name]
        if local == "href":
            if not value.startswith("#"):  # only links inside the image
                del element.attrib[name]
        elif local not in SVG_ATTRIBUTES or "url(" in value.lower() and "url(#" not in value:
            del element.attrib[name]
        elif re.search(r"javascript:|expression\(", value, re.IGNORECASE):
            del element.attrib[name]


def store(image: CheckedImage, folder: Path) -> Path:
    """Write the image once under its hash (an identical upload reuses the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / image.filename
    if not target.exists():
        temp = target.with_suffix(".tmp")
        temp.write_bytes(image.data)
        temp.replace(target)
    return target
