"""Paragraph starts a plain-text extraction leaves no trace of.

`pdftotext` drops the blank line and the indent that open a paragraph: then only the line
before can tell, by ending with room for the next word. Where a paragraph's last line came
out full, nothing in the text marks the break. The PDF's geometry says which breaks those
are. Like the word floor, the figure is reported beside the score, never instead of it.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from difflib import SequenceMatcher
from itertools import pairwise
from pathlib import Path

from corpus.score import _plain, parse

NS = "{http://www.w3.org/1999/xhtml}"


def _printed_lines(pdf: Path) -> list[tuple[int, float, list[tuple[str, float, float]]]]:
    """(page, line's right end, its words with their left and right ends), in reading order."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True).stdout
    lines = []
    for number, page in enumerate(ET.fromstring(xml).iter(f"{NS}page")):
        for line in page.iter(f"{NS}line"):
            words = [(w.text or "", float(w.get("xMin")), float(w.get("xMax")))
                     for w in line.iter(f"{NS}word")]
            if words:
                lines.append((number, float(line.get("xMax")), words))
    return lines


def unmarked_starts(source: str, pdf: Path) -> set[int]:
    """Source token indices of paragraph starts whose line before left no room for their
    first word: set justified, that line reads as a full one."""
    want = parse(source)
    lines = _printed_lines(pdf)
    edge = {page: Counter(round(right) for p, right, _ in lines if p == page).most_common(1)[0][0]
            for page in {p for p, _, _ in lines}}
    gaps = sorted(b[1] - a[2] for _, _, words in lines for a, b in pairwise(words))
    space = gaps[len(gaps) // 20] if gaps else 3.0  # a space at its natural width
    tokens, where = [], []
    for index, (_page, _right, words) in enumerate(lines):
        for position, (text, _, _) in enumerate(words):
            tokens.append(_plain(text))
            where.append((index, position))
    matcher = SequenceMatcher(None, [_plain(w) for w in want.tokens[:want.body]], tokens,
                              autojunk=False)
    printed = {}
    for i, j, size in matcher.get_matching_blocks():
        printed.update({i + k: j + k for k in range(size)})
    unmarked = set()
    for start in want.starts:
        if start - 1 not in printed or start not in printed:
            continue
        before, first = where[printed[start - 1]], where[printed[start]]
        if before[0] == first[0] or first[1] != 0 or before[1] != len(lines[before[0]][2]) - 1:
            continue  # not a break between printed lines, as the text shows it
        page, right, _ = lines[before[0]]
        _, left, end = lines[first[0]][2][0]
        if edge[page] - right < space + (end - left):
            unmarked.add(start)
    return unmarked
