"""Imposition: numbered PDFs imposed, every sheet read back, the booklet folded in a test."""

from __future__ import annotations

import io
import subprocess
import sys
from functools import cache
from pathlib import Path

import pypdf
import pytest
from pdftools import words

from zinepress.errors import ZineError
from zinepress.impose import choose_signature, impose, plan


@cache
def numbered_pdf(count: int, width: float = 396, height: float = 612) -> bytes:
    """Pages that show their number as real text, typeset by WeasyPrint."""
    from weasyprint import HTML

    pages = "".join(f'<p style="break-after: page">p{n}</p>' for n in range(1, count + 1))
    return HTML(string=f"<style>@page {{ size: {width}pt {height}pt; margin: 0 }} "
                f"p {{ margin: 0; padding-top: {height / 2}pt; text-align: center; "
                f"font: 40pt sans-serif }}</style>{pages}").write_pdf()


def sheet_layout(data: bytes, tmp_path: Path) -> list[list[tuple[int, float, float, bool]]]:
    """For each side: (page number, x centre, y centre from the top, upside down).

    Positions come from poppler (`pdftotext -bbox`), which applies the placement matrices;
    an upside-down page is seen through a render of its rotation: its label's box sits
    above the page centre line instead of below it.
    """
    path = tmp_path / "imposed.pdf"
    path.write_bytes(data)
    sides: list[list] = [[] for _ in pypdf.PdfReader(path).pages]
    rotation = _rotations(data)
    for word in words(path):
        if word.text.startswith("p") and word.text[1:].isdigit():
            number = int(word.text[1:])
            sides[word.page - 1].append((number, (word.x0 + word.x1) / 2,
                                         (word.y0 + word.y1) / 2,
                                         rotation.get((word.page, number), False)))
    return sides


def _rotations(data: bytes) -> dict[tuple[int, int], bool]:
    """Which placed pages are turned 180 degrees, from the placement matrices themselves."""

    return {(index, n): rotated for index, side in enumerate(placements(data), start=1)
            for n, _x, _y, rotated in side}


def placements(data: bytes) -> list[list[tuple[int, float, float, bool]]]:
    """Each side's placed pages as the content stream says: (page, left x, bottom y, turned)."""
    import pikepdf

    sides = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            side, matrix = [], (1.0, 0.0, 0.0)
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix = (float(operands[0]), float(operands[4]), float(operands[5]))
                elif str(operator) == "Do":
                    scale, e, f = matrix
                    form = pdf.pages[0].Resources.XObject.get(operands[0]) or \
                        page.Resources.XObject[operands[0]]
                    width, height = (float(v) for v in form.BBox[2:])
                    left = e if scale > 0 else e - width * abs(scale)
                    bottom = f if scale > 0 else f - height * abs(scale)
                    side.append((int(str(operands[0])[2:]), left, bottom, scale < 0))
            sides.append(side)
    return sides


def fold_saddle(sides, half_width: float = 396) -> list[int]:
    """Simulate: stack the printed sheets, fold once, read the booklet front to back."""

    def cell(side, right: bool) -> int:
        found = [n for n, x, *_ in side if (x >= half_width) == right]
        return found[0] if found else 0

    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    order = []
    for front, back in sheets:  # going in: recto of the front, then verso of the back
        order += [cell(front, True), cell(back, False)]
    for front, back in reversed(sheets):  # coming out: the other halves
        order += [cell(back, True), cell(front, False)]
    return order


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 24, 31, 40])
def test_saddle_reads_in_order_after_folding(count: int, tmp_path: Path) -> None:
    data, the_plan, _ = impose(numbered_pdf(count), "saddle", "letter")
    sides = sheet_layout(data, tmp_path)
    assert len(sides) == the_plan.padded // 2
    order = fold_saddle(sides)
    content = [n for n in order if n]
    assert content == list(range(1, count + 1))
    if count > 2:
        assert order[-1] == count  # the back cover stays the back cover


def test_saddle_front_and_back_positions(tmp_path: Path) -> None:
    data, _, _ = impose(numbered_pdf(8), "saddle", "letter")
    sides = sheet_layout(data, tmp_path)
    as_pairs = [[n for n, *_ in sorted(side, key=lambda s: s[1])] for side in sides]
    assert as_pairs == [[8, 1], [2, 7], [6, 3], [4, 5]]
    assert all(not rot for side in sides for *_, rot in side)


def test_long_edge_duplex_turns_backs(tmp_path: Path) -> None:
    data, _, _ = impose(numbered_pdf(8), "saddle", "letter", duplex="long")
    for index, side in enumerate(placements(data)):
        assert all(rot == (index % 2 == 1) for *_, rot in side)
        ordered = [n for n, *_ in sorted(side, key=lambda s: s[1])]
        # Backs are turned 180 degrees: the left page of the back lands on the right.
        assert ordered == [[8, 1], [7, 2], [6, 3], [5, 4]][index]


def test_without_cover_last_blanks_go_at_the_end(tmp_path: Path) -> None:
    data, _, _ = impose(numbered_pdf(5), "saddle", "letter", cover_last=False)
    order = fold_saddle(sheet_layout(data, tmp_path))
    assert order == [1, 2, 3, 4, 5, 0, 0, 0]


def test_minizine_panels(tmp_path: Path) -> None:
    data, _, warnings = impose(numbered_pdf(8), "minizine", "letter")
    (side,) = placements(data)
    top = [n for n, x, y, rot in sorted(side, key=lambda s: s[1]) if y >= 306]
    bottom = [n for n, x, y, rot in sorted(side, key=lambda s: s[1]) if y < 306]
    assert top == [5, 4, 3, 2] and bottom == [6, 7, 8, 1]
    assert all(rot == (n in (5, 4, 3, 2)) for n, _, _, rot in side)
    assert any("scaled" in w for w in warnings)
    for n, x, y, rot in sheet_layout(data, tmp_path)[0]:  # where poppler sees upright text
        if rot:
            continue
        column = {5: 0, 4: 1, 3: 2, 2: 3, 6: 0, 7: 1, 8: 2, 1: 3}[n]
        assert column * 198 < x < (column + 1) * 198
        assert (y < 306) == (n in (5, 4, 3, 2))


def test_quarter_and_2up_and_signatures(tmp_path: Path) -> None:
    data, quarter, _ = impose(numbered_pdf(16), "quarter", "letter")
    assert quarter.padded == 16 and len(quarter.sides) == 4
    found = sorted(n for side in sheet_layout(data, tmp_path) for n, *_ in side)
    assert found == list(range(1, 17))
    data, _two, _ = impose(numbered_pdf(5), "2up", "letter")
    pairs = [[n for n, *_ in sorted(s, key=lambda s: s[1])] for s in sheet_layout(data, tmp_path)]
    assert pairs == [[1, 2], [3, 4], [5]]
    sig = plan(40, "signatures", signature_pages=16)
    assert sig.padded == 48 and len(sig.sides) == 24
    assert choose_signature(40) == 20 and choose_signature(48) == 24


def test_creep_shifts_inner_sheets_toward_the_spine(tmp_path: Path) -> None:
    plain, _, _ = impose(numbered_pdf(16), "saddle", "letter")
    crept, _, _ = impose(numbered_pdf(16), "saddle", "letter", creep_mm=1.0)
    a, b = sheet_layout(plain, tmp_path), sheet_layout(crept, tmp_path)
    for depth in range(4):
        for (n, x, *_), (m, x2, *_) in zip(sorted(a[2 * depth]), sorted(b[2 * depth]),
                                           strict=True):
            assert n == m
            toward_spine = (x2 - x) * (1 if x < 396 else -1)
            assert toward_spine == pytest.approx(depth * 72 / 25.4, abs=0.5)


def test_marks_are_drawn_only_when_asked() -> None:
    def strokes(marks: bool) -> list[bytes]:
        data, _, _ = impose(numbered_pdf(4, 360, 560), "saddle", "letter", marks=marks,
                            scale="none")
        content = pypdf.PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
        assert content.count(b"Do Q") == 2  # both pages placed either way
        return [line for line in content.splitlines() if b" l S" in line]

    assert strokes(marks=False) == []
    assert len(strokes(marks=True)) >= 10  # fold ticks and crop marks at every corner


@pytest.mark.parametrize("bad", [b"", b"not a pdf at all", b"%PDF-1.4\n garbage"])
def test_bad_input_is_a_clear_error(bad: bytes) -> None:
    with pytest.raises(ZineError):
        impose(bad)


def test_cli_prints_instructions_and_writes_atomically(tmp_path: Path) -> None:
    src = tmp_path / "in.pdf"
    src.write_bytes(numbered_pdf(6))
    out = tmp_path / "out.pdf"
    command = [sys.executable, "-m", "zinepress", "impose", str(src), "-o", str(out),
               "--layout", "saddle", "--sheet", "a4"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "flip on SHORT edge" in result.stdout and "staple" in result.stdout
    assert "scaled" in result.stderr
    command = [sys.executable, "-m", "zinepress", "impose", str(tmp_path / "nope.pdf"),
               "-o", str(out)]
    bad = subprocess.run(command, capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1


def test_signatures_fold_each_in_order(tmp_path: Path) -> None:
    data, the_plan, _ = impose(numbered_pdf(40), "signatures", "letter", signature_pages=16)
    sides = sheet_layout(data, tmp_path)
    order = []
    per_signature = 16 // 2  # sides per signature
    for start in range(0, len(sides), per_signature):
        order += fold_saddle(sides[start:start + per_signature])
    assert [n for n in order if n] == list(range(1, 41))
    assert order[-1] == 40 and the_plan.padded == 48


def test_quarter_booklet_cut_stack_fold(tmp_path: Path) -> None:
    data, _, _ = impose(numbered_pdf(16), "quarter", "letter", duplex="long")
    sides = placements(data)
    # Cut every side in half (top and bottom), put all top halves around all bottom halves.
    def halves(row_top: bool):
        return [[(n, x, 0, r) for n, x, y, r in side if (y >= 396) == row_top] for side in sides]

    stacked = halves(True) + halves(False)
    order = fold_saddle([[(n, x + 1, 0, r) for n, x, _, r in s] for s in stacked], half_width=306)
    assert [n for n in order if n] == list(range(1, 17))


def test_marks_are_outside_every_page(tmp_path: Path) -> None:
    import pikepdf

    data, _, _ = impose(numbered_pdf(8, 340, 560), "saddle", "letter", marks=True, scale="none")
    path = tmp_path / "m.pdf"
    path.write_bytes(data)
    with pikepdf.open(path) as pdf:
        ops = list(pikepdf.parse_content_stream(pdf.pages[0]))
    segments, point = [], None
    for operands, operator in ops:
        if str(operator) == "m":
            point = (float(operands[0]), float(operands[1]))
        elif str(operator) == "l":
            end = (float(operands[0]), float(operands[1]))
            segments.append((point, end))
    assert len(segments) >= 8
    pages = [(28, 26, 368, 586), (424, 26, 764, 586)]  # the two placed pages, in points
    for (x0, y0), (x1, y1) in segments:
        for left, bottom, right, top in pages:
            inside = (left + 0.5 < max(x0, x1) and min(x0, x1) < right - 0.5
                      and bottom + 0.5 < max(y0, y1) and min(y0, y1) < top - 0.5)
            assert not inside, ((x0, y0), (x1, y1))


def test_booklet_renders_with_both_pages_inked(tmp_path: Path) -> None:
    from PIL import Image

    data, _, _ = impose(numbered_pdf(8), "saddle", "letter")
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(tmp_path / "sheet")], check=True)
    image = Image.open(tmp_path / "sheet.png").convert("L")
    width, height = image.size
    assert width > height  # landscape
    left = image.crop((0, 0, width // 2, height)).getextrema()
    right = image.crop((width // 2, 0, width, height)).getextrema()
    assert left[0] < 128 and right[0] < 128  # each half holds a printed page


def test_encrypted_and_empty_pdfs_are_refused() -> None:
    import pikepdf

    with pytest.raises(ZineError, match="encrypted"):
        impose(_resaved(numbered_pdf(4), encryption=pikepdf.Encryption(owner="o", user="u")))
    empty = pikepdf.new()
    buffer = io.BytesIO()
    empty.save(buffer)
    with pytest.raises(ZineError, match="no pages"):
        impose(buffer.getvalue())


def test_mixed_page_sizes_warn_and_scale() -> None:
    import pikepdf

    first = pikepdf.open(io.BytesIO(numbered_pdf(3)))
    other = pikepdf.open(io.BytesIO(numbered_pdf(1, 612, 792)))
    first.pages.append(other.pages[0])
    buffer = io.BytesIO()
    first.save(buffer)
    _, _, warnings = impose(buffer.getvalue(), "saddle", "letter")
    assert any("page 4" in w or "pages 4" in w for w in warnings)


def test_sheet_too_small_is_refused() -> None:
    with pytest.raises(ZineError, match="too small"):
        impose(numbered_pdf(4), "minizine", "1x2in")
    with pytest.raises(ZineError, match="unknown sheet"):
        impose(numbered_pdf(4), "saddle", "napkin")


def test_quarter_short_edge_turns_backs(tmp_path: Path) -> None:
    data, _, _ = impose(numbered_pdf(16), "quarter", "letter", duplex="short")
    for index, side in enumerate(placements(data)):
        assert all(rot == (index % 2 == 1) for *_, rot in side)


def _resaved(data: bytes, **options) -> bytes:
    import pikepdf

    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(buffer, **options)
    return buffer.getvalue()


def _objects(data: bytes) -> dict[tuple[int, int], bytes]:
    import pikepdf

    found = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if not obj.is_indirect:
                continue
            text = obj.unparse(resolved=True)
            if isinstance(obj, pikepdf.Stream):
                if obj.stream_dict.get("/Type") in ("/ObjStm", "/XRef"):
                    continue
                text += obj.read_raw_bytes()
            found[obj.objgen] = text
    return found


@pytest.mark.parametrize("writer", ["weasyprint", "qpdf"])
def test_unpacked_object_streams_hold_the_same_objects(writer: str) -> None:
    """WeasyPrint's one big object stream, and qpdf's many with a predicted xref stream."""
    import pikepdf

    from zinepress.pdfio import unpack_object_streams

    source = numbered_pdf(12)
    if writer == "qpdf":
        source = _resaved(source, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    out = io.BytesIO()
    assert unpack_object_streams(source, out)
    unpacked = out.getvalue()
    assert b"/ObjStm" not in unpacked
    with pikepdf.open(io.BytesIO(unpacked)) as pdf:
        assert not pdf.get_warnings()
        assert len(pdf.pages) == 12
    assert _objects(unpacked) == _objects(source)


def test_files_unpacking_cannot_help_are_left_to_qpdf() -> None:
    import pikepdf

    from zinepress.pdfio import unpack_object_streams

    classic = _resaved(numbered_pdf(4), object_stream_mode=pikepdf.ObjectStreamMode.disable)
    locked = _resaved(numbered_pdf(4), encryption=pikepdf.Encryption(owner="o", user=""))
    for data in (classic, locked, b"", b"%PDF-1.7\nnonsense", numbered_pdf(4)[:-200]):
        assert not unpack_object_streams(data, io.BytesIO())
    _, _, warnings = impose(classic)  # qpdf still reads them
    assert not warnings


def test_rotated_split_and_inheriting_pages_are_placed_as_shown(tmp_path: Path) -> None:
    """Page 2 has /Rotate 90, page 3 two content streams, and every page inherits its
    resources from the page tree: each still lands whole and the way a viewer shows it."""
    import pikepdf

    with pikepdf.open(io.BytesIO(numbered_pdf(4))) as pdf:
        pdf.pages[1].obj.Rotate = 90
        third = pdf.pages[2].obj
        third.Contents = pikepdf.Array([pdf.make_stream(b"q"), third.Contents,
                                        pdf.make_stream(b"Q")])
        pdf.Root.Pages.Resources = pdf.pages[0].obj.Resources
        for page in pdf.pages:
            del page.obj["/Resources"]
        buffer = io.BytesIO()
        pdf.save(buffer)
    data, _, _ = impose(buffer.getvalue(), "2up", "letter")
    path = tmp_path / "odd.pdf"
    path.write_bytes(data)
    found = {w.text: w for w in words(path)}
    assert set(found) == {"p1", "p2", "p3", "p4"}
    for name, word in found.items():
        tall = (word.y1 - word.y0) > (word.x1 - word.x0)
        assert tall == (name == "p2"), name  # only the rotated page's label reads sideways
    with pikepdf.open(path) as pdf:
        assert not pdf.check_pdf_syntax()
        assert "/Matrix" in pdf.pages[0].Resources.XObject["/P2"]


def test_file_and_bytes_give_the_same_sheets(tmp_path: Path) -> None:
    from zinepress.impose import impose_file

    source = tmp_path / "in.pdf"
    source.write_bytes(numbered_pdf(9))
    impose_file(source, tmp_path / "out.pdf", layout="saddle", sheet="a4", marks=True)
    data, _, _ = impose(numbered_pdf(9), "saddle", "a4", marks=True)
    assert (tmp_path / "out.pdf").read_bytes() == data


def test_png_predictors_of_cross_reference_streams_are_undone() -> None:
    """Rows filtered with each PNG filter type (encoded here by the book) decode back."""
    import random

    from zinepress.pdfio import _unpredict

    def paeth(a: int, b: int, c: int) -> int:
        p = a + b - c
        return min((abs(p - a), 0, a), (abs(p - b), 1, b), (abs(p - c), 2, c))[2]

    rng = random.Random(7)
    columns = 5
    rows = [bytes(rng.randrange(256) for _ in range(columns)) for _ in range(10)]
    encoded, previous = bytearray(), bytes(columns)
    for number, row in enumerate(rows):
        kind = number % 5
        encoded.append(kind)
        for i, value in enumerate(row):
            left, up = row[i - 1] if i else 0, previous[i]
            corner = previous[i - 1] if i else 0
            predicted = (0, left, up, (left + up) // 2, paeth(left, up, corner))[kind]
            encoded.append((value - predicted) & 255)
        previous = row
    parms = b"<< /Columns 5 /Predictor 12 >>"
    assert _unpredict(bytes(encoded), parms) == b"".join(rows)
