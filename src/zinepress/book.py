"""`book.toml`: a book's metadata and the editions it is built into.

Everything here is plain data, validated once, so every writer can trust it.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zinepress.errors import ZineError
from zinepress.typography import curl

FORMATS = ("pdf", "epub", "html", "zine")

# Named trim sizes (width, height) in CSS units.
PAGE_SIZES: dict[str, tuple[str, str]] = {
    "digest": ("5.5in", "8.5in"),
    "a5": ("148mm", "210mm"),
    "pocket": ("4.25in", "5.5in"),
    "a6": ("105mm", "148mm"),
    "letter": ("8.5in", "11in"),
    "a4": ("210mm", "297mm"),
}

_LENGTH = re.compile(r"^\d+(\.\d+)?(in|mm|cm|pt|pc|px)$")

BOOK_KEYS = {
    "title", "subtitle", "author", "date", "language", "manuscript", "slug", "publisher",
    "description", "subject", "keywords", "rights", "source", "contributors", "edition",
    "edition_date", "changelog", "layouts", "editions", "embed_fonts", "identifier",
}
EDITION_KEYS = {
    "format", "output", "page", "font_size", "leading", "margin_inner", "margin_outer",
    "margin_top", "margin_bottom", "layout", "sheet", "duplex", "creep", "marks",
    "signature_pages", "enabled",
}


@dataclass(frozen=True)
class Edition:
    """One output of a book: a PDF at a trim size, an EPUB, a web page or an imposed zine."""

    name: str
    format: str
    output: str
    page: str = "digest"
    font_size: str = "10.5pt"
    leading: str = "1.38"
    margin_inner: str = "0.75in"
    margin_outer: str = "0.55in"
    margin_top: str = "0.6in"
    margin_bottom: str = "0.75in"
    layout: str = "saddle"
    sheet: str = "letter"
    duplex: str = "short"
    creep: float = 0.0
    marks: bool = False
    signature_pages: int | str = 16

    @property
    def page_width(self) -> str:
        return page_dimensions(self.page)[0]

    @property
    def page_height(self) -> str:
        return page_dimensions(self.page)[1]

    def typeset_key(self) -> tuple[str, ...]:
        """Editions with equal keys share one typeset PDF."""
        return (self.page, self.font_size, self.leading, self.margin_inner, self.margin_outer,
                self.margin_top, self.margin_bottom)


@dataclass(frozen=True)
class Book:
    """A book directory: metadata, manuscript files in reading order, editions."""

    root: Path
    title: str
    authors: tuple[str, ...]
    language: str
    manuscript: tuple[Path, ...]
    subtitle: str = ""
    date: str = ""
    slug: str = ""
    publisher: str = ""
    description: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    rights: str = ""
    source: str = ""
    contributors: tuple[str, ...] = ()
    edition: str = ""
    edition_date: str = ""
    changelog: tuple[str, ...] = ()
    layouts: Path | None = None
    embed_fonts: bool = False
    identifier: str = ""
    editions: tuple[Edition, ...] = field(default_factory=tuple)

    @property
    def author(self) -> str:
        return " and ".join(self.authors)


def slugify(text: str) -> str:
    """ASCII, lower case, hyphens: a file name that survives any file system."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "book"


def page_dimensions(page: str) -> tuple[str, str]:
    if page in PAGE_SIZES:
        return PAGE_SIZES[page]
    parts = page.replace("x", " ").split()
    if len(parts) == 2 and all(_LENGTH.match(p) for p in parts):
        return parts[0], parts[1]
    raise ZineError(f"unknown page size {page!r}: use one of {', '.join(PAGE_SIZES)} or 'W H'"
                    " with units, e.g. '5in 8in'")


def default_editions(slug: str) -> dict[str, dict[str, Any]]:
    return {
        "digest": {"format": "pdf", "page": "digest", "output": f"{slug}.pdf"},
        "epub": {"format": "epub", "output": f"{slug}.epub"},
        "html": {"format": "html", "output": f"{slug}.html"},
        "zine-letter": {"format": "zine", "page": "digest", "sheet": "letter",
                        "output": f"{slug}-zine-letter.pdf"},
        "zine-a4": {"format": "zine", "page": "a5", "sheet": "a4",
                    "output": f"{slug}-zine-a4.pdf"},
    }


class Where(str):
    """`book.toml` as an error prefix: `where.at(key)` adds the line that sets `key`."""

    text: str = ""

    def at(self, key: str, table: str | None = None) -> str:
        lines = self.text.splitlines()
        start = 0
        if table:
            start = next((i for i, line in enumerate(lines)
                          if re.match(rf"\s*\[\s*editions\.{re.escape(table)}\s*\]", line)), 0)
        for number in range(start, len(lines)):
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[number]) or (
                    key == table and number == start and table):
                return f"{self}:{number + 1}"
        return str(self)


def _text(value: Any, key: str, where: str) -> str:
    """A display string: typographic quotes, as in the manuscript."""
    if not isinstance(value, str):
        raise ZineError(f"{_at(where, key)}: '{key}' must be a string")
    return curl(value.strip())[0]


def _at(where: str, key: str, table: str | None = None) -> str:
    return where.at(key, table) if isinstance(where, Where) else where


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (_text(value, key, where),)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(_text(v, key, where) for v in value)
    raise ZineError(f"{_at(where, key)}: '{key}' must be a string or a list of strings")


def _edition(name: str, table: dict[str, Any], slug: str, where: str) -> Edition:
    unknown = set(table) - EDITION_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise ZineError(f"{_at(where, key, name)}: [editions.{name}] has unknown key {key!r}")
    fmt = table.get("format", "pdf")
    if fmt not in FORMATS:
        raise ZineError(f"{_at(where, 'format', name)}: [editions.{name}] format must be one "
                        f"of {', '.join(FORMATS)}")
    ext = {"pdf": "pdf", "zine": "pdf", "epub": "epub", "html": "html"}[fmt]
    values = {k.replace("-", "_"): v for k, v in table.items()
              if k not in ("format", "output", "enabled")}
    edition = Edition(name=name, format=fmt,
                      output=table.get("output", f"{slug}-{name}.{ext}"), **values)
    try:
        page_dimensions(edition.page)
    except ZineError as err:
        raise ZineError(f"{_at(where, 'page', name)}: [editions.{name}] {err}") from None
    for key in ("margin_inner", "margin_outer", "margin_top", "margin_bottom", "font_size"):
        if not _LENGTH.match(str(getattr(edition, key))):
            raise ZineError(f"{_at(where, key, name)}: [editions.{name}] {key} "
                            f"{getattr(edition, key)!r} is not a length like '0.7in'")
    if "/" in edition.output or edition.output.startswith("."):
        raise ZineError(f"{_at(where, 'output', name)}: [editions.{name}] output must be a "
                        "plain file name")
    return edition


def load_book(root: Path | str) -> Book:
    """Read and check `root/book.toml`; errors name the file and the problem in one line."""
    root = Path(root)
    path = root / "book.toml"
    if not path.is_file():
        raise ZineError(f"{path}: no book.toml here (is {root} a book directory?)")
    try:
        source = path.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ZineError(f"{path}: {err}") from None
    where = Where(path)
    where.text = source
    unknown = set(data) - BOOK_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise ZineError(f"{where.at(key)}: unknown key {key!r}")
    for key in ("title", "author", "language", "manuscript"):
        if key not in data:
            raise ZineError(f"{where}: missing required key {key!r}")
    title = _text(data["title"], "title", where)
    if not title:
        raise ZineError(f"{where.at('title')}: 'title' must be a non-empty string")
    manuscript = _strings(data["manuscript"], "manuscript", where)
    files = []
    for name in manuscript:
        file = (root / name).resolve()
        if not file.is_file():
            raise ZineError(f"{where.at('manuscript')}: manuscript file {name!r} does not exist")
        files.append(file)
    slug = data.get("slug") or slugify(data["title"])
    editions_table = default_editions(slug)
    user_editions = data.get("editions", {})
    if not isinstance(user_editions, dict):
        raise ZineError(f"{where}: 'editions' must be a table of [editions.NAME] tables")
    for name, table in user_editions.items():
        if not isinstance(table, dict):
            raise ZineError(f"{where}: [editions.{name}] must be a table")
        merged = {**editions_table.get(name, {}), **table}
        if merged.get("enabled", True) is False:
            editions_table.pop(name, None)
            continue
        editions_table[name] = merged
    editions = tuple(_edition(n, t, slug, where) for n, t in editions_table.items())
    outputs = [e.output for e in editions]
    if len(set(outputs)) != len(outputs):
        raise ZineError(f"{where}: two editions write the same output file")
    date = data.get("date", "")
    if isinstance(date, dt.date):
        date = date.isoformat()
    layouts = data.get("layouts")
    book = Book(
        root=root.resolve(), title=title, authors=_strings(data["author"], "author", where),
        language=str(data["language"]), manuscript=tuple(files),
        subtitle=_text(data.get("subtitle", ""), "subtitle", where),
        date=str(date), slug=slug, publisher=_text(data.get("publisher", ""), "publisher", where),
        description=_text(data.get("description", ""), "description", where),
        subject=_text(data.get("subject", ""), "subject", where),
        keywords=_strings(data.get("keywords", []), "keywords", where),
        rights=_text(data.get("rights", ""), "rights", where),
        source=_text(data.get("source", ""), "source", where),
        contributors=_strings(data.get("contributors", []), "contributors", where),
        edition=str(data.get("edition", "")), edition_date=str(data.get("edition_date", "")),
        changelog=_strings(data.get("changelog", []), "changelog", where),
        layouts=(root / layouts).resolve() if layouts else None,
        embed_fonts=bool(data.get("embed_fonts", False)),
        identifier=data.get("identifier", ""),
        editions=editions,
    )
    if book.layouts is not None and not book.layouts.is_dir():
        raise ZineError(f"{where.at('layouts')}: layouts directory {layouts!r} does not exist")
    return book


def with_editions(book: Book, names: set[str] | None, formats: set[str] | None) -> Book:
    """The same book restricted to some editions (by name or by format)."""
    chosen = tuple(e for e in book.editions
                   if (names is None or e.name in names)
                   and (formats is None or e.format in formats))
    return replace(book, editions=chosen)
