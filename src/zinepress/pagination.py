"""Print pages in the EPUB: where each page of the print edition starts in the text, so the
EPUB can carry page-break markers and a page list that match the PDF a class cites.

A page's start is found in the laid-out print document, not guessed: the first text on the
page, as its block (a heading, or the manuscript block marked `data-zp` in the print HTML)
and how many letters and digits of that block earlier pages already showed. Counting letters
and digits only makes the count the same in print and EPUB, whatever each does to spaces,
dashes, quotes and hyphenation; notes are left out on both sides.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import NamedTuple

from lxml import etree

BLOCK_ATTRIBUTE = "data-zp"  # on each manuscript block of the print HTML: its index
HEADING = -1  # the block index of a section's own heading
EPUB_NS = "http://www.idpf.org/2007/ops"


class PageStart(NamedTuple):
    label: str  # the page's number as its folio prints it
    section: str  # the section's id
    block: int  # the block's index in the section, or HEADING
    before: int  # letters and digits of the block set on earlier pages


def page_starts(document) -> tuple[PageStart, ...]:
    """Where each page of a laid-out WeasyPrint document starts in the book's sections.
    Pages with no section text (title page, contents) have none."""
    shown: dict[tuple[str, int], int] = {}
    starts = []
    for number, page in enumerate(document.pages, start=1):
        first = None
        for key, letters in _text(page._page_box, None, None):
            if first is None:
                first = PageStart(str(number), key[0], key[1], shown.get(key, 0))
            shown[key] = shown.get(key, 0) + letters
        if first is not None:
            starts.append(first)
    return tuple(starts)


def _text(box, section: str | None, block: int | None) -> Iterator[tuple[tuple[str, int], int]]:
    """(section id, block index) and the letters and digits of each piece of text in a box,
    in reading order; generated content and notes left out."""
    element = getattr(box, "element", None)
    tag = getattr(box, "element_tag", "") or ""
    if "::" in tag:
        return  # ::before, ::marker, footnote calls: the stylesheet's text, not the book's
    if element is not None and type(box).__name__ == "BlockBox":
        if tag == "section" and element.get("id"):
            section, block = element.get("id"), None
        elif section is not None and tag == "h2" and block is None:
            block = HEADING
        elif section is not None and element.get(BLOCK_ATTRIBUTE, "").isdigit():
            block = int(element.get(BLOCK_ATTRIBUTE))
    if element is not None and "footnote" in (element.get("class") or "").split():
        return
    text = getattr(box, "text", None)
    if text and section is not None and block is not None:
        letters = sum(char.isalnum() for char in text)
        if letters:
            yield (section, block), letters
    for child in getattr(box, "children", ()):
        yield from _text(child, section, block)


def marker(label: str) -> etree._Element:
    """An EPUB page-break marker, named for assistive technology."""
    span = etree.Element("span", nsmap={"epub": EPUB_NS})
    span.set(f"{{{EPUB_NS}}}type", "pagebreak")
    for name, value in (("id", f"page-{label}"), ("role", "doc-pagebreak"),
                        ("aria-label", label)):
        span.set(name, value)
    return span


def insert_marker(block: etree._Element, before: int, label: str) -> None:
    """Put page `label`'s marker into `block` after `before` letters and digits, moved on
    to the space after the word the page break fell in (a hyphenated word stays whole, and
    its punctuation with it)."""
    span = marker(label)
    if before <= 0:
        span.tail, block.text = block.text, None
        block.insert(0, span)
        return
    seen = 0
    for holder, attribute in _text_slots(block):
        value = getattr(holder, attribute) or ""
        for offset, char in enumerate(value):
            if not char.isalnum():
                continue
            seen += 1
            if seen == before:
                end = offset + 1
                while end < len(value) and not value[end].isspace():
                    end += 1
                _split(holder, attribute, end, span)
                return
    block.append(span)  # the counts disagree: the end of the block is the nearest place


def _text_slots(element: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every piece of text in an element, as (holder, "text" or "tail"), in reading order;
    note calls left out, as the print count leaves them out."""
    yield element, "text"
    for child in element:
        if not (child.tag == "sup" and child.get("id")):
            yield from _text_slots(child)
        yield child, "tail"


def _split(holder: etree._Element, attribute: str, at: int, span: etree._Element) -> None:
    value = getattr(holder, attribute)
    setattr(holder, attribute, value[:at])
    span.tail = value[at:]
    if attribute == "text":
        holder.insert(0, span)
    else:
        holder.addnext(span)


def with_markers(section_id: str, blocks: list[etree._Element],
                 starts: tuple[PageStart, ...]) -> list[etree._Element]:
    """Copies of a section's blocks with the page-break markers of the pages starting in
    them; a page starting at the section's heading is marked before its first block."""
    marked = [copy.deepcopy(block) for block in blocks]
    for start in starts:
        if start.section != section_id:
            continue
        if start.block == HEADING or not marked:
            continue  # the section writer sets these before the heading
        if 0 <= start.block < len(marked):
            insert_marker(marked[start.block], start.before, start.label)
    return marked
