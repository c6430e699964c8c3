"""Build: every edition a book declares, rebuilt only when its inputs changed.

A manifest in the output folder records the hash of each output's inputs (manuscript,
book.toml, layouts, fonts, zinepress version, edition settings, epoch). Heavy libraries are
imported only when something must be built, so a no-change rebuild is nearly free.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from zinepress import __version__
from zinepress.book import MAX_MANUSCRIPT_BYTES, Book, Edition, Invalid, linked
from zinepress.errors import ZineError
from zinepress.fsutil import remove_stale_temporaries, same_file, write_atomic
from zinepress.templating import layouts_for

if TYPE_CHECKING:
    from zinepress.typeset import Typeset

MANIFEST = ".zinepress-manifest.json"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}


@dataclass
class Result:
    book: str
    edition: str
    output: str
    status: str  # built, up to date, failed
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    error: str = ""
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the user should know, not a problem


# Link targets in Markdown, inline `](x.png)` or reference `[id]: x.png`: the images a
# manuscript may show, found without parsing it so a no-change rebuild stays cheap.
_LINK_TARGET = re.compile(rb"\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)


def _image_candidates(book: Book) -> list[Path]:
    found = set()
    for path in book.manuscript:
        for match in _LINK_TARGET.finditer(path.read_bytes()):
            name = unquote((match.group(1) or match.group(2)).decode("utf-8", "replace"))
            if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|/", name):
                continue
            try:
                candidate = linked(book.root, path, name)
            except (Invalid, OSError):
                continue
            if candidate.suffix.lower() in IMAGE_SUFFIXES and candidate.is_file():
                found.add(candidate)
    if book.cover_image:
        found.add(book.cover_image)
    return sorted(found)


def input_files(book: Book) -> list[Path]:
    """What a book's outputs are made from: all inside the book folder, or zinepress's own."""
    return [book.root / "book.toml", *book.manuscript, *layouts_for(book).files(),
            *_image_candidates(book)]


def source_epoch(book: Book) -> int:
    """SOURCE_DATE_EPOCH, else the newest input's commit time, else its mtime; never the clock."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    files = [book.root / "book.toml", *book.manuscript]
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", *map(str, files)], cwd=book.root,
            capture_output=True, text=True, timeout=10, check=False)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *map(str, files)], cwd=book.root,
            capture_output=True, text=True, timeout=10, check=False)
        if out.returncode == 0 and out.stdout.strip() and not dirty.stdout.strip():
            return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return int(max(f.stat().st_mtime for f in files))


@cache
def _code_hash() -> str:
    """zinepress's own code is an input too: a fix to a writer rebuilds what it writes."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(files: list[Path], epoch: int) -> str:
    """What every edition of a book depends on: its input files, the fonts, zinepress, the
    epoch."""
    from zinepress.typeset import font_faces

    digest = hashlib.sha256()
    digest.update(f"zinepress {__version__}\n{epoch}\n{_code_hash()}\n".encode())
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    for face in font_faces():
        digest.update(f"{face.path.name}:{face.path.stat().st_size}".encode())
    return digest.hexdigest()


def fingerprint(inputs: str, edition: Edition, paged_by: Edition | None = None) -> str:
    """One output's inputs: the book's, plus the edition's own settings (an EPUB's, plus
    those of the print edition whose pages it lists)."""
    settings = json.dumps([asdict(edition), asdict(paged_by) if edition.format in (
        "epub", "cover") and paged_by else None], sort_keys=True)
    return hashlib.sha256(f"{inputs}\n{settings}".encode()).hexdigest()


def _read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        return json.loads((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


class _Builder:
    """Builds editions of one book, sharing the parsed document and typeset PDFs."""

    def __init__(self, book: Book, out_dir: Path, epoch: int, jobs: int = 1) -> None:
        self.book, self.out_dir, self.epoch, self.jobs = book, out_dir, epoch, jobs
        self._doc = None
        self._warned = False
        self._typeset: dict[tuple[str, ...], Typeset] = {}
        self._cover: bytes | None = None  # the EPUB's cover picture, where drawn ahead

    @property
    def doc(self):
        if self._doc is None:
            from zinepress.model import read_document
            from zinepress.units import CACHE

            self._doc = read_document(self.book, self.out_dir / CACHE / "markdown")
        return self._doc

    def typeset(self, edition: Edition) -> Typeset:
        key = edition.typeset_key()
        if key not in self._typeset:
            from zinepress.typeset import typeset
            from zinepress.units import CACHE, Workers, splits

            # A book typeset in parts: its workers start (and load WeasyPrint) while the
            # manuscript is read.
            jobs = self.jobs if splits(self.book, edition) else 1
            with Workers(self.book, edition, jobs) as workers:
                self._typeset[key] = typeset(self.doc, edition, self.epoch,
                                             self.out_dir / CACHE, jobs, _code_hash(), workers)
        return self._typeset[key]

    def warm(self) -> None:
        """Lay out the title page here, for nothing but what stays loaded: WeasyPrint, the
        fonts, the parsed stylesheets. The workers forked for the next build inherit them
        instead of each loading them (some 0.5 s)."""
        edition = self.book.paged_by
        if edition is None:
            return
        from zinepress.typeset import Unit, render_html, render_print_html

        layouts = layouts_for(self.book)
        with contextlib.suppress(Exception):  # (the build said what is wrong with the book)
            render_html(self.book, render_print_html(self.doc, edition, self.epoch, layouts,
                                                     Unit(front=True)), layouts)

    def make_ahead(self, editions: list[Edition], jobs: int) -> dict[str, Made | Exception]:
        """Make `editions` several at once in a pool of `jobs` processes (WeasyPrint lays
        out on one core), each output by its own name; the same bytes as one at a time. An
        EPUB or a cover spread waits for the print edition whose pages it needs."""
        if jobs < 2 or len(editions) < 2:
            return {}
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        from zinepress.weasy import weasyprint

        weasyprint()  # imported once here, inherited by forked workers

        global _FORKED_DOC
        _FORKED_DOC = self.doc  # parsed once here, inherited by forked workers
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        paged_by = self.book.paged_by
        waiting = [e for e in editions if e.format in ("epub", "cover") and paged_by]
        made: dict[str, Made | Exception] = {}
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            # The longest first: a booklet typesets, imposes and draws its sheets.
            first = sorted((e for e in editions if e not in waiting),
                           key=lambda e: ("zine", "pdf").index(e.format)
                           if e.format in ("zine", "pdf") else 2)
            running = {pool.submit(_make_alone, self.book, e, self.epoch, {}, self.out_dir): e
                       for e in first}
            if waiting and not any(e.format == "pdf" and e.typeset_key()
                                   == paged_by.typeset_key() for e in running.values()):
                running[pool.submit(_make_alone, self.book, paged_by, self.epoch, {},
                                    self.out_dir)] = \
                    replace(paged_by, output="")  # its pages only, not an output of this build
            # An EPUB's cover picture needs no pages: drawn while they are laid out.
            drawing = pool.submit(_cover_alone, self.book, self.epoch) \
                if any(e.format == "epub" for e in waiting) else None
            while running or drawing is not None:
                done, _ = wait([*running, *([drawing] if drawing else [])],
                               return_when=FIRST_COMPLETED)
                if drawing in done:
                    self._cover = None if drawing.exception() else drawing.result()
                    drawing = None  # (failing, the EPUB draws it again and says why)
                for future in done & running.keys():
                    edition = running.pop(future)
                    try:
                        result, typeset = future.result()
                    except BrokenProcessPool:
                        continue  # a worker died (out of memory, say): made here in turn
                    except Exception as err:  # reported with its edition, in order
                        made[edition.output] = err
                        continue
                    if typeset is not None:
                        self._typeset.setdefault(edition.typeset_key(), typeset)
                    if edition.output:
                        made[edition.output] = result
                if waiting and drawing is None and paged_by.typeset_key() in self._typeset:
                    pages = {paged_by.typeset_key(): self._typeset[paged_by.typeset_key()]}
                    running.update({pool.submit(_make_alone, self.book, e, self.epoch, pages,
                                                self.out_dir, self._cover): e for e in waiting})
                    waiting = []
        return made

    def make(self, edition: Edition, made: Made | Exception | None = None) -> Made:
        """The output, what is written beside it, and what the user should hear (warnings
        about the manuscript with the first edition made from it). `made`: the output if a
        worker made it already (or how it failed)."""
        if isinstance(made, Exception):
            raise made
        made = made or self._make(edition)
        if self._doc is not None and not self._warned:
            self._warned = True
            made = made._replace(warnings=(*self._doc.warnings, *made.warnings))
        return made

    def _make(self, edition: Edition) -> Made:
        if edition.format == "pdf":
            result = self.typeset(edition)
            return Made(result.pdf, result.pages)
        if edition.format == "zine":
            from zinepress.impose import impose, instructions
            from zinepress.sheets import sheets_png

            source, notes = self._fitted(edition)
            data, plan, warnings = impose(
                source.pdf, edition.layout, edition.sheet, duplex=edition.duplex,
                creep_mm=edition.creep, marks=edition.marks, cover_last=edition.has_cover,
                signature_pages=edition.signature_pages)
            text = instructions(plan, edition.sheet, edition.duplex, edition.output)
            stem = edition.output.removesuffix(".pdf")
            picture = sheets_png(data, plan, edition.duplex, edition.output)
            return Made(data, len(plan.sides), ((f"{stem}-print.txt", text.encode()),
                                                (f"{stem}-sheets.png", picture)),
                        tuple(warnings), tuple(notes))
        if edition.format == "cover":
            from zinepress.spread import cover_spread, spine_width

            interior = self.book.paged_by
            if interior is None:
                raise ZineError(f"[editions.{edition.name}] a cover spread needs a PDF edition "
                                "of the book (its spine is as thick as that)")
            pages = self.typeset(interior).pages
            spine = spine_width(pages, edition)
            paper = (f"{edition.paper_ppi} pages per inch" if edition.paper_ppi
                     else f"{edition.paper_thickness} thick")
            return Made(cover_spread(self.doc, edition, pages, self.epoch), 1, notes=(
                f"spine {spine / 72 * 25.4:.1f} mm for the {pages} pages of "
                f"{interior.output} on paper {paper}",))
        if edition.format == "epub":
            from zinepress.package import make_epub

            paged_by = self.book.paged_by
            pages = self.typeset(paged_by).starts if paged_by else ()
            return Made(make_epub(self.doc, self.epoch, pages, paged_by, self._cover))
        from zinepress.web import make_html

        return Made(make_html(self.doc, self.epoch))

    def _fitted(self, edition: Edition) -> tuple[Typeset, list[str]]:
        """The typeset a booklet is imposed from, and what to say about its blank pages:
        how many, and, where type up to 5% smaller saves a sheet, which size does it
        (`fit = "sheets"` then uses it)."""
        from zinepress.impose import plan

        def padded(pages: int) -> int:
            return plan(pages, edition.layout, cover_last=edition.has_cover,
                        signature_pages=edition.signature_pages).padded

        result = self.typeset(edition)
        blanks = padded(result.pages) - result.pages
        if not blanks:
            return result, []
        where = "before the back cover" if edition.has_cover else "at the end"
        said = f"{blanks} blank page{'s' if blanks > 1 else ''} {where}"
        smaller = self._saving(edition, padded)
        if smaller is None:
            return result, [said]
        fitted, size = smaller
        change = f"font_size {size.font_size}" + (
            f", leading {size.leading}" if size.leading != edition.leading else "")
        if edition.fit == "sheets":
            return fitted, [f"fit = \"sheets\": {change} (was {edition.font_size}) sets the "
                            f"text on {fitted.pages} pages, one sheet fewer"]
        return result, [f"{said}; with {change} the text fits {fitted.pages} pages, one "
                        "sheet fewer (fit = \"sheets\" does it)"]

    def _saving(self, edition: Edition, padded: Callable[[int], int],
                ) -> tuple[Typeset, Edition] | None:
        """The largest type, at most 5% smaller, that needs fewer sheets; None if there is
        none. Tried only when the text runs a few pages into its last sheet, by halving."""
        pages = self.typeset(edition).pages
        fewer = max((n for n in range(1, pages) if padded(n) < padded(pages)), default=0)
        if not fewer or pages - fewer > max(2, pages // 16):
            return None  # 5% smaller type saves about 5% of the pages, not more
        def fits(scale: float) -> tuple[Typeset, Edition] | None:
            candidate = _scaled(edition, scale)
            result = self.typeset(candidate)
            return (result, candidate) if padded(result.pages) < padded(pages) else None

        best = fits(0.95)
        if best is None:
            return None  # not even 5% smaller type saves a sheet
        fitting, failing = 0.95, 1.0
        for _ in range(2):  # then as large as will do, to within about 1%
            scale = (fitting + failing) / 2
            found = fits(scale)
            if found is None:
                failing = scale
            else:
                best, fitting = found, scale
        return best


_FORKED_DOC = None  # the document a forked worker inherits from the builder


def _make_alone(book: Book, edition: Edition, epoch: int,
                typesets: dict[tuple[object, ...], Typeset],
                out_dir: Path, cover: bytes | None = None) -> tuple[Made, Typeset | None]:
    """One edition made in a worker process, from the document it inherited (or read
    anew) and the typesets given (and an EPUB's cover picture, if drawn); with its own
    typeset, if it is a PDF edition."""
    builder = _Builder(book, out_dir, epoch)
    builder._cover = cover
    if _FORKED_DOC is not None and _FORKED_DOC.book == book:
        builder._doc = _FORKED_DOC
    builder._warned = True  # the manuscript's warnings go with the build's first edition
    builder._typeset.update(typesets)
    start = time.perf_counter()
    made = builder.make(edition) if edition.output else Made(b"")
    made = made._replace(seconds=time.perf_counter() - start)
    typeset = builder.typeset(edition) if edition.format == "pdf" else None
    return made, typeset


def _cover_alone(book: Book, epoch: int) -> bytes:
    from zinepress.cover import cover_png

    return cover_png(book, book.cover_design, epoch)


def _scaled(edition: Edition, scale: float) -> Edition:
    """The edition with its type `scale` times the size (and a leading given as a length)."""
    from zinepress.book import _LENGTH, to_points

    def smaller(length: str) -> str:
        return f"{to_points(length) * scale:.1f}pt"

    leading = smaller(edition.leading) if _LENGTH.fullmatch(edition.leading) else edition.leading
    return replace(edition, font_size=smaller(edition.font_size), leading=leading)


class Made(NamedTuple):
    """One output: its bytes, pages (or sheet sides), files beside it, warnings, notes."""

    data: bytes
    pages: int = 0
    extras: tuple[tuple[str, bytes], ...] = ()  # (file name, content)
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0  # how long a worker took to make it, if one did


Report = Callable[[Result], None]


def describe(err: BaseException) -> str:
    """Any error as the one line a user reads: ours as written, others with their kind."""
    if isinstance(err, ZineError):
        return str(err)
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or err}"
    if isinstance(err, MemoryError):
        return "out of memory"
    first = str(err).splitlines()[0] if str(err) else ""
    return f"internal error ({type(err).__name__}{': ' + first if first else ''})"


def _never_clobber(target: Path, edition: Edition, sources: list[Path]) -> None:
    """An output may not replace anything the book is made from."""
    side = target.with_name(edition.output.removesuffix(".pdf") + "-print.txt")
    for path in (target, side) if edition.format == "zine" else (target,):
        for source in sources:
            if same_file(path, source):
                raise ZineError(f"{path}: would overwrite the book's own {source.name}; "
                                "choose another --out or output name")


def _quiet(_result: Result) -> None:
    pass


def build_book(book: Book, out_dir: Path, force: bool = False,
               report: Report = _quiet, jobs: int = 1, warm: bool = False) -> list[Result]:
    """Build every edition of `book` into `out_dir`; one edition's failure spares the others.

    `report` hears each result as soon as it is known, for progress output, in the order
    of the editions; `jobs` processes typeset at once; `warm`: another build of the book
    follows in this process (--watch), so keep what it needs loaded (`_Builder.warm`).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)
    epoch = source_epoch(book)
    manifest = _read_manifest(out_dir)
    builder = _Builder(book, out_dir, epoch, jobs)
    sources = input_files(book)
    inputs = inputs_digest(sources, epoch)
    stamps = {e.output: fingerprint(inputs, e, book.paged_by) for e in book.editions}

    def up_to_date(edition: Edition) -> bool:
        return (not force and manifest.get(edition.output) == stamps[edition.output]
                and (out_dir / edition.output).is_file())

    ahead: dict[str, Made | Exception] = {}
    # A pool that cannot start (or breaks) leaves each edition to be made in turn.
    with contextlib.suppress(Exception):
        ahead = builder.make_ahead([e for e in book.editions if not up_to_date(e)], jobs)
    results = []
    for edition in book.editions:
        target = out_dir / edition.output
        start = time.perf_counter()
        try:
            _never_clobber(target, edition, sources)
            stamp = stamps[edition.output]
            if up_to_date(edition):
                result = Result(book.slug, edition.name, str(target), "up to date",
                                size=target.stat().st_size)
            else:
                report(Result(book.slug, edition.name, str(target), "building"))
                made = builder.make(edition, ahead.get(edition.output))
                for name, extra in made.extras:
                    write_atomic(out_dir / name, extra)
                write_atomic(target, made.data)
                manifest[edition.output] = stamp
                write_atomic(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
                result = Result(book.slug, edition.name, str(target), "built", made.pages,
                                len(made.data), made.seconds or time.perf_counter() - start,
                                warnings=made.warnings, notes=made.notes)
        except Exception as err:  # one edition's failure, whatever it is, spares the others
            result = Result(book.slug, edition.name, str(target), "failed", error=describe(err))
        results.append(result)
        report(result)
    if warm:
        builder.warm()
    return results


def build_path(root: str, out_dir: str | None, only: set[str] | None,
               force: bool, report: Report = _quiet,
               max_manuscript_bytes: int = MAX_MANUSCRIPT_BYTES, jobs: int = 1,
               warm: bool = False) -> list[Result]:
    """Load and build one book directory; a broken book.toml becomes a failed result."""
    from zinepress.book import load_book, with_editions

    try:
        book = load_book(root, max_manuscript_bytes)
        if only:
            book = with_editions(book, None, only)
        target = Path(out_dir) if out_dir else Path("build")
        return build_book(book, target, force, report, jobs, warm)
    except Exception as err:
        result = Result(Path(root).name, "-", "-", "failed", error=describe(err))
        report(result)
        return [result]


def build_many(roots: list[str], out_dir: str | None, only: set[str] | None,
               force: bool = False, report: Report = _quiet,
               max_manuscript_bytes: int = MAX_MANUSCRIPT_BYTES,
               jobs: int | None = None, warm: bool = False) -> list[Result]:
    """Several books build in parallel processes, each into its own subfolder; one book's
    editions typeset in parallel. `jobs`: processes at once (default: the cores); `warm`:
    a one-book build is followed by another in this process (see `build_book`)."""
    jobs = jobs or os.cpu_count() or 1
    if len(roots) == 1:
        return build_path(roots[0], out_dir, only, force, report, max_manuscript_bytes, jobs,
                          warm)
    from concurrent.futures import ProcessPoolExecutor, as_completed

    base = Path(out_dir or "build")
    results = []
    with ProcessPoolExecutor(max_workers=min(len(roots), jobs)) as pool:
        futures = {pool.submit(build_path, root, str(base / Path(root).resolve().name), only,
                               force, _quiet, max_manuscript_bytes): root for root in roots}
        for future in as_completed(futures):
            try:
                done = future.result()
            except Exception as err:  # the worker itself died
                done = [Result(Path(futures[future]).name, "-", "-", "failed",
                               error=describe(err))]
            for result in done:
                report(result)
                results.append(result)
    return results


def watched_files(roots: list[str],
                  max_manuscript_bytes: int = MAX_MANUSCRIPT_BYTES) -> dict[Path, float]:
    """Every input of every book, with its modification time, for --watch."""
    from zinepress.book import load_book

    stamps = {}
    for root in roots:
        folder = Path(root)
        candidates = [folder / "book.toml"]
        try:
            book = load_book(root, max_manuscript_bytes)
            candidates = input_files(book)
        except Exception:
            candidates += sorted(folder.glob("*.md"))
        for path in candidates:
            try:
                stamps[path] = path.stat().st_mtime
            except OSError:
                continue
    return stamps


def expand_books(paths: list[str]) -> list[str]:
    """Book directories, or folders of them."""
    roots = []
    for path in paths:
        folder = Path(path)
        if (folder / "book.toml").is_file() or not folder.is_dir():
            roots.append(path)
            continue
        children = sorted(str(p.parent) for p in folder.glob("*/book.toml"))
        if not children:
            raise ZineError(f"{folder}: no book.toml here or in its subfolders")
        roots.extend(children)
    return roots
