"""zinepress's own print read back: each sample book (`tests/a11y/books/`) built as its digest
PDF by `zinepress build`, restored from that PDF and scored against its manuscript. A user's
old zinepress PDF is the commonest PDF restore meets; these books were not tuned on when the
PDF reader was written (see the README's table for what was found and fixed since)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOOKS = ROOT / "tests" / "a11y" / "books"
NAMES = ("whitman-inscriptions", "a-day-at-a-time", "pepys-diary-1660", "love-among-the-chickens")


@dataclass(frozen=True)
class Own:
    name: str
    pages: int
    score: object  # corpus.score.Score
    restored: str
    source: str


EPOCH = 1396656000


def digest(name: str, out: Path) -> Path:
    """The book's digest PDF, built into `out` once for each state of the book and of
    zinepress (its code, layouts and fonts: a fix to typesetting shows in the next score)."""
    from zinepress.book import load_book
    from zinepress.build import input_files, inputs_digest

    book = load_book(BOOKS / name)
    built = out / f"{name}.{inputs_digest(input_files(book), EPOCH)[:16]}"
    pdfs = sorted(built.glob("*.pdf"), key=lambda p: len(p.name)) if built.is_dir() else []
    if not pdfs:
        for stale in out.glob(f"{name}.*"):  # what an older state built
            shutil.rmtree(stale)
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
        subprocess.run([sys.executable, "-m", "zinepress", "build", str(BOOKS / name), "--out",
                        str(built), "--only", "pdf", "--jobs", "1"], check=True,
                       capture_output=True, env=env)
        pdfs = sorted(built.glob("*.pdf"), key=lambda p: len(p.name))
    return pdfs[0]  # the digest: the edition without a suffix


def run_own(name: str, out: Path) -> Own:
    import pypdf

    from corpus.score import score
    from zinepress.restore import restore_pdf

    pdf = digest(name, out)
    meta = tomllib.loads((BOOKS / name / "book.toml").read_text(encoding="utf-8"))
    source = "\n\n".join((BOOKS / name / f).read_text(encoding="utf-8")
                         for f in meta["manuscript"])
    restored = restore_pdf(pdf, language=meta.get("language")).markdown
    return Own(name, len(pypdf.PdfReader(pdf).pages), score(source, restored), restored, source)


OWN_HEADER = ("| book (digest PDF) | pages | words | word errors | headings (recall/precision, "
              "levels) | paragraph F1 | verse lines | notes | scene breaks | italics "
              "| quotes: straight, curled wrong |")


def own_row(own: Own) -> str:
    s = own.score

    def share(found: float, total: int, digits: int = 0) -> str:
        return f"{found:.{digits}%} of {total}" if total else "–"

    return (f"| {own.name} | {own.pages} | {s.words} | {s.wer:.2%} "
            f"| {s.heading_recall:.0%} / {s.heading_precision:.0%}, {s.heading_levels:.0%} "
            f"| {s.paragraph_f1:.3f} | {share(s.verse_recall, s.verse_total, 1)} "
            f"| {share(s.notes_recovered, s.notes_total)} "
            f"| {f'{s.breaks_found} of {s.breaks_total}' if s.breaks_total else '–'} "
            f"| {share(s.italics_found / max(s.italics_total, 1), s.italics_total)} "
            f"| {s.straight}, {s.quotes_wrong} |")
