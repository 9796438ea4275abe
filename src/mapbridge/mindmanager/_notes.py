"""Conversion between the XHTML body of topic notes and plain text.

Reading follows HTML rendering: runs of spaces, tabs and line breaks collapse to one space,
block elements (``p``, ``div``, headings, list items, table rows) start new lines and
``br`` breaks a line. A paragraph that holds only white space reads as an empty line, and
non-breaking spaces read as spaces. Writing produces what MindManager writes: one ``p`` per
line inside ``<html xmlns="http://www.w3.org/1999/xhtml">``, with non-breaking spaces
wherever plain spaces would collapse.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from mapbridge.mindmanager._names import XHTML

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "table",
        "tr",
        "dl",
        "dt",
        "dd",
        "address",
        "center",
        "hr",
        "body",
        "html",
    }
)
_SKIPPED = frozenset({"head", "style", "script", "title"})
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
_NBSP = "\u00a0"
_SPACE_RUN = re.compile(r" +")
_TAB_WIDTH = 4
_PREVIEW_LIMIT = 500


class _Lines:
    """Collects rendered text, one entry per finished line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def add(self, text: str, preformatted: bool) -> None:
        if not text:
            return
        if preformatted:
            first, *rest = text.replace("\r\n", "\n").split("\n")
            self.current.append(first)
            for line in rest:
                self.break_line()
                self.current.append(line)
            return
        text = _COLLAPSIBLE.sub(" ", text)
        if text == " " and (not self.current or self.current[-1].endswith(" ")):
            return
        if not self.current or self.current[-1].endswith(" "):
            text = text.lstrip(" ")
        self.current.append(text)

    def break_line(self) -> None:
        self.lines.append("".join(self.current).rstrip(" "))
        self.current = []

    def close_block(self, lines_before: int) -> None:
        if self.current or len(self.lines) == lines_before:
            self.break_line()


def xhtml_to_text(html: Any) -> str:
    """Return the plain text of an XHTML notes body (the ``html`` element)."""
    lines = _Lines()
    _render(html, lines, preformatted=False, list_number=None)
    if lines.current:
        lines.break_line()
    result = [line.replace(_NBSP, " ") for line in lines.lines]
    result = ["" if not line.strip(" ") else line for line in result]
    while result and not result[-1]:
        result.pop()
    while result and not result[0]:
        result.pop(0)
    return "\n".join(result)


def text_to_xhtml(text: str) -> Any:
    """Return a new XHTML ``html`` element holding ``text``, one paragraph per line."""
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    for line in normalise_newlines(text).split("\n"):
        append_paragraph(html, line)
    return html


def append_paragraph(html: Any, line: str) -> None:
    paragraph = html.makeelement(f"{{{XHTML}}}p", {})
    paragraph.text = _protect_spaces(line) if line.strip(" \t") else _NBSP
    html.append(paragraph)


def preview_text(text: str) -> str:
    """Return the PreviewPlainText value MindManager shows: lines joined with ``<br>``."""
    preview = "<br>".join(normalise_newlines(text).split("\n"))
    if len(preview) <= _PREVIEW_LIMIT:
        return preview
    cut = preview.rfind(" ", 0, _PREVIEW_LIMIT)
    return preview[: cut if cut > 0 else _PREVIEW_LIMIT] + "..."


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _protect_spaces(line: str) -> str:
    # HTML collapses runs of spaces and drops them at line ends, so every space that is
    # not a single space between two visible characters becomes a non-breaking space.
    line = line.replace("\t", " " * _TAB_WIDTH)

    def protect(match: re.Match[str]) -> str:
        run = match.group()
        at_edge = match.start() == 0 or match.end() == len(line)
        return run if len(run) == 1 and not at_edge else _NBSP * len(run)

    return _SPACE_RUN.sub(protect, line)


def _render(element: Any, lines: _Lines, preformatted: bool, list_number: list[int] | None) -> None:
    tag = _local_name(element)
    if tag is None or tag in _SKIPPED:
        return
    if tag == "br":
        lines.break_line()
        return

    is_block = tag in _BLOCKS
    lines_before = len(lines.lines)
    if is_block and lines.current:
        lines.break_line()
        lines_before = len(lines.lines)
    preformatted = preformatted or tag == "pre"
    if tag == "li":
        if list_number is None:
            lines.current.append("- ")
        else:
            list_number[0] += 1
            lines.current.append(f"{list_number[0]}. ")
    elif tag in ("td", "th") and element.getprevious() is not None:
        lines.current.append("\t")

    lines.add(element.text or "", preformatted)
    child_numbers = list_number
    if tag == "ol":
        child_numbers = [0]
    elif tag == "ul":
        child_numbers = None
    for child in element:
        _render(child, lines, preformatted, child_numbers)
        lines.add(child.tail or "", preformatted)
    if is_block:
        lines.close_block(lines_before)


def _local_name(element: Any) -> str | None:
    if not isinstance(element.tag, str):
        return None
    return str(element.tag).rsplit("}", 1)[-1].lower()
