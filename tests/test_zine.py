"""Zines as zine makers make them: the booklet read back sheet by sheet, covers outside, text
inside, blanks only before the back cover; type fitted to save a sheet when asked."""

from __future__ import annotations

import re
import shutil
import statistics
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT, SLUG, run_build
from pdftools import Word, words

from zinepress.impose import plan, rotate_backs


def _reading_pages(pdf: Path, source_pages: int, duplex: str = "short") -> dict[int, list[Word]]:
    """The imposed booklet's words by the page of the booklet they sit on (0: a blank),
    through the same plan the booklet was imposed with."""
    the_plan = plan(source_pages, "saddle")
    flip = rotate_backs(the_plan, duplex)
    width = float(pypdf.PdfReader(pdf).pages[0].mediabox.width)
    found: dict[int, list[Word]] = {}
    for word in words(pdf):
        side = the_plan.sides[word.page - 1]
        col = 0 if (word.x0 + word.x1) / 2 < width / 2 else 1
        if side.back and flip:
            col = 1 - col
        slot = next(s for s in side.slots if s.col == col)
        found.setdefault(slot.page, []).append(word)
    return found


def _source_pages(print_txt: Path) -> int:
    return int(re.search(r"Pages: (\d+) source pages", print_txt.read_text()).group(1))


@pytest.mark.parametrize("sheet", ["letter", "a4"])
def test_the_booklet_has_its_covers_outside_and_its_text_inside(sheet: str,
                                                                seed_build: Path) -> None:
    pdf = seed_build / f"{SLUG}-zine-{sheet}.pdf"
    pages = _source_pages(seed_build / f"{SLUG}-zine-{sheet}-print.txt")
    by_page = _reading_pages(pdf, pages)
    body = statistics.median(w.y1 - w.y0 for w in by_page[pages // 2])
    assert 0 not in by_page  # the blanks are blank
    # Sheet 1, outside: the front cover, its title in large type ...
    front = by_page[1]
    title = [w for w in front if w.text in {"Ain’t", "Gonna", "Baby"}]
    assert len(title) == 3 and all(w.y1 - w.y0 > 2.2 * body for w in title)
    assert plan(pages, "saddle").sides[0].slots[1].page == 1
    # ... and the back cover: the colophon, no text of the book.
    back = " ".join(w.text for w in by_page[pages])
    assert plan(pages, "saddle").sides[0].slots[0].page == pages
    assert "zinepress" in back and "Anti-copyright" in back and len(back.split()) < 150
    manuscript = (ROOT / "book/aint-no-pc-gonna-fix-it-baby.md").read_text()
    last_line = [ln for ln in manuscript.splitlines() if ln.strip()][-2]  # the poem's last
    closing = re.findall(r"\w+", last_line)[-4:]
    assert " ".join(closing) not in " ".join(re.findall(r"\w+", back))
    # The text ends on the page before the back cover, inside the booklet: the blanks
    # that fill the last sheet come after it.
    last_text = " ".join(w.text for w in by_page[pages - 1])
    assert " ".join(closing) in " ".join(re.findall(r"\w+", last_text))
    assert all(pages - 1 not in (s.page for s in side.slots)
               for side in plan(pages, "saddle").sides[:1])


def test_a_booklet_says_its_blanks_and_fits_a_sheet_smaller_when_asked(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests/books/chickens", book)
    out = tmp_path / "out"
    result = run_build(book, out, "--only", "zine")
    assert result.returncode == 0, result.stderr
    said = re.search(r"note: zine-letter: (\d) blank pages before the back cover; with "
                     r"font_size ([\d.]+)pt the text fits (\d+) pages", result.stdout)
    assert said, result.stdout
    blanks, size, fits = int(said.group(1)), float(said.group(2)), int(said.group(3))
    before = len(pypdf.PdfReader(out / "love-among-the-chickens-zine-letter.pdf").pages)
    assert 9.975 <= size < 10.5 and fits % 4 == 0 and blanks > 0
    (book / "book.toml").write_text((book / "book.toml").read_text()
                                    + '\n[editions.zine-letter]\nfit = "sheets"\n')
    result = run_build(book, out, "--only", "zine")
    assert f"fit = \"sheets\": font_size {size}pt (was 10.5pt)" in result.stdout
    after = pypdf.PdfReader(out / "love-among-the-chickens-zine-letter.pdf")
    assert len(after.pages) == before - 2  # one sheet fewer: two sides
    assert _source_pages(out / "love-among-the-chickens-zine-letter-print.txt") == fits


def test_beside_each_booklet_a_picture_of_its_sheets(seed_build: Path) -> None:
    """One row a sheet, front and back as printed: its width two sides, its height the
    sheets; and it is not blank where the pages are."""
    from PIL import Image

    for sheet in ("letter", "a4"):
        pages = _source_pages(seed_build / f"{SLUG}-zine-{sheet}-print.txt")
        sheets = plan(pages, "saddle").padded // 4
        with Image.open(seed_build / f"{SLUG}-zine-{sheet}-sheets.png") as picture:
            assert picture.width > 2 * 300 and picture.height > sheets * 200
            gray = picture.convert("L")
            histogram = gray.histogram()
            assert sum(histogram[:100]) > 5000  # type on the pages, not empty frames
            white_rows = sum(  # rows crossing the pages (white) rather than the background
                1 for y in range(gray.height)
                if gray.crop((0, y, gray.width, y + 1)).histogram()[255] > 200)
            assert white_rows > sheets * 180


def test_a_large_photo_is_scaled_down_for_screens_and_kept_whole_for_print(
        tmp_path: Path) -> None:
    import io
    import subprocess
    import zipfile

    from conftest import make_book
    from PIL import Image

    book = make_book(tmp_path, text="## One\n\nA photo.\n\n![A gradient](photo.jpg)\n")
    photo = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
    photo.save(book / "photo.jpg", quality=92)
    out = tmp_path / "out"
    assert run_build(book, out, "--only", "pdf,epub,html").returncode == 0
    listed = subprocess.run(["pdfimages", "-list", str(out / "t.pdf")], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert [row.split()[3:5] for row in listed] == [["3000", "2000"]]
    with zipfile.ZipFile(out / "t.epub") as epub:
        name = next(n for n in epub.namelist() if n.startswith("EPUB/images/img-"))
        with Image.open(io.BytesIO(epub.read(name))) as packaged:
            assert packaged.size == (1600, 1067) and packaged.format == "JPEG"
    page = (out / "t.html").read_text()
    assert page.count("data:image/jpeg;base64,") == 1
    assert len(page) < (book / "photo.jpg").stat().st_size


def test_a_print_shop_edition_and_its_cover_spread(tmp_path: Path) -> None:
    """Bleed and crop marks on the interior, PDF/X-4 as WeasyPrint writes it, and a spread
    whose width is two covers, the spine (leaves times the paper) and the bleed."""
    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests/books/chickens", book)
    (book / "book.toml").write_text((book / "book.toml").read_text() + """
[editions.press]
format = "pdf"
page = "digest"
bleed = "0.125in"
crop_marks = true
pdf_variant = "pdf/x-4"

[editions.cover]
format = "cover"
page = "digest"
bleed = "0.125in"
cover_color = "#f3e9d2"
paper_thickness = "0.1mm"
""")
    out = tmp_path / "out"
    result = run_build(book, out, "--only", "pdf,cover")
    assert result.returncode == 0, result.stderr
    bleed, page_w, page_h = 9.0, 5.5 * 72, 8.5 * 72
    press = pypdf.PdfReader(out / "love-among-the-chickens-press.pdf")
    for page in press.pages:
        assert [float(v) for v in page.trimbox] == [0, 0, page_w, page_h]
        assert [float(v) for v in page.mediabox] == [-bleed, -bleed, page_w + bleed,
                                                     page_h + bleed]
        assert [float(v) for v in page.bleedbox] == [float(v) for v in page.mediabox]
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4<" in press.trailer["/Root"]["/Metadata"].get_data()
    interior = len(pypdf.PdfReader(out / "love-among-the-chickens.pdf").pages)  # the first
    spine = (interior + 1) // 2 * 0.1 / 25.4 * 72
    spread = pypdf.PdfReader(out / "love-among-the-chickens-cover.pdf")
    assert len(spread.pages) == 1
    trim, media = spread.pages[0].trimbox, spread.pages[0].mediabox
    assert abs(float(trim.width) - (2 * page_w + spine)) < 0.05
    assert abs(float(media.width) - (2 * page_w + spine + 2 * bleed)) < 0.05
    assert abs(float(media.height) - (page_h + 2 * bleed)) < 0.05
    assert f"spine {spine / 72 * 25.4:.1f} mm for the {interior} pages" in result.stdout


def test_a_grayscale_booklet_prints_its_pictures_and_cover_in_grey(tmp_path: Path) -> None:
    import subprocess

    from conftest import TOML, picture_book
    from PIL import Image

    book = picture_book(tmp_path)
    (book / "book.toml").write_text(TOML + '[editions.zine-letter]\ngrayscale = true\n'
                                    'cover_color = "#f3c9a2"\n')
    out = tmp_path / "out"
    assert run_build(book, out, "--only", "pdf,zine").returncode == 0
    for pdf, colour in (("t.pdf", "rgb"), ("t-zine-letter.pdf", "gray")):
        listed = subprocess.run(["pdfimages", "-list", str(out / pdf)], capture_output=True,
                                text=True, check=True).stdout.splitlines()[2:]
        assert [row.split()[5] for row in listed] == [colour], (pdf, listed)
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(out / "t-zine-letter.pdf"), str(tmp_path / "sheet")], check=True)
    with Image.open(tmp_path / "sheet.png") as sheet:
        red, green, blue = sheet.convert("RGB").getpixel((sheet.width * 3 // 4, 5))
    assert red == green == blue and red < 250  # the cover's colour, as a grey


def test_the_spine_is_the_leaves_times_the_paper() -> None:
    from zinepress.book import Edition
    from zinepress.spread import spine_width

    thin = Edition("c", "cover", "c.pdf", paper_thickness="0.1mm")
    assert spine_width(170, thin) == pytest.approx(85 * 0.1 / 25.4 * 72)
    assert spine_width(171, thin) == pytest.approx(86 * 0.1 / 25.4 * 72)  # a last leaf
    merchant = Edition("c", "cover", "c.pdf", paper_ppi=444)
    assert spine_width(444, merchant) == pytest.approx(72)
