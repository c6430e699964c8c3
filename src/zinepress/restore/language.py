"""Which language a text is in, from its commonest short words: enough to choose hyphenation
patterns and word statistics when the user does not say (`--language`)."""

from __future__ import annotations

import re
from collections import Counter

# Function words that are frequent in one language and rare as words of another.
MARKERS = {
    "en": "the and of to that is was with for his her you not but which have",
    "es": "que el los las del por una con para como pero más sus está muy",
    "fr": "les des est une dans qui pour pas sur avec sont mais nous vous cette",
    "de": "der die und das ist nicht den mit sich auf dem ein eine auch wird",
    "it": "che il della per non una sono gli nel alla anche come più questo",
    "pt": "que não uma com para os das dos mais pelo pela são muito também",
    "nl": "het een van dat niet zijn voor met ook maar door wordt deze naar",
}
WORDS = {language: set(words.split()) for language, words in MARKERS.items()}
BCP47 = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def detect_language(text: str, default: str = "en") -> str:
    """The language whose markers are most of the text's words; `default` if none stands out."""
    counts = Counter(w.lower() for w in re.findall(r"[^\W\d_]+", text[:200_000]))
    scores = {language: sum(counts[w] for w in words) for language, words in WORDS.items()}
    best = max(scores, key=scores.__getitem__)
    total = sum(counts.values())
    return best if total and scores[best] >= 0.05 * total else default
