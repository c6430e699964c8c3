"""Where a book's templates and CSS come from, and the Jinja2 environment that reads them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from zinepress.book import Book
from zinepress.errors import ZineError


def default_layouts() -> Path:
    """The layouts shipped with zinepress: the project's `layouts/` folder.

    A wheel carries it as `zinepress/layouts/`; a source checkout has it beside `src/`.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "layouts", here.parents[1] / "layouts"):
        if (candidate / "book.html.j2").is_file():
            return candidate
    return here / "layouts"


def layouts_dir(book: Book) -> Path:
    """`layouts` from book.toml, else the book's own `layouts/`, else the shipped defaults."""
    for candidate in (book.layouts, book.root / "layouts"):
        if candidate is not None and candidate.is_dir():
            return candidate
    folder = default_layouts()
    if not (folder / "book.html.j2").is_file():
        raise ZineError(f"zinepress's layouts are missing from {folder}; reinstall zinepress")
    return folder


@cache
def environment(layouts: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(layouts)),
        autoescape=select_autoescape(["html", "j2", "xhtml"], default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def read_layout(layouts: Path, name: str) -> str:
    path = layouts / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ZineError(f"{path}: layout file missing") from None
