"""Uploaded images: the bytes decide the type; SVG is cleaned (no Flask)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.studio.media import MediaError, check_image, clean_svg

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_types_come_from_the_bytes_not_the_name() -> None:
    assert check_image(PNG).extension == "png"
    assert check_image(b"\xff\xd8\xff\xe0" + b"\x00" * 16).mime == "image/jpeg"
    assert check_image(b"RIFF\x00\x00\x00\x00WEBPVP8 ").extension == "webp"
    with pytest.raises(MediaError, match="not a PNG, JPEG, WebP or SVG"):
        check_image(b"<html><script>alert(1)</script></html>")  # "photo.png" that is HTML


def test_size_limit_names_both_sizes() -> None:
    with pytest.raises(MediaError, match=r"20\.0 MB; at most 2 MB"):
        check_image(PNG + b"\x00" * (20 * 1024 * 1024 - len(PNG)))
    with pytest.raises(MediaError, match="empty"):
        check_image(b"")


def test_svg_loses_scripts_handlers_and_outside_links() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        b' viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
        b'<a href="javascript:alert(3)"><rect width="5" height="5" onclick="x()"/></a>'
        b"<foreignObject><div>hi</div></foreignObject>"
        b'<use xlink:href="http://evil.example/x.svg#a"/><circle r="2" fill="red"/></svg>'
    )
    cleaned = clean_svg(svg).decode()
    for bad in ("script", "onload", "onclick", "javascript", "foreignObject", "evil.example"):
        assert bad not in cleaned
    assert 'fill="red"' in cleaned and "viewBox" in cleaned


def test_svg_with_entities_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    with pytest.raises(MediaError, match="DOCTYPE"):
        check_image(bomb)


@settings(max_examples=50)
@given(st.binary(max_size=300))
def test_any_bytes_are_either_an_image_or_a_clear_refusal(data: bytes) -> None:
    try:
        image = check_image(data)
    except MediaError as exc:
        assert str(exc)
    else:
        assert image.mime.startswith("image/") and len(image.sha256) == 64
