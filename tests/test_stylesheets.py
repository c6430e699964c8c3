"""Stylesheets parsed once a process (stylesheets.py): the same PDF as WeasyPrint's own
reading of the document, an edited sheet read anew, and nothing read outside the book."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from weasyprint import HTML

from zinepress import stylesheets
from zinepress.typeset import _fetcher_class, font_faces

FACES = "".join(
    f'@font-face {{ font-family: "Book Serif"; src: url("{face.path.as_uri()}"); '
    f"font-weight: {face.weight}; font-style: {face.style}; }}\n" for face in font_faces())
# Rules that fight: the later sheet wins ties, a stronger selector wins over a later one,
# an inline style over every sheet, page rules from three sheets at once.
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>
<style>{FACES}@page {{ size: 300pt 400pt; margin: 30pt;
  @bottom-center {{ content: counter(page) }} }}
:root {{ font-family: "Book Serif"; font-size: 11pt }}
p {{ color: red }} p.x {{ color: teal }}</style>
<link rel="stylesheet" href="look.css">
<style>p {{ color: green }} @page :first {{ margin-top: 80pt }}</style>
</head><body><h1>Title <em>here</em></h1>
<p>One, <b>bold</b> and <i>italic</i>.</p><p class="x">Two.</p><p style="color: navy">Three.</p>
<p class="big">Four.</p></body></html>"""
LOOK = "p { color: blue; hyphens: auto } .big { font-size: 20pt } @page :left { margin: 10pt }"


def _roots(folder: Path) -> tuple[Path, ...]:
    return (folder, *(face.path.parent for face in font_faces()[:1]))


def _ours(source: str, folder: Path):
    roots = _roots(folder)
    return stylesheets.render(source, folder.as_uri() + "/", _fetcher_class()(roots), roots)


def _theirs(source: str, folder: Path):
    return HTML(string=source, base_url=folder.as_uri() + "/",
                url_fetcher=_fetcher_class()(_roots(folder))).render()


def _pdf(document) -> bytes:
    out = io.BytesIO()
    document.write_pdf(out, pdf_identifier=b"t", pdf_tags=True)
    return out.getvalue()


def _parse(source: str):
    return HTML(string=source).etree_element


def test_handed_over_sheets_set_what_the_document_sets(tmp_path: Path) -> None:
    (tmp_path / "look.css").write_text(LOOK, encoding="utf-8")
    assert stylesheets._own_sheets(_parse(PAGE), tmp_path.as_uri() + "/",
                                   _fetcher_class()(_roots(tmp_path))) is not None
    theirs = _pdf(_theirs(PAGE, tmp_path))
    assert _pdf(_ours(PAGE, tmp_path)) == theirs
    assert _pdf(_ours(PAGE, tmp_path)) == theirs  # and again, from the parsed sheets
    assert _pdf(_ours(PAGE.replace("Three", "Five"), tmp_path)) != theirs


def test_an_edited_sheet_is_read_anew(tmp_path: Path) -> None:
    css = tmp_path / "look.css"
    css.write_text("@page { size: 300pt 400pt }", encoding="utf-8")
    source = PAGE.replace("@page {", "@page x {")
    assert _ours(source, tmp_path).pages[0].width == pytest.approx(400)  # CSS px
    css.write_text("@page { size: 150pt 400pt }", encoding="utf-8")
    assert _ours(source, tmp_path).pages[0].width == pytest.approx(200)


@pytest.mark.parametrize("change", [
    ('<p style="color: navy">', '<p style="color: navy !important">'),
    ('<style>p {', '<style media="screen">p {'),
    ('href="look.css">', 'href="look.css" media="print">'),
    ("<style>p {", '<style>@import url("look.css"); p {'),
    ("</body>", "<style>p { color: black }</style></body>"),
    ('href="look.css"', 'href="../outside.css"'),
])
def test_what_could_cascade_otherwise_is_left_to_weasyprint(tmp_path: Path,
                                                             change: tuple[str, str]) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "look.css").write_text(LOOK, encoding="utf-8")
    (tmp_path / "outside.css").write_text("@page { size: 100pt 100pt }", encoding="utf-8")
    source = PAGE.replace(*change)
    assert source != PAGE
    assert stylesheets._own_sheets(_parse(source), book.as_uri() + "/",
                                   _fetcher_class()(_roots(book))) is None
    document = _ours(source, book)
    assert _pdf(document) == _pdf(_theirs(source, book))
    assert document.pages[0].width == pytest.approx(400)  # the outside sheet is not read
