"""Package: the document model to an EPUB 3 with EbookLib, byte-identical on rebuild.

EbookLib 0.20's traps are handled here: its random identifier (ours is a uuid5 of title and
author), its zip times and entry order (we rewrite the zip), a cover page outside the spine
(ours is in it), duplicate creator ids (one id per author) and `write_epub` returning False.
"""

from __future__ import annotations

import copy
import io
import uuid
import zipfile
from collections.abc import Callable
from html import escape

from lxml import etree

from zinepress import __version__
from zinepress.book import Book, Edition
from zinepress.cover import cover_png
from zinepress.errors import ZineError
from zinepress.images import for_screen
from zinepress.labels import long_date, words
from zinepress.model import Document, Section, inner_html
from zinepress.pagination import EPUB_NS, HEADING, PageStart, marker, with_markers
from zinepress.templating import Layouts, layouts_for
from zinepress.typeset import epoch_datetime, font_faces, fonts_dated
from zinepress.typography import join_dashes, map_text, space_quotes


def book_uuid(book: Book) -> str:
    """Stable across rebuilds and machines: derived from what identifies the book."""
    if book.identifier:
        return book.identifier
    key = f"zinepress:{book.title}|{book.author}"
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def protect(text: str) -> str:
    """Standard Ebooks' typography: no line starts with a dash; touching quotes get a hair space."""
    return space_quotes(join_dashes(text))


def _typeset_text(element: etree._Element) -> None:
    map_text(element, protect)


def _semantics(block: etree._Element) -> None:
    for div in block.iter("div"):
        if div.get("class") == "poem":
            div.set(f"{{{EPUB_NS}}}type", "z3998:poem")
    for p in block.iter("p"):
        if p.get("class") == "stanza":
            p.set(f"{{{EPUB_NS}}}type", "z3998:verse")
    for call in block.xpath(".//sup[@id]/a"):
        call.set(f"{{{EPUB_NS}}}type", "noteref")
        call.set("role", "doc-noteref")


def section_xhtml(section: Section, image_src: Callable[[str], str],
                  starts: tuple[PageStart, ...] = ()) -> str:
    """A section as XHTML, with the print edition's page breaks `starts` marked in it;
    `image_src` turns an image's book-relative path into its address."""
    body = []
    for index, block in enumerate(with_markers(section.id, section.blocks, starts)):
        for img in block.iter("img"):
            img.set("src", image_src(img.get("src")))
        _semantics(block)
        if index == 0 and block.tag == "blockquote" and section.title:
            # A quotation under a heading, before the text: an epigraph.
            block.set(f"{{{EPUB_NS}}}type", "epigraph")
            block.set("role", "doc-epigraph")
        _typeset_text(block)
        body.append(_markup(block))
    notes = []
    for note in section.notes:
        holder = etree.Element("div")
        for child in note.body:
            holder.append(copy.deepcopy(child))
        _typeset_text(holder)
        back = f' <a href="#{note.ref_id}" role="doc-backlink">↩︎</a>'
        notes.append(f'<aside id="{note.id}" epub:type="footnote" role="doc-footnote">'
                     f"{inner_html(holder)}{back}</aside>")
    heading = ""
    if section.heading is not None:
        element = copy.deepcopy(section.heading)
        _semantics(element)
        _typeset_text(element)
        heading = _markup(element)
    opening = "".join(_markup(marker(start.label)) for start in starts
                      if start.section == section.id and start.block == HEADING)
    level = 3 if section.title else 2  # headings in order: a level below the section's
    notes_html = (f'<section class="notes" epub:type="footnotes"><h{level}>Notes</h{level}>'
                  f'{"".join(notes)}</section>') if notes else ""
    label = f' aria-label="{escape(section.title or "Text")}"' if not section.title else ""
    return (f'<section id="{section.id}" epub:type="chapter" role="doc-chapter"{label}>'
            f'{opening}{heading}{"".join(body)}{notes_html}</section>')


def _markup(element: etree._Element) -> str:
    """An element as XHTML inside a page that declares the epub prefix itself."""
    holder = etree.Element("div", nsmap={"epub": EPUB_NS})  # attributes use the epub prefix
    holder.append(element)
    etree.cleanup_namespaces(holder, top_nsmap={"epub": EPUB_NS})
    return etree.tostring(element, encoding="unicode").replace(f' xmlns:epub="{EPUB_NS}"', "", 1)


def _page(title: str, body: str, language: str, body_type: str) -> str:
    language = escape(language)  # a checked BCP 47 tag already; escaped all the same
    return ("<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n"
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="{EPUB_NS}" '
            f'epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/#" '
            f'lang="{language}" xml:lang="{language}"><head><title>{escape(title)}</title>'
            '<link rel="stylesheet" type="text/css" href="css/book.css"/></head>'
            f'<body epub:type="{body_type}">{body}</body></html>')


def make_epub(doc: Document, epoch: int, pages: tuple[PageStart, ...] = (),
              paged_by: Edition | None = None, cover: bytes | None = None) -> bytes:
    """The EPUB 3 of a book, byte-identical for the same inputs and epoch. `pages`: where
    the pages of the print edition `paged_by` start, for page-break markers and a page list;
    `cover`: its cover picture, if drawn already (`cover_png`)."""
    from ebooklib import epub

    book = doc.book
    layouts = layouts_for(book)
    when = epoch_datetime(epoch)
    said = words(book.language)
    out = epub.EpubBook()
    out.set_identifier(book_uuid(book))
    out.set_title(book.title)
    out.set_language(book.language)
    for index, author in enumerate(book.authors):
        out.add_author(author, file_as=_file_as(author), uid=f"author-{index + 1}")
    meta = [
        ("DC", "date", book.date or when.strftime("%Y-%m-%d"), None),
        ("DC", "rights", book.rights, None),
        ("DC", "source", book.source, None),
        ("DC", "publisher", book.publisher, None),
        ("DC", "description", book.description or book.subtitle, None),
        ("DC", "subject", book.subject, None),
    ]
    print_source = (f"{book.title}, {paged_by.name} print edition "
                    f"({paged_by.page_width} by {paged_by.page_height}, zinepress)"
                    if pages and paged_by else "")
    for ns, name, value, others in meta:
        if value:
            out.add_metadata(ns, name, value, others)
    if print_source:  # where the page numbers come from, said as EPUB 3 and Ace read it
        out.add_metadata("DC", "source", print_source, {"id": "print-source"})
        out.add_metadata(None, "meta", "pagination", {"refines": "#print-source",
                                                      "property": "source-of"})
    if book.subtitle:
        out.add_metadata("DC", "title", book.subtitle, {"id": "subtitle"})
        out.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle",
                                                    "property": "title-type"})
    accessibility = [
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityFeature", "displayTransformability"),
        *([("schema:accessibilityFeature", "pageBreakMarkers"),
           ("schema:accessibilityFeature", "pageNavigation")] if print_source else []),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary",
         "Text with headings, a table of contents and semantic markup for verse, quotations "
         "and notes; the cover image has a text alternative."),
        ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
        ("a11y:certifiedBy", "zinepress"),
    ]
    for prop, value in accessibility:
        out.add_metadata(None, "meta", value, {"property": prop})

    css = layouts.read("epub.css")
    if book.embed_fonts:
        faces = []
        used = doc.text() + "".join(chr(c) for c in range(0x20, 0x7F)) + "‘’“”—–…↩"
        for face in font_faces():
            if face.weight == 600:
                continue  # the EPUB's bold is 700
            name = f"fonts/{face.path.name}"
            with fonts_dated(epoch):
                content = subset_font(face.path, used)
            out.add_item(epub.EpubItem(uid=face.path.stem, file_name=name,
                                       media_type="font/ttf", content=content))
            faces.append(f'@font-face {{ font-family: "Book Serif"; src: url("../{name}"); '
                         f"font-weight: {face.weight}; font-style: {face.style}; }}")
        css = "\n".join(faces) + "\nbody { font-family: \"Book Serif\", serif; }\n" + css
    out.add_item(epub.EpubItem(uid="css", file_name="css/book.css", media_type="text/css",
                               content=css.encode()))
    cover_image = epub.EpubCover(uid="cover-img", file_name="images/cover.png")
    cover_image.content = cover if cover is not None else cover_png(book, book.cover_design,
                                                                    epoch)
    out.add_item(cover_image)  # EpubCover carries the cover-image property
    out.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})

    def page(uid: str, name: str, title: str, body: str, body_type: str):
        item = epub.EpubItem(uid=uid, file_name=name, media_type="application/xhtml+xml",
                             content=_page(title, body, book.language, body_type).encode())
        out.add_item(item)
        return item

    cover = page("cover", "cover.xhtml", said["cover"],
                 '<section epub:type="cover" class="cover"><img src="images/cover.png" '
                 f'alt="{escape(book.title)}, {escape(book.subtitle)}, {said["by"]} '
                 f'{escape(book.author)}"/></section>', "frontmatter")
    title_body = (f'<section epub:type="titlepage" class="titlepage"><h1>{escape(book.title)}</h1>'
                  + (f'<p class="subtitle">{escape(book.subtitle)}</p>' if book.subtitle else "")
                  + f'<p class="author">{escape(book.author)}</p></section>')
    titlepage = page("titlepage", "titlepage.xhtml", said["title_page"], title_body,
                     "frontmatter")
    for picture in sorted(set(doc.pictures.values()), key=lambda p: p.file_name):
        out.add_item(epub.EpubImage(uid=picture.file_name.split(".")[0],
                                    file_name=f"images/{picture.file_name}",
                                    media_type=picture.media_type,
                                    content=for_screen(picture)))

    def image_src(key: str) -> str:
        return f"images/{doc.pictures[key].file_name}"

    chapters = []
    for index, section in enumerate(doc.sections):
        chapters.append(page(f"s{index + 1}", f"{section.id}.xhtml",
                             section.title or book.title, section_xhtml(section, image_src, pages),
                             "bodymatter"))
    colophon = page("colophon", "colophon.xhtml", said["colophon"],
                    _colophon(book, layouts, when, said), "backmatter")
    nav = epub.EpubNav()
    out.add_item(nav)
    out.add_item(epub.EpubNcx())
    titled = [(c, s) for c, s in zip(chapters, doc.sections, strict=True) if s.title]
    out.toc = [epub.Link(titlepage.file_name, said["title_page"], "titlepage")]
    out.toc += [epub.Link(c.file_name, s.title, s.id) for c, s in titled] or [
        epub.Link(chapters[0].file_name, book.title, "text")]
    out.toc.append(epub.Link(colophon.file_name, said["colophon"], "colophon"))
    out.guide = [
        {"type": "cover", "href": cover.file_name, "title": said["cover"]},
        {"type": "titlepage", "href": titlepage.file_name, "title": said["title_page"]},
        {"type": "toc", "href": "nav.xhtml", "title": said["contents"]},
        {"type": "text", "href": chapters[0].file_name, "title": said["start"]},
    ]
    out.spine = [cover, titlepage, "nav", *chapters, colophon]
    out.items.sort(key=lambda item: item.file_name)  # a sorted manifest
    buffer = io.BytesIO()
    options = {"mtime": when.replace(tzinfo=None), "epub2_guide": False, "epub3_landmark": True,
               "landmark_title": said["landmarks"], "raise_exceptions": True, "epub3_pages": False}
    if not epub.write_epub(buffer, out, options):
        raise ZineError(f"{book.root}: EbookLib could not write the EPUB")
    page_list = [(f"{start.section}.xhtml#page-{start.label}", start.label) for start in pages
                 if start.section in {section.id for section in doc.sections}]
    return _reproducible_zip(buffer.getvalue(), when.timetuple()[:6], {
        "EPUB/content.opf": lambda data: _package_language(data, book.language),
        "EPUB/nav.xhtml": lambda data: _with_page_list(data, page_list, said)})


def _package_language(opf: bytes, language: str) -> bytes:
    """The package's own xml:lang, which EbookLib does not write (Ace: epub-lang)."""
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _with_page_list(nav: bytes, pages: list[tuple[str, str]], said: dict[str, str]) -> bytes:
    """The navigation document with a page list of the print edition, if there is one."""
    if not pages:
        return nav
    root = etree.fromstring(nav)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    body = root.find(f"{xhtml}body")
    page_list = etree.SubElement(body, f"{xhtml}nav", {
        f"{{{EPUB_NS}}}type": "page-list", "role": "doc-pagelist", "id": "page-list",
        "aria-label": said["print_pages"], "hidden": "hidden"})
    etree.SubElement(page_list, f"{xhtml}h2").text = said["pages"]
    items = etree.SubElement(page_list, f"{xhtml}ol")
    for href, label in pages:
        link = etree.SubElement(etree.SubElement(items, f"{xhtml}li"), f"{xhtml}a", href=href)
        link.text = label
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def subset_font(path, text: str) -> bytes:
    """Only the glyphs the book uses: a small EPUB, the same bytes on every rebuild."""
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in text})
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _file_as(author: str) -> str:
    parts = author.split()
    if len(parts) >= 2 and "," not in author and "." not in author:
        return f"{parts[-1]}, {' '.join(parts[:-1])}"
    return author


def _colophon(book: Book, layouts: Layouts, when, said: dict[str, str]) -> str:
    body = layouts.render(
        "colophon.html.j2", book=book, version=__version__,
        epoch_date=long_date(when, book.language), made_with=said["made_with"])
    return ('<section epub:type="colophon" role="doc-colophon" class="colophon">'
            f'<h2>{said["colophon"]}</h2>{body}</section>')


def _reproducible_zip(data: bytes, date_time: tuple[int, ...],
                      rewrite: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """`mimetype` first and stored, then every entry in name order with one fixed time;
    the entries named in `rewrite` passed through their function."""
    date_time = max(date_time, (1980, 1, 1, 0, 0, 0))
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in source.namelist() if n != "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        info = zipfile.ZipInfo("mimetype", date_time)
        info.compress_type = zipfile.ZIP_STORED
        target.writestr(info, b"application/epub+zip")
        for name in names:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = rewrite.get(name, lambda data: data)(source.read(name))
            target.writestr(info, content, compresslevel=9)
    return out.getvalue()
