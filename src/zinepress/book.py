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
from zinepress.textio import read_text
from zinepress.typography import curl

FORMATS = ("pdf", "epub", "html", "zine", "cover")
EXTENSIONS = {"pdf": (".pdf",), "zine": (".pdf",), "cover": (".pdf",), "epub": (".epub",),
              "html": (".html", ".htm")}

# Named trim sizes (width, height) in CSS units.
PAGE_SIZES: dict[str, tuple[str, str]] = {
    "digest": ("5.5in", "8.5in"),
    "a5": ("148mm", "210mm"),
    "pocket": ("4.25in", "5.5in"),
    "a6": ("105mm", "148mm"),
    "letter": ("8.5in", "11in"),
    "a4": ("210mm", "297mm"),
}

# Limits a stranger's book folder cannot raise: checked before anything is read.
MAX_TOML_BYTES = 256 * 1024
MAX_MANUSCRIPT_BYTES = 10 * 1024 * 1024  # all manuscript files together; `--max-manuscript-mb`
MAX_MANUSCRIPT_FILES = 1000


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
    cover: bool | None = None  # a front and a back cover; by default, booklets have them
    cover_style: str = "frame"
    cover_color: str = ""
    fit: str = "none"  # "sheets": set the text up to 5% smaller if that saves a sheet
    grayscale: bool = False
    bleed: str = ""  # for a print shop: how far backgrounds run past the trim
    crop_marks: bool = False
    pdf_variant: str = "pdf/ua-1"
    paper_thickness: str = "0.1mm"  # a cover spread's spine: leaves times this,
    paper_ppi: int = 0  # or pages per inch, as paper merchants give it, when set

    @property
    def has_cover(self) -> bool:
        return self.format == "zine" if self.cover is None else self.cover

    @property
    def page_width(self) -> str:
        return page_dimensions(self.page)[0]

    @property
    def page_height(self) -> str:
        return page_dimensions(self.page)[1]

    def typeset_key(self) -> tuple[object, ...]:
        """Editions with equal keys share one typeset PDF."""
        return (self.page, self.font_size, self.leading, self.margin_inner, self.margin_outer,
                self.margin_top, self.margin_bottom, self.has_cover,
                *((self.cover_style, self.cover_color) if self.has_cover else ()),
                self.grayscale, self.bleed, self.crop_marks, self.pdf_variant)


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
    cover_image: Path | None = None
    back_cover: str = ""
    editions: tuple[Edition, ...] = field(default_factory=tuple)
    manuscript_limit: int = MAX_MANUSCRIPT_BYTES
    # The print edition whose page numbers the EPUB carries: the first PDF edition declared,
    # whichever editions a build is limited to, so the EPUB is the same either way.
    paged_by: Edition | None = None
    # The EPUB's cover follows the first booklet's cover design, for the same reason.
    cover_design: Edition | None = None

    @property
    def author(self) -> str:
        return " and ".join(self.authors)


def slugify(text: str) -> str:
    """ASCII, lower case, hyphens: a file name that survives any file system."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-") or "book"


_UNITS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0, "pc": 12.0, "px": 0.75}
_LENGTH = re.compile(r"(\d{1,4}(?:\.\d{1,4})?)(in|mm|cm|pt|pc|px)")


def to_points(length: str) -> float:
    """A CSS length (`0.75in`, `10.5pt`) in points."""
    match = _LENGTH.fullmatch(length)
    if not match:
        raise ZineError(f"{length!r} is not a length like '0.75in' or '10pt'")
    return float(match.group(1)) * _UNITS[match.group(2)]


def page_dimensions(page: str) -> tuple[str, str]:
    if page in PAGE_SIZES:
        return PAGE_SIZES[page]
    parts = page.replace("x", " ").split()
    if len(parts) == 2 and all(_LENGTH.fullmatch(p) for p in parts):
        return parts[0], parts[1]
    raise ZineError(f"unknown page size {page!r}: use one of {', '.join(PAGE_SIZES)} or 'W H'"
                    " with units, e.g. '5in 8in'")


# The schema: one checker per key. A checker takes the TOML value as it is (no coercion:
# "false" is a string, not a boolean) and returns what the book keeps, or raises Invalid.


class Invalid(ValueError):
    """The reason a value is refused, worded to follow the key's name."""


def _string(value: Any, limit: int = 2000) -> str:
    if not isinstance(value, str):
        raise Invalid("must be a string")
    if len(value) > limit:
        raise Invalid(f"is longer than {limit} characters")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
        raise Invalid("contains control characters")
    return value.strip()


def display(value: Any) -> str:
    """Text shown to readers: typographic quotes, as in the manuscript."""
    return curl(_string(value))[0]


def required_display(value: Any) -> str:
    text = display(value)
    if not text:
        raise Invalid("must not be empty")
    return text


def display_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > 200:
        raise Invalid("must be a list of strings")
    return tuple(display(v) for v in value)


def authors(value: Any) -> tuple[str, ...]:
    names = (required_display(value),) if isinstance(value, str) else display_list(value)
    if not names or not all(names):
        raise Invalid("must be a name, or a list of one or more names")
    return names


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def date(value: Any) -> str:
    """A TOML date, or YYYY, YYYY-MM, YYYY-MM-DD: what EPUB's dc:date accepts."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _string(value, 10)
    if not _DATE.fullmatch(text):
        raise Invalid("must be a date like 2014-04-05 (or 2014, or 2014-04)")
    try:
        dt.date.fromisoformat(text + "-01" * (2 - text.count("-")))
    except ValueError:
        raise Invalid(f"{text!r} is not a calendar date") from None
    return text


# BCP 47 (RFC 5646) well-formed tags: language, script, region, variants, extensions, private.
_BCP47 = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*"
    r"(?:-x(?:-[a-z\d]{1,8})+)?", re.IGNORECASE)


def language(value: Any) -> str:
    text = _string(value, 64)
    if not _BCP47.fullmatch(text):
        raise Invalid(f"{text!r} is not a BCP 47 language tag like 'en', 'en-GB' or 'fr'")
    return text


def slug(value: Any) -> str:
    text = _string(value, 80)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*", text):
        raise Invalid("must be letters, digits, '-' and '_' (it names the output files)")
    return text


def plain(value: Any) -> str:
    return _string(value, 500)


def relative_path(value: Any) -> str:
    text = _string(value, 500)
    if not text:
        raise Invalid("must not be empty")
    return text


def paths(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise Invalid('must be a list of file names, e.g. ["text.md"]')
    if len(value) > MAX_MANUSCRIPT_FILES:
        raise Invalid(f"lists more than {MAX_MANUSCRIPT_FILES} files")
    return tuple(relative_path(v) for v in value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("must be true or false (without quotes)")
    return value


def one_of(*choices: str) -> Any:
    def check(value: Any) -> str:
        if value not in choices:
            raise Invalid(f"must be one of {', '.join(choices)}")
        return value
    return check


def length(low: float, high: float) -> Any:
    """A CSS length between low and high points."""
    def check(value: Any) -> str:
        text = _string(value, 20)
        if not _LENGTH.fullmatch(text):
            raise Invalid(f"{text!r} is not a length like '0.75in' or '10pt'")
        if not low <= to_points(text) <= high:
            raise Invalid(f"{text!r} is outside {low:g}pt to {high:g}pt")
        return text
    return check


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid("must be a number (without quotes)")
    return float(value)


def leading(value: Any) -> str:
    """A line height: a number of ems (1.38, or "1.38") or a length ("14pt")."""
    if isinstance(value, str) and _LENGTH.fullmatch(value.strip()):
        return length(4, 144)(value)
    number = _number(value) if not isinstance(value, str) else None
    if number is None:
        if not re.fullmatch(r"\d(\.\d{1,4})?", value.strip()):
            raise Invalid(f"{value!r} is not a line height like 1.38 or '14pt'")
        number = float(value)
    if not 0.8 <= number <= 3:
        raise Invalid(f"{number:g} is outside 0.8 to 3")
    return f"{number:g}"


def page(value: Any) -> str:
    text = _string(value, 40)
    try:
        width, height = page_dimensions(text)
    except ZineError as err:
        raise Invalid(str(err)) from None
    for side in (width, height):
        if not 72 <= to_points(side) <= 48 * 72:
            raise Invalid(f"{text!r}: each side must be between 1in and 48in")
    return text


def sheet(value: Any) -> str:
    from zinepress.impose import parse_sheet

    text = _string(value, 40)
    try:
        parse_sheet(text)
    except ZineError as err:
        raise Invalid(str(err)) from None
    return text


def creep(value: Any) -> float:
    number = _number(value)
    if not 0 <= number <= 2:
        raise Invalid("is the paper's thickness in mm: from 0 to 2")
    return number


def signature_pages(value: Any) -> int | str:
    if value == "auto":
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value % 4 or not 4 <= value <= 128:
        raise Invalid('must be "auto" or a multiple of 4 from 4 to 128')
    return value


_COLOR = re.compile(r"#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}|[a-z]{3,20}")


def color(value: Any) -> str:
    """A colour CSS can take as it is: #rgb, #rrggbb or a name (nothing else gets in)."""
    from PIL import ImageColor

    text = _string(value, 20)
    try:
        known = _COLOR.fullmatch(text) and ImageColor.getrgb(text)  # CSS's colour names
    except ValueError:
        known = None
    if not known:
        raise Invalid(f"{text!r} is not a colour like '#f3e9d2' or 'ivory'")
    return text


def blurb(value: Any) -> str:
    """Back-cover text: paragraphs split by blank lines, typographic quotes."""
    return curl(_string(value, 3000))[0]


def ppi(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 2000:
        raise Invalid("is pages per inch of the paper: a whole number from 100 to 2000")
    return value


def output_name(value: Any) -> str:
    text = _string(value, 120)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text) or ".." in text:
        raise Invalid("must be a plain file name (letters, digits, '.', '-', '_')")
    return text


BOOK_SCHEMA: dict[str, Any] = {
    "title": required_display, "subtitle": display, "author": authors, "date": date,
    "language": language, "manuscript": paths, "slug": slug, "publisher": display,
    "description": display, "subject": display, "keywords": display_list, "rights": display,
    "source": display, "contributors": display_list, "edition": display,
    "edition_date": date, "changelog": display_list, "layouts": relative_path,
    "embed_fonts": boolean, "identifier": plain, "editions": dict,
    "cover_image": relative_path, "back_cover": blurb,
}
REQUIRED = ("title", "author", "language", "manuscript")
_MARGIN = length(0, 4 * 72)
EDITION_SCHEMA: dict[str, Any] = {
    "format": one_of(*FORMATS), "output": output_name, "page": page,
    "font_size": length(4, 72), "leading": leading, "margin_inner": _MARGIN,
    "margin_outer": _MARGIN, "margin_top": _MARGIN, "margin_bottom": _MARGIN,
    "layout": one_of("saddle", "signatures", "minizine", "quarter", "2up"), "sheet": sheet,
    "duplex": one_of("short", "long"), "creep": creep, "marks": boolean,
    "signature_pages": signature_pages, "enabled": boolean,
    "cover": boolean, "cover_style": one_of("frame", "plain", "band"), "cover_color": color,
    "fit": one_of("none", "sheets"), "grayscale": boolean, "bleed": length(0, 36),
    "crop_marks": boolean, "pdf_variant": one_of("pdf/ua-1", "pdf/x-4"),
    "paper_thickness": length(0.05, 2), "paper_ppi": ppi,
}


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


def _checked(schema: dict[str, Any], data: dict[str, Any], where: Where,
             table: str | None = None) -> dict[str, Any]:
    """Every key of `data` through its checker; the first problem names its line."""
    label = f"[editions.{table}] " if table else ""
    values = {}
    for key, value in data.items():
        if key not in schema:
            raise ZineError(f"{where.at(key, table)}: {label}unknown key {key!r}")
        if schema[key] is dict:
            values[key] = value
            continue
        try:
            values[key] = schema[key](value)
        except Invalid as err:
            raise ZineError(f"{where.at(key, table)}: {label}{key!r} {err}") from None
    return values


def _edition(name: str, table: dict[str, Any], slug: str, where: Where) -> Edition:
    values = _checked(EDITION_SCHEMA, table, where, name)
    fmt = values.pop("format", "pdf")
    values.pop("enabled", None)
    output = values.pop("output", f"{slug}-{name}.{EXTENSIONS[fmt][0][1:]}")
    if not output.lower().endswith(EXTENSIONS[fmt]):
        raise ZineError(f"{where.at('output', name)}: [editions.{name}] 'output' of a {fmt} "
                        f"edition must end in {' or '.join(EXTENSIONS[fmt])}")
    edition = Edition(name=name, format=fmt, output=output, **values)
    width, height = (to_points(side) for side in page_dimensions(edition.page))
    text_width = width - to_points(edition.margin_inner) - to_points(edition.margin_outer)
    text_height = height - to_points(edition.margin_top) - to_points(edition.margin_bottom)
    if text_width < 72 or text_height < 72:
        key = next((k for k in ("margin_outer", "margin_inner", "margin_bottom", "margin_top",
                                "page") if k in table), name)
        raise ZineError(f"{where.at(key, name)}: [editions.{name}] the margins leave a text "
                        f"block of {text_width / 72:.2f} x {text_height / 72:.2f} in; "
                        "it needs at least 1 x 1 in")
    return edition


def _book_file(root: Path, name: str, where: str, key: str) -> Path:
    """A file `book.toml` names under `key`: inside the book folder, and there."""
    try:
        path = inside(root, name)
    except Invalid as err:
        raise ZineError(f"{where}: {key} {err}") from None
    if not path.is_file():
        raise ZineError(f"{where}: {key} file {name!r} does not exist")
    return path


def _cover_image(root: Path, name: str, where: str) -> Path:
    """The cover picture: a PNG, JPEG or GIF inside the book folder, checked like any image."""
    from zinepress.images import inspect

    path = _book_file(root, name, where, "cover_image")
    try:
        inspect(path)
    except ZineError as err:
        raise ZineError(f"{where}: cover_image {err}") from None
    return path


def inside(root: Path, name: str) -> Path:
    """`name` resolved against the book folder, symlinks and `..` included; it must stay in."""
    if Path(name).is_absolute():
        raise Invalid(f"{name!r} is an absolute path; name it relative to the book folder")
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise Invalid(f"{name!r} is outside the book folder")
    return path


def linked(root: Path, manuscript: Path, target: str) -> Path:
    """A link target of a manuscript file (an image path), resolved inside the book folder."""
    try:
        relative = (manuscript.parent / target).relative_to(root)
    except ValueError:
        raise Invalid(f"{target!r} is outside the book folder") from None
    return inside(root, str(relative))


def _read_toml(path: Path) -> str:
    if not path.is_file():
        raise ZineError(f"{path}: no book.toml here (is {path.parent} a book directory?)")
    return read_text(path, MAX_TOML_BYTES)


def _manuscript(root: Path, names: tuple[str, ...], where: Where,
                max_bytes: int) -> tuple[Path, ...]:
    files, total = [], 0
    for name in names:
        file = _book_file(root, name, where.at("manuscript"), "manuscript")
        total += file.stat().st_size
        if total > max_bytes:
            raise ZineError(f"{where.at('manuscript')}: the manuscript is larger than "
                            f"{max_bytes / 1048576:.3g} MB (raise it with --max-manuscript-mb)")
        files.append(file)
    return tuple(files)


def load_book(root: Path | str, max_manuscript_bytes: int = MAX_MANUSCRIPT_BYTES) -> Book:
    """Read and check `root/book.toml`; errors name the file, the line and the problem.

    Nothing outside the book folder is named, opened or read: every path resolves inside.
    """
    root = Path(root).resolve()
    path = root / "book.toml"
    source = _read_toml(path)
    where = Where(path)
    where.text = source
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        raise ZineError(f"{path}: {err}") from None
    values = _checked(BOOK_SCHEMA, data, where)
    for key in REQUIRED:
        if key not in values:
            raise ZineError(f"{where}: missing required key {key!r}")
    layouts = None
    if "layouts" in values:
        try:
            layouts = inside(root, values["layouts"])
        except Invalid as err:
            raise ZineError(f"{where.at('layouts')}: layouts {err}") from None
        if not layouts.is_dir():
            raise ZineError(f"{where.at('layouts')}: layouts folder {values['layouts']!r} "
                            "does not exist")
    files = _manuscript(root, values["manuscript"], where, max_manuscript_bytes)
    cover_image = None
    if "cover_image" in values:
        cover_image = _cover_image(root, values["cover_image"], where.at("cover_image"))
    slug_ = values.get("slug") or slugify(values["title"])
    editions_table = default_editions(slug_)
    user_editions = values.get("editions", {})
    if not isinstance(user_editions, dict):
        raise ZineError(f"{where.at('editions')}: 'editions' must be [editions.NAME] tables")
    for name, table in user_editions.items():
        if not isinstance(table, dict):
            raise ZineError(f"{where.at(name, name)}: [editions.{name}] must be a table")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,40}", name):
            raise ZineError(f"{where.at(name, name)}: edition name {name!r} must be letters, "
                            "digits, '-' and '_'")
        _checked(EDITION_SCHEMA, table, where, name)
        merged = {**editions_table.get(name, {}), **table}
        if merged.get("enabled", True) is False:
            editions_table.pop(name, None)
            continue
        editions_table[name] = merged
    editions = tuple(_edition(n, t, slug_, where) for n, t in editions_table.items())
    outputs = [e.output.lower() for e in editions]
    if len(set(outputs)) != len(outputs):
        raise ZineError(f"{where}: two editions write the same output file")
    return Book(
        root=root, title=values["title"], authors=values["author"],
        language=values["language"], manuscript=files,
        subtitle=values.get("subtitle", ""), date=values.get("date", ""), slug=slug_,
        publisher=values.get("publisher", ""), description=values.get("description", ""),
        subject=values.get("subject", ""), keywords=values.get("keywords", ()),
        rights=values.get("rights", ""), source=values.get("source", ""),
        contributors=values.get("contributors", ()), edition=values.get("edition", ""),
        edition_date=values.get("edition_date", ""), changelog=values.get("changelog", ()),
        layouts=layouts, embed_fonts=values.get("embed_fonts", False),
        identifier=values.get("identifier", ""), editions=editions,
        cover_image=cover_image, back_cover=values.get("back_cover", ""),
        manuscript_limit=max_manuscript_bytes,
        paged_by=next((e for e in editions if e.format == "pdf"), None),
        cover_design=next((e for e in editions if e.has_cover), None),
    )


def with_editions(book: Book, names: set[str] | None, formats: set[str] | None) -> Book:
    """The same book restricted to some editions (by name or by format)."""
    chosen = tuple(e for e in book.editions
                   if (names is None or e.name in names)
                   and (formats is None or e.format in formats))
    return replace(book, editions=chosen)
