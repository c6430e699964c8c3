"""Where a book's templates and CSS come from, and the sandbox that renders them.

A book may bring its own `layouts/` (or name one with `layouts`); each file it holds
overrides zinepress's file of the same name, the rest come from zinepress. Layout files are
data from strangers: only `*.j2` and `*.css` files are read, each must resolve inside its
folder's root (the book folder, after symlinks), and templates run in Jinja2's immutable
sandbox with autoescape on, so a template cannot reach Python or the file system.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from zinepress.book import Book
from zinepress.errors import ZineError
from zinepress.labels import words
from zinepress.textio import read_text

LAYOUT_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.(j2|css)")
MAX_LAYOUT_BYTES = 1024 * 1024


def default_layouts() -> Path:
    """The layouts shipped with zinepress: the project's `layouts/` folder.

    A wheel carries it as `zinepress/layouts/`; a source checkout has it beside `src/`.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "layouts", here.parents[1] / "layouts"):
        if (candidate / "book.html.j2").is_file():
            return candidate
    raise ZineError(f"zinepress's layouts are missing from {here}; reinstall zinepress")


@dataclass(frozen=True)
class Layouts:
    """Folders searched in order, each with the root its files must resolve inside."""

    folders: tuple[tuple[Path, Path], ...]

    def find(self, name: str) -> Path:
        if not LAYOUT_FILE.fullmatch(name):
            raise ZineError(f"{name!r}: layouts are *.j2 and *.css files named plainly")
        for folder, root in self.folders:
            candidate = folder / name
            if candidate.is_symlink() or candidate.exists():
                path = candidate.resolve()
                if not path.is_relative_to(root):
                    raise ZineError(f"{candidate}: links outside the book folder")
                if not path.is_file():
                    raise ZineError(f"{candidate}: not a file")
                return path
        raise ZineError(f"layout file {name!r} is missing from "
                        f"{' and '.join(str(f) for f, _ in self.folders)}")

    def read(self, name: str) -> str:
        return read_text(self.find(name), MAX_LAYOUT_BYTES)

    def files(self) -> list[Path]:
        """Every layout file in effect (the book's own first), for the build's input hash."""
        names = sorted({p.name for folder, _ in self.folders for p in folder.iterdir()
                        if LAYOUT_FILE.fullmatch(p.name)})
        return [self.find(name) for name in names]

    def render(self, name: str, **context: Any) -> str:
        """A template filled in the sandbox; any error in it is one line with file and line.
        A book's templates see `words`: what zinepress says itself, in the book's language."""
        if "book" in context:
            context.setdefault("words", words(context["book"].language))
        try:
            return _environment(self).get_template(name).render(**context)
        except ZineError:
            raise
        except TemplateSyntaxError as err:
            raise ZineError(f"{err.filename}:{err.lineno}: template error: {err.message}"
                            ) from None
        except TemplateNotFound as err:
            raise ZineError(f"layout file {err.name!r} is missing") from None
        except Exception as err:  # SecurityError, UndefinedError, or Python's own in a template
            where = _template_line(err.__traceback__) or str(self.find(name))
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise ZineError(f"{where}: template error: {reason}") from None


def layouts_for(book: Book) -> Layouts:
    """`layouts` from book.toml, else the book's own `layouts/`, then zinepress's defaults."""
    shipped = default_layouts()
    folders = [(shipped, shipped)]
    own = book.layouts or book.root / "layouts"
    if own.is_dir():
        resolved = own.resolve()
        if not resolved.is_relative_to(book.root):
            raise ZineError(f"{own}: the layouts folder is outside the book folder")
        if resolved != shipped:
            folders.insert(0, (resolved, book.root))
    return Layouts(tuple(folders))


class _Loader(BaseLoader):
    def __init__(self, layouts: Layouts) -> None:
        self.layouts = layouts

    def get_source(self, environment: Any, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        try:
            path = self.layouts.find(template)
        except ZineError:
            raise TemplateNotFound(template) from None
        mtime = path.stat().st_mtime
        return self.layouts.read(template), str(path), lambda: path.stat().st_mtime == mtime


@cache
def _environment(layouts: Layouts) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        loader=_Loader(layouts), autoescape=True, undefined=StrictUndefined,
        keep_trailing_newline=True)


def _template_line(tb: TracebackType | None) -> str:
    """file:line of the innermost template frame (Jinja2 rewrites tracebacks to show them)."""
    found = ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
