"""Quotes, dashes and ellipses: typographic characters, decided by context."""

from __future__ import annotations

import re

OPENERS = " \t\n([{—–-/“‘"
APOSTROPHES = "'’‘`´"


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def curl(text: str) -> tuple[str, int]:
    """Curly quotes for straight ones, and mended quote artefacts; returns (text, changes)."""
    original = text
    # Doubled apostrophes between letters (I’'m): one apostrophe.
    text = re.sub(r"(?<=\w)[" + APOSTROPHES + r"]{2,}(?=\w)", "’", text)
    text = text.replace("...", "…").replace(". . .", "…")
    text = re.sub(r"(?<=\w)\s?--\s?(?=\w)", "—", text)
    out = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"':
            out.append("“" if before in OPENERS and not after.isspace() else "”")
        elif ch == "'":
            if _is_letter(before) or (before in ".,!?" and not _is_letter(after)):
                out.append("’")
            elif before in OPENERS and re.match(r"\d0s|em\b|til\b|cause\b", text[i + 1:]):
                out.append("’")  # elision: ’90s, ’em
            elif before in OPENERS and not after.isspace():
                out.append("‘")
            else:
                out.append("’")
        elif ch == "”" and (before in " \t\n(—" or i == 0) and _is_letter(after):
            out.append("“")  # a closing quote used to open
        else:
            out.append(ch)
    result = "".join(out)
    changes = sum(a != b for a, b in zip(result, original, strict=False)) + abs(
        len(result) - len(original))
    return result, changes
