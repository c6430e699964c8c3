"""A picture of a booklet's sheets, to check the order before printing a stack of paper.

Each sheet is one row: its front and its back as printed (rendered by PDFium through
pypdfium2), the booklet page on each half written under it, the fold dashed, and the edge
the printer turns the sheet over marked. Same booklet in, same PNG out.
"""

from __future__ import annotations

import io

from zinepress.impose import Plan, rotate_backs

INK, PAPER, FOLD, EDGE = (30, 30, 30), (255, 255, 255), (150, 150, 150), (200, 60, 40)
BACKGROUND = (232, 228, 220)


def sheets_png(imposed: bytes, the_plan: Plan, duplex: str, title: str = "") -> bytes:
    """The sheets of an imposed booklet as one PNG: a row per sheet, front then back."""
    import pypdfium2
    from PIL import Image, ImageDraw

    document = pypdfium2.PdfDocument(imposed)
    try:
        count = len(document)
        width_pt, height_pt = document[0].get_size()
        thumb = 300 if count <= 24 else 160
        scale = thumb / width_pt
        cell_h = round(height_pt * scale)
        pad, label = 24, 40
        top = 64
        sheets = (count + 1) // 2 if the_plan.duplex else count
        sides_per_row = 2 if the_plan.duplex else 1
        canvas = Image.new("RGB", (pad + sides_per_row * (thumb + pad),
                                   top + sheets * (cell_h + label + pad)), BACKGROUND)
        draw = ImageDraw.Draw(canvas)
        font, small = _font(18), _font(13)
        flips = the_plan.duplex and rotate_backs(the_plan, duplex)
        how = (f"printed both sides, turned over on the {duplex} edge (red)"
               if the_plan.duplex else "printed on one side")
        draw.text((pad, 8), title, fill=INK, font=font)
        draw.text((pad, 32), f"{sheets} sheet{'s' if sheets != 1 else ''}, {how}; "
                  "fold on the dashed line", fill=INK, font=small)
        for index in range(count):
            sheet, back = divmod(index, sides_per_row)
            x = pad + back * (thumb + pad)
            y = top + sheet * (cell_h + label + pad)
            picture = document[index].render(scale=scale).to_pil().convert("RGB")
            canvas.paste(picture, (x, y))
            draw.rectangle((x, y, x + picture.width - 1, y + picture.height - 1), outline=INK)
            side = the_plan.sides[index]
            if side.cols == 2 and side.rows == 1:  # a fold down the middle
                middle = x + picture.width // 2
                for dash in range(y, y + picture.height, 12):
                    draw.line((middle, dash, middle, min(dash + 6, y + picture.height)),
                              fill=FOLD, width=1)
            if the_plan.duplex:
                _mark_flip_edge(draw, x, y, picture.width, picture.height, duplex,
                                the_plan.landscape)
            pages = "  ".join(_slot_label(the_plan, side, col, flips)
                              for col in range(side.cols))
            name = f"sheet {sheet + 1} {'back' if back else 'front'}"
            draw.text((x, y + picture.height + 4), name, fill=INK, font=small)
            draw.text((x + picture.width, y + picture.height + 4), pages, fill=INK,
                      font=small, anchor="ra")
    finally:
        document.close()
    out = io.BytesIO()
    canvas.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _slot_label(the_plan: Plan, side, col: int, flips: bool) -> str:
    """The booklet pages on one column of a side as printed, numbered in reading order
    (the back cover is the booklet's last page, after the blanks)."""
    shown = (side.cols - 1 - col) if (side.back and flips) else col

    def name(page: int) -> str:
        if not page:
            return "blank"
        last = the_plan.cover_last and page == the_plan.pages and page > 1
        return f"p{the_plan.padded if last else page}"

    return "/".join(name(slot.page) for slot in side.slots if slot.col == shown)


def _mark_flip_edge(draw, x: int, y: int, width: int, height: int, duplex: str,
                    landscape: bool) -> None:
    """A red bar on the edges the sheet turns over on: the short ones or the long ones."""
    short_is_side = width > height  # a landscape picture: its short edges are left and right
    on_sides = (duplex == "short") == short_is_side
    if on_sides:
        draw.line((x - 4, y, x - 4, y + height), fill=EDGE, width=3)
        draw.line((x + width + 3, y, x + width + 3, y + height), fill=EDGE, width=3)
    else:
        draw.line((x, y - 4, x + width, y - 4), fill=EDGE, width=3)
        draw.line((x, y + height + 2, x + width, y + height + 2), fill=EDGE, width=3)


def _font(size: int):
    from PIL import ImageFont

    from zinepress.typeset import font_faces

    return ImageFont.truetype(str(font_faces()[0].path), size)
