"""Quotes, dashes and ellipses: typographic characters, decided by context."""

from __future__ import annotations

import re

OPENERS = " \t\n([{—–-/“‘"
APOSTROPHES = "'’‘`´"
_DOUBLED = re.compile(r"(?<=\w)[" + APOSTROPHES + r"]{2,}(?=\w)")
_DASHES = re.compile(r"(?<=\w)\s?--\s?(?=\w)")
_QUOTES = re.compile(r"[\"'”]")
_ELISION = re.compile(r"\d0s|em\b|til\b|cause\b")


def _quote(match: re.Match[str]) -> str:
    text, i, ch = match.string, match.start(), match.group(0)
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == '"':
        return "“" if before in OPENERS and not after.isspace() else "”"
    if ch == "'":
        if before.isalnum() or (before in ".,!?" and not after.isalnum()):
            return "’"
        if before in OPENERS and _ELISION.match(text, i + 1):
            return "’"  # elision: ’90s, ’em
        return "‘" if before in OPENERS and not after.isspace() else "’"
    # A closing double quote used to open: at the start, or after a space, before a word.
    return "“" if before in " \t\n(—" and after.isalnum() else ch


def curl(text: str) -> tuple[str, int]:
    """Curly quotes for straight ones, and mended quote artefacts; returns (text, changes)."""
    fixed = _DOUBLED.sub("’", text)
    fixed = fixed.replace("...", "…").replace(". . .", "…")
    fixed = _DASHES.sub("—", fixed)
    fixed = _QUOTES.sub(_quote, fixed)
    if fixed == text:
        return text, 0
    changes = sum(a != b for a, b in zip(fixed, text, strict=False)) + abs(len(fixed) - len(text))
    return fixed, changes


WORD_JOINER = "\u2060"
HAIR_SPACE = "\u200a"
_DASH_AFTER_WORD = re.compile(r"(?<=\S)(?<!\u2060)—")
_TOUCHING_QUOTES = re.compile(r"([“”‘’])(?=[“”‘’])")


def join_dashes(text: str) -> str:
    """A word joiner before an em dash, so no line starts with the dash."""
    return _DASH_AFTER_WORD.sub(WORD_JOINER + "—", text)


def space_quotes(text: str) -> str:
    """A hair space between touching quotes (’” reads as one mark otherwise)."""
    return _TOUCHING_QUOTES.sub(r"\1" + HAIR_SPACE, text)


def map_text(element, change) -> None:
    """Apply `change` to every text node inside an lxml element (not to its own tail)."""
    for node in element.iter():
        if node.text:
            node.text = change(node.text)
        if node.tail and node is not element:
            node.tail = change(node.tail)
