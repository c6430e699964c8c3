"""Typeset: the document model to a print PDF with WeasyPrint.

The look lives in `layouts/` (Jinja2 template and CSS); this module only fills the template,
guards what WeasyPrint may read, and checks that the fonts can draw every character.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from zinepress import __version__
from zinepress.book import Book, Edition, to_points
from zinepress.errors import ZineError
from zinepress.images import grayscale_uri
from zinepress.labels import long_date
from zinepress.model import Document, Section, inner_html
from zinepress.pagination import BLOCK_ATTRIBUTE, PageStart, page_starts
from zinepress.pdftags import artifact_margins
from zinepress.templating import Layouts, layouts_for
from zinepress.typography import WORD_JOINER, join_dashes, map_text

# Characters the layout engine handles without a glyph of their own.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}
_SPACES = {" ", "\u00a0", "\u2009", "\u200a", "\u202f", "\u2002", "\u2003", "\u2007", "\u2008"}


@dataclass(frozen=True)
class FontFace:
    path: Path
    weight: int
    style: str

    @property
    def url(self) -> str:
        return self.path.as_uri()


@cache
def font_faces() -> tuple[FontFace, ...]:
    """The book face, shipped as a Python package so every machine typesets alike."""
    import font_source_serif_pro

    folder = Path(font_source_serif_pro.font_directory)
    faces = (("Regular", 400, "normal"), ("It", 400, "italic"), ("Semibold", 600, "normal"),
             ("SemiboldIt", 600, "italic"), ("Bold", 700, "normal"), ("BoldIt", 700, "italic"))
    found = tuple(FontFace(folder / f"SourceSerifPro-{name}.ttf", weight, style)
                  for name, weight, style in faces
                  if (folder / f"SourceSerifPro-{name}.ttf").is_file())
    if not found:
        raise ZineError(f"no fonts found in {folder}; reinstall font-source-serif-pro")
    return found


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str) -> list[str]:
    """Characters of `text` the book face cannot draw: each would be a silent fallback."""
    regular = _cmap(font_faces()[0].path)
    return sorted(char for char in set(text)
                  if char not in _SPACES and unicodedata.category(char) not in _INVISIBLE
                  and ord(char) not in regular)


def _describe(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} {name} ({char})"


def _locate(book: Book, char: str) -> str:
    """file:line of the first use of `char`, so the user knows what to fix."""
    for path in (*book.manuscript, book.root / "book.toml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if char in line:
                return f"{path}:{number}"
    return str(book.root)


def print_section_html(section: Section, book_root: Path, grayscale: bool = False) -> str:
    """A section's blocks for print: footnote calls become floated notes in place, images
    point at their files in the book folder."""
    parts = []
    for index, block in enumerate(section.blocks):
        block = _for_print(block, section, book_root, grayscale)
        block.set(BLOCK_ATTRIBUTE, str(index))  # where print pages start, for the EPUB
        parts.append(etree.tostring(block, encoding="unicode", method="xml"))
    return "\n".join(parts)


def print_heading_html(section: Section, book_root: Path, grayscale: bool = False) -> str:
    """The content of a section's heading for print, a note it calls floated as in text."""
    if section.heading is None:
        return ""
    return inner_html(_for_print(section.heading, section, book_root, grayscale))


def _for_print(block: etree._Element, section: Section, book_root: Path,
               grayscale: bool = False) -> etree._Element:
    block = copy.deepcopy(block)
    map_text(block, join_dashes)
    for img in block.iter("img"):
        path = book_root / img.get("src")
        img.set("src", grayscale_uri(path) if grayscale else path.as_uri())
    notes = {note.ref_id: note for note in section.notes}
    for sup in block.xpath(".//sup[@id]"):
        note = notes.get(sup.get("id"))
        if note is None:
            continue
        span = etree.Element("span", {"class": "footnote"})
        holder = etree.Element("div")
        for child in note.body:
            holder.append(copy.deepcopy(child))
        paragraphs = holder.xpath(".//p")  # a note's quotation or list, set as its text
        span.text = "" if paragraphs else holder.text
        for number, para in enumerate(paragraphs or [holder]):
            if number:
                etree.SubElement(span, "br")
            inner = etree.fromstring(f"<x>{inner_html(para)}</x>")
            if len(span):
                span[-1].tail = (span[-1].tail or "") + (inner.text or "")
            else:
                span.text = (span.text or "") + (inner.text or "")
            for child in inner:
                span.append(child)
        span.tail = sup.tail
        # A word joiner before the call: a line may break after the word and its call, never
        # between them (the call alone at the next page's top, its word left behind).
        before = sup.getprevious()
        if before is None:
            sup.getparent().text = (sup.getparent().text or "") + WORD_JOINER
        else:
            before.tail = (before.tail or "") + WORD_JOINER
        sup.getparent().replace(sup, span)
    return block


def content_height(edition: Edition) -> float:
    """The text area's height in points: what a full-page block may fill."""
    return (to_points(edition.page_height) - to_points(edition.margin_top)
            - to_points(edition.margin_bottom))


@contextmanager
def fonts_dated(epoch: int) -> Iterator[None]:
    """fontTools stamps the fonts it subsets with SOURCE_DATE_EPOCH: set it for the duration
    only, so a later build (under --watch) still finds the user's own value, or none."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def epoch_datetime(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


def render_print_html(doc: Document, edition: Edition, epoch: int, layouts: Layouts,
                      unit: Unit | None = None) -> str:
    """The print HTML of the whole book, or of one `unit` of it (see units.py)."""
    from markupsafe import Markup

    sections = [
        {"id": s.id, "title": s.title, "title_html": Markup(s.title_html),
         "heading_html": Markup(print_heading_html(s, doc.book.root, edition.grayscale)),
         "html": Markup(print_section_html(s, doc.book.root, edition.grayscale)),
         # One manuscript file, one chapter: each file after the first opens a new page.
         "opens_file": index > 0 and s.source != doc.sections[index - 1].source}
        for index, s in enumerate(doc.sections) if unit is None or s.id in unit.sections
    ]
    toc = [{"id": s.id, "title": s.title, "title_html": Markup(s.title_html)}
           for s in doc.sections if s.title]
    when = epoch_datetime(epoch)
    return layouts.render(
        "book.html.j2", print_css=layouts.find("print.css").as_uri(), book=doc.book,
        edition=edition, sections=sections, unit=unit,
        toc=toc, fonts=font_faces(), version=__version__,
        epoch_iso=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        epoch_date=long_date(when, doc.book.language),
        content_height=f"{content_height(edition) - 1:.1f}pt", cover_style=edition.cover_style,
        cover_color=_grey(edition.cover_color) if edition.grayscale else edition.cover_color,
        cover_image=doc.book.cover_image.as_uri() if doc.book.cover_image else "")


def _grey(color: str) -> str:
    """A checked CSS colour (#rgb, #rrggbb or a name) as the grey of the same lightness."""
    if not color:
        return color
    from PIL import ImageColor

    red, green, blue = ImageColor.getrgb(color)[:3]
    level = round(0.299 * red + 0.587 * green + 0.114 * blue)
    return f"#{level:02x}{level:02x}{level:02x}"


def _fetcher_class():
    from zinepress.weasy import weasyprint

    URLFetcher = weasyprint().urls.URLFetcher

    class LocalFetcher(URLFetcher):
        """Reads local files under the allowed folders only; never the network."""

        def __init__(self, roots: tuple[Path, ...]) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
            self.roots = tuple(r.resolve() for r in roots)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)  # reads no file and no network
            if not url.startswith("file:"):
                raise ValueError(f"zinepress fetches nothing from the network: {url}")
            from urllib.parse import unquote, urlparse

            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"zinepress reads no file outside the book: {path}")
            return super().fetch(url, headers)

    return LocalFetcher


def allowed_roots(book: Book, layouts: Layouts) -> tuple[Path, ...]:
    return (book.root, *(folder for folder, _ in layouts.folders),
            *(f.path.parent for f in font_faces()[:1]))


def render(doc: Document, edition: Edition, epoch: int):
    """The laid-out WeasyPrint document of one edition (its pages can be inspected)."""
    layouts = layouts_for(doc.book)
    return render_html(doc.book, render_print_html(doc, edition, epoch, layouts), layouts)


def render_html(book: Book, source: str, layouts: Layouts):
    """Lay out print HTML made from `book`'s manuscript, reading only what it may read."""
    from lxml import html as lxml_html

    # Everything the page will show: manuscript, colophon, contents, headings.
    missing = missing_glyphs(lxml_html.document_fromstring(source).body.text_content())
    if missing:
        what = ", ".join(_describe(c) for c in missing[:5])
        raise ZineError(f"{_locate(book, missing[0])}: the book's fonts cannot draw {what}")
    return lay_out(book, layouts, source)


def lay_out(book: Book, layouts: Layouts, source: str):
    """WeasyPrint's laid-out document of print HTML, reading only what the book may read."""
    from zinepress import stylesheets

    roots = allowed_roots(book, layouts)
    return stylesheets.render(source, book.root.as_uri() + "/", _fetcher_class()(roots), roots)


@dataclass(frozen=True)
class Unit:
    """A part of the book typeset on its own (units.py): the front matter, the contents,
    one manuscript file's sections, or the back cover; and what it needs of the rest."""

    sections: frozenset[str] = frozenset()  # the ids of its sections
    notes_before: int = 0  # notes numbered in the parts before it
    front: bool = False  # the cover, title page and colophon
    contents: bool = False
    back: bool = False  # a booklet's back cover
    pages: dict[str, str] = field(default_factory=dict)  # the contents' numbers, by id
    elsewhere: tuple[str, ...] = ()  # ids it links to that other parts hold


class Typeset(NamedTuple):
    """One edition's PDF, its page count and where each page starts in the text, taken from
    the layout rather than read back."""

    pdf: bytes
    pages: int
    starts: tuple[PageStart, ...] = ()


def typeset(doc: Document, edition: Edition, epoch: int, cache: Path | None = None,
            jobs: int = 1, salt: str = "", workers=None) -> Typeset:
    """The PDF of one edition, byte-identical for the same inputs and epoch: in parts where
    the book has several files (units.py; `cache`: where parts are kept, `jobs`: how many
    are laid out at once, or `workers` started already), else in one run."""
    from zinepress.units import splits, typeset_parts

    if splits(doc.book, edition):
        return typeset_parts(doc, edition, epoch, cache, jobs, salt, workers)
    out = io.BytesIO()
    # PDF/UA-1 (or PDF/X-4 for a print shop): tagged, with an XMP metadata stream; dates
    # come from the epoch, not the clock.
    with fonts_dated(epoch):
        document = render(doc, edition, epoch)
        document.write_pdf(out, pdf_variant=edition.pdf_variant, pdf_tags=True,
                           pdf_identifier=doc.book.slug.encode())
    return Typeset(artifact_margins(out.getvalue()), len(document.pages),
                   page_starts(document))
