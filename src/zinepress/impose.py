"""Impose: place a PDF's pages on printer sheets as booklets and zines.

Each source page becomes a Form XObject placed with a transformation matrix, so text stays
text and the output is about the size of its input. Page order is pure arithmetic (`plan`),
tested apart from the PDF work (`impose`).
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from zinepress.errors import ZineError
from zinepress.pdfio import SheetWriter, unpack_object_streams

MM = 72 / 25.4
SHEETS: dict[str, tuple[float, float]] = {  # portrait width, height in points
    "letter": (612, 792), "legal": (612, 1008), "tabloid": (792, 1224),
    "a4": (595.28, 841.89), "a3": (841.89, 1190.55), "a5": (419.53, 595.28),
}
MAX_PAGES = 10_000
LAYOUTS = ("saddle", "signatures", "minizine", "quarter", "2up")
SIGNATURE_RANGE = (16, 20, 24, 28, 32)


@dataclass(frozen=True)
class Slot:
    """One page on one side of a sheet: page number (1-based, 0 for blank) and its cell."""

    page: int
    col: int
    row: int
    rotated: bool = False
    sheet_depth: int = 0  # 0 = outermost sheet of its booklet, for creep
    spine_right: bool = False  # the fold is to the right of this cell


@dataclass(frozen=True)
class Side:
    cols: int
    rows: int
    slots: tuple[Slot, ...]
    back: bool = False


@dataclass(frozen=True)
class Plan:
    layout: str
    pages: int  # source pages
    padded: int
    sides: tuple[Side, ...]
    duplex: bool
    landscape: bool
    cover_last: bool = False  # blanks go before the last page, the back cover


def parse_sheet(sheet: str) -> tuple[float, float]:
    """A named sheet, or WxH with units (e.g. 11x17in, 297x420mm)."""
    name = sheet.lower()
    if name in SHEETS:
        return SHEETS[name]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(in|mm|pt)", name)
    if not match:
        raise ZineError(f"unknown sheet {sheet!r}: use {', '.join(SHEETS)} or WxH like 11x17in")
    unit = {"in": 72.0, "mm": MM, "pt": 1.0}[match.group(3)]
    width, height = float(match.group(1)) * unit, float(match.group(2)) * unit
    if not (72 <= width <= 14400 and 72 <= height <= 14400):
        raise ZineError(f"sheet {sheet!r}: each side must be between 1in and 200in")
    return min(width, height), max(width, height)


def pad_order(pages: int, multiple: int, cover_last: bool) -> list[int]:
    """Reading order with blanks (0) added; with cover_last they go before the back cover."""
    padded = -(-max(pages, 1) // multiple) * multiple
    blanks = [0] * (padded - pages)
    order = list(range(1, pages + 1))
    if cover_last and pages > 2:
        return order[:-1] + blanks + order[-1:]
    return order + blanks


def _saddle_sides(order: list[int], first_depth: int = 0) -> list[Side]:
    """Nested sheets of one booklet: front [P-2i | 2i+1], back [2i+2 | P-2i-1]."""
    count = len(order)
    sides = []
    for i in range(count // 4):
        page = lambda n: order[n - 1]  # noqa: E731 (1-based into the padded order)
        depth = first_depth + i
        sides.append(Side(2, 1, (Slot(page(count - 2 * i), 0, 0, sheet_depth=depth,
                                      spine_right=True),
                                 Slot(page(2 * i + 1), 1, 0, sheet_depth=depth))))
        sides.append(Side(2, 1, (Slot(page(2 * i + 2), 0, 0, sheet_depth=depth,
                                      spine_right=True),
                                 Slot(page(count - 2 * i - 1), 1, 0, sheet_depth=depth)),
                          back=True))
    return sides


def choose_signature(pages: int) -> int:
    """The signature size in 16-32 that wastes the fewest blank pages (larger on ties)."""
    return min(SIGNATURE_RANGE, key=lambda size: ((-pages) % size, -size))


def plan(pages: int, layout: str, *, cover_last: bool = True,
         signature_pages: int | str = 16) -> Plan:
    if pages < 1:
        raise ZineError("the PDF has no pages")
    if layout == "saddle":
        order = pad_order(pages, 4, cover_last)
        return Plan(layout, pages, len(order), tuple(_saddle_sides(order)), True, True,
                    cover_last)
    if layout == "signatures":
        size = choose_signature(pages) if signature_pages == "auto" else int(signature_pages)
        if size < 4 or size % 4:
            raise ZineError(f"--signature-pages must be a multiple of 4, not {signature_pages}")
        order = pad_order(pages, size, cover_last)
        sides: list[Side] = []
        for start in range(0, len(order), size):
            sides += _saddle_sides(order[start:start + size])
        return Plan(layout, pages, len(order), tuple(sides), True, True, cover_last)
    if layout == "2up":
        order = pad_order(pages, 2, False)
        sides = [Side(2, 1, (Slot(order[i], 0, 0), Slot(order[i + 1], 1, 0)))
                 for i in range(0, len(order), 2)]
        return Plan(layout, pages, len(order), tuple(sides), False, True)
    if layout == "minizine":
        order = pad_order(pages, 8, cover_last)
        sides = []
        for start in range(0, len(order), 8):
            sheet = order[start:start + 8]
            top = [Slot(sheet[n - 1], col, 0, rotated=True) for col, n in enumerate((5, 4, 3, 2))]
            bottom = [Slot(sheet[n - 1], col, 1) for col, n in enumerate((6, 7, 8, 1))]
            sides.append(Side(4, 2, tuple(top + bottom)))
        return Plan(layout, pages, len(order), tuple(sides), False, True, cover_last)
    if layout == "quarter":
        order = pad_order(pages, 8, cover_last)
        halves = _saddle_sides(order)  # one saddle booklet of len/4 half-sheets
        count = len(halves) // 2
        sides = []
        for k in range(count // 2):
            outer, inner = k, k + count // 2  # top pile goes outside the bottom pile
            for back in (0, 1):
                top, bottom = halves[2 * outer + back], halves[2 * inner + back]
                slots = tuple(Slot(s.page, s.col, 0, sheet_depth=s.sheet_depth,
                                   spine_right=s.spine_right) for s in top.slots) + tuple(
                    Slot(s.page, s.col, 1, sheet_depth=s.sheet_depth,
                         spine_right=s.spine_right) for s in bottom.slots)
                sides.append(Side(2, 2, slots, back=bool(back)))
        return Plan(layout, pages, len(order), tuple(sides), True, False, cover_last)
    raise ZineError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")


def rotate_backs(plan_: Plan, duplex: str) -> bool:
    """Does the printer turn backs upside down relative to fronts?

    Flipping a landscape sheet on its short edge, or a portrait sheet on its long edge, keeps
    the back upright; the other flip turns it 180 degrees, so we pre-rotate the backs.
    """
    if duplex not in ("short", "long"):
        raise ZineError(f"--duplex must be short or long, not {duplex!r}")
    return (duplex == "long") if plan_.landscape else (duplex == "short")


def instructions(plan_: Plan, sheet: str, duplex: str, output: str) -> str:
    sheets = len(plan_.sides) // (2 if plan_.duplex else 1)
    paper = f"{sheets} sheet{'s' if sheets != 1 else ''} of {sheet} paper"
    orient = "landscape" if plan_.landscape else "portrait"
    blanks = plan_.padded - plan_.pages
    lines = [f"How to print {output}", "",
             f"Pages: {plan_.pages} source pages"
             + (f", {blanks} blank{'s' if blanks != 1 else ''} added" if blanks else "")
             + f" ({plan_.layout} layout).",
             f"Paper: {paper}, {orient}. Print at 100% / actual size (no 'fit to page')."]
    if plan_.duplex:
        edge = "short" if duplex == "short" else "long"
        lines.append(f"Printer: double-sided, flip on {edge.upper()} edge. If your printer "
                     "only prints one side: print the odd pages, put the stack back in the "
                     f"tray face down, then print the even pages (test one sheet first).")
    else:
        lines.append("Printer: single-sided.")
    if plan_.layout in ("saddle", "signatures"):
        lines += ["Fold: keep the sheets in printed order, fold the stack in half along the "
                  "middle, the first page outside.",
                  "Bind: staple twice on the fold (saddle stitch), from the outside."]
        if plan_.layout == "signatures":
            lines.insert(-1, "Each group of sheets is one signature: fold each separately, "
                         "stack them in order, then sew or glue along the spines.")
            lines[-1] = "Bind: sew or glue the stacked signatures along the spine."
    elif plan_.layout == "quarter":
        lines += ["Cut: cut each sheet in half across its width.",
                  "Stack: put all top halves, in order, around all bottom halves.",
                  "Fold the stack in half, first page outside, and staple on the fold."]
    elif plan_.layout == "minizine":
        lines += ["Fold: fold the sheet in half lengthwise, open, fold it in half the other "
                  "way, then in quarters.",
                  "Cut: cut along the dashed line in the middle (between the centre panels).",
                  "Fold: open lengthwise, push the ends together so the slit opens into a "
                  "diamond, then fold the pages around the cover (page 1)."]
    else:
        lines.append("Proof print: no folding.")
    return "\n".join(lines) + "\n"


def impose(data: bytes, layout: str = "saddle", sheet: str = "letter", **options
           ) -> tuple[bytes, Plan, list[str]]:
    """Impose a PDF; returns the imposed PDF, its plan, and warnings for the user."""
    buffer = io.BytesIO()
    the_plan, warnings = _impose(data, buffer, layout, sheet, **options)
    return buffer.getvalue(), the_plan, warnings


_ENCRYPTED = "the PDF is encrypted; decrypt it first (e.g. qpdf --decrypt)"


@contextmanager
def _opened(source: Path | bytes) -> Iterator:
    """The source PDF in pikepdf, its object streams unpacked so that qpdf parses only the
    pages and resources we place (see `pdfio`)."""
    import mmap

    import pikepdf

    with ExitStack() as stack:
        data: bytes | mmap.mmap = source if isinstance(source, bytes) else b""
        if isinstance(source, Path) and source.stat().st_size:
            handle = stack.enter_context(source.open("rb"))
            data = stack.enter_context(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        spool = stack.enter_context(tempfile.TemporaryFile())
        try:
            if unpack_object_streams(data, spool):
                spool.seek(0)
                pdf = pikepdf.open(spool)
            else:
                pdf = pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source)
        except pikepdf.PasswordError:
            raise ZineError(_ENCRYPTED) from None
        except pikepdf.PdfError as err:
            raise ZineError(f"not a readable PDF: {str(err).splitlines()[0]}") from None
        with pdf:
            if pdf.is_encrypted:
                raise ZineError(_ENCRYPTED)
            yield pdf


def _impose(source: Path | bytes, target: BinaryIO, layout: str = "saddle",
            sheet: str = "letter", *, duplex: str = "short", creep_mm: float = 0.0,
            marks: bool = False, cover_last: bool = True, signature_pages: int | str = 16,
            scale: str = "fit") -> tuple[Plan, list[str]]:
    """Read a PDF (a path or its bytes), write the imposed PDF to `target`."""
    with _opened(source) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ZineError(f"the PDF has {len(pdf.pages)} pages; at most {MAX_PAGES} are imposed")
        try:
            pages = [_SourcePage(page.obj) for page in pdf.pages]
        except (TypeError, ValueError, KeyError) as err:
            raise ZineError(f"a page's boxes are unreadable: {err}") from None
        for number, page in enumerate(pages, start=1):
            x0, y0, x1, y1 = page.bbox
            if not all(1 <= side <= 200 * 72 for side in (*page.box[2:], x1 - x0, y1 - y0)):
                raise ZineError(f"page {number} is {x1 - x0:g} x {y1 - y0:g} pt; "
                                "a page must be between 1 pt and 200 in on each side")
        the_plan = plan(len(pages), layout, cover_last=cover_last,
                        signature_pages=signature_pages)
        page_w, page_h = pages[0].box[2], pages[0].box[3]
        warnings = []
        odd = [str(n + 1) for n, p in enumerate(pages)
               if abs(p.box[2] - page_w) > 1 or abs(p.box[3] - page_h) > 1]
        if odd:
            warnings.append(f"pages {', '.join(odd[:10])} differ in size from page 1; "
                            "scaled to fit")
        sheet_w, sheet_h = parse_sheet(sheet)
        if the_plan.landscape:
            sheet_w, sheet_h = sheet_h, sheet_w
        first = the_plan.sides[0]
        cell_w, cell_h = sheet_w / first.cols, sheet_h / first.rows
        if cell_w < 72 or cell_h < 72:
            raise ZineError(f"the {sheet} sheet is too small for {layout}")
        fit = min(cell_w / page_w, cell_h / page_h)
        if scale == "none":
            if fit < 0.99:
                raise ZineError(f"pages are {page_w:.0f}x{page_h:.0f} pt but {layout} on "
                                f"{sheet} has {cell_w:.0f}x{cell_h:.0f} pt cells; "
                                "use --scale fit")
            fit = 1.0
        elif abs(fit - 1) > 0.01:
            warnings.append(f"pages scaled to {fit:.1%} to fit {sheet} ({layout})")
        writer = SheetWriter(pdf, target, str(pdf.pdf_version))
        catalog, tree = writer.reserve(), writer.reserve()
        forms: dict[int, int] = {}
        kids = []
        flip_backs = the_plan.duplex and rotate_backs(the_plan, duplex)
        for side in the_plan.sides:
            content, names = [], []
            for slot in side.slots:
                if not slot.page:
                    continue
                source_page = pages[slot.page - 1]
                if slot.page not in forms:
                    forms[slot.page] = source_page.write_form(writer)
                names.append(b"/P%d %d 0 R" % (slot.page, forms[slot.page]))
                bx, by, bw, bh = source_page.box
                s = min(cell_w / bw, cell_h / bh) if scale == "fit" else 1.0
                x0 = slot.col * cell_w + (cell_w - bw * s) / 2
                y0 = (side.rows - 1 - slot.row) * cell_h + (cell_h - bh * s) / 2
                shift = slot.sheet_depth * creep_mm * MM
                x0 += shift if slot.spine_right else -shift
                rotated = slot.rotated != (side.back and flip_backs)
                if side.back and flip_backs:
                    x0 = sheet_w - x0 - bw * s
                    y0 = sheet_h - y0 - bh * s
                if rotated:
                    matrix = (-s, 0, 0, -s, x0 + bw * s + bx * s, y0 + bh * s + by * s)
                else:
                    matrix = (s, 0, 0, s, x0 - bx * s, y0 - by * s)
                content.append("q {} cm /P{} Do Q".format(" ".join(_num(v) for v in matrix),
                                                          slot.page))
            if marks:
                content.append(_marks(the_plan, side, sheet_w, sheet_h, cell_w, cell_h,
                                      page_w * fit, page_h * fit))
            page, stream = writer.reserve(), writer.reserve()
            writer.write(page, b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "
                         b"/Resources << /XObject << %s >> >> /Contents %d 0 R >>"
                         % (tree, _num(sheet_w).encode(), _num(sheet_h).encode(),
                            b" ".join(names), stream))
            writer.write_stream(stream, b"", "\n".join(content).encode(), compress=True)
            writer.copy_pending()
            kids.append(page)
        writer.write(tree, b"<< /Type /Pages /Kids [%s] /Count %d >>"
                     % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids)))
        writer.write(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
        writer.finish(catalog)
    return the_plan, warnings


class _SourcePage:
    """One source page: its visible box as placed, and how to write it as a Form XObject.

    The form reuses the page's compressed content stream as it is, so nothing is decoded
    unless the page has several content streams.
    """

    def __init__(self, obj) -> None:
        self.obj = obj
        media = _numbers(_inherited(obj, "/MediaBox")) or [0, 0, 612, 792]
        self.bbox = _numbers(_inherited(obj, "/CropBox")) or media
        trim = _numbers(obj.get("/TrimBox")) or self.bbox
        self.rotate = int(_inherited(obj, "/Rotate") or 0) % 360
        self.matrix = _rotation(self.rotate, self.bbox)
        corners = [_apply(self.matrix, x, y) for x in (trim[0], trim[2])
                   for y in (trim[1], trim[3])]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        self.box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def write_form(self, writer: SheetWriter) -> int:
        import pikepdf

        number = writer.reserve()
        entries = [b"/Type /XObject /Subtype /Form /BBox [%s]"
                   % b" ".join(_num(v).encode() for v in self.bbox)]
        if self.rotate:
            entries.append(b"/Matrix [%s]" % b" ".join(_num(v).encode() for v in self.matrix))
        for key, value in (("/Resources", _inherited(self.obj, "/Resources")),
                           ("/Group", self.obj.get("/Group"))):
            if value is not None:
                entries.append(key.encode() + b" " + writer.rewrite(
                    value.unparse(resolved=not value.is_indirect)))
        contents = self.obj.get("/Contents")
        if isinstance(contents, pikepdf.Stream):
            for key in ("/Filter", "/DecodeParms"):
                if key in contents.stream_dict:
                    entries.append(key.encode() + b" " + writer.rewrite(
                        contents.stream_dict[key].unparse(resolved=True)))
            writer.write_stream(number, b" ".join(entries), contents.read_raw_bytes(),
                                compress=False)
        else:
            parts = contents if isinstance(contents, pikepdf.Array) else []
            data = b"\n".join(part.read_bytes() for part in parts)
            writer.write_stream(number, b" ".join(entries), data, compress=True)
        return number


def _inherited(obj, key: str):
    """A page attribute, looked up through its parents as the PDF format says."""
    for _depth in range(32):
        if key in obj:
            return obj[key]
        obj = obj.get("/Parent")
        if obj is None:
            return None
    return None


def _numbers(array) -> list[float] | None:
    return [float(v) for v in array] if array is not None else None


def _rotation(rotate: int, box: list[float]) -> tuple[float, ...]:
    """The form matrix that shows a /Rotate page upright, its box's corner at the origin."""
    x0, y0, x1, y1 = box
    return {0: (1, 0, 0, 1, 0, 0), 90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
            270: (0, 1, -1, 0, y1, -x0)}[rotate - rotate % 90]


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _marks(the_plan: Plan, side: Side, sheet_w: float, sheet_h: float, cell_w: float,
           cell_h: float, page_w: float, page_h: float) -> str:
    """Fold lines and crop marks, drawn only in the sheet margin outside the pages."""
    ops = ["q 0.3 w 0 G"]
    margin_x = (cell_w - page_w) / 2
    margin_y = (cell_h - page_h) / 2
    tick = 12.0
    for col in range(1, side.cols):  # fold or cut between columns: ticks at top and bottom
        x = col * cell_w
        ops.append(f"[3 2] 0 d {_num(x)} 0 m {_num(x)} {_num(min(tick, sheet_h))} l S")
        ops.append(f"{_num(x)} {_num(sheet_h - tick)} m {_num(x)} {_num(sheet_h)} l S [] 0 d")
    for row in range(1, side.rows):  # cut between rows: ticks at left and right
        y = row * cell_h
        ops.append(f"[3 2] 0 d 0 {_num(y)} m {_num(tick)} {_num(y)} l S")
        ops.append(f"{_num(sheet_w - tick)} {_num(y)} m {_num(sheet_w)} {_num(y)} l S [] 0 d")
    if margin_x > 4 and margin_y > 4:  # crop marks at page corners, outside the trim
        for col in range(side.cols):
            for row in range(side.rows):
                left, bottom = col * cell_w + margin_x, row * cell_h + margin_y
                for x in (left, left + page_w):
                    for y, direction in ((bottom, -1), (bottom + page_h, 1)):
                        ops.append(f"{_num(x)} {_num(y + direction * 2)} m "
                                   f"{_num(x)} {_num(y + direction * min(margin_y, tick))} l S")
                        sign = -1 if x == left else 1
                        ops.append(f"{_num(x + sign * 2)} {_num(y)} m "
                                   f"{_num(x + sign * min(margin_x, tick))} {_num(y)} l S")
    if the_plan.layout == "minizine":  # the centre slit, dashed
        ops.append(f"[4 3] 0 d {_num(cell_w)} {_num(cell_h)} m {_num(3 * cell_w)} {_num(cell_h)}"
                   " l S [] 0 d")
    ops.append("Q")
    return "\n".join(ops)


def impose_file(src: Path, dst: Path, **options) -> tuple[Plan, list[str]]:
    """File to file, streaming from disk; the output appears only once it is complete."""
    from zinepress.fsutil import open_atomic, same_file

    if not src.is_file():
        raise ZineError(f"{src}: no such file")
    if same_file(src, dst):
        raise ZineError(f"{dst}: is the input; write the booklet to another file")
    with open_atomic(dst) as out:
        the_plan, warnings = _impose(src, out, **options)
    return the_plan, warnings
