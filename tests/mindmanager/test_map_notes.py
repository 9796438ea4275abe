"""Conversion between XHTML note bodies and plain text."""

from __future__ import annotations

import pytest
from lxml import etree

from mapbridge.mindmanager._notes import preview_text, text_to_xhtml, xhtml_to_text

XHTML = '<html xmlns="http://www.w3.org/1999/xhtml">{}</html>'


def _read(body: str) -> str:
    return xhtml_to_text(etree.fromstring(XHTML.format(body)))


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("<p>One<br/>Two</p>", "One\nTwo"),
        ("<p>One</p><p>\u00a0</p><p>Three</p>", "One\n\nThree"),
        ("<p><b>This\u00a0</b>\r\n\r\n<font>is a</font>\r\n test</p>", "This  is a test"),
        ("<p>  spaced   out  </p>", "spaced out"),
        ("<p>\u00a0\u00a0indented</p>", "  indented"),
        ("<ul><li>first</li><li>second</li></ul>", "- first\n- second"),
        ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
        ("<pre>a  b\n  c</pre>", "a  b\n  c"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a\tb"),
        ("<blockquote><p>quoted</p></blockquote><p>after</p>", "quoted\nafter"),
        ("<head><title>x</title></head><body><p>body</p></body>", "body"),
        ("<p>last</p><p>\u00a0</p><p></p>", "last"),
        ("<div>block<span> inline</span></div>tail", "block inline\ntail"),
    ],
)
def test_xhtml_to_text(body: str, text: str) -> None:
    assert _read(body) == text


@pytest.mark.parametrize(
    "text",
    ["Hello", "a\n\nb", "  indented  twice", 'x < y & "z"', "trailing ", "日本語のメモ"],
)
def test_text_round_trip(text: str) -> None:
    assert xhtml_to_text(text_to_xhtml(text)) == text


def test_text_to_xhtml_shape() -> None:
    html = text_to_xhtml("One\n\nThree")
    assert etree.tostring(html, encoding="unicode") == (
        '<html xmlns="http://www.w3.org/1999/xhtml"><p>One</p><p>\u00a0</p><p>Three</p></html>'
    )


def test_tabs_become_spaces() -> None:
    assert xhtml_to_text(text_to_xhtml("a\tb")) == "a    b"


def test_preview_uses_br_and_truncates() -> None:
    assert preview_text("One\nTwo") == "One<br>Two"
    long_preview = preview_text("word " * 200)
    assert long_preview.endswith("...")
    assert len(long_preview) <= 503
