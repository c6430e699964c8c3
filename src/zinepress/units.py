"""A book typeset in parts and put back together, so an edit re-typesets one chapter.

Each manuscript file (and the title page, the contents, a booklet's back cover) is laid out by
WeasyPrint on its own, in parallel, and kept in `.zinepress-cache/` under a hash of all
that shapes it. What a part's pages look like does not depend on where they fall in the
book: the text block is as wide on a left page as on a right one, so a part is laid out as
if it began on a right page; its running heads are laid out but not drawn, and it has no
folios. Putting the book together (merge.py) moves each page to its side, draws the heads
and folios over it from a small document of margin boxes per part, and joins the structure
trees, outlines and link targets. The contents is laid out after the chapters: it needs
every part's first page.

A book of one file, or an edition with bleed or crop marks (drawn at the page's edges,
where moving a page to its side would move them too), is typeset in one run instead.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from zinepress import __version__
from zinepress.book import Book, Edition, to_points
from zinepress.errors import ZineError
from zinepress.fsutil import write_atomic
from zinepress.model import Document
from zinepress.pagination import PageStart, page_starts
from zinepress.templating import Layouts, layouts_for

CACHE = ".zinepress-cache"
_FORKED: tuple[Book, Edition] | None = None  # what forked workers inherit
# A chapter is laid out as of this date, whatever the book's: nothing of a chapter shows a
# date but its fonts' stamps, so a new date (an edit anywhere) leaves the chapter's PDF as
# it was. The front matter and back cover (colophon, metadata) carry the book's date.
UNDATED = 0


@dataclass(frozen=True)
class Part:
    """One unit laid out: its PDF, and what the merge needs to know of its pages."""

    pdf: bytes
    heads: tuple[str | None, ...]  # per page, the running head laid out for it ("" for an
    # empty one; None where the page shows none, not even the book's title: a chapter's opening)
    starts: tuple[tuple[int, str, int, int], ...]  # (page index, section, block, before)
    openings: tuple[tuple[str, int], ...] = ()  # (section, the page index it opens on)

    @property
    def pages(self) -> int:
        return len(self.heads)


def folder_name(edition: Edition) -> str:
    """The cache's folder for an edition's parts: one per way of setting the text."""
    return "parts-" + hashlib.sha256(repr(edition.typeset_key()).encode()).hexdigest()[:16]


def splits(book: Book, edition: Edition) -> bool:
    """Is this edition typeset in parts? Several files, nothing drawn at the page edge, and
    a print template that knows parts (a book's own `book.html.j2` written before them would
    set the whole book in each). Known before the manuscript is read, so the workers can
    start while it is."""
    return (len(set(book.manuscript)) >= 2 and not edition.bleed and not edition.crop_marks
            and "unit" in layouts_for(book).read("book.html.j2"))


def typeset_parts(doc: Document, edition: Edition, epoch: int, cache: Path | None,
                  jobs: int = 1, salt: str = "", workers: Workers | None = None):
    """The edition's Typeset, made from parts (from the cache where nothing changed).
    `salt`: zinepress's own code, so a fix to it makes every part anew; `workers`: started
    already (else `jobs` of them now)."""
    if workers is not None:
        return _assembled(doc, edition, epoch, cache, salt, workers)
    with Workers(doc.book, edition, jobs) as started:
        return _assembled(doc, edition, epoch, cache, salt, started)


def _assembled(doc: Document, edition: Edition, epoch: int, cache: Path | None, salt: str,
               workers: Workers):
    from zinepress.merge import merge
    from zinepress.typeset import Typeset, Unit, render_print_html

    layouts = layouts_for(doc.book)
    shared = _shared_key(doc, edition, layouts, salt)
    folder = cache / folder_name(edition) if cache else None
    used: set[str] = set()

    def html(unit: Unit) -> str:
        dated = unit.front or unit.back  # (the title page's colophon, the back cover's)
        return render_print_html(doc, edition, epoch if dated else UNDATED, layouts, unit)

    files: list[tuple[Path | None, list[str]]] = []
    for index, section in enumerate(doc.sections):
        if not index or section.source != doc.sections[index - 1].source:
            files.append((section.source, []))
        files[-1][1].append(section.id)
    # Each file's HTML once, its notes numbered on from the files before (as they are in
    # whatever part it falls): a part of one file is that HTML as it is.
    notes, alone = 0, {}
    for _path, ids in files:
        unit = Unit(sections=frozenset(ids), notes_before=notes)
        alone[ids[0]] = (unit, html(unit))
        notes += alone[ids[0]][1].count('<span class="footnote"')
    groups = _grouped(files, [len(alone[ids[0]][1]) for _path, ids in files])
    chapters: list[str] = []
    for ids in groups:
        unit, source = alone[ids[0]]
        if unit.sections != frozenset(ids):  # a run of small files
            unit = Unit(sections=frozenset(ids), notes_before=unit.notes_before)
            source = html(unit)
        chapters.append(_with_elsewhere(source, unit, html))
    # What depends on nothing else is laid out at once: the chapters, the title page, the
    # back cover, and (the first time) the contents with numbers as wide as any.
    title_source = html(Unit(front=True))
    backs = [html(Unit(back=True))] if edition.has_cover else []
    contents = Contents(doc, groups, html, folder)
    probe = contents.probe()
    first = [*((c, UNDATED, True) for c in chapters), (title_source, epoch, True),
             *((b, epoch, True) for b in backs), *([(probe, UNDATED, True)] if probe else [])]
    made = _parts(first, shared, folder, used, workers)
    parts, title = made[:len(chapters)], made[len(chapters)]
    back_parts = made[len(chapters) + 1:len(chapters) + 1 + len(backs)]
    guess = contents.guess if probe is None else made[-1].pages
    # Then the numbered contents, and the heads and folios, which need only its length.
    for _attempt in range(3):
        final = contents.source(parts, title.pages + guess) if guess else None
        pages = [(title.pages, None), *([(guess, None)] if final else []),
                 *((part.pages, part.heads) for part in parts),
                 *((part.pages, None) for part in back_parts)]
        furniture_sources, dress, shifts = _furniture(doc, edition, layouts, pages)
        made = _parts([*([(final, UNDATED, True)] if final else []),
                       *((f, UNDATED, False) for f in furniture_sources)],
                      shared, folder, used, workers)
        if not final or made[0].pages == guess:
            break
        guess = made[0].pages
    else:
        raise ZineError("the contents page changes length with its own numbers")
    contents_parts = made[:1] if final else []
    furniture = [part.pdf for part in made[len(contents_parts):]]
    contents.remember(guess, used)
    ordered = [title, *contents_parts, *parts, *back_parts]
    contents_source = [final] if final else []
    sources = [title_source, *contents_source, *chapters, *backs]
    data = merge([p.pdf for p in ordered], [_elsewhere(source) for source in sources],
                 shifts, furniture, dress)
    starts = []
    number = 0
    for part in ordered:
        starts += [PageStart(str(number + index + 1), section, block, before)
                   for index, section, block, before in part.starts]
        number += part.pages
    if folder is not None:
        for stale in folder.glob("*"):
            if stale.stem not in used:
                stale.unlink(missing_ok=True)
    return Typeset(data, number, tuple(starts))


SMALL = 10_000  # print HTML of a file this short (three pages or so) shares its part with others
RUN = 6  # ...about this many small files a part
FURNITURE = 60  # pages of running heads and folios a document (a document's own cost, some
# 80 ms, paid once for them, not once a part; several documents laid out at once)


def _grouped(files: list[tuple[Path | None, list[str]]], sizes: list[int]) -> list[list[str]]:
    """Files' sections as parts: a file of its own, or a run of small files (a book of a
    poem a file would otherwise pay a part's overhead, some 80 ms, a page). Where a run ends
    is decided by each file's name, not by sizes or positions, so an edit or a new file
    moves no boundary but its own."""
    groups: list[list[str]] = []
    small_before = False
    for (path, ids), size in zip(files, sizes, strict=True):
        small = size < SMALL
        if not (small and small_before):
            groups.append([])
        groups[-1].extend(ids)
        name = path.name if path is not None else ""
        ends = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % RUN == 0
        small_before = small and not ends
    return groups


class Contents:
    """The contents page(s): as long as last time (a hint in the cache), or as long as with
    numbers as wide as any first page's; none where the book has fewer than two headings."""

    def __init__(self, doc: Document, groups: list[list[str]], html, folder: Path | None):
        self.ids = [section.id for section in doc.sections if section.title]
        self.groups, self.html = groups, html
        self.hint = folder / "contents-pages" if folder else None
        self.guess = (_read_int(self.hint) or 0) if len(self.ids) >= 2 else 0

    def _source(self, pages: dict[str, str]) -> str:
        from zinepress.typeset import Unit

        unit = Unit(contents=True, pages=pages)
        return _with_elsewhere(self.html(unit), unit, self.html)

    def probe(self) -> str | None:
        """The contents to lay out to learn its length, where that is not known."""
        if len(self.ids) < 2 or self.guess:
            return None
        return self._source(dict.fromkeys(self.ids, "888"))

    def source(self, parts: list[Part], front: int) -> str:
        """Numbered, the text starting after `front` pages."""
        first = _first_pages(self.groups, parts, front)
        return self._source({i: str(first[i]) for i in self.ids})

    def remember(self, pages: int, used: set[str]) -> None:
        if self.hint is not None and pages:
            used.add(self.hint.stem)
            write_atomic(self.hint, str(pages))


def _with_elsewhere(source: str, unit, html) -> str:
    """The unit's HTML with an anchor for each link target other parts hold, so WeasyPrint
    keeps those links (the merge points them at the real targets)."""
    held = set(re.findall(r'\bid="([^"]+)"', source))
    wanted = sorted(set(re.findall(r'\bhref="#([^"]+)"', source)) - held)
    if not wanted:
        return source
    from dataclasses import replace

    return html(replace(unit, elsewhere=tuple(wanted)))


def _read_int(path: Path | None) -> int | None:
    try:
        return int(path.read_text(encoding="ascii")) if path else None
    except (OSError, ValueError):
        return None


def _elsewhere(source: str) -> set[str]:
    """The anchors a part holds only to keep its links to other parts."""
    match = re.search(r'<div class="elsewhere">(.*?)</div>', source, re.S)
    return set(re.findall(r'id="([^"]+)"', match.group(1))) if match else set()


def _first_pages(groups: list[list[str]], parts: list[Part], front: int) -> dict[str, int]:
    """The page each titled section starts on, as the contents gives it."""
    first: dict[str, int] = {}
    number = front
    for ids, part in zip(groups, parts, strict=True):
        opens = dict(part.openings)
        for section in ids:
            first[section] = number + opens.get(section, 0) + 1
        number += part.pages
    return first


def _shared_key(doc: Document, edition: Edition, layouts: Layouts, salt: str) -> str:
    """All that shapes every part besides its own HTML: the layouts, fonts, the engine and
    zinepress itself, the edition, the book's pictures."""
    from importlib.metadata import version

    from zinepress.typeset import font_faces

    digest = hashlib.sha256()
    for item in (__version__, version("weasyprint"), salt, repr(edition.typeset_key()),
                 edition.pdf_variant, doc.book.slug):
        digest.update(item.encode() + b"\0")
    for path in [*layouts.files(), *(doc.book.root / src for src in sorted(doc.pictures))]:
        digest.update(str(path).encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for face in font_faces():  # installed with zinepress: their size and date will do
        stat = face.path.stat()
        digest.update(f"{face.path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _parts(sources: list[tuple[str, int, bool]], shared: str, folder: Path | None,
           used: set[str], workers: Workers) -> list[Part]:
    """Each (source, epoch, tagged) laid out as of `epoch`, from the cache where it was
    before, the rest by `workers`. `tagged`: a part of the text; else margin
    boxes only."""
    keys = [hashlib.sha256(f"{shared}{epoch}\0{tagged}\0{source}".encode()).hexdigest()[:32]
            for source, epoch, tagged in sources]
    used.update(keys)
    found: dict[str, Part] = {}
    for key in keys:
        part = _cached(folder, key) if folder else None
        if part is not None:
            found[key] = part
    todo = {key: job for key, job in zip(keys, sources, strict=True) if key not in found}
    made = workers.lay_out(list(todo.values()))
    for key, part in zip(todo, made, strict=True):
        found[key] = part
        if folder is not None:
            _store(folder, key, part)
    return [found[key] for key in keys]


def _cached(folder: Path, key: str) -> Part | None:
    try:
        meta = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        pdf = (folder / f"{key}.pdf").read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(pdf).hexdigest() != meta.get("sha256"):
        return None  # a torn or tampered cache entry is made again
    return Part(pdf, tuple(meta["heads"]), tuple(tuple(s) for s in meta["starts"]),
                tuple(tuple(o) for o in meta["openings"]))


def _store(folder: Path, key: str, part: Part) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{key}.pdf", part.pdf)
    write_atomic(folder / f"{key}.json", json.dumps(
        {"sha256": hashlib.sha256(part.pdf).hexdigest(), "heads": part.heads,
         "starts": part.starts, "openings": part.openings}))


class Workers:
    """The processes laying out one edition's parts: forked first thing, to load WeasyPrint
    (some 0.4 s) while this process makes the parts' HTML and reads the cache (this one
    never loads it), and kept from the chapters to the contents and furniture, since a
    worker's first document costs some 170 ms more than its next (fonts, hyphenation
    patterns, parsed sheets)."""

    def __init__(self, book: Book, edition: Edition, jobs: int) -> None:
        global _FORKED
        _FORKED = (book, edition)  # laid out here, or by forked workers that inherit it
        self.jobs = jobs
        self._pool = None
        if jobs >= 2:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from zinepress.weasy import weasyprint

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                             initializer=weasyprint)
            self._pool.submit(int)  # forks them all (they fork on the first task)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def lay_out(self, sources: list[tuple[str, int, bool]]) -> list[Part]:
        if self._pool is None:
            return [_lay_out_one(source) for source in sources]
        # The longest first, so no one part keeps the others waiting at the end.
        order = sorted(range(len(sources)), key=lambda i: -len(sources[i][0]))
        made = dict(zip(order, self._pool.map(_lay_out_one, [sources[i] for i in order]),
                        strict=True))
        return [made[i] for i in range(len(sources))]


def _lay_out_one(job: tuple[str, int, bool]) -> Part:
    from zinepress.typeset import fonts_dated, render_html

    assert _FORKED is not None
    book, edition = _FORKED
    source, epoch, tagged = job
    out = io.BytesIO()
    with fonts_dated(epoch):
        document = render_html(book, source, layouts_for(book))
        if not tagged:  # margin boxes, drawn over the text's pages as artifacts
            document.write_pdf(out)
            return Part(out.getvalue(), ("",) * len(document.pages), ())
        document.write_pdf(out, pdf_variant=edition.pdf_variant, pdf_tags=True,
                           pdf_identifier=book.slug.encode())
    heads = tuple(_head(page, index) for index, page in enumerate(document.pages))
    starts = tuple((int(s.label) - 1, s.section, s.block, s.before)
                   for s in page_starts(document))
    openings: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for box in _boxes(page._page_box):
            if box.element_tag == "section" and box.element is not None \
                    and box.element.get("id"):
                openings.setdefault(box.element.get("id"), index)
    return Part(out.getvalue(), heads, starts, tuple(openings.items()))


def _boxes(box):
    if type(box).__name__ == "BlockBox":
        yield box
    for child in getattr(box, "children", None) or ():
        if type(child).__name__ in ("BlockBox", "PageBox"):
            yield from _boxes(child)


def _head(page, index: int) -> str | None:
    """The running head laid out (not drawn) for a page: laid out as a right page first.
    None where the page has no head box at all (print.css leaves a chapter's opening bare)."""
    where = "@top-right" if index % 2 == 0 else "@top-left"
    for box in page._page_box.children:
        if type(box).__name__ == "MarginBox" and box.at_keyword == where:
            return "".join(_texts(box))
    return None


def _texts(box):
    text = getattr(box, "text", None)
    if text:
        yield text
    for child in getattr(box, "children", None) or ():
        yield from _texts(child)


def _furniture(doc: Document, edition: Edition, layouts: Layouts,
               pages: list[tuple[int, tuple[str | None, ...] | None]],
               ) -> tuple[list[str], list[tuple[int, int] | None], list[float]]:
    """For each part's (page count, running heads, or None where it has none: front matter,
    covers): the sources of its margin boxes (documents of `FURNITURE` pages or more, as
    many as there are jobs); for each page of the book, its (document, page) or None; how
    far to move each page to its side."""
    from zinepress.typeset import font_faces

    inner, outer = to_points(edition.margin_inner), to_points(edition.margin_outer)
    chunks: list[tuple[int, list[str | None]]] = []  # (first page number, each page's head)
    dress: list[tuple[int, int] | None] = []
    shifts: list[float] = []
    number = 0
    for count, heads in pages:
        if heads is not None and (not chunks or len(chunks[-1][1]) >= FURNITURE):
            chunks.append((number + 1, []))
        for page in range(count):
            number += 1
            laid_right, is_right = page % 2 == 0, number % 2 == 1
            # A right page's text starts at the inner margin, a left page's at the outer.
            shifts.append(0.0 if laid_right == is_right else
                          (outer - inner) if laid_right else (inner - outer))
            if heads is None:
                dress.append(None)
                continue
            dress.append((len(chunks) - 1, len(chunks[-1][1])))
            chunks[-1][1].append(heads[page])
    sources = [layouts.render(
        "furniture.html.j2", book=doc.book, edition=edition, fonts=font_faces(),
        print_css=layouts.find("print.css").as_uri(), first=first, heads=heads,
        content_height="0pt", cover_color="") for first, heads in chunks]
    return sources, dress, shifts
