"""The document model every writer reads: a book's sections as HTML element trees.

Readers (the Markdown manuscript) go in, writers (PDF, EPUB, web) come out, as in Pandoc.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from lxml import etree, html

from zinepress.book import MAX_MANUSCRIPT_BYTES, Book, Invalid, linked, slugify
from zinepress.dialect import make_markdown
from zinepress.errors import ZineError
from zinepress.fsutil import write_atomic
from zinepress.images import Picture, inspect
from zinepress.textio import read_text


@dataclass
class Note:
    """A footnote: where it is called from and what it says."""

    id: str
    ref_id: str
    body: list[etree._Element]


@dataclass
class Section:
    """A `##` section (or the untitled text before the first heading)."""

    id: str
    title: str  # as contents and running heads show it: without note calls
    title_html: str
    blocks: list[etree._Element] = field(default_factory=list)
    heading: etree._Element | None = None  # the heading itself, with its note calls
    notes: list[Note] = field(default_factory=list)
    source: Path | None = None


@dataclass
class Document:
    book: Book
    sections: list[Section]
    pictures: dict[str, Picture] = field(default_factory=dict)  # by `src`: book-relative path
    warnings: list[str] = field(default_factory=list)  # about the manuscript, for the reader

    def text(self) -> str:
        """All the words of the book and its metadata, for choosing font subsets."""
        book = self.book
        parts = [book.title, book.subtitle, book.author, book.rights, book.source, book.edition,
                 book.edition_date, book.publisher, *book.contributors, *book.changelog]
        for section in self.sections:
            parts.append(section.title)
            parts.extend("".join(b.itertext()) for b in section.blocks)
            for note in section.notes:
                parts.extend("".join(b.itertext()) for b in note.body)
        return "\n".join(parts)


def inner_html(element: etree._Element) -> str:
    """Serialise an element's content (text and children) as XML-compatible markup."""
    out = [_escape(element.text or "")]
    out.extend(etree.tostring(child, encoding="unicode", method="xml") for child in element)
    return "".join(out)


def tie_last_word(element: etree._Element) -> None:
    """A no-break space before a heading's last word, so it never ends on a lone word."""
    nodes = []
    for node in element.iter():
        nodes.append((node, "text"))
        if node is not element:
            nodes.append((node, "tail"))
    for node, attr in reversed(nodes):
        value = getattr(node, attr)
        if value and " " in value.strip():
            head, _, tail = value.rstrip().rpartition(" ")
            setattr(node, attr, head + "\u00a0" + tail + value[len(value.rstrip()):])
            return


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def _line_of(source: str, needle: str) -> int:
    """The first line that mentions `needle`, for error messages."""
    at = source.find(needle)
    return source.count("\n", 0, at) + 1 if at >= 0 else 1


def _pictures(root: etree._Element, path: Path, source: str, book_root: Path,
              pictures: dict[str, Picture]) -> None:
    """Every image resolved against its manuscript file, inside the book folder and checked;
    its `src` becomes the key of `pictures`, the path from the book folder."""
    for img in root.iter("img"):
        src = img.get("src", "")
        where = f"{path}:{_line_of(source, src)}"
        if not src or _SCHEME.match(src):
            raise ZineError(f"{where}: image {src!r}: use an image file inside the book folder")
        try:
            file = linked(book_root, path, unquote(src))
        except Invalid:
            raise ZineError(f"{where}: image {src!r} is outside the book folder") from None
        if not file.is_file():
            raise ZineError(f"{where}: image {src!r} does not exist")
        key = file.relative_to(book_root).as_posix()
        if key not in pictures:
            try:
                pictures[key] = inspect(file)
            except ZineError as err:
                raise ZineError(f"{where}: {err}") from None
        img.set("src", key)


@cache
def _dialect_salt() -> str:
    import markdown

    from zinepress import dialect

    return markdown.__version__ + Path(dialect.__file__).read_text(encoding="utf-8")


def markdown_html(source: str, cache: Path | None = None, used: set[str] | None = None) -> str:
    """The dialect's HTML for a manuscript file; kept in `cache` (a folder), as a book's
    files mostly come back unchanged and Python-Markdown takes a while over a long book.
    `used`: the names of the cache's files this book needs, for pruning the rest."""
    key = hashlib.sha256(f"{_dialect_salt()}\0{source}".encode()).hexdigest()[:32]
    kept = cache / f"{key}.html" if cache else None
    if used is not None and kept is not None:
        used.add(kept.name)
    if kept is not None and kept.is_file():
        return kept.read_text(encoding="utf-8")
    rendered = make_markdown().convert(source)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(kept, rendered)
    return rendered


def parse_file(path: Path, file_index: int, taken: set[str], book_root: Path,
               pictures: dict[str, Picture], limit: int = MAX_MANUSCRIPT_BYTES,
               warnings: list[str] | None = None, cache: Path | None = None,
               used: set[str] | None = None) -> list[Section]:
    """One manuscript file to sections, split at level 1 and 2 headings; what the reader
    should know about it goes into `warnings`. `cache`, `used`: see `markdown_html`."""
    warnings = [] if warnings is None else warnings
    source = read_text(path, limit)
    rendered = markdown_html(source, cache, used)
    root = html.fragment_fromstring(rendered or "<p></p>", create_parent="div")
    _pictures(root, path, source, book_root, pictures)
    notes: dict[str, etree._Element] = {}
    for holder in root.xpath('./div[@class="footnote"]'):
        for item in holder.iter("li"):
            for back in item.xpath('.//a[@class="footnote-backref"]'):
                back.drop_tree()
            # Markdown names notes per file; make them unique across the book.
            notes[item.get("id")] = item
        root.remove(holder)
    sections: list[Section] = []
    current: Section | None = None
    for block in root:
        if block.tag in ("h1", "h2"):
            block.tag = "h2"
            bare = copy.deepcopy(block)
            for call in bare.xpath('.//sup[a[@class="footnote-ref"]]'):
                call.drop_tree()
            title = re.sub(r"\s+", " ", "".join(bare.itertext())).strip()
            tie_last_word(block)
            tie_last_word(bare)
            current = Section(id=_unique(slugify(title)[:48], taken), title=title,
                              title_html=inner_html(bare), heading=block, source=path)
            sections.append(current)
            continue
        if current is None:
            current = Section(id=_unique(f"part-{file_index + 1}", taken), title="", title_html="",
                              source=path)
            sections.append(current)
        current.blocks.append(block)
    for section in sections:
        called_from = section.blocks if section.heading is None else [section.heading,
                                                                      *section.blocks]
        for block in called_from:
            for ref in block.xpath('.//sup[a[@class="footnote-ref"]]'):
                anchor = ref[0]
                note_key = anchor.get("href", "").lstrip("#")
                if note_key not in notes:
                    continue
                note_id = _unique(f"note-{len(taken)}", taken)
                ref_id = f"{note_id}-ref"
                ref.set("id", ref_id)
                ref.attrib.pop("class", None)
                anchor.set("href", f"#{note_id}")
                anchor.attrib.pop("id", None)
                body = [copy.deepcopy(child) for child in notes[note_key]]
                section.notes.append(Note(id=note_id, ref_id=ref_id, body=body))
        here = {f"#{n.id}" for n in section.notes} | {f"#{n.ref_id}" for n in section.notes}
        for block in [*called_from, *(child for n in section.notes for child in n.body)]:
            _unlink_dead(block, here, path, source, warnings)
    return [s for s in sections if s.title or any(_has_content(b) for b in s.blocks)]


_LINKABLE = re.compile(r"(https?|mailto):", re.I)


def _unlink_dead(block: etree._Element, here: set[str], path: Path, source: str,
                 warnings: list[str]) -> None:
    """A link that leads nowhere every edition can follow (another book's file, a note that
    is not there, a script) keeps its text and loses its link, with a warning: a broken link
    would fail EPUBCheck and mislead a reader. Web addresses and links `here` (the section's
    notes and calls, in the same file in every edition) stay."""
    for anchor in block.xpath(".//a[@href]"):
        href = anchor.get("href", "")
        if _LINKABLE.match(href) or href in here:
            continue
        warnings.append(f"{path}:{_line_of(source, href)}: link to {href!r} leads outside "
                        "the book; kept as text")
        anchor.drop_tag()


def _has_content(block: etree._Element) -> bool:
    return bool("".join(block.itertext()).strip())


def read_document(book: Book, cache: Path | None = None) -> Document:
    """Parse every manuscript file of a book, in reading order (`cache`: a folder where the
    Markdown of each file is kept as HTML)."""
    taken: set[str] = set()
    sections: list[Section] = []
    pictures: dict[str, Picture] = {}
    warnings: list[str] = []
    used: set[str] = set()
    for index, path in enumerate(book.manuscript):
        sections.extend(parse_file(path, index, taken, book.root, pictures,
                                   book.manuscript_limit, warnings, cache, used))
    if cache is not None and cache.is_dir():  # what no file of the book gives any more
        for stale in cache.glob("*.html"):
            if stale.name not in used:
                stale.unlink(missing_ok=True)
    if not sections:
        raise ZineError(f"{book.root / 'book.toml'}: the manuscript is empty")
    return Document(book=book, sections=sections, pictures=pictures, warnings=warnings)
