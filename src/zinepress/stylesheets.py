"""Stylesheets parsed once a process, not once a document.

A book typeset in parts (units.py) is 20 to 60 WeasyPrint documents, every one linking the
same `print.css` and carrying the same page style with six `@font-face` rules. WeasyPrint
parses a document's own `<style>` and `<link>` sheets, and loads its fonts, each time: some
40 ms a document, a sixth of a novel's typesetting. Here each sheet is parsed once (keyed by
its text, so an edited layout is parsed anew) into one font configuration per book, and
handed to WeasyPrint with the document instead of from it.

WeasyPrint gives sheets handed to it the user's origin, not the author's. With every sheet
handed over in the document's order that cascades the same, but for an inline `style`
attribute's `!important`; a document where the two could differ (that, sheets outside the
head, a `media` attribute, rules that reach beyond the sheet: `@import`, `@counter-style`,
`@color-profile`, or a `@charset` other than ours) is left to WeasyPrint as it is.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from urllib.parse import urljoin

KEPT = 256  # parsed sheets kept a process (a part's own few lines are one each)
_REACHING = ("@import", "@counter-style", "@color-profile", "@charset")


class _Shared:
    """The parsed sheets and the fonts they loaded, for one book's allowed folders."""

    def __init__(self, key: tuple) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.key = key
        self.font_config = FontConfiguration()
        self.sheets: OrderedDict[tuple[str, str, str], object] = OrderedDict()


_shared: _Shared | None = None


def render(source: str, base_url: str, fetcher, roots: tuple):
    """The laid-out WeasyPrint document of `source`, its sheets parsed once a process.
    `roots`: the folders `fetcher` may read, which scope the fonts the sheets load."""
    from zinepress.weasy import weasyprint

    global _shared
    html = weasyprint().HTML(string=source, base_url=base_url, url_fetcher=fetcher)
    found = _own_sheets(html.etree_element, base_url, fetcher)
    if found is None:
        return html.render()
    if _shared is None or _shared.key != (roots, base_url):
        _shared = _Shared((roots, base_url))
    sheets = [_parsed(_shared, kind, text, url, fetcher) for kind, text, url, _ in found]
    head = html.etree_element.find("head")
    for *_, element in found:
        head.remove(element)
    return html.render(stylesheets=sheets, font_config=_shared.font_config)


def _own_sheets(root, base_url: str, fetcher) -> list[tuple] | None:
    """The document's sheets in order as (kind, text, url, element), or None where handing
    them over could cascade otherwise (see the module's note)."""
    head = root.find("head")
    found = []
    for element in root.iter():
        if element.tag not in ("style", "link"):
            continue
        rel = (element.get("rel") or "").lower().split()
        if element.tag == "link" and "stylesheet" not in rel:
            continue  # an icon, say: WeasyPrint reads no other link
        if head is None or element not in list(head) or element.get("media") is not None \
                or element.get("type") is not None or len(element) \
                or (element.tag == "link" and (rel != ["stylesheet"] or not element.get("href"))):
            return None
        if element.tag == "style":
            found.append(("style", element.text or "", base_url, element))
        else:
            url = urljoin(base_url, element.get("href"))
            text = _read(fetcher, url)
            if text is None:
                return None  # WeasyPrint reports it, as it always has
            found.append(("link", text, url, element))
    for element in root.iter():
        if "important" in (element.get("style") or "").lower():
            return None
    if any(reach in text.lower() for _, text, _, _ in found for reach in _REACHING):
        return None
    return found


def _read(fetcher, url: str) -> str | None:
    """A linked sheet's text, through the book's fetcher (which keeps to its folders), or
    None where it cannot be read."""
    try:
        response = fetcher.fetch(url)
        try:
            data = response.read()
        finally:
            response.close()
    except Exception:  # whatever the fetcher refuses or fails at
        return None
    return data.decode("utf-8-sig", errors="replace")


def _parsed(shared: _Shared, kind: str, text: str, url: str, fetcher):
    from weasyprint import CSS

    key = (kind, url, hashlib.sha256(text.encode()).hexdigest())
    sheet = shared.sheets.get(key)
    if sheet is None:
        if len(shared.sheets) >= KEPT:
            shared.sheets.popitem(last=False)
        sheet = CSS(string=text, base_url=url, url_fetcher=fetcher,
                    font_config=shared.font_config)
        shared.sheets[key] = sheet
    shared.sheets.move_to_end(key)
    return sheet
