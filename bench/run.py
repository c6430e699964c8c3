"""zinepress benchmark: medians of every stage, peak memory, no-change rebuild ratio.

Run with `nox -s bench` (or `python bench/run.py [--runs N] [--json FILE]`). Each measurement
runs in a fresh subprocess so imports and caches count as a user would see them; peak memory
is the child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "samples"
SEED = ROOT / "seeds" / "aint-no-pc-gonna-fix-it-baby.txt"


def run(args: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Seconds and peak MB of one zinepress command in a fresh process."""
    return command([sys.executable, "-m", "zinepress", *args], cwd)


def command(argv: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Seconds and peak MB of one command (and what it runs) in a fresh process."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1396656000",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode() if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"bench: {' '.join(argv)} failed: {errors.strip()}")
    return seconds, usage.ru_maxrss / 1024


def count_pages(pdf: Path) -> int:
    """In a child process: this process must stay small, because a child forked from it
    reports the parent's resident memory as its own peak (Linux keeps it across exec)."""
    code = "import sys, pikepdf; print(len(pikepdf.open(sys.argv[1]).pages))"
    out = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True,
                         text=True, check=True)
    return int(out.stdout)


def median_of(runs: int, args: list[str], setup=None, program: bool = False,
              ) -> dict[str, float]:
    """`program`: `args` is a whole command, not zinepress's arguments."""
    times, peaks = [], []
    for _ in range(runs):
        if setup:
            setup()
        seconds, peak = command(args) if program else run(args)
        times.append(seconds)
        peaks.append(peak)
    return {"median_s": round(statistics.median(times), 3), "peak_mb": round(max(peaks), 1)}


def typeset_in_process(book_dir: Path, runs: int) -> dict[str, float]:
    """WeasyPrint's share alone: render and write the digest PDF, imports already done."""
    from zinepress.book import load_book
    from zinepress.model import read_document
    from zinepress.typeset import typeset

    os.environ["SOURCE_DATE_EPOCH"] = "1396656000"
    book = load_book(book_dir)
    doc = read_document(book)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        pages = typeset(doc, book.editions[0], 1396656000).pages
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this bench process
    return {"median_s": round(median, 3), "peak_mb": round(peak, 1), "pages": pages,
            "pages_per_s": round(pages / median, 1)}


POEMS = ROOT / "tests" / "a11y" / "books" / "whitman-inscriptions"


def long_book(folder: Path, copies: int, verse: bool = False, name: str = "long") -> Path:
    """A ~400-page book: the sample novel's chapters, repeated (with `verse`, the sample
    poems after each run of them)."""
    book = folder / name
    book.mkdir()
    names = []
    chapters = sorted(SAMPLES.glob("chapter-*.md"))
    if verse:
        chapters += [POEMS / "inscriptions.md", POEMS / "children-of-adam.md"]
    for copy in range(copies):
        for chapter in chapters:
            name = f"{copy:02d}-{chapter.name}"
            (book / name).write_text(chapter.read_text(encoding="utf-8"), encoding="utf-8")
            names.append(name)
    (book / "book.toml").write_text(
        'title = "Long Book"\nauthor = "Bench"\nlanguage = "en"\n'
        f"manuscript = {json.dumps(names)}\n"
        '[editions.epub]\nenabled = false\n[editions.html]\nenabled = false\n'
        '[editions.zine-letter]\nenabled = false\n[editions.zine-a4]\nenabled = false\n',
        encoding="utf-8")
    return book


def poem_a_file(folder: Path) -> Path:
    """The sample poems, each in a file of its own, three times over: 123 small files."""
    book = folder / "poems"
    book.mkdir()
    text = "\n".join(path.read_text(encoding="utf-8") for path in
                     (POEMS / "inscriptions.md", POEMS / "children-of-adam.md"))
    poems = [poem for poem in re.split(r"(?m)^(?=### )", text) if poem.startswith("### ")]
    names = []
    for copy in range(3):
        for number, poem in enumerate(poems):
            name = f"{copy}-{number:03d}.md"
            (book / name).write_text("#" + poem[2:].replace("\n### ", "\n## "),
                                     encoding="utf-8")
            names.append(name)
    (book / "book.toml").write_text(
        'title = "Poems"\nauthor = "Bench"\nlanguage = "en"\n'
        f"manuscript = {json.dumps(names)}\n"
        '[editions.epub]\nenabled = false\n[editions.html]\nenabled = false\n'
        '[editions.zine-letter]\nenabled = false\n[editions.zine-a4]\nenabled = false\n',
        encoding="utf-8")
    return book


def _pandoc() -> str | None:
    """pandoc's path, from pypandoc-binary (the bench's extra), or None."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None


def _against_pandoc(figures: dict[str, dict[str, float]], tmpdir: Path, runs: int) -> None:
    """The seed's PDF and EPUB, against pandoc's EPUB plus pandoc through WeasyPrint on the
    same manuscript."""
    pandoc = _pandoc()
    if pandoc is None:
        print("bench: pandoc not installed (pip install .[bench]): no comparison with it")
        return
    from zinepress.book import load_book

    manuscript = [str(path) for path in load_book(ROOT / "book").manuscript]
    epub = median_of(runs, [pandoc, *manuscript, "-o", str(tmpdir / "p.epub")], program=True)
    pdf = median_of(runs, [pandoc, *manuscript, "--pdf-engine=weasyprint", "-o",
                           str(tmpdir / "p.pdf")], program=True)
    ours = median_of(runs, ["build", str(ROOT / "book"), "--out", str(tmpdir / "vs-pandoc"),
                            "--only", "pdf,epub", "--force"])
    ours["pandoc_epub_s"], ours["pandoc_weasyprint_pdf_s"] = epub["median_s"], pdf["median_s"]
    ours["ratio_to_pandoc"] = round(ours["median_s"] / (epub["median_s"] + pdf["median_s"]), 3)
    figures["seed pdf + epub, against pandoc's two"] = ours


NOVEL = ROOT / "tests" / "a11y" / "books" / "love-among-the-chickens"


def _against_xelatex(figures: dict[str, dict[str, float]], tmpdir: Path, runs: int) -> None:
    """The sample novel's digest PDF, cold, against pandoc -> xelatex at the same page size
    with its contents (the passes that takes), as LaTeX-made zines are; where xelatex is."""
    pandoc = _pandoc()
    if pandoc is None:
        return
    if shutil.which("xelatex") is None:
        print("bench: xelatex not installed: no comparison with LaTeX")
        return
    from zinepress.book import PAGE_SIZES, load_book

    width, height = PAGE_SIZES["digest"]
    manuscript = [str(path) for path in load_book(NOVEL).manuscript]
    latex = median_of(runs, [pandoc, *manuscript, "--toc", "--pdf-engine=xelatex",
                             "-V", f"geometry:paperwidth={width}",
                             "-V", f"geometry:paperheight={height}",
                             "-V", "geometry:margin=0.75in", "-o", str(tmpdir / "x.pdf")],
                      program=True)
    out = tmpdir / "novel-build"
    ours = median_of(runs, ["build", str(NOVEL), "--out", str(out), "--only", "pdf"],
                     setup=lambda: shutil.rmtree(out, ignore_errors=True))
    ours["pandoc_xelatex_s"] = latex["median_s"]
    ours["ratio_to_xelatex"] = round(ours["median_s"] / latex["median_s"], 3)
    ours["pages"] = count_pages(out / "love-among-the-chickens.pdf")
    ours["xelatex_pages"] = count_pages(tmpdir / "x.pdf")
    figures["novel digest pdf, cold, against pandoc -> xelatex"] = ours


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        out = tmpdir / "build"
        figures["restore seed"] = median_of(args.runs, ["restore", str(SEED)])
        big = tmpdir / "big.txt"
        big.write_text(SEED.read_text(encoding="utf-8") * 180, encoding="utf-8")
        big_name = f"restore {big.stat().st_size / 1e6:.1f} MB"
        figures[big_name] = median_of(1, ["restore", str(big), "-o", str(tmpdir / "big.md")])
        # After start-up: the extra words over the extra time, start-up (imports, word counts)
        # being what the seed alone costs.
        extra_words = len(big.read_text(encoding="utf-8").split()) - len(
            SEED.read_text(encoding="utf-8").split())
        extra_time = figures[big_name]["median_s"] - figures["restore seed"]["median_s"]
        figures[big_name]["words_per_s_after_startup"] = round(extra_words / extra_time)
        # Shapes no book has but a hostile or broken file may: one block of 20,000 list
        # lines at one indent, then 10,000 "pages" of a numeral, a head and a line. Any scan
        # quadratic in a block or in the pages shows here as minutes.
        odd = tmpdir / "odd.txt"
        odd.write_text("Some text with a star*.\n" + "* item line\n" * 20000 + "".join(
            f"\n{n}\n\nThe Running Title\n\nSome words of text here.\n" for n in
            range(1, 10001)), encoding="utf-8")
        figures["restore a hostile text (20,000 list lines, 10,000 pages)"] = median_of(
            1, ["restore", str(odd), "-o", str(tmpdir / "odd.md")])
        # Among prose, lines no extractor makes: one of 20,000 words (taken for printed lines
        # joined, each cut in turn), one word of 100,000 letters. Any rule that measures
        # a line's rest anew at each cut, or tries each cut of a word, shows here as minutes.
        seed = SEED.read_text(encoding="utf-8")
        long_lines = tmpdir / "long-lines.txt"
        long_lines.write_text(seed[:20000] + "\n" + "some words here " * 20000 + "\n\n"
                              + "a" * 100000 + " and the end of it\n" + seed[20000:],
                              encoding="utf-8")
        figures["restore a hostile text (a line of 60,000 words, a word of 100,000 letters)"] = \
            median_of(1, ["restore", str(long_lines), "-o", str(tmpdir / "long-lines.md")])
        figures["full build (pdf, epub, html, 2 zines)"] = median_of(
            args.runs, ["build", str(ROOT / "book"), "--out", str(out), "--force"])
        figures["full build, --jobs 1"] = median_of(
            args.runs, ["build", str(ROOT / "book"), "--out", str(out), "--force", "--jobs", "1"])
        figures["full build (pdf, epub, html, 2 zines)"]["ratio_to_jobs_1"] = round(
            figures["full build (pdf, epub, html, 2 zines)"]["median_s"]
            / figures["full build, --jobs 1"]["median_s"], 3)
        figures["full build (pdf, epub, html, 2 zines)"]["jobs"] = os.cpu_count() or 1
        _against_pandoc(figures, tmpdir, args.runs)
        _against_xelatex(figures, tmpdir, args.runs)
        figures["typeset seed pdf"] = median_of(
            args.runs, ["build", str(ROOT / "book"), "--out", str(out), "--only", "pdf",
                        "--force"])
        run(["build", str(ROOT / "book"), "--out", str(out)])  # `--only pdf` left zines to do
        figures["no-change rebuild"] = median_of(
            args.runs, ["build", str(ROOT / "book"), "--out", str(out)])
        full = figures["full build (pdf, epub, html, 2 zines)"]["median_s"]
        figures["no-change rebuild"]["ratio_to_full"] = round(
            figures["no-change rebuild"]["median_s"] / full, 3)

        book = long_book(tmpdir, 13)
        long_out = tmpdir / "long-build"

        def cold() -> None:  # nothing kept from an earlier build
            shutil.rmtree(long_out, ignore_errors=True)

        # Medians of `--runs` too: the edit and speed-up ratios hang on these two figures.
        figures["typeset long book"] = median_of(
            args.runs, ["build", str(book), "--out", str(long_out)], setup=cold)
        figures["typeset long book, --jobs 1"] = median_of(
            args.runs, ["build", str(book), "--out", str(long_out), "--jobs", "1"], setup=cold)
        figures["typeset long book"]["speedup_over_jobs_1"] = round(
            figures["typeset long book, --jobs 1"]["median_s"]
            / figures["typeset long book"]["median_s"], 2)
        run(["build", str(book), "--out", str(long_out)])  # kept for the edits below
        pdf = long_out / "long-book.pdf"
        pages = count_pages(pdf)
        figures["typeset long book"]["pages"] = pages
        figures["typeset long book"]["pages_per_s"] = round(
            pages / figures["typeset long book"]["median_s"], 1)
        restored = f"restore the long book's PDF ({pages} pages)"
        figures[restored] = median_of(args.runs, ["restore", str(pdf), "-o",
                                                  str(tmpdir / "long.md")])
        figures[restored]["pages_per_s"] = round(pages / figures[restored]["median_s"], 1)
        small = out / "aint-no-pc-gonna-fix-it-baby.pdf"
        small_pages = count_pages(small)
        figures[f"restore the seed's PDF ({small_pages} pages)"] = seed_pdf = median_of(
            args.runs, ["restore", str(small), "-o", str(tmpdir / "seed.md")])
        # After start-up: the extra pages over the extra time; memory: flat in the pages.
        figures[restored]["pages_per_s_after_startup"] = round(
            (pages - small_pages) / (figures[restored]["median_s"] - seed_pdf["median_s"]), 1)
        figures[restored]["peak_ratio_to_seed"] = round(
            figures[restored]["peak_mb"] / seed_pdf["peak_mb"], 2)
        imposed = tmpdir / "imposed.pdf"
        figures[f"impose {pages} pages (saddle)"] = median_of(
            args.runs, ["impose", str(pdf), "-o", str(imposed)])
        figures["impose 18 pages (saddle)"] = median_of(
            args.runs, ["impose", str(small), "-o", str(imposed)])
        figures[f"impose {pages} pages (saddle)"]["peak_ratio_to_18_pages"] = round(
            figures[f"impose {pages} pages (saddle)"]["peak_mb"]
            / figures["impose 18 pages (saddle)"]["peak_mb"], 2)
        edited = book / "00-chapter-1.md"

        def touch() -> None:
            edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n",
                              encoding="utf-8")

        edit = "one-file edit rebuild (long book)"
        figures[edit] = median_of(args.runs, ["build", str(book), "--out", str(long_out)],
                                  setup=touch)
        figures[edit]["ratio_to_full"] = round(
            figures[edit]["median_s"] / figures["typeset long book"]["median_s"], 3)
        shutil.rmtree(long_out, ignore_errors=True)
        big = long_book(tmpdir, 10, verse=True, name="verse")
        big_out = tmpdir / "verse-build"
        name = "typeset a 700-page book, verse included"
        figures[name] = median_of(1, ["build", str(big), "--out", str(big_out)])
        figures[name]["pages"] = count_pages(big_out / "long-book.pdf")
        shutil.rmtree(big_out, ignore_errors=True)
        poems = poem_a_file(tmpdir)
        poems_out = tmpdir / "poems-build"
        name = "typeset a book of a poem a file"
        figures[name] = median_of(1, ["build", str(poems), "--out", str(poems_out)])
        figures[name]["files"] = len(list(poems.glob("*.md")))
        figures[name]["pages"] = count_pages(poems_out / "poems.pdf")
        shutil.rmtree(poems_out, ignore_errors=True)
        # In-process figures last: a child forked from a large process reports its pages too.
        figures["typeset seed, in process"] = typeset_in_process(ROOT / "book", args.runs)
        figures["typeset long book, in process"] = typeset_in_process(book, 1)
    width = max(len(name) for name in figures)
    for name, values in figures.items():
        extra = "  ".join(f"{k}={v}" for k, v in values.items()
                          if k not in ("median_s", "peak_mb"))
        print(f"{name:{width}}  median {values['median_s']:7.3f} s  "
              f"peak {values['peak_mb']:6.1f} MB  {extra}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
