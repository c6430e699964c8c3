"""The web edition: one self-contained HTML page, CSS inlined, nothing fetched."""

from __future__ import annotations

import base64

from markupsafe import Markup

from zinepress import __version__
from zinepress.images import for_screen
from zinepress.labels import long_date
from zinepress.model import Document
from zinepress.package import section_xhtml
from zinepress.templating import layouts_for
from zinepress.typeset import epoch_datetime


def make_html(doc: Document, epoch: int) -> bytes:
    layouts = layouts_for(doc.book)

    def image_src(key: str) -> str:  # inline, so the page stays one self-contained file
        picture = doc.pictures[key]
        data = base64.b64encode(for_screen(picture)).decode()
        return f"data:{picture.media_type};base64,{data}"

    sections = []
    for s in doc.sections:
        body = section_xhtml(s, image_src).replace(' epub:type="', ' data-type="')
        sections.append({"id": s.id, "title": s.title, "title_html": Markup(s.title_html),
                         "html": Markup(body)})
    when = epoch_datetime(epoch)
    # CSS inlined in <style>: a stylesheet cannot close the element and open markup.
    css = layouts.read("web.css").replace("</", "<\\/")
    page = layouts.render(
        "web.html.j2", book=doc.book, sections=sections, toc=[s for s in sections if s["title"]],
        css=Markup(css), version=__version__,
        epoch_date=long_date(when, doc.book.language))
    return page.encode("utf-8")
