"""A plain, good-looking cover drawn with Pillow: title, subtitle, author, in the book face."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from zinepress.book import Book

WIDTH, HEIGHT = 1200, 1800
PAPER, INK, ACCENT = (246, 241, 231), (28, 28, 28), (150, 40, 30)
MARGIN = 110


@cache
def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    from zinepress.typeset import font_faces

    wanted = {"title": (600, "normal"), "subtitle": (400, "italic"), "author": (400, "normal")}
    weight, slant = wanted[style]
    face = next(f for f in font_faces() if f.weight == weight and f.style == slant)
    return ImageFont.truetype(str(face.path), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= WIDTH - 2 * MARGIN or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def _block(draw, text: str, style: str, size: int, top: int, fill, spacing: float) -> int:
    font = _font(style, size)
    for line in _wrap(draw, text, font):
        width = draw.textlength(line, font=font)
        draw.text(((WIDTH - width) / 2, top), line, font=font, fill=fill)
        top += int(size * spacing)
    return top


def cover_png(book: Book) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((50, 50, WIDTH - 50, HEIGHT - 50), outline=INK, width=4)
    top = _block(draw, book.title, "title", 104, 360, INK, 1.18)
    top += 40
    draw.line(((WIDTH / 2 - 90, top), (WIDTH / 2 + 90, top)), fill=ACCENT, width=5)
    top += 70
    if book.subtitle:
        _block(draw, book.subtitle, "subtitle", 62, top, INK, 1.25)
    _block(draw, book.author.upper(), "author", 46, HEIGHT - 330, INK, 1.4)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
