"""The `zinepress` command: restore, build, impose. Errors are one line and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from zinepress import __version__
from zinepress.errors import ZineError

MAX_INPUT = 20 * 1024 * 1024  # a raw text larger than this is not a book


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise ZineError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_INPUT:
        raise ZineError(f"{path}: {size / 1e6:.0f} MB is too large for a book text (limit 20 MB)")
    raw = path.read_bytes()
    if not raw.strip():
        raise ZineError(f"{path}: the file is empty")
    if b"\x00" in raw[:65536]:
        raise ZineError(f"{path}: binary data, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ZineError(f"{path}: not UTF-8 text (invalid byte at offset {err.start}); "
                        "convert it first, e.g. iconv -f latin1 -t utf-8") from None


def cmd_restore(args: argparse.Namespace) -> int:
    from zinepress.fsutil import sha256, write_atomic
    from zinepress.restore import render_report, restore

    text = _read_text(Path(args.seed))
    result = restore(text)
    if args.output:
        out = Path(args.output)
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
    if args.report:
        write_atomic(Path(args.report), render_report(result.decisions, args.seed))
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
    for warning in r.warnings:
        print(f"warning: {r.edition}: {warning}", file=sys.stderr, flush=True)


def _build_once(args: argparse.Namespace, roots: list[str], only: set[str] | None) -> int:
    from zinepress.build import build_many

    results = build_many(roots, args.out, only, force=args.force, report=_print_result)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} of {len(results)} outputs failed", file=sys.stderr)
        return 1
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from zinepress.build import expand_books, watched_files

    only = set(args.only.split(",")) if args.only else None
    if only and not only <= {"pdf", "epub", "html", "zine"}:
        raise ZineError(f"--only takes pdf, epub, html, zine; not {','.join(sorted(only))}")
    roots = expand_books(args.books or ["book"])
    status = _build_once(args, roots, only)
    if not args.watch:
        return status
    print("watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
    seen = watched_files(roots)
    while True:
        time.sleep(0.5)
        now = watched_files(roots)
        changed = sorted(str(p) for p in set(now) | set(seen) if now.get(p) != seen.get(p))
        if changed:
            print(f"changed: {', '.join(changed)}", file=sys.stderr, flush=True)
            _build_once(args, roots, only)
            seen = watched_files(roots)


def cmd_impose(args: argparse.Namespace) -> int:
    from zinepress.impose import impose_file, instructions

    signature = args.signature_pages if args.signature_pages == "auto" else int(
        args.signature_pages)
    plan, warnings = impose_file(
        Path(args.input), Path(args.output), layout=args.layout, sheet=args.sheet,
        duplex=args.duplex, creep_mm=args.creep, marks=args.marks,
        cover_last=args.cover_last, signature_pages=signature, scale=args.scale)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(instructions(plan, args.sheet, args.duplex, Path(args.output).name), end="")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="zinepress", description=__doc__)
    top.add_argument("--version", action="version", version=f"zinepress {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("restore", help="raw text (from a PDF) to a Markdown manuscript")
    p.add_argument("seed")
    p.add_argument("-o", "--output", help="Markdown file to write (default: stdout)")
    p.add_argument("--report", help="write the edit report here")
    p.add_argument("--force", action="store_true",
                   help="overwrite an edited manuscript (the old one is kept as .bak)")
    p.set_defaults(run=cmd_restore)

    b = sub.add_parser("build", help="build every edition of a book")
    b.add_argument("books", nargs="*", help="book directories, or folders of them (default book/)")
    b.add_argument("--out", help="output directory (default build/)")
    b.add_argument("--only", help="comma-separated formats: pdf,epub,html,zine")
    b.add_argument("--force", action="store_true", help="rebuild even if up to date")
    b.add_argument("--watch", action="store_true", help="rebuild whenever an input changes")
    b.set_defaults(run=cmd_build)

    i = sub.add_parser("impose", help="impose a PDF into booklet or zine sheets")
    i.add_argument("input")
    i.add_argument("-o", "--output", required=True)
    i.add_argument("--layout", default="saddle",
                   choices=["saddle", "signatures", "minizine", "quarter", "2up"])
    i.add_argument("--sheet", default="letter", help="letter, a4, legal, a3, tabloid or WxH")
    i.add_argument("--duplex", default="short", choices=["short", "long"])
    i.add_argument("--creep", type=float, default=0.0, help="paper thickness in mm")
    i.add_argument("--marks", action="store_true", help="fold lines and crop marks")
    i.add_argument("--cover-last", dest="cover_last", action=argparse.BooleanOptionalAction,
                   default=True, help="blanks go before the back cover (default on)")
    i.add_argument("--signature-pages", default="16", help="pages per signature, or auto")
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
