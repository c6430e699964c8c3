"""The web edition: one self-contained HTML page, CSS inlined, nothing fetched."""

from __future__ import annotations

from markupsafe import Markup

from zinepress import __version__
from zinepress.model import Document
from zinepress.package import section_xhtml
from zinepress.templating import environment, layouts_dir, read_layout
from zinepress.typeset import epoch_datetime


def make_html(doc: Document, epoch: int) -> bytes:
    layouts = layouts_dir(doc.book)
    sections = []
    for s in doc.sections:
        body = section_xhtml(s).replace(' epub:type="', ' data-type="')
        sections.append({"id": s.id, "title": s.title, "title_html": Markup(s.title_html),
                         "html": Markup(body)})
    when = epoch_datetime(epoch)
    page = environment(layouts).get_template("web.html.j2").render(
        book=doc.book, sections=sections, toc=[s for s in sections if s["title"]],
        css=Markup(read_layout(layouts, "web.css")), version=__version__,
        epoch_date=when.strftime("%-d %B %Y"))
    return page.encode("utf-8")
