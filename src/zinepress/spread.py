"""A cover spread for a perfect-bound book: back, spine and front on one sheet, with bleed.

The spine is as wide as the book is thick: its leaves (the interior's pages / 2) times the
paper's thickness. The interior is the book's first PDF edition, so the spine follows the
text as it grows. The design is the booklet cover's (`cover.html.j2`), set side by side in
`cover-spread.html.j2`.
"""

from __future__ import annotations

import io
import math

from zinepress import __version__
from zinepress.book import Edition, to_points
from zinepress.labels import long_date
from zinepress.model import Document

SPINE_TEXT_MIN = 0.25 * 72  # points: narrower spines carry no title


def spine_width(pages: int, edition: Edition) -> float:
    """The spine in points: one leaf of paper for every two pages, as thick as the paper;
    or, given the paper's pages per inch, that many pages to the inch."""
    if edition.paper_ppi:
        return 2 * math.ceil(pages / 2) / edition.paper_ppi * 72
    return math.ceil(pages / 2) * to_points(edition.paper_thickness)


def cover_spread(doc: Document, edition: Edition, interior_pages: int, epoch: int) -> bytes:
    """The spread as a PDF, byte-identical for the same inputs and epoch."""
    from zinepress.templating import layouts_for
    from zinepress.typeset import epoch_datetime, font_faces, fonts_dated, lay_out

    book = doc.book
    layouts = layouts_for(book)
    spine = spine_width(interior_pages, edition)
    when = epoch_datetime(epoch)
    source = layouts.render(
        "cover-spread.html.j2", book=book, edition=edition, fonts=font_faces(),
        print_css=layouts.find("print.css").as_uri(), cover_style=edition.cover_style,
        cover_image=book.cover_image.as_uri() if book.cover_image else "",
        spine=f"{spine:.2f}pt", spine_text=spine >= SPINE_TEXT_MIN, version=__version__,
        epoch_date=long_date(when, book.language),
        epoch_iso=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    out = io.BytesIO()
    with fonts_dated(epoch):
        lay_out(book, layouts, source).write_pdf(
            out, pdf_variant=edition.pdf_variant, pdf_tags=True,
            pdf_identifier=f"{book.slug}-cover".encode())
    return out.getvalue()
