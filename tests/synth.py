"""Make damaged texts the way a PDF extraction does, from clean paragraphs we know.

`typeset_raw` wraps and hyphenates paragraphs at a given measure, cuts them into pages with a
running head and folios, and separates paragraphs by blank lines, indents or nothing at all:
the damage restore must undo, at widths restore has never seen.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def _break_word(word: str, room: int, hyphen: str) -> tuple[str, str] | None:
    """Split `word` so its head plus a hyphen fits in `room`, as a typesetter would."""
    if "-" in word[:room]:  # break after an existing hyphen first
        cut = word[:room].rindex("-") + 1
        if 1 < cut < len(word):
            return word[:cut], word[cut:]
    core = re.match(r"^([“‘(]*)([A-Za-z]+)(.*)$", word)
    if not core or len(core.group(2)) < 6:
        return None
    lead, letters, rest = core.groups()
    for head, tail in _hyphenator().iterate(letters):
        if len(lead) + len(head) + 1 <= room and len(head) >= 2 and len(tail) >= 3:
            return lead + head + hyphen, tail + rest
    return None


def wrap(text: str, width: int, hyphen: str = "-") -> list[str]:
    lines, line = [], ""
    words = text.split()
    index = 0
    while index < len(words):
        word = words[index]
        trial = f"{line} {word}" if line else word
        if len(trial) <= width:
            line = trial
            index += 1
            continue
        room = width - len(line) - (1 if line else 0)
        split = _break_word(word, room, hyphen) if room > 3 else None
        if split:
            head, tail = split
            lines.append(f"{line} {head}" if line else head)
            words[index] = tail
            line = ""
        elif line:
            lines.append(line)
            line = ""
        else:  # a single word longer than the measure
            lines.append(word)
            index += 1
    if line:
        lines.append(line)
    return lines


def typeset_raw(blocks: list[tuple[str, str]], width: int, page_lines: int, style: str,
                running_head: str = "", hyphen: str = "-") -> str:
    """blocks: (kind, text) with kind 'h' (heading) or 'p'. style: blank, indent or none."""
    body: list[str] = []
    for kind, text in blocks:
        if kind == "h":
            body += ["", text, ""]
            continue
        lines = wrap(text, width - (4 if style == "indent" else 0), hyphen)
        if style == "indent":
            lines[0] = "    " + lines[0]
        if style == "blank":
            body.append("")
        body += lines
    pages, page = [], []
    for line in body:
        page.append(line)
        if len(page) >= page_lines:
            pages.append(page)
            page = []
    if page:
        pages.append(page)
    out = []
    for number, page in enumerate(pages, start=1):
        if running_head and number > 1:
            out += [running_head, ""]
        out += page
        out += ["", str(number), "\f"]
    return "\n".join(out)
