"""The zinepress Markdown dialect, as a Python-Markdown extension.

Plain Markdown plus a few conventions a small press needs, each visible in the source:

- a line ending in a backslash (or two spaces) is a hard line break;
- a paragraph whose lines all end in hard breaks is a stanza of verse; consecutive stanzas
  form a poem;
- a paragraph starting with an em dash right after a block quote or a poem (or as the last
  paragraph inside a block quote) is its attribution;
- a paragraph opening with a **bold phrase ending in a colon:** is a lead-in;
- footnotes `[^1]`, smart quotes and dashes;
- raw HTML is not interpreted: it shows as text, so a manuscript cannot pull in files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

DASH = "\u2014"
BACKSLASH_BREAK_RE = r"\\(?:\n|$)"


def _lines(p: ET.Element) -> list[list[ET.Element | str]] | None:
    """Split a paragraph into lines at <br>, or None if it is not all hard-broken lines."""
    lines: list[list[ET.Element | str]] = [[]]
    if p.text:
        lines[0].append(p.text)
    for child in list(p):
        if child.tag == "br":
            lines.append([])
            tail = (child.tail or "").lstrip("\n")
            if tail:
                lines[-1].append(tail)
        else:
            lines[-1].append(child)
    closed = len(lines) >= 2 and not any(not isinstance(x, str) or x.strip() for x in lines[-1])
    if closed:
        lines.pop()  # the last line ended in a hard break too
    if len(lines) < 2 and not closed:
        return None
    if not all(any(not isinstance(x, str) or x.strip() for x in line) for line in lines):
        return None
    return lines


def _text_start(p: ET.Element) -> str:
    return (p.text or "").lstrip()


class StructureTreeprocessor(Treeprocessor):
    """Gives verse, attributions, lead-ins and figures their structure."""

    def run(self, root: ET.Element) -> None:
        for parent in [root, *root.iter("blockquote")]:
            self._verse(parent)
        self._attributions(root)
        self._lead_ins(root)
        self._figures(root)

    def _figures(self, root: ET.Element) -> None:
        """An image alone in its paragraph is a figure, its alt text shown as the caption."""
        for p in list(root):
            if p.tag != "p" or len(p) != 1 or p[0].tag != "img" or (p.text or "").strip() \
                    or (p[0].tail or "").strip():
                continue
            p.tag = "figure"
            p.text = None
            p[0].tail = None
            caption = p[0].get("alt", "").strip()
            if caption:
                ET.SubElement(p, "figcaption").text = caption

    def _verse(self, parent: ET.Element) -> None:
        children = list(parent)
        poem: ET.Element | None = None
        for child in children:
            lines = _lines(child) if child.tag == "p" else None
            if lines is None:
                poem = None
                continue
            stanza = ET.Element("p", {"class": "stanza"})
            for number, line in enumerate(lines):
                span = ET.SubElement(stanza, "span", {"class": "line"})
                for part in line:
                    if isinstance(part, str):
                        if len(span):
                            span[-1].tail = (span[-1].tail or "") + part
                        else:
                            span.text = (span.text or "") + part
                    else:
                        part.tail = (part.tail or "").rstrip("\n") or None
                        span.append(part)
                if number < len(lines) - 1:
                    ET.SubElement(stanza, "br")
            stanza.tail = child.tail
            if poem is None:
                poem = ET.Element("div", {"class": "poem"})
                parent.insert(list(parent).index(child), poem)
            poem.append(stanza)
            parent.remove(child)

    def _attributions(self, root: ET.Element) -> None:
        for parent in [root, *root.iter("blockquote")]:
            children = list(parent)
            for index, child in enumerate(children):
                if child.tag != "p" or not _text_start(child).startswith(DASH):
                    continue
                previous = children[index - 1] if index else None
                last_in_quote = parent.tag == "blockquote" and index == len(children) - 1 and index
                follows = previous is not None and (
                    previous.tag == "blockquote"
                    or (previous.tag == "div" and previous.get("class") == "poem"))
                if last_in_quote:
                    child.set("class", "attribution")
                elif follows:
                    child.set("class", "attribution")
                    parent.remove(child)
                    previous.append(child)

    def _lead_ins(self, root: ET.Element) -> None:
        for p in root.iter("p"):
            if _text_start(p) or not len(p) or p[0].tag != "strong":
                continue
            phrase = "".join(p[0].itertext()).strip()
            if phrase.endswith(":") and len(phrase.split()) <= 12:
                p.set("class", "lead-in")


class ZineDialect(Extension):
    """Registers the dialect's processors on a Markdown instance."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(
            SubstituteTagInlineProcessor(BACKSLASH_BREAK_RE, "br"), "backslash_break", 185)
        md.treeprocessors.register(StructureTreeprocessor(md), "zine_structure", 5)


def make_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[ZineDialect(), "footnotes", "smarty", "sane_lists"],
        extension_configs={
            "footnotes": {"UNIQUE_IDS": False, "SEPARATOR": "-", "BACKLINK_TEXT": "\u21a9\ufe0e"},
            "smarty": {"smart_angled_quotes": False},
        },
        output_format="html",
    )
