"""The `zinepress` command: restore, build, impose. Errors are one line and a non-zero exit."""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from zinepress import __version__
from zinepress.book import MAX_MANUSCRIPT_BYTES
from zinepress.errors import ZineError
from zinepress.fsutil import same_file, sha256, write_atomic

MAX_INPUT_MB = 20  # a raw text larger than this is not a book
REPORT_HEADING = "# Restore report for "


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError("must be a whole number from 1 to 64")
    return int(value)


def _megabytes(value: str) -> int:
    """A size limit in MB, as bytes: a positive number, checked by argparse."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of MB") from None
    if not 0 < number <= 4096:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 4096 MB")
    return int(number * 1048576)


def _schema(check: Callable[[Any], Any], parse: Callable[[str], Any] = str
            ) -> Callable[[str], Any]:
    """An argparse type from a book.toml checker: one set of rules for both."""
    from zinepress.book import Invalid

    def convert(value: str) -> Any:
        try:
            return check(parse(value))
        except (Invalid, ValueError) as err:
            raise argparse.ArgumentTypeError(f"{value!r} {err}") from None
    return convert


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not usage plus error
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _check_restore_paths(seed: Path, out: Path | None, report: Path | None,
                         force: bool) -> None:
    """Restore writes two files; neither may replace the input, each other, or a file that
    is not restore's own."""
    for path, what in ((out, "-o"), (report, "--report")):
        if path is not None and same_file(path, seed):
            raise ZineError(f"{path}: {what} is the input text; write it somewhere else")
    if out is not None and report is not None and same_file(out, report):
        raise ZineError(f"{report}: --report and -o name the same file")
    if report is not None and report.exists() and not force:
        with report.open("rb") as handle:
            ours = handle.read(len(REPORT_HEADING.encode())) == REPORT_HEADING.encode()
        if not ours:
            raise ZineError(f"{report}: exists and is not a restore report; not overwriting "
                            "(use --force)")


def _language(value: str) -> str:
    from zinepress.restore.language import BCP47

    if not BCP47.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a language tag such as en or es")
    return value


def _is_pdf(path: Path) -> bool:
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(1024).lstrip()[:5] == b"%PDF-"


def _pages(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,6})(?:-(\d{1,6}))?", value)
    if not match or int(match.group(1)) < 1 or (match.group(2) and
                                                int(match.group(2)) < int(match.group(1))):
        raise argparse.ArgumentTypeError(f"{value!r} is not a page range such as 3-40")
    return int(match.group(1)), int(match.group(2) or match.group(1))


def cmd_restore(args: argparse.Namespace) -> int:
    from zinepress.restore import render_report, restore, restore_pdf
    from zinepress.textio import read_text

    seed = Path(args.seed)
    out = Path(args.output) if args.output else None
    report = Path(args.report) if args.report else None
    _check_restore_paths(seed, out, report, args.force)
    if _is_pdf(seed):
        if seed.stat().st_size > args.max_input:
            raise ZineError(f"{seed}: {seed.stat().st_size / 1048576:.1f} MB is over the limit "
                            f"of {args.max_input / 1048576:.3g} MB")
        first, last = args.pages or (None, None)
        result = restore_pdf(seed, language=args.language, first=first, last=last)
    else:
        if args.pages:
            raise ZineError("--pages is for a PDF; this input is text")
        text = read_text(seed, args.max_input, args.encoding)
        if not text.strip():
            raise ZineError(f"{seed}: the file is empty")
        result = restore(text, language=args.language)
    if out is not None:
        state_file = out.parent / ".zinepress-restore.json"
        try:
            state = json.loads(state_file.read_text())
        except (OSError, ValueError):
            state = {}
        if out.exists() and not args.force:
            current = sha256(out.read_bytes())
            if state.get(out.name) != current:
                raise ZineError(f"{out}: edited since restore wrote it; not overwriting "
                                "(use --force to replace it, keeping a .bak copy)")
        if out.exists() and args.force and sha256(out.read_bytes()) != sha256(result.markdown):
            write_atomic(out.with_name(out.name + ".bak"), out.read_bytes())
        write_atomic(out, result.markdown)
        state[out.name] = sha256(result.markdown)
        write_atomic(state_file, json.dumps(state, indent=1, sort_keys=True) + "\n")
    else:
        sys.stdout.write(result.markdown)
    if report is not None:
        write_atomic(report, render_report(result.decisions, args.seed))
    print(result.summary, file=sys.stderr)
    return 0


def _human(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:.1f} MB"


def _print_result(r) -> None:
    """One line per output as soon as it is done: the build's progress and its table.

    On a terminal, a transient line also says which edition is being built right now."""
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    if r.status == "building":
        if sys.stderr.isatty():
            print(f"building {r.edition} ({Path(r.output).name}) …", end="", file=sys.stderr,
                  flush=True)
        return
    if r.status == "failed":
        where = f" {r.book}/{r.edition}" if r.edition != "-" else ""
        print(f"FAILED{where}: {r.error}", file=sys.stderr, flush=True)
        return
    unit = "sides" if r.output.endswith(".pdf") and "zine" in Path(r.output).name else "pages"
    pages = f"{r.pages} {unit}" if r.pages else ""
    print(f"{r.status:10}  {r.edition:12}  {Path(r.output).name:44}  {pages:>10}  "
          f"{_human(r.size):>8}  {r.seconds:5.1f}s", flush=True)
    for note in r.notes:
        print(f"note: {r.edition}: {note}", flush=True)
    for warning in r.warnings:
        print(f"warning: {r.edition}: {warning}", file=sys.stderr, flush=True)


def _build_once(args: argparse.Namespace, roots: list[str], only: set[str] | None) -> int:
    from zinepress.build import build_many

    results = build_many(roots, args.out, only, force=args.force, report=_print_result,
                         max_manuscript_bytes=args.max_manuscript, jobs=args.jobs,
                         warm=args.watch)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} of {len(results)} outputs failed", file=sys.stderr)
        return 1
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from zinepress.build import expand_books, watched_files

    only = set(args.only.split(",")) if args.only else None
    if only and not only <= {"pdf", "epub", "html", "zine", "cover"}:
        raise ZineError(f"--only takes pdf, epub, html, zine, cover; not {','.join(sorted(only))}")
    roots = expand_books(args.books or ["book"])
    # Listed before building, so a save made during the first build is noticed too.
    seen = watched_files(roots, args.max_manuscript) if args.watch else {}
    status = _build_once(args, roots, only)
    if not args.watch:
        return status
    print("watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
    while True:
        time.sleep(0.5)
        now = watched_files(roots, args.max_manuscript)
        changed = sorted(str(p) for p in set(now) | set(seen) if now.get(p) != seen.get(p))
        if changed:
            print(f"changed: {', '.join(changed)}", file=sys.stderr, flush=True)
            try:
                _build_once(args, roots, only)
            except Exception as err:  # whatever a build does, watching goes on
                from zinepress.build import describe

                print(f"zinepress: {describe(err)}", file=sys.stderr, flush=True)
            seen = watched_files(roots, args.max_manuscript)


def cmd_impose(args: argparse.Namespace) -> int:
    from zinepress.impose import impose_file, instructions

    plan, warnings = impose_file(
        Path(args.input), Path(args.output), layout=args.layout, sheet=args.sheet,
        duplex=args.duplex, creep_mm=args.creep, marks=args.marks,
        cover_last=args.cover_last, signature_pages=args.signature_pages, scale=args.scale)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(instructions(plan, args.sheet, args.duplex, Path(args.output).name), end="")
    return 0


def parser() -> argparse.ArgumentParser:
    from zinepress import book

    top = _Parser(prog="zinepress", description=__doc__)
    top.add_argument("--version", action="version", version=f"zinepress {__version__}")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("restore", help="a PDF, or raw text from one, to a Markdown manuscript")
    p.add_argument("seed")
    p.add_argument("-o", "--output", help="Markdown file to write (default: stdout)")
    p.add_argument("--report", help="write the edit report here")
    p.add_argument("--force", action="store_true",
                   help="overwrite an edited manuscript (the old one is kept as .bak) or a "
                        "report file")
    p.add_argument("--encoding", help="the input's encoding when it is not UTF-8 and has no "
                                      "byte-order mark (e.g. latin-1, cp1252)")
    p.add_argument("--max-input-mb", dest="max_input", type=_megabytes,
                   default=MAX_INPUT_MB * 1048576, help=f"refuse larger inputs ({MAX_INPUT_MB})")
    p.add_argument("--pages", type=_pages, help="of a PDF, only these pages (3-40)")
    p.add_argument("--language", type=_language,
                   help="the text's language, BCP 47 (en, es, fr-CA); detected when not given")
    p.set_defaults(run=cmd_restore)

    b = sub.add_parser("build", help="build every edition of a book")
    b.add_argument("books", nargs="*", help="book directories, or folders of them (default book/)")
    b.add_argument("--out", help="output directory (default build/)")
    b.add_argument("--only", help="comma-separated formats: pdf,epub,html,zine,cover")
    b.add_argument("--force", action="store_true", help="rebuild even if up to date")
    b.add_argument("--watch", action="store_true", help="rebuild whenever an input changes")
    b.add_argument("--jobs", type=_jobs, default=None,
                   help="processes that typeset at once (default: the number of cores)")
    b.add_argument("--max-manuscript-mb", dest="max_manuscript", type=_megabytes,
                   default=MAX_MANUSCRIPT_BYTES,
                   help=f"refuse larger manuscripts ({MAX_MANUSCRIPT_BYTES // 1048576})")
    b.set_defaults(run=cmd_build)

    i = sub.add_parser("impose", help="impose a PDF into booklet or zine sheets")
    i.add_argument("input")
    i.add_argument("-o", "--output", required=True)
    i.add_argument("--layout", default="saddle",
                   choices=["saddle", "signatures", "minizine", "quarter", "2up"])
    i.add_argument("--sheet", default="letter", type=_schema(book.sheet),
                   help="letter, a4, legal, a3, tabloid or WxH")
    i.add_argument("--duplex", default="short", choices=["short", "long"])
    i.add_argument("--creep", type=_schema(book.creep, float), default=0.0,
                   help="paper thickness in mm")
    i.add_argument("--marks", action="store_true", help="fold lines and crop marks")
    i.add_argument("--cover-last", dest="cover_last", action=argparse.BooleanOptionalAction,
                   default=True, help="blanks go before the back cover (default on)")
    i.add_argument("--signature-pages", default=16, help="pages per signature, or auto",
                   type=_schema(book.signature_pages,
                                lambda v: v if v == "auto" else int(v)))
    i.add_argument("--scale", default="fit", choices=["fit", "none"])
    i.set_defaults(run=cmd_impose)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ZineError as err:
        print(f"zinepress: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # unreadable input, unwritable output, a full disk
        where = f"{err.filename}: " if err.filename else ""
        print(f"zinepress: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("zinepress: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug or an input nobody foresaw: still one line, no traceback
        from zinepress.build import describe

        print(f"zinepress: {describe(err)}", file=sys.stderr)
        return 1


def run() -> NoReturn:
    """The command: `main`, then out without tearing the interpreter down. By then every
    output is written and renamed into place and the exit handlers have run; what is left is
    freeing, object by object, memory the system frees at once (WeasyPrint's modules, the
    book): some 0.1 s of every command, a tenth of a small book's build."""
    code = main()
    atexit._run_exitfuncs()  # (temporary folders left to be cleaned at exit, a pool's threads)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # (a reader gone: `zinepress ... | head`)
            code = code or 1
    os._exit(code)
