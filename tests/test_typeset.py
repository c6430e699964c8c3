"""Typeset: the print PDF checked as a typographer would, from the layout and the file."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pypdf
import pytest
from conftest import HEADINGS, ROOT, SLUG, run_build
from pdftools import text, words

from zinepress.book import load_book, to_points
from zinepress.model import read_document
from zinepress.typeset import render


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child)


def _layout(book_dir: Path, edition_name: str):
    book = load_book(book_dir)
    edition = next(e for e in book.editions if e.name == edition_name)
    return render(read_document(book), edition, 1396656000), edition


BOOKS = [(ROOT / "book", "digest"), (ROOT / "tests/books/chickens", "pocket"),
         (ROOT / "tests/books/chickens", "digest"),
         (ROOT / "tests/a11y/books/whitman-inscriptions", "digest")]
HEADS = ("h2", "h3", "h4", "h5", "h6")


@pytest.mark.parametrize(("book_dir", "edition"), BOOKS, ids=["seed-digest", "chickens-pocket",
                                                               "chickens-digest", "poems-digest"])
def test_no_widows_orphans_or_stranded_headings(book_dir: Path, edition: str) -> None:
    document, _ = _layout(book_dir, edition)
    lines: dict[int, list[int]] = defaultdict(list)  # paragraph -> lines on each page
    stanzas: dict[int, list[int]] = defaultdict(list)  # stanza -> verse lines on each page
    total: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        blocks = [b for b in _walk(page._page_box) if type(b).__name__ == "BlockBox"]
        for box in blocks:
            if box.element_tag == "p" and box.element.get("class") not in ("stanza",):
                count = sum(1 for c in box.children if type(c).__name__ == "LineBox")
                if count:
                    lines[id(box.element)].append(count)
        body_lines = [b for b in _walk(page._page_box) if type(b).__name__ == "LineBox"
                      and b.element_tag in ("p", "li", "span", *HEADS)]
        if body_lines and body_lines[-1].element_tag in HEADS:
            pytest.fail(f"page {number + 1} ends with a heading")
        for box in blocks:  # a stanza's verse lines on this page
            if box.element_tag == "p" and box.element.get("class") == "stanza":
                count = sum(1 for c in box.children if type(c).__name__ == "BlockBox")
                stanzas[id(box.element)].append(count)
                total[id(box.element)] = len(box.element.findall("span"))
    for pieces in lines.values():
        if len(pieces) > 1:
            assert pieces[0] >= 2 and pieces[-1] >= 2, pieces
    for key, pieces in stanzas.items():  # long stanzas break, never leaving one line alone
        assert len(pieces) == 1 or (total[key] > 8 and min(pieces) >= 2), pieces


def test_page_sizes_per_edition(chickens_build: Path) -> None:
    sizes = {"love-among-the-chickens.pdf": (396, 612),
             "love-among-the-chickens-pocket.pdf": (306, 396),
             "love-among-the-chickens-a5.pdf": (420, 595)}
    for name, size in sizes.items():
        for page in pypdf.PdfReader(chickens_build / name).pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size


@pytest.mark.parametrize(("name", "edition"), [(f"{SLUG}.pdf", "digest")])
def test_words_inside_the_text_area(seed_build: Path, name: str, edition: str) -> None:
    book = load_book(ROOT / "book")
    ed = next(e for e in book.editions if e.name == edition)
    width, height = to_points(ed.page_width), to_points(ed.page_height)
    inner, outer = to_points(ed.margin_inner), to_points(ed.margin_outer)
    for word in words(seed_build / name):
        left, right = (inner, outer) if word.page % 2 else (outer, inner)  # page 1 is recto
        assert left - 1 <= word.x0 and word.x1 <= width - right + 1, word
        assert word.y0 >= 0.25 * 72 and word.y1 <= height - 0.25 * 72, word


def test_running_heads_and_folios(seed_build: Path) -> None:
    pdf = seed_build / f"{SLUG}.pdf"
    pages = text(pdf).split("\f")
    assert "Ain’t No PC Gonna Fix It, Baby" in pages[0]
    body_start = next(i for i, p in enumerate(pages) if HEADINGS[0] in p and "Contents" not in p
                      and "CONTENTS" not in p)
    for index in range(body_start + 1, len(pages) - 1):
        head = next(line.strip() for line in pages[index].splitlines() if line.strip())
        if (index + 1) % 2 == 0:
            assert head == "Ain’t No PC Gonna Fix It, Baby", (index, head)
        else:
            assert head in HEADINGS, (index, head)
        last = [line.strip() for line in pages[index].splitlines() if line.strip()][-1]
        assert last == str(index + 1)
    first_page = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert not first_page[-1].isdigit()


def test_metadata_outline_and_tags(seed_build: Path) -> None:
    reader = pypdf.PdfReader(seed_build / f"{SLUG}.pdf")
    meta = reader.metadata
    assert meta.title == "Ain’t No PC Gonna Fix It, Baby: A Critique of Ally Politics"
    assert meta.author == "CrimethInc., Anonymous"
    assert meta.subject and "ally politics" in meta.get("/Keywords", "")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid:part" in root["/Metadata"].get_data() or b"pdfuaid" in root[
        "/Metadata"].get_data()
    def titles(items):
        for item in items:
            yield from (titles(item) if isinstance(item, list) else [item.title])

    flat = " | ".join(titles(reader.outline)).replace("\u00a0", " ")
    for heading in HEADINGS:
        assert heading in flat


def test_footnotes_sit_at_the_foot_of_their_page(chickens_build: Path) -> None:
    pdf = chickens_build / "love-among-the-chickens.pdf"
    found = [w for w in words(pdf) if w.text == "footnote,"]
    assert found
    call_page = found[0].page
    note = [w for w in words(pdf) if w.text == "A" and w.page == call_page]
    page_words = [w for w in words(pdf) if w.page == call_page and not w.text.isdigit()]
    lowest_body = max(w.y1 for w in page_words)
    assert "1. A footnote, set at the foot of the page in print." in " ".join(
        text(pdf, call_page, call_page).split())
    assert note and lowest_body > 500


def test_a_character_the_fonts_cannot_draw_is_an_error(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text('title = "Stars"\nauthor = "A"\nlanguage = "en"\n'
                                    'manuscript = ["m.md"]\n')
    (book / "m.md").write_text("## One\n\nA star: \u2605, and a snowman \u2603.\n")
    result = run_build(book, tmp_path / "out", "--only", "pdf")
    assert result.returncode == 1
    assert "U+2603" in result.stderr and "U+2605" in result.stderr
    assert "m.md:3:" in result.stderr
    assert not (tmp_path / "out" / "stars.pdf").exists()


def test_pocket_edition_added_by_toml_only(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests/books/chickens", book)
    toml = book / "book.toml"
    toml.write_text(toml.read_text() + '\n[editions.large-print]\nformat = "pdf"\n'
                    'page = "letter"\nfont_size = "16pt"\n')
    result = run_build(book, tmp_path / "out", "--only", "pdf")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(tmp_path / "out" / "love-among-the-chickens-large-print.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 612


def test_no_line_starts_with_a_dash_and_only_the_book_face(seed_build: Path) -> None:
    from pdftools import fonts

    pdf = seed_build / f"{SLUG}.pdf"
    starts = [line.strip() for line in text(pdf).splitlines() if line.strip().startswith("—")]
    assert starts == ["—from the zine Escalating Identity", "—Rakhee Devasthali"]
    assert {f["name"].split("+")[-1].split("-")[0] for f in fonts(pdf)} == {"Book"}


def _lines(html: str) -> list[str]:
    """The text of each line WeasyPrint lays out for `html`, in order."""
    from weasyprint.formatting_structure import boxes

    from zinepress.weasy import weasyprint

    page = weasyprint().HTML(string=html).render().pages[0]._page_box
    return ["".join(box.text for box in _walk(line) if isinstance(box, boxes.TextBox)).strip()
            for line in _walk(page) if isinstance(line, boxes.LineBox)]


def test_a_text_that_fits_but_for_its_trailing_space_keeps_its_line() -> None:
    """WeasyPrint alone sets such a text's first word as a line of its own (mends.py)."""
    from weasyprint.formatting_structure import boxes

    from zinepress.weasy import weasyprint

    words, style = "piece of gold this day while my lord", "font: 12pt serif; margin: 0"
    probe = weasyprint().HTML(string=f'<p style="{style}"><span>{words}</span></p>').render()
    span = next(box for box in _walk(probe.pages[0]._page_box)
                if isinstance(box, boxes.InlineBox))
    space = _lines(f'<p style="{style}; width: 20em"><span>{words} </span>x</p>')
    assert space == [f"{words} x"]
    for room in (0.2, 0.5, 1.0, 2.0):  # CSS pixels to spare, all under a space's width
        lines = _lines(f'<p style="{style}; width: {span.width + room}px">{words} '
                       "<em>next</em> words</p>")
        assert lines[0] == words, (room, lines)


def test_cached_page_references_follow_added_pages() -> None:
    import pydyf

    from zinepress.mends import CachedPageReferences, cache_page_references

    assert cache_page_references()
    once = pydyf.PDF.page_references
    assert cache_page_references() and pydyf.PDF.page_references is once  # applied once
    assert once.fget.__closure__ is not None
    upstream = next(c.cell_contents for c in once.fget.__closure__
                    if isinstance(c.cell_contents, property))
    assert not isinstance(upstream, CachedPageReferences)  # wraps pydyf's own, not itself
    pdf = pydyf.PDF()
    for _ in range(5):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        numbers = pdf.pages["Kids"][::3]
        assert pdf.page_references == tuple(f"{n} 0 R".encode() for n in numbers)


def test_small_capitals_read_back_as_written(tmp_path: Path) -> None:
    """The title page sets the author in small capitals; the PDF's text must still say what
    book.toml says (a face whose capital and small "a" share a glyph read "ArchibAld")."""
    book = ROOT / "tests/a11y/books/a-day-at-a-time"
    done = run_build(book, tmp_path, "--only", "pdf")
    assert done.returncode == 0, done.stderr
    first = text(next(tmp_path.glob("*.pdf"))).split("\f")[0]
    assert "Archibald Alexander" in first, first



def test_a_note_call_never_leaves_its_word_for_the_next_page(tmp_path: Path,
                                                              monkeypatch) -> None:
    """Where a note will not fit under the line that calls it, WeasyPrint carries the call
    over with the note, away from its word: "...at Grocers' Hall." closing a page, "²²³"
    opening the next (the diary's A5 booklet). The line breaking rules allow a break
    between a stop and a number; print joins the call to its word, so the word goes with
    it. Found by lengthening a word before the call until the page breaks there."""
    from weasyprint.formatting_structure import boxes

    import zinepress.typeset
    from zinepress.typeset import font_faces, print_section_html
    from zinepress.weasy import weasyprint

    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text('title = "Calls"\nauthor = "A"\nlanguage = "en"\n'
                                    'manuscript = ["m.md"]\n')
    faces = "".join(f"@font-face {{ font-family: Book; src: url({face.url}); font-weight: "
                    f"{face.weight}; font-style: {face.style} }}" for face in font_faces())
    style = (f"<style>{faces} @page {{ size: 300px 400px; margin: 20px }} body {{ font: 12px/"
             "16px Book; text-align: justify } .footnote { float: footnote; "
             "footnote-policy: line } .footnote::footnote-call { content: counter(footnote);"
             " vertical-align: super; font-size: 8px }</style>")
    filler = "lorem ipsum dolor sit amet consectetur " * 40
    note = "a long note about the hall and its history " * 6

    def call_opens_a_line(length: int) -> bool:
        (book / "m.md").write_text(f"{filler}{'i' * length} Hall.[^1] So home. {filler}\n\n"
                                   f"[^1]: {note}\n")
        section = read_document(load_book(book)).sections[0]
        html = style + print_section_html(section, book)
        for page in weasyprint().HTML(string=html).render().pages:
            for line in (box for box in _walk(page._page_box) if isinstance(box, boxes.LineBox)):
                texts = [box for box in _walk(line) if isinstance(box, boxes.TextBox)]
                if any(box.text.rstrip(" \u2060").endswith("Hall.") for box in texts):
                    return not any((box.element_tag or "").endswith("::footnote-call")
                                   for box in texts)
        raise AssertionError("no line ends with the call's word")

    with monkeypatch.context() as unjoined:
        unjoined.setattr(zinepress.typeset, "WORD_JOINER", "")
        length = next((n for n in range(1, 100) if call_opens_a_line(n)), None)
    assert length is not None  # (the case is met, unjoined)
    assert not call_opens_a_line(length)


def test_c_types_built_without_the_parser_are_the_parsers_own() -> None:
    """mends.py builds the C types WeasyPrint names (a typedef or primitive, its pointers,
    an array of it) from the parser's declarations; each must be the type cffi's own parse
    gives, and anything else must still reach that parse."""
    from weasyprint.text.ffi import ffi

    from zinepress.mends import parse_types_quickly
    from zinepress.weasy import weasyprint

    weasyprint()
    quick = ffi._parser.parse_type
    assert getattr(quick, "_zinepress_mend", False)  # in place once WeasyPrint is had
    assert parse_types_quickly() and ffi._parser.parse_type is quick  # applied once
    upstream = type(ffi._parser).parse_type.__get__(ffi._parser)
    for cdecl in ("PangoRectangle *", "unsigned int *", "PangoFcFontMap *", "char[]",
                  "char[4]", "hb_codepoint_t[1097]", "hb_tag_t[100]", "PangoLogAttr[]",
                  "FcChar8 **", "FcResult *", "int", " double  ", "PangoLayout*",
                  "const char *", "struct _PangoRectangle *", "int (*)(int)", "char *[3]"):
        assert quick(cdecl) == upstream(cdecl), cdecl
    # and cffi builds them as C has them
    assert ffi.sizeof("hb_codepoint_t[1097]") == 1097 * 4
    assert ffi.sizeof(ffi.new("PangoRectangle *")[0]) == 16
    assert len(ffi.new("char[]", b"abc")) == 4
