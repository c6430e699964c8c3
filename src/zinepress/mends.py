"""Mends for bugs in WeasyPrint and pydyf, applied in process when WeasyPrint is imported.

Each is written for the versions it names and checks them: another version keeps its own
code (a fix upstream, or a rewrite, makes the mend moot rather than wrong). Each is applied
once; a marker on what it replaced says so.
"""

from __future__ import annotations

import math
import re

PYDYF_PATCHED_FOR = ((0, 11), (0, 14))  # pydyf versions whose page_references we replace
WEASYPRINT_LINES_MENDED_FOR = ((60,), (71,))  # WeasyPrint versions whose line split we mend
CFFI_TYPES_QUICK_FOR = ((1, 15), (3,))  # cffi versions whose type parser we short-cut
# A C type WeasyPrint asks cffi for by name: a typedef or primitive, its pointers, or an array
# of it ("PangoRectangle *", "hb_codepoint_t[1097]", "char[]").
_SIMPLE_TYPE = re.compile(r"\s*([A-Za-z_]\w*(?: [A-Za-z_]\w*)*)\s*(\**)\s*(?:\[(\d*)\])?\s*")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


def _within(version: tuple[int, ...], bounds: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
    low, high = bounds
    return low <= version < high


class CachedPageReferences(property):
    """The marker: pydyf's `page_references` is already ours."""


def cache_page_references() -> bool:
    """pydyf 0.13 rebuilds the tuple of every page's reference each time WeasyPrint's tagging
    asks for one, once per structure element: quadratic in the page count, some 10% of a
    450-page book. The tuple changes only when a page is added, so keep it per page count.
    Returns whether the mend is in place."""
    import pydyf

    upstream = pydyf.PDF.page_references
    if isinstance(upstream, CachedPageReferences):
        return True
    if not (_within(_version(pydyf.__version__), PYDYF_PATCHED_FOR)
            and isinstance(upstream, property)):
        return False

    def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_zinepress_page_references")
        if cached is None or cached[0] != count:
            cached = (count, upstream.fget(pdf))
            pdf.__dict__["_zinepress_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = CachedPageReferences(page_references)
    return True


def keep_lines_whole() -> bool:
    """WeasyPrint (70) breaks a text after its first word where the text, from a line's
    start, fits the line but for its own trailing space: the text before an inline element
    (`... the <em>Nazeby</em>`), one line in some hundreds of pages ("piece" alone at the
    top of a page, the rest of its line under it). The space collapses at the line's end,
    and WeasyPrint's inline layout allows for that; its line splitter does not. Where that
    split was made and the text without its trailing spaces fits, the text is kept whole.
    Returns whether the mend is in place."""
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    upstream = inline.split_first_line
    if getattr(upstream, "_zinepress_mend", False):
        return True
    if not (_within(_version(weasyprint.__version__), WEASYPRINT_LINES_MENDED_FOR)
            and upstream is line_break.split_first_line):
        return False

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        split = upstream(text, style, context, max_width, justification_spacing,
                         is_line_start, minimum)
        length, resume = split[1], split[2]
        if (resume is None or minimum or max_width is None or not text.endswith(" ")
                or style["white_space"] not in ("normal", "pre-line")):
            return split
        first_word = text.lstrip(" ").split(" ", 1)[0]
        if length > len(text.encode()) - len(text.lstrip(" ").encode()) + len(
                first_word.encode()):
            return split  # not the split after the first word this mends: a real line
        kept = text.rstrip(" ")
        whole = upstream(kept, style, context, max_width, justification_spacing,
                         is_line_start, minimum)
        if whole[2] is not None or whole[3] > max_width:
            return split  # it does not fit without its spaces either
        return upstream(text, style, context, math.inf, justification_spacing,
                        is_line_start, minimum)

    split_first_line._zinepress_mend = True
    inline.split_first_line = split_first_line
    return True


def parse_types_quickly() -> bool:
    """cffi parses each new C type string WeasyPrint hands `ffi.new` with pycparser, after a
    preamble declaring every typedef Pango, HarfBuzz and fontconfig have: some 8 ms a string,
    and the font subsetter's arrays are a new string for every length ("hb_codepoint_t[1097]").
    Fifteen such strings cost a fresh process 0.1 s of the seed's typeset. A typedef or a
    primitive, its pointers or an array of it, is built here from what the parser already
    declared, as its own parse builds it; anything else still goes to the parser.
    Returns whether the mend is in place."""
    import cffi
    from cffi import commontypes, model
    from weasyprint.text.ffi import ffi

    parser = ffi._parser
    upstream = parser.parse_type
    if getattr(upstream, "_zinepress_mend", False):
        return True
    if not _within(_version(cffi.__version__), CFFI_TYPES_QUICK_FOR):
        return False

    def parse_type(cdecl: str):
        simple = _SIMPLE_TYPE.fullmatch(cdecl)
        if simple is None:
            return upstream(cdecl)
        name, stars, length = simple.groups()
        declared = parser._declarations.get("typedef " + name)
        if declared is None and name in model.PrimitiveType.ALL_PRIMITIVE_TYPES:
            declared = commontypes.resolve_common_type(parser, name)
        if declared is None:
            return upstream(cdecl)
        tp, quals = declared
        for _ in stars:
            tp, quals = parser._get_type_pointer(tp, quals), 0
        if length is not None:
            tp = model.ArrayType(tp, int(length) if length else None)
        return tp

    parse_type._zinepress_mend = True
    parser.parse_type = parse_type
    return True


def mend() -> None:
    """Every mend that applies to the versions installed."""
    cache_page_references()
    keep_lines_whole()
    parse_types_quickly()
