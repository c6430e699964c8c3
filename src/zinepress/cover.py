"""The EPUB's cover image, drawn from the same design as the printed cover.

`layouts/cover.html.j2` and `print.css` make the booklet's front cover; here WeasyPrint sets
that page alone at 4 x 6 in and PDFium (pypdfium2) renders it to a PNG of 1200 x 1800 pixels,
so a change to the cover's design shows in print and on the e-reader alike.
"""

from __future__ import annotations

import io

from zinepress.book import Book, Edition
from zinepress.templating import layouts_for

WIDTH_IN, HEIGHT_IN, DPI = 4, 6, 300


def cover_png(book: Book, edition: Edition | None = None, epoch: int = 0) -> bytes:
    """The front cover as a PNG; `edition` gives its style and colour (the first booklet's,
    or the defaults)."""
    import pypdfium2

    from zinepress.typeset import font_faces, fonts_dated, lay_out

    layouts = layouts_for(book)
    style = edition.cover_style if edition else "frame"
    color = edition.cover_color if edition else ""
    source = layouts.render(
        "cover-page.html.j2", book=book, fonts=font_faces(),
        print_css=layouts.find("print.css").as_uri(), cover_style=style, cover_color=color,
        cover_image=book.cover_image.as_uri() if book.cover_image else "",
        width=f"{WIDTH_IN}in", height=f"{HEIGHT_IN}in")
    with fonts_dated(epoch):
        pdf = lay_out(book, layouts, source).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
