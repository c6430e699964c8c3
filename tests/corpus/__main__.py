"""Print the restore score table: every corpus text in every page style, then the held-out texts.

usage: python tests/corpus [--holdout] [--only TEXT[/STYLE]] [--why] [--show] [--ratchet]
                          [--remake]
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from corpus.corpus import (
    HOLDOUT,
    KEPT_SHEETS,
    META,
    PDF_STYLES,
    RATCHET,
    STYLES,
    TUNED,
    Result,
    cases,
    make_kept,
    run,
)
from corpus.own import NAMES, OWN_HEADER, own_row, run_own
from corpus.score import explain

HEADER = ("| text | style | words | word errors (pdftotext floor) "
          "| headings (recall/precision, levels) "
          "| paragraph F1 (on starts the text shows) "
          "| verse lines | list items | notes | scene breaks | italics "
          "| quotes: straight, curled wrong | stanza breaks (F1) |")


def _row(result: Result) -> str:
    case, lost, result = result.case, result.floor, result.score
    verse = f"{result.verse_recall:.1%} of {result.verse_total}" if result.verse_total else "–"
    items = (f"{result.items_found / result.items_total:.0%} of {result.items_total}"
             if result.items_total else "–")
    notes = (f"{result.notes_recovered:.0%} of {result.notes_total}" if result.notes_total
             else "–")
    breaks = (f"{result.breaks_found} of {result.breaks_total}" if result.breaks_total else "–")
    typed = case.style == "etext"  # (no extractor: nothing lost, every start shown)
    italics = (f"{result.italics_found / result.italics_total:.0%} of {result.italics_total}"
               if result.italics_total and (case.from_pdf or typed) else "–")  # (dumps: none)
    levels = f", {result.heading_levels:.0%}" if case.from_pdf else ""  # text has no sizes
    stanzas = (f"{result.stanza_f1:.3f} of {result.stanzas_total}"
               if result.verse_total else "–")  # (in a book of verse only)
    floor = "" if case.from_pdf or typed else f" ({lost:.2%})"  # pdftotext's loss, not ours
    marked = "" if case.from_pdf or typed else f" ({result.marked_f1:.3f})"
    return (f"| {case.text} | {case.style} | {result.words} | {result.wer:.2%}{floor} "
            f"| {result.heading_recall:.0%} / {result.heading_precision:.0%}{levels} "
            f"| {result.paragraph_f1:.3f}{marked} | {verse} | {items} | {notes} | {breaks} "
            f"| {italics} "
            f"| {result.straight}, {result.quotes_wrong} | {stanzas} |")


def main() -> int:
    parser = argparse.ArgumentParser(prog="restore-score")
    parser.add_argument("--holdout", action="store_true", help="score the held-out texts too")
    parser.add_argument("--cache", type=Path, default=Path("build/restore-corpus"))
    parser.add_argument("--only", help="one text (or TEXT/STYLE)")
    parser.add_argument("--show", action="store_true", help="write restored Markdown to cache")
    parser.add_argument("--why", action="store_true", help="list word and paragraph errors")
    parser.add_argument("--ratchet", action="store_true",
                        help=f"record today's figures in {RATCHET.name}: the tests hold to them")
    parser.add_argument("--remake", action="store_true",
                        help="make the kept PDFs anew: LaTeX's and a browser's (needs pandoc, "
                             "xelatex and Chromium)")
    args = parser.parse_args()
    if args.remake:
        with ProcessPoolExecutor() as pool:
            made = list(pool.map(make_kept, *zip(*[(text, sheet) for text in META
                                                   for sheet in KEPT_SHEETS], strict=True)))
        print(f"{len(made)} kept PDFs made", file=sys.stderr)
    texts = TUNED + (HOLDOUT if args.holdout else ())
    chosen = cases(texts, STYLES + PDF_STYLES)
    if args.only:
        chosen = [c for c in chosen if args.only in (c.text, c.name)]
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(run, chosen, [args.cache] * len(chosen)))
    print(HEADER)
    print("| --- " * (HEADER.count("|") - 1) + "|")
    words = seconds = 0.0
    for result in results:
        print(_row(result))
        words += len(result.case.source.split())
        seconds += result.seconds
        if args.show:
            (args.cache / f"{result.case.text}.{result.case.style}.restored.md").write_text(
                result.restored)
        for kind, items in (("missed", result.score.missed_headings),
                            ("extra", result.score.extra_headings)):
            if items and args.only:
                print(f"  {kind} headings: {items}", file=sys.stderr)
        if args.why:
            for line in explain(result.case.source, result.restored):
                print("  " + line, file=sys.stderr)
    print(f"\n{len(results)} cases, {int(words)} words restored at {words / seconds:,.0f} "
          "words/s (one process each; `nox -s bench` measures speed)")
    if args.holdout and not args.only:
        print(f"\n{OWN_HEADER}\n" + "| --- " * (OWN_HEADER.count("|") - 1) + "|")
        with ProcessPoolExecutor() as pool:
            owns = list(pool.map(run_own, NAMES, [args.cache / "own"] * len(NAMES)))
        for own in owns:
            print(own_row(own))
            if args.why:
                for line in explain(own.source, own.restored):
                    print(f"  {own.name}: {line}", file=sys.stderr)
    if args.ratchet:
        figures = {r.case.name: r.figures() for r in results if r.case.text in TUNED}
        RATCHET.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
        print(f"recorded {len(figures)} cases in {RATCHET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
