"""Accessibility, checked by the tools publishers use: Ace by DAISY on every EPUB, its axe-core on
every web edition (desktop, phone, 200% zoom), and the print PDF's tagging read back."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT, SLUG, epubcheck, picture_book, run_build

A11Y = ROOT / "tests/a11y"
SAMPLES = sorted(p.name for p in (A11Y / "books").iterdir() if (p / "book.toml").is_file())
XHTML = "{http://www.w3.org/1999/xhtml}"


def _browser() -> str | None:
    return os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") \
        or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> str:
    """Chromium and the npm tools of tests/a11y; CI installs them, so there a gap fails."""
    found = _browser()
    if found and (A11Y / "node_modules/.bin/ace-puppeteer").exists() and shutil.which("node"):
        return found
    reason = ("accessibility checks need node, Chromium and `npm ci --ignore-scripts` in "
              "tests/a11y (.ci/run installs them)")
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def ace(epub: Path, out: Path, browser: str) -> list[str]:
    """Ace by DAISY's violations, one line each: file, rule, impact, what it found."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser}
    done = subprocess.run([str(A11Y / "node_modules/.bin/ace-puppeteer"), "-s", "-f", "-o",
                           str(out), str(epub)], capture_output=True, text=True, env=env,
                          timeout=600, check=False)
    assert (out / "report.json").is_file(), done.stdout + done.stderr
    report = json.loads((out / "report.json").read_text())
    return [f"{where['earl:testSubject']['url']}: {found['earl:test']['dct:title']} "
            f"({found['earl:test']['earl:impact']}) {found['earl:result']['dct:description']}"
            for where in report["assertions"] for found in where.get("assertions", [])]


def axe(page: Path, browser: str) -> list[dict]:
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser}
    done = subprocess.run(["node", str(A11Y / "axe.js"), str(page)], capture_output=True,
                          text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["views"]


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each sample book of tests/a11y/books built (in parallel, one folder each): digest
    PDF, EPUB and web edition."""
    out = tmp_path_factory.mktemp("samples")
    result = run_build(A11Y / "books", out, "--only", "pdf,epub,html")
    assert result.returncode == 0, result.stderr
    return {name: out / name for name in SAMPLES}


def test_ace_finds_nothing_in_the_seed_epub(seed_build: Path, browser: str,
                                            tmp_path: Path) -> None:
    assert ace(seed_build / f"{SLUG}.epub", tmp_path, browser) == []


@pytest.mark.parametrize("name", SAMPLES)
def test_ace_finds_nothing_in_each_sample_epub(name: str, samples: dict[str, Path],
                                               browser: str, tmp_path: Path) -> None:
    epub = next(samples[name].glob("*.epub"))
    assert ace(epub, tmp_path, browser) == []
    result = epubcheck(epub)
    assert "0 fatals / 0 errors / 0 warnings / 0 infos / 0 usages" in result.stdout, result.stdout


@pytest.mark.parametrize("name", ["seed", *SAMPLES])
def test_axe_finds_nothing_in_the_web_edition_on_any_screen(
        name: str, seed_build: Path, samples: dict[str, Path], browser: str) -> None:
    page = next((seed_build if name == "seed" else samples[name]).glob("*.html"))
    views = axe(page, browser)
    assert [view["name"] for view in views] == ["desktop", "phone", "zoom-200"]
    for view in views:
        assert view["violations"] == [], view["name"]
        assert view["overflow"] <= 0, f"{view['name']}: scrolls sideways by {view['overflow']} px"
        skip = view["skip"]
        assert skip["text"].startswith("Skip to the") and skip["shown"] and skip["target"], skip


def _pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")


def _words(text: str) -> list[str]:
    """Words, not numbers: note calls are numbered per chapter in the EPUB, per book in print."""
    words = re.findall(r"\w+", re.sub(r"\d+", " ", text.replace("\u00ad", "")))
    return [w for w in words if w != "_"]


@pytest.mark.parametrize("name", ["seed", "pepys-diary-1660"])
def test_the_epub_page_list_lands_where_each_print_page_starts(
        name: str, seed_build: Path, samples: dict[str, Path]) -> None:
    """Every body page of the digest PDF is in the page list, and its marker stands right
    after the last word of the page before: a reader cites the page the PDF shows."""
    from lxml import etree

    folder = seed_build if name == "seed" else samples[name]
    epub = next(folder.glob("*.epub"))
    pdf = epub.with_suffix(".pdf")  # the digest, not a booklet imposed from another typeset
    pages = _pdf_pages(pdf)
    with zipfile.ZipFile(epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        listed = nav.xpath("//x:nav[@role='doc-pagelist']//x:a", namespaces={"x": XHTML[1:-1]})
        opf = archive.read("EPUB/content.opf").decode()
        documents = {name: archive.read(name).decode() for name in archive.namelist()
                     if name.endswith(".xhtml")}
    labels = [a.text for a in listed]
    body_pages = [str(n) for n in range(1, len(pages)) if n >= int(labels[0])]
    assert labels == body_pages  # from the first page of text to the last, none missing
    assert 'property="source-of">pagination<' in opf and "digest print edition" in opf
    for link in listed:
        file, anchor = link.get("href").split("#")
        text = documents[f"EPUB/{file}"]
        at = text.rindex("<", 0, text.index(f'id="{anchor}"'))
        after = _words(re.sub(r"<[^>]+>", " ", text[at:].split(">", 1)[1]))[:3]
        before = _words(re.sub(r"<[^>]+>", " ", text[text.index("<section"):at]))[-3:]
        page = int(link.text)
        # The words after the marker open page N (a heading, or the first full word after a
        # word the page break hyphenated); the words before it close page N - 1.
        top = " ".join(_words(" ".join(pages[page - 1].split("\n")[:6])))
        bottom = "".join(_words(pages[page - 2]))
        assert " ".join(after) in top, (page, after, top)
        # (The last of them whole, where the page break hyphenated it.)
        assert not before or "".join(before[:-1]) + before[-1][:2] in bottom, (page, before)


def test_a_note_called_from_a_heading_is_kept_and_the_heading_stays_clean(
        samples: dict[str, Path]) -> None:
    """Pepys calls a note from his first heading: the note is printed, listed in the EPUB and
    linked in the web page, and contents, running heads and bookmarks show the bare title."""
    folder = samples["pepys-diary-1660"]
    pdf = next(folder.glob("*.pdf"))
    first = _pdf_pages(pdf)[3]
    assert "The year did not legally begin in England" in " ".join(first.split())
    titles = [item.title for group in pypdf.PdfReader(pdf).outline
              for item in (group if isinstance(group, list) else [group])]
    assert "January 1659–60" in titles and not any(t.endswith("601") for t in titles), titles
    assert "January 1659–60" in _pdf_pages(pdf)[4].split("\n")[0]  # the running head
    page = next(folder.glob("*.html")).read_text()
    contents = page[page.index('<nav class="toc"'):page.index("</nav>")]
    assert "<sup" not in contents and ">January\xa01659–60</a>" in contents
    assert page.count('id="fnref-47"') == 0 and 'href="#note-' in page
    call = re.search(r'<h2>January\xa01659–60<sup id="(note-\d+)-ref">', page)
    assert call and page.count(f'id="{call.group(1)}"') == 1


def _structure(reader: pypdf.PdfReader) -> tuple[dict[int, set[int]], list]:
    """The structure tree read back: each page's marked-content ids it reaches, and its
    elements in reading order."""
    reached: dict[int, set[int]] = {}  # page object number: marked-content ids in the tree
    elements: list = []

    def walk(node, page=None) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            reached.setdefault(page, set()).add(node)
        elif isinstance(node, list):
            for kid in node:
                walk(kid, page)
        elif hasattr(node, "get") and node.get("/Type") == "/MCR":
            reached.setdefault(node.raw_get("/Pg").idnum, set()).add(node["/MCID"])
        elif hasattr(node, "get"):
            page = node.raw_get("/Pg").idnum if "/Pg" in node else page
            if "/S" in node:
                elements.append(node)
            if "/K" in node:
                walk(node["/K"], page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return reached, elements


def test_the_pdf_is_tagged_for_assistive_technology(seed_build: Path) -> None:
    """What a PDF/UA validator would look at first, read back: language, title shown, every
    page's marked content reachable from the structure tree, running heads and folios as
    artifacts, headings in order."""
    reader = pypdf.PdfReader(seed_build / f"{SLUG}.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert bool(root["/MarkInfo"]["/Marked"])
    reached, elements = _structure(reader)
    pagination = 0
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        marked = {int(m) for m in re.findall(r"/MCID (\d+)", content)}
        pagination += content.count("/Artifact <</Type /Pagination>> BDC")
        assert marked, f"page {page.indirect_reference.idnum}: nothing tagged"
        assert marked <= reached.get(page.indirect_reference.idnum, set()), \
            f"page {page.indirect_reference.idnum}: marked content outside the structure tree"
    # A running head and a folio on each page of text (the title and contents pages have none).
    assert pagination >= 2 * (len(reader.pages) - 3)
    kinds = [str(element["/S"]) for element in elements]
    headings = [int(k[2]) for k in kinds if re.fullmatch(r"/H[1-6]", k)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings))


def test_a_figure_in_the_pdf_has_its_caption_as_alt_text(tmp_path: Path) -> None:
    book = picture_book(tmp_path)
    assert run_build(book, tmp_path / "out", "--only", "pdf").returncode == 0
    _, elements = _structure(pypdf.PdfReader(tmp_path / "out/t.pdf"))
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert [str(figure.get("/Alt")) for figure in figures] == [
        "A red square, the test figure"]


def test_every_note_of_the_diary_is_printed(samples: dict[str, Path]) -> None:
    """297 notes, some quoting a passage, some long: each is set at a page foot, none lost
    when a page's note area fills up (print.css: `footnote-policy: line`)."""
    folder = samples["pepys-diary-1660"]
    called = sum(len(re.findall(r"^\[\^[^\]]+\]:", path.read_text(), re.M))
                 for path in (A11Y / "books/pepys-diary-1660").glob("chapter-*.md"))
    # (Laid out as printed: plain pdftotext joins a word hyphenated at a page's last line
    # to the first note below it.)
    text = subprocess.run(["pdftotext", "-layout", str(next(folder.glob("*.epub")).with_suffix(
        ".pdf")), "-"], capture_output=True, text=True, check=True).stdout
    numbers = {int(n) for n in re.findall(r"^\s*(\d+)\. ", text, re.M)}
    assert called == 297 and set(range(1, called + 1)) <= numbers
    assert "The City sent and invited him [Monk] to dine" in " ".join(text.split())
