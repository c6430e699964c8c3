"""A book of several files typeset in parts (units.py, merge.py): the same pages as one run,
one tagged PDF with working contents links and outline, byte-identical however it was
made, and an edit lays out again only the part it touched."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, run_build

from zinepress.book import load_book
from zinepress.model import read_document
from zinepress.typeset import fonts_dated, render, typeset

EPOCH = 1396656000
BOOK = ROOT / "tests/books/chickens"


def _layout_text(pdf: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout.split("\f")


@pytest.mark.parametrize("edition_name", ["digest", "pocket"])
def test_parts_set_the_pages_one_run_sets(tmp_path: Path, edition_name: str) -> None:
    """Every page, its running head and its folio, as one WeasyPrint run sets them."""
    book = load_book(BOOK)
    edition = next(e for e in book.editions if e.name == edition_name)
    doc = read_document(book)
    parts = typeset(doc, edition, EPOCH, tmp_path / "cache", jobs=2)
    with fonts_dated(EPOCH):
        whole = io.BytesIO()
        render(doc, edition, EPOCH).write_pdf(whole)
    assert (_layout_text(parts.pdf, tmp_path, "parts.pdf")
            == _layout_text(whole.getvalue(), tmp_path, "whole.pdf"))
    assert parts.pages == len(pikepdf.open(io.BytesIO(whole.getvalue())).pages)


def _outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """(depth, title, page number) of every bookmark, in order."""
    pages = {page.obj.objgen: number + 1 for number, page in enumerate(pdf.pages)}
    found = []

    def walk(items, depth: int) -> None:
        for item in items:
            target = item.destination
            found.append((depth, item.title, pages[target[0].objgen]))
            walk(item.children, depth + 1)

    with pdf.open_outline() as outline:
        walk(outline.root, 0)
    return found


def _links(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    """(page number, target page number) of every internal link."""
    pages = {page.obj.objgen: number + 1 for number, page in enumerate(pdf.pages)}
    names = pdf.Root.Names.Dests.Names
    targets = {str(names[i]): pages[names[i + 1][0].objgen] for i in range(0, len(names), 2)}
    return [(number + 1, targets[str(link.Dest)]) for number, page in enumerate(pdf.pages)
            for link in page.obj.get("/Annots", ()) if "/Dest" in link]


def test_one_tagged_pdf_with_the_links_and_outline_of_one_run(tmp_path: Path) -> None:
    book = load_book(BOOK)
    edition = next(e for e in book.editions if e.name == "digest")
    doc = read_document(book)
    parts = pikepdf.open(io.BytesIO(typeset(doc, edition, EPOCH, tmp_path / "cache").pdf))
    with fonts_dated(EPOCH):
        whole = io.BytesIO()
        render(doc, edition, EPOCH).write_pdf(whole, pdf_tags=True)
    one = pikepdf.open(whole)
    assert _outline(parts) == _outline(one) and len(_outline(one)) >= 5
    links = _links(parts)
    assert links == _links(one) and len([link for link in links if link[0] == 3]) >= 4
    # One structure tree: every page's marked content reachable through the parent tree.
    tree = parts.Root.StructTreeRoot
    nums = tree.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert len(set(keys)) == len(keys)
    for page in parts.pages:
        if "/StructParents" in page.obj:
            assert int(page.obj.StructParents) in keys
        for link in page.obj.get("/Annots", ()):
            assert int(link.StructParent) in keys


def test_an_edit_lays_out_only_its_part_and_gives_the_same_bytes(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    out, fresh, alone = tmp_path / "out", tmp_path / "fresh", tmp_path / "alone"
    assert run_build(book, out, "--only", "pdf").returncode == 0
    cache = out / ".zinepress-cache"
    before = {p.name for p in cache.rglob("*.pdf")}
    chapter = book / "chapter-2.md"
    chapter.write_text(chapter.read_text().replace("bulky and well-meaning", "bulky, well-meant",
                                                   1))
    assert run_build(book, out, "--only", "pdf").returncode == 0
    after = {p.name for p in cache.rglob("*.pdf")}
    # The edited chapter, in each of the three PDF editions: nothing else laid out anew.
    assert len(after - before) == 3, after - before
    assert run_build(book, fresh, "--only", "pdf").returncode == 0
    assert run_build(book, alone, "--only", "pdf", "--jobs", "1").returncode == 0
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes() == (fresh / pdf.name).read_bytes() == (
            alone / pdf.name).read_bytes(), pdf.name


def test_small_files_share_parts_whose_ends_no_edit_moves() -> None:
    """A poem a file: runs of small files make one part each; a big file is a part of its
    own; an edit (a size) or a new file changes no part but its own."""
    from zinepress.units import SMALL, _grouped

    names = [f"poem-{n:03d}.md" for n in range(60)]
    sizes = [SMALL // 4] * 60
    sizes[30] = SMALL * 3  # a long chapter among the poems

    def parts(names: list[str], sizes: list[int]) -> list[tuple[str, ...]]:
        files = [(Path(name), [name]) for name in names]
        return [tuple(group) for group in _grouped(files, sizes)]

    before = parts(names, sizes)
    assert ("poem-030.md",) in before and 8 <= len(before) <= 30
    assert sorted(name for group in before for name in group) == names
    edited = list(sizes)
    edited[12] = SMALL // 2  # longer, still small
    assert parts(names, edited) == before
    grown = [*names[:40], "poem-040a.md", *names[40:]]
    after = parts(grown, [*sizes[:40], SMALL // 4, *sizes[40:]])
    assert len(set(before) ^ set(after)) <= 3  # the part it joined (or split), no other


def test_a_book_layout_without_a_title_heading_still_has_its_outline(tmp_path: Path) -> None:
    """A book's own `book.html.j2` may set its title as a paragraph: no bookmark to hang the
    chapters under, so they stand at the outline's top."""
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    (book / "layouts").mkdir()
    template = (ROOT / "layouts/book.html.j2").read_text()
    (book / "layouts/book.html.j2").write_text(template.replace(
        '<h1 class="book-title">{{ book.title }}</h1>',
        '<p class="book-title">{{ book.title }}</p>'))
    assert run_build(book, tmp_path / "out", "--only", "pdf").returncode == 0
    with pikepdf.open(tmp_path / "out/love-among-the-chickens.pdf") as pdf, \
            pdf.open_outline() as outline:
        assert [item.title for item in outline.root][:3] == ["Contents", "Dedication", "I"]


def test_a_book_template_that_knows_no_parts_is_set_in_one_run(tmp_path: Path) -> None:
    """A book's own `book.html.j2` from before parts ignores `unit`: typeset in parts, every
    part would open with its title page. It is typeset in one run: one title page."""
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    (book / "layouts").mkdir()
    (book / "layouts/book.html.j2").write_text(
        '<!DOCTYPE html><html lang="{{ book.language }}"><head><meta charset="utf-8">'
        '<title>{{ book.title }}</title><link rel="stylesheet" href="{{ print_css }}"></head>'
        '<body><p class="made-by">Printed by hand.</p>{% for section in sections %}'
        '<section class="chapter" id="{{ section.id }}">'
        '<h2>{{ section.heading_html }}</h2>{{ section.html }}</section>{% endfor %}'
        '</body></html>')
    assert run_build(book, tmp_path / "out", "--only", "pdf").returncode == 0
    printed = subprocess.run(["pdftotext", str(tmp_path / "out/love-among-the-chickens.pdf"),
                              "-"], capture_output=True, text=True, check=True).stdout
    assert printed.count("Printed by hand.") == 1


def test_a_chapter_opening_page_has_no_running_head(tmp_path: Path) -> None:
    """Each file opens a page with its heading and no running head over it, left page or
    right (its folio stays); the page after it has its head."""
    book = load_book(BOOK)
    edition = next(e for e in book.editions if e.name == "digest")
    doc = read_document(book)
    pages = [[line.strip() for line in page.splitlines() if line.strip()] for page in
             _layout_text(typeset(doc, edition, EPOCH, tmp_path / "cache", jobs=2).pdf,
                          tmp_path, "parts.pdf")]
    body = next(i for i, lines in enumerate(pages) if lines and lines[0] == "Contents") + 1
    for label in ("Dedication", "I", "II", "A Note on This Test Book"):
        index = next(i for i in range(body, len(pages)) if label in pages[i])
        assert pages[index][0] == label and pages[index].count(label) == 1, pages[index][:3]
        assert pages[index][-1] == str(index + 1)
        if index + 1 < len(pages) and pages[index + 1]:
            assert pages[index + 1][0] in (book.title, label), pages[index + 1][:2]


WATCHED = """
import sys
from zinepress import stylesheets
from zinepress.build import build_path
results = build_path(sys.argv[1], sys.argv[2], {"pdf"}, False, jobs=2, warm=sys.argv[3] == "1")
assert all(r.status == "built" for r in results), results
print(len(stylesheets._shared.sheets) if stylesheets._shared else 0)
"""


@pytest.mark.parametrize("warm", [False, True])
def test_a_watched_build_keeps_what_the_next_one_needs_loaded(tmp_path: Path,
                                                              warm: bool) -> None:
    """Its editions and their parts are laid out by forked workers: this process lays out
    nothing, unless another build follows (--watch), whose workers then inherit WeasyPrint,
    the fonts and the parsed stylesheets instead of loading them each."""
    import sys

    out = subprocess.run([sys.executable, "-c", WATCHED, str(BOOK), str(tmp_path / "out"),
                          str(int(warm))], capture_output=True, text=True, check=True,
                         env={"SOURCE_DATE_EPOCH": str(EPOCH), "PATH": "/usr/bin:/bin"})
    assert (int(out.stdout) >= 2) == warm  # the page's own style and print.css
