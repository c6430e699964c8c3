"""Word-level repairs: line-end hyphens and ligature gaps, decided from evidence.

Evidence comes first from the document itself (the same word elsewhere, joined or hyphenated),
then from the English word and word-pair counts that `wordsegment` ships, then from pyphen's
legal hyphenation points.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

LETTERS = r"[^\W\d_]+"  # letters of any script: "imprimié", "Ærø"
WORD = re.compile(rf"{LETTERS}(?:['’]{LETTERS})*")
# (from a word's start only, and never giving letters back: each failed start inside a long
# word would scan the rest of it again)
COMPOUND = re.compile(r"(?<![^\W\d_])[^\W\d_]++(?:[-‐][^\W\d_]++)+")
SUFFIXES = {
    "ing", "ings", "ed", "er", "ers", "est", "ly", "tion", "tions", "sion", "sions", "ment",
    "ments", "ness", "able", "ible", "ful", "less", "ous", "ive", "ity", "ities", "ize", "ise",
    "ized", "ised", "izing", "ising", "ism", "isms", "ist", "ists", "ance", "ence", "ant", "ent",
}
LONGEST_WORD = 40  # letters: a longer string is no word any counts or patterns know
ATTESTED = 1e4  # a form seen this often in the word counts is a real word
KNOWN = 1e5  # a joined form rarer than this on the web is no evidence of a lost ligature
STRONG = 1e6  # a part this common is a word in its own right
# Words the counts' web corpus split in two when it cut its text into words: their pair's
# count is theirs, and says nothing of a compound ("can not" counts every "cannot").
SPLIT_IN_COUNTS = frozenset({"cannot"})


@cache
def _model() -> tuple[dict[str, float], dict[str, float], float]:
    import wordsegment

    wordsegment.load()
    return wordsegment.UNIGRAMS, wordsegment.BIGRAMS, float(sum(wordsegment.UNIGRAMS.values()))


def count(word: str) -> float:
    return _model()[0].get(word.lower(), 0.0)


@cache
def known_words() -> frozenset[str]:
    """The common words (in lower case): a joined form outside them is no lost ligature."""
    return frozenset(word for word, n in _model()[0].items() if n >= KNOWN)


def is_known(word: str) -> bool:
    """Cheap first test for a ligature join: is the joined form a common word at all?"""
    return word.lower() in known_words()


def pair_count(a: str, b: str) -> float:
    return _model()[1].get(f"{a.lower()} {b.lower()}", 0.0)


@dataclass
class Vocabulary:
    """What the document itself says about its words."""

    words: Counter[str]
    compounds: Counter[str]
    language: str = "en"
    dash_before: bool = False  # the text sets a space before an em dash ("word —word")
    dash_after: bool = False  # ...or after one ("word— word")
    measured: bool = False  # the spaces were measured on the page (a PDF), not guessed

    @property
    def english(self) -> bool:
        """The word and word-pair counts we ship are English: elsewhere only the text and the
        language's hyphenation patterns are evidence."""
        return self.language.lower().split("-")[0] == "en"

    @cached_property
    def compound_parts(self) -> frozenset[str]:
        """The words the text puts before or after a hyphen ("love-looks": love, looks)."""
        return frozenset(part for c in self.compounds for part in (c.split("-")[0],
                                                                    c.split("-")[-1]))

    @cached_property
    def hyphenating(self) -> bool:
        """Does the text hyphenate a word in fifty or more, as Whitman's does?"""
        return sum(self.compounds.values()) >= 0.02 * sum(self.words.values())

    @cached_property
    def _breaks(self) -> dict[str, list[int]]:
        return {}

    def breaks(self, word: str) -> list[int]:
        """Where a printed line may have ended inside `word` (its hyphen taken out by the
        extractor): a compound joined at its own hyphen ("sleigh-" / "driver") broke there
        and only there; any other word at a syllable's end, or after a hyphen it keeps."""
        found = self._breaks.get(word)
        if found is None:
            bare = re.fullmatch(r"(\W*)([a-z]{7,})\W*", word)
            fixed = unjoin_compound(bare.group(2), self) if bare else None
            found = [len(bare.group(1)) + fixed.index("-")] if bare and fixed \
                else break_points(word, self.language)
            self._breaks[word] = found
        return found

    def glue(self, left: str, right: str) -> str:
        """What goes between two printed lines joined as one: nothing after a slash, or
        beside a dash where the text sets its dashes closed up; else a space."""
        if left.endswith("/") or (left.endswith(("—", "–")) and not self.dash_after) \
                or (right.startswith("—") and not self.dash_before):
            return ""
        return " "

    @classmethod
    def of(cls, text: str, language: str = "en") -> Vocabulary:
        # Only words away from line ends: those are the ones the line breaks did not touch.
        inner = "\n".join(" ".join(line.split()[1:-1]) for line in text.split("\n"))
        lowered = inner.lower()  # (at once, where that keeps every letter where it was)
        words = Counter(WORD.findall(lowered) if len(lowered) == len(inner)
                        else (w.lower() for w in WORD.findall(inner)))
        compounds = Counter(c.lower().replace("‐", "-") for c in COMPOUND.findall(inner))
        dashes = re.findall(r"(\s?)—(\s?)", inner)
        before = sum(bool(a) for a, _b in dashes)
        after = sum(bool(b) for _a, b in dashes)
        return cls(words, compounds, language, dash_before=before > len(dashes) / 2,
                   dash_after=after > len(dashes) / 2)


def closed_up(text: str, vocab: Vocabulary) -> str | None:
    """A line set letter-spaced that the extractor gave letter by letter, its words one
    space apart like its letters ("F O L D I N G D AY"): the words, where the word counts
    tell them (English, every part a word, and words, not scraps: "Q X Z V K" cut into "q",
    "xz", "vk" is no title); else None."""
    letters = text.replace(" ", "")
    if not vocab.english or not letters.isalpha():
        return None
    import wordsegment

    _model()
    parts = wordsegment.segment(letters)
    if not all(count(part) for part in parts) or len(letters) < 2.5 * len(parts):
        return None
    words, start = [], 0
    for part in parts:
        words.append(letters[start:start + len(part)])
        start += len(part)
    return " ".join(words)


def decide_hyphen(left: str, right: str, vocab: Vocabulary) -> tuple[bool, str]:
    """Join `left-` + `right` into one word (True) or keep the hyphen (False), with the reason."""
    joined = (left + right).lower()
    hyphened = f"{left}-{right}".lower()
    if vocab.words[joined]:
        return True, f"'{left}{right}' appears joined elsewhere in the text"
    if vocab.compounds[hyphened] or any(c.endswith(f"-{hyphened}") or c.startswith(f"{hyphened}-")
                                        for c in vocab.compounds):
        return False, f"'{left}-{right}' appears hyphenated elsewhere in the text"
    if right[:1].isupper():
        return False, "the second part is capitalised"
    if len(left) == 1:
        return False, "no hyphenation leaves one letter behind: a compound (x-ray)"
    stem = next((joined[:n] for n in range(max(len(left) + 2, 4), len(joined) + 1)
                 if vocab.words[joined[:n]]), None)
    if stem:
        return True, f"the text has '{stem}', the same word"
    if not vocab.english:
        if _legal_break(left, right, vocab.language):
            return True, f"a legal hyphenation point in '{vocab.language}'"
        return False, f"not a hyphenation point in '{vocab.language}': a compound"
    if right.lower() in SUFFIXES:
        return True, f"'-{right}' is a suffix, not a word"
    c_left, c_right, c_joined = count(left), count(right), count(joined)
    pair = pair_count(left, right)
    if pair and pair >= 10 * c_joined and joined not in SPLIT_IN_COUNTS:
        return False, f"'{left} {right}' is more common as two words ({pair:.0f} vs {c_joined:.0f})"
    if c_joined >= ATTESTED:
        return True, f"'{joined}' is a word ({c_joined:.0f})"
    stem = inflected(joined)
    if stem:
        return True, f"'{joined}' is '{stem}' with an old verb ending"
    if min(c_left, c_right) >= ATTESTED and min(len(left), len(right)) >= 2:
        return False, f"'{left}' and '{right}' are both words, '{joined}' is not"
    if vocab.words[left.lower()] and vocab.words[right.lower()]:
        return False, f"'{left}' and '{right}' both occur in the text, '{joined}' does not"
    if _legal_break(left, right):
        return True, "a legal hyphenation point of an unknown word"
    return True, "default: join a word broken at the line end"


def hyphenated_by_setter(splits: list[tuple[str, str]], vocab: Vocabulary) -> bool:
    """Did the setter hyphenate these words (broken where verse lines wrapped), or did each
    break at a compound's own hyphen? One split whose whole is a word commoner than its
    second part, and that part found nowhere else in the text, shows hyphenation ("pros-" /
    "trate": a fragment); "birch-" / "bark" or "to-" / "night" show nothing (many setters
    hyphenate prose, not verse)."""
    # (the text's own counts have each part once for each of these splits)
    parts = Counter(right.lower() for _left, right in splits)
    return any(count(left + right) >= max(ATTESTED, count(right))
               and vocab.words[right.lower()] <= parts[right.lower()] for left, right in splits)


@cache
def _pyphen(language: str):
    import pyphen

    found = pyphen.language_fallback(language.replace("-", "_")) or "en_US"
    return pyphen.Pyphen(lang=found)


@lru_cache(maxsize=1 << 16)
def break_points(word: str, language: str = "en") -> list[int]:
    """Where a setter may break `word` at a line's end: its syllables by the language's
    patterns, and after a hyphen of its own."""
    own = [index + 1 for index, char in enumerate(word[:-1]) if char in "-‐"]
    return sorted({*own, *_pyphen(language).positions(word)})


def _legal_break(left: str, right: str, language: str = "en") -> bool:
    return len(left) in _pyphen(language).positions(left + right)


def _logp(word: str) -> float:
    unigrams, _bigrams, total = _model()
    return math.log(max(unigrams.get(word, 0.0), 0.5) / total)


def _cond(prev: str | None, word: str) -> float:
    """log P(word | prev) with a simple backoff to the unigram."""
    unigrams, bigrams, _total = _model()
    if prev is not None:
        pair = bigrams.get(f"{prev} {word}")
        if pair and unigrams.get(prev):
            return math.log(pair / unigrams[prev])
    return math.log(0.4) + _logp(word)


def ligature_join(prev: str | None, a: str, b: str, nxt: str | None,
                  vocab: Vocabulary) -> str | None:
    """Why `a b` should read as one word (a ligature lost in extraction), or None to keep it."""
    la, lb = a.lower(), b.lower()
    joined = la + lb
    if not vocab.english:
        return None
    if len(joined) < 5 or count(joined) < KNOWN or not (a.islower() or a.istitle()):
        return None
    if not b.islower() or not la.isalpha() or not lb.isalpha():
        return None
    if vocab.words[joined] == 0 and count(joined) < 3 * KNOWN:
        return None
    p, n = (prev.lower() if prev else None), (nxt.lower() if nxt else None)
    split = _cond(p, la) + _cond(la, lb) + (_cond(lb, n) if n else 0.0)
    join = _cond(p, joined) + (_cond(joined, n) if n else 0.0)
    part_is_word = [_is_word(x, vocab) for x in (la, lb)]
    if all(part_is_word) and (vocab.measured or len(la) == 1):
        # A space the page shows between two words is a space; and "a round", "a part",
        # "a way" read as well apart (no ligature ends a word's first letter).
        return None
    if all(part_is_word):
        # Two real words: join only if the joined word is attested here (in the text or
        # beside its neighbour) and the split reading has no support after it.
        attested = vocab.words[joined] or pair_count(joined, n or "") or \
            pair_count(p or "", joined)
        if not attested or n is None or pair_count(lb, n):
            return None
    margin = math.log(3)
    if join - split > margin:
        kind = "both parts are words" if all(part_is_word) else "a part is not a word"
        odds = math.exp(join - split)
        return f"'{a} {b}' -> '{a}{b}': {kind}; joined reading {odds:.0f}x likelier"
    return None


def _is_word(word: str, vocab: Vocabulary) -> bool:
    if vocab.words[word] >= 2:
        return True
    return count(word) >= STRONG and (len(word) > 2 or word in {"a", "i", "an", "of", "by", "to",
                                                                "in", "on", "at", "as", "is",
                                                                "it", "be", "we", "he", "me",
                                                                "my", "no", "so", "up", "us",
                                                                "or", "if", "do", "go"})


def inflected(word: str) -> str | None:
    """The verb in `word` if it is one with the old ending -eth or -est ("longeth",
    "befalleth", "sittest"), rare on today's web, where its parts ("long" + "eth") look like two
    words: the word counts' stem, or None."""
    if not word.endswith(("eth", "est")) or len(word) < 6:
        return None
    base = word[:-3].lower()
    for stem in (base, base + "e", base[:-1] if base[-1:] == base[-2:-1] else ""):
        if len(stem) >= 3 and count(stem) >= ATTESTED:
            return stem
    return None


def unjoin_compound(word: str, vocab: Vocabulary, chained: bool = False) -> str | None:
    """`word` as the hyphenated compound an extractor joined ("rightsbased"), or None.

    Only for words that are neither in the text nor in the word counts, and split into two
    common words that the text or the counts put together, or one of which the text compounds
    elsewhere, or in a text that hyphenates many words. `chained`: the word is the last part
    of a compound ("five-yearold"), where it may be in the counts, if far rarer than its
    parts (web text writes "yearold" too)."""
    if not 7 <= len(word) <= LONGEST_WORD or not word.isalpha() or not word.islower():
        return None  # (each cut of a string of a million letters would cost a million)
    # The text writes it with its hyphen elsewhere, at least half as often as closed up
    # (counting the joins themselves): its own spelling, in any language.
    for cut in range(2, len(word) - 1):
        hyphened = f"{word[:cut]}-{word[cut:]}"
        if vocab.compounds[hyphened] and 2 * vocab.compounds[hyphened] >= vocab.words[word]:
            return hyphened
    if not vocab.english:
        return None
    if vocab.words[word] >= 2 or (count(word) and not chained) or inflected(word):
        return None  # (once is this very line)
    if any(word.endswith(ending) and vocab.words[word[:-len(ending)]]
           for ending in ("s", "es", "ed", "ing")):
        return None  # the text writes it closed up, uninflected ("antiauthoritarian")
    best = None
    least = max(ATTESTED, 100 * count(word))  # (each part far commoner than the whole)
    for cut in range(3, len(word) - 2):
        a, b = word[:cut], word[cut:]
        if min(count(a), count(b)) < least:
            continue
        together = vocab.compounds[f"{a}-{b}"] or pair_count(a, b) or (
            min(count(a), count(b)) >= STRONG) or a in vocab.compound_parts \
            or b in vocab.compound_parts or vocab.hyphenating  # (it writes compounds so)
        if together and (best is None or min(count(a), count(b)) > best[0]):
            best = (min(count(a), count(b)), f"{a}-{b}")
    return best[1] if best else None
