"""Quotes, dashes and ellipses: typographic characters, decided by context."""

from __future__ import annotations

import re

OPENERS = " \t\n([{—–-/“‘\""
APOSTROPHES = "'’‘`´"
_DOUBLED = re.compile(r"(?<=\w)[" + APOSTROPHES + r"]{2,}(?=\w)")
# A typist's em dash: two hyphens between words (spaced alike on both sides), after a word
# at a line's end ("among the G's:--"), opening a line (an attribution, a speaker's turn:
# "--¿Qué?") or after a sentence's stop ("señora? --preguntó"); never an option's (`build
# --force`) or a rule's (`---`).
_DASHES = re.compile(r"(?<=[^\s-])(?: -- |--)(?=[^\s-])|(?<=[^\s-])--(?=\s|$)"
                     r"|(?:^|(?<=[.?!,;:…»”\"'] ))--\s?(?=[^\s-])", re.M)
_QUOTES = re.compile(r"[\"'”]")
_INCISO = re.compile(r"(?<= )--(?=[^\s-])")
_TEX_QUOTES = re.compile(r"``|''(?!\w)|(?<!\w)''")  # TeX's ``quotes'': double ones
_ELISION = re.compile(r"\d0s|em\b|til\b|cause\b")
_STRAIGHT = re.compile("'")


def _unpaired_openers(text: str) -> set[int]:
    """Straight single quotes placed to open a quotation that nothing closes before the next
    one opens, or the paragraph ends: elisions (’tis, ’zines), whatever word follows."""
    openers: list[int] = []
    closers: list[int] = []
    for i in (match.start() for match in _STRAIGHT.finditer(text)):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before in OPENERS and after.isalnum():
            openers.append(i)
        elif (before.isalnum() or before in ".,!?;:") and not after.isalnum():
            closers.append(i)
    unpaired = set()
    for index, i in enumerate(openers):
        limit = openers[index + 1] if index + 1 < len(openers) else len(text)
        if not any(i < c < limit for c in closers):
            unpaired.add(i)
    return unpaired


def _quote(match: re.Match[str], elisions: frozenset[int] = frozenset()) -> str:
    text, i, ch = match.string, match.start(), match.group(0)
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == '"':
        return "“" if before in OPENERS and not after.isspace() else "”"
    if ch == "'":
        if before.isalnum() or (before in ".,!?" and not after.isalnum()):
            return "’"
        if before in OPENERS and (_ELISION.match(text, i + 1) or i in elisions):
            return "’"  # elision: ’90s, ’em, ’tis
        return "‘" if before in OPENERS and not after.isspace() else "’"
    # A closing double quote used to open: at the start, or after a space, before a word.
    return "“" if before in " \t\n(—" and after.isalnum() else ch


def curl(text: str) -> tuple[str, int]:
    """Curly quotes for straight ones, and mended quote artefacts; returns (text, changes)."""
    fixed = _DOUBLED.sub("’", _TEX_QUOTES.sub('"', text))
    fixed = fixed.replace("...", "…").replace(". . .", "…")
    fixed = dashes(fixed)
    elisions = frozenset(_unpaired_openers(fixed))
    fixed = _QUOTES.sub(lambda m: _quote(m, elisions), fixed)
    if fixed == text:
        return text, 0
    changes = sum(a != b for a, b in zip(fixed, text, strict=False)) + abs(len(fixed) - len(text))
    return fixed, changes


def dashes(text: str) -> str:
    """A typist's two hyphens as em dashes (see `_DASHES`); on a line that opens with a
    speaker's turn, a dash before a word is its inciso ("—Un cuadernillo --respondió")."""
    if "--" not in text:
        return text
    return "\n".join(_dashed(line) if "--" in line else line for line in text.split("\n"))


def _dashed(line: str) -> str:
    line = _DASHES.sub("—", line)
    return _INCISO.sub("—", line) if line.lstrip().startswith("—") else line


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
