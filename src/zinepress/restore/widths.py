"""How wide a line was printed, judged from its characters in a common book face.

Justified type sets its full lines to one width, not to one number of characters: "illicit"
is half as wide as "MAXIMUM". Summing advance widths tells a full line from a short one
better than counting characters, whatever face the text was set in: on the restore corpus
(set in Source Serif, measured here in Times' metrics) the spread of full lines' lengths is a
quarter to two fifths smaller. A text wrapped by counting characters (a plain-text e-text)
is better counted: `lines.measure` chooses, by which spread is smaller.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Advance widths of U+0020..U+007E in hundredths of an em: Times' metrics, as the freely
# licensed Liberation Serif has them.
ASCII = (
    25, 33, 41, 50, 50, 83, 78, 18, 33, 33, 50, 56, 25, 33, 25, 28, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 28, 28, 56, 56, 56, 44, 92, 72, 67, 67, 72, 61, 56, 72, 72, 33, 39, 72, 61, 89,
    72, 72, 56, 72, 67, 56, 61, 72, 72, 94, 72, 72, 61, 33, 28, 33, 47, 50, 33, 44, 50, 44, 50,
    44, 33, 50, 50, 28, 28, 50, 28, 78, 50, 50, 50, 50, 33, 39, 28, 50, 50, 72, 50, 50, 44, 48,
    20, 48, 54,
)
OTHER = {
    "‘": 33, "’": 33, "‚": 33, "“": 44, "”": 44, "„": 44, "‐": 33, "‑": 33, "–": 50, "—": 100,
    "―": 100, "…": 100, "«": 50, "»": 50, "‹": 33, "›": 33, "¡": 33, "¿": 44, "·": 25,
    "ß": 50, "æ": 67, "œ": 72, "Æ": 89, "Œ": 89, "ø": 50, "Ø": 72, "ł": 28, "Ł": 61,
    "đ": 50, "Đ": 72, "þ": 50, "Þ": 56, "ð": 50, "ı": 28, "•": 35, "′": 22, "″": 42,
    "\u00a0": 25, "\u2009": 17, "\u202f": 17,
}
AVERAGE = 40  # the mean advance of a character in running text: one unit of `width`


@lru_cache(maxsize=4096)
def advance(char: str) -> int:
    """An accented letter is as wide as its base letter; a wide East Asian character is an
    em; anything else unknown, an average letter."""
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return ASCII[code - 0x20]
    if char in OTHER:
        return OTHER[char]
    base = unicodedata.normalize("NFD", char)[:1]
    if base != char and 0x20 <= ord(base) <= 0x7E:
        return ASCII[ord(base) - 0x20]
    if unicodedata.combining(char):
        return 0
    return 100 if unicodedata.east_asian_width(char) in "WF" else 50


@lru_cache(maxsize=1 << 16)
def width(text: str) -> float:
    """The printed width of `text`, in average characters (so it reads like a length).
    (Kept: restore's rules measure each line many times.)"""
    return sum(map(advance, text)) / AVERAGE
