"""How wide a line was printed, judged from its characters in a common book face.

Justified type sets its full lines to one width, not to one number of characters: "illicit"
is half as wide as "MAXIMUM". Summing advance widths tells a full line from a short one
better than counting characters, whatever face the text was set in. Faces differ enough
for a line near the measure to be judged the wrong way round in another face's widths
("figure" is narrower in Source Serif than in Times, "you" wider), so a few common book
faces are kept, and `lines.measure` learns from the text which one it was set in, or came
nearest (or that it was wrapped by counting characters: a plain-text e-text).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import repeat

# Advance widths of U+0020..U+007E in hundredths of an em, and of other characters (one the
# face lacks: Times' width).
TIMES = (  # as the freely licensed Liberation Serif has them (a word processor's, a browser's)
    25, 33, 41, 50, 50, 83, 78, 18, 33, 33, 50, 56, 25, 33, 25, 28, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 28, 28, 56, 56, 56, 44, 92, 72, 67, 67, 72, 61, 56, 72, 72, 33, 39, 72, 61, 89,
    72, 72, 56, 72, 67, 56, 61, 72, 72, 94, 72, 72, 61, 33, 28, 33, 47, 50, 33, 44, 50, 44, 50,
    44, 33, 50, 50, 28, 28, 50, 28, 78, 50, 50, 50, 50, 33, 39, 28, 50, 50, 72, 50, 50, 44, 48,
    20, 48, 54,
)
TIMES_OTHER = {
    "‘": 33, "’": 33, "‚": 33, "“": 44, "”": 44, "„": 44, "‐": 33, "‑": 33, "–": 50, "—": 100,
    "―": 100, "…": 100, "«": 50, "»": 50, "‹": 33, "›": 33, "¡": 33, "¿": 44, "·": 25,
    "ß": 50, "æ": 67, "œ": 72, "Æ": 89, "Œ": 89, "ø": 50, "Ø": 72, "ł": 28, "Ł": 61,
    "đ": 50, "Đ": 72, "þ": 50, "Þ": 56, "ð": 50, "ı": 28, "•": 35, "′": 22, "″": 42,
    "\u00a0": 25, "\u2009": 17, "\u202f": 17,
}
LATIN_MODERN = (  # LaTeX's (lmroman10-regular)
    33, 28, 37, 83, 50, 83, 78, 28, 39, 39, 50, 78, 28, 33, 28, 50, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 28, 28, 78, 78, 78, 47, 78, 75, 71, 72, 76, 68, 65, 78, 75, 36, 51, 78, 62, 92,
    75, 78, 68, 78, 74, 56, 72, 75, 75, 103, 75, 75, 61, 28, 50, 28, 56, 75, 50, 50, 56, 44, 56,
    44, 31, 50, 56, 28, 31, 53, 28, 83, 56, 50, 56, 53, 39, 39, 39, 56, 53, 72, 53, 53, 44, 50,
    28, 50, 56,
)
LATIN_MODERN_OTHER = {
    "‘": 28, "’": 28, "‚": 28, "“": 47, "”": 47, "„": 47, "‐": 33, "‑": 33, "–": 50, "—": 100,
    "…": 67, "«": 56, "»": 56, "‹": 39, "›": 39, "¡": 28, "¿": 47, "·": 78, "ß": 50, "æ": 72,
    "œ": 78, "Æ": 90, "Œ": 101, "ø": 50, "Ø": 78, "ł": 34, "Ł": 62, "đ": 56, "Đ": 76, "þ": 56,
    "Þ": 62, "ð": 50, "ı": 28, "•": 78, "\u00a0": 50,
}
SOURCE_SERIF = (  # a digital book face's (Source Serif Pro, zinepress's own)
    23, 29, 36, 53, 50, 86, 72, 18, 34, 34, 44, 53, 30, 31, 30, 33, 50, 50, 50, 50, 50, 50, 50,
    50, 50, 50, 30, 30, 53, 53, 53, 42, 84, 66, 63, 63, 71, 60, 58, 68, 79, 37, 37, 67, 60, 90,
    74, 71, 59, 71, 65, 51, 60, 73, 67, 96, 65, 63, 55, 32, 33, 32, 53, 51, 40, 51, 58, 49, 57,
    51, 35, 52, 60, 30, 28, 55, 30, 90, 61, 55, 58, 56, 42, 43, 32, 58, 50, 76, 53, 51, 46, 34,
    25, 34, 53,
)
SOURCE_SERIF_OTHER = {
    "‘": 21, "’": 21, "‚": 21, "“": 42, "”": 42, "„": 42, "‐": 31, "–": 51, "—": 81, "―": 81,
    "…": 90, "«": 49, "»": 49, "‹": 28, "›": 28, "¡": 29, "¿": 42, "·": 30, "ß": 59, "æ": 78,
    "œ": 87, "Æ": 92, "Œ": 94, "ø": 55, "Ø": 71, "ł": 30, "Ł": 60, "đ": 57, "Đ": 71, "þ": 55,
    "Þ": 61, "ð": 55, "ı": 30, "•": 30, "′": 25, "″": 43, "\u00a0": 23,
}
# name: (ASCII, others, the mean advance of a character in English running text: one unit
# of `width`, so that a width reads like a length in characters whatever the face)
FACES = {
    "Times": (TIMES, TIMES_OTHER, 40.0),
    "Latin Modern": (LATIN_MODERN, LATIN_MODERN_OTHER, 44.2),
    "Source Serif": (SOURCE_SERIF, SOURCE_SERIF_OTHER, 44.3),
}


@lru_cache(maxsize=4096)
def advance(char: str, face: str = "Times") -> int:
    """An accented letter is as wide as its base letter; a wide East Asian character is an
    em; anything else unknown, an average letter."""
    ascii_, other, _ = FACES[face]
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return ascii_[code - 0x20]
    if char in other or char in TIMES_OTHER:
        return other.get(char, TIMES_OTHER[char])
    base = unicodedata.normalize("NFD", char)[:1]
    if base != char and 0x20 <= ord(base) <= 0x7E:
        return ascii_[ord(base) - 0x20]
    if unicodedata.combining(char):
        return 0
    return 100 if unicodedata.east_asian_width(char) in "WF" else 50


@lru_cache(maxsize=1 << 16)
def width(text: str, face: str = "Times") -> float:
    """The printed width of `text` in `face`, in average characters (so it reads like a
    length). (Kept: restore's rules measure each line many times.)"""
    return sum(map(advance, text, repeat(face, len(text)))) / FACES[face][2]
