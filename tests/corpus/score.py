"""Score a restored manuscript against the Markdown it was typeset from.

Both sides are read with the same small reader of the zinepress dialect, then aligned word by
word, so every structural measure (paragraph starts, note calls) is judged at the same place in
the text, not by matching strings that may repeat.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

NOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:\s?(.*)$")
NOTE_REF = re.compile(r"\[\^([^\]]+)\]")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
RULE = re.compile(r"^\s*(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|⁂)$")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ITEM = re.compile(r"^([-*+]|\d{1,3}[.)])\s+(?=\S)")  # a list item's marker, as Markdown reads it
QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


@dataclass
class Parsed:
    tokens: list[str] = field(default_factory=list)
    starts: set[int] = field(default_factory=set)
    stanzas: set[int] = field(default_factory=set)
    headings: Counter[str] = field(default_factory=Counter)
    levels: dict[str, int] = field(default_factory=dict)  # a heading's depth under the top
    verse: Counter[str] = field(default_factory=Counter)
    notes: dict[str, str] = field(default_factory=dict)
    refs: list[tuple[int, str]] = field(default_factory=list)  # (token index, label)
    items: dict[int, str] = field(default_factory=dict)  # a list item's start: "-" or "1."
    rules: int = 0
    straight: int = 0
    italics: Counter[str] = field(default_factory=Counter)
    body: int = 0  # tokens[:body] are the text, the rest its notes


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


ITALIC = re.compile(r"(?<![*\\])\*(?!\*)(?=\S)(.+?)(?<=\S)(?<![*\\])\*(?!\*)")


def _inline(text: str, parsed: Parsed, offset: int | None) -> list[str]:
    """Words of one line of Markdown, with note calls recorded where they fall."""
    text = LINK.sub(r"\1", text)
    for span in ITALIC.finditer(text.replace("**", "\0")):
        parsed.italics[_key(span.group(1))] += 1
    words: list[str] = []
    pos = 0
    for match in NOTE_REF.finditer(text):
        words += _words(text[pos:match.start()])
        if offset is not None:
            parsed.refs.append((offset + len(words) - 1, match.group(1)))
        pos = match.end()
    words += _words(text[pos:])
    return words


def _words(text: str) -> list[str]:
    text = re.sub(r"\\$", "", text.rstrip())
    text = re.sub(r"\\(.)", r"\1", text)
    text = text.replace("*", "").replace("_", " ")
    return text.split()


def _plain(word: str) -> str:
    """Quotes straight, for aligning words; which way they curl is scored on its own."""
    return word.translate(QUOTES)


def _quotes_wrong(want: Parsed, got: Parsed, matcher: SequenceMatcher) -> int:
    """Words that came back right but with a quotation mark or apostrophe curled wrong."""
    return sum(want.tokens[i + k] != got.tokens[j + k]
               for i, j, size in matcher.get_matching_blocks() for k in range(size))


def _blocks(markdown: str) -> list[str]:
    """Blank-line blocks, a block quote's own paragraphs (split by a bare `>`) each one."""
    blocks = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.split("\n")
        if all(line.startswith(">") for line in lines):
            inner = "\n".join(re.sub(r"^>\s?", "", line) for line in lines)
            blocks += [b for b in re.split(r"\n\s*\n", inner) if b.strip()]
        else:
            blocks.append(block)
    return blocks


def parse(markdown: str) -> Parsed:
    parsed = Parsed()
    parsed.straight = sum(markdown.count(q) for q in "'\"")
    notes: list[tuple[str, str]] = []
    in_poem = False
    for block in _blocks(markdown):
        lines = block.split("\n")
        note = NOTE_DEF.match(lines[0])
        if note:
            notes.append((note.group(1), " ".join([note.group(2), *(ln.strip() for ln in
                                                                   lines[1:])])))
            continue
        if RULE.match(block.strip()):
            parsed.rules += 1
            continue
        heading = HEADING.match(lines[0]) if len(lines) == 1 else None
        start = len(parsed.tokens)
        if heading:
            words = _inline(heading.group(2), parsed, start)
            parsed.headings[_key(" ".join(words))] += 1
            parsed.levels.setdefault(_key(" ".join(words)), len(heading.group(1)))
            parsed.tokens += words
            parsed.starts.add(start)
            in_poem = False
            continue
        if ITEM.match(lines[0]):  # a list: each item a paragraph start, its marker no word
            for line in lines:
                marker = ITEM.match(line)
                if marker:
                    start = len(parsed.tokens)
                    parsed.starts.add(start)
                    parsed.items[start] = "-" if marker.group(1) in "-*+" else marker.group(1)
                parsed.tokens += _inline(line[marker.end():] if marker else line, parsed,
                                         len(parsed.tokens))
            in_poem = False
            continue
        broken = [ln.endswith("\\") or ln.endswith("  ") for ln in lines]
        is_verse = all(broken[:-1]) and (len(lines) >= 2 or broken[-1])  # as the dialect reads
        for line in lines:
            if not line.strip():
                continue
            words = _inline(line, parsed, len(parsed.tokens))
            if is_verse:
                parsed.verse[_key(" ".join(words))] += 1
            if words and len(parsed.tokens) == start:
                # A stanza break leaves no trace in a pdftotext extraction (no blank line, no
                # indent): paragraph starts count a poem's first stanza; the rest are stanzas.
                (parsed.stanzas if is_verse and in_poem else parsed.starts).add(start)
            parsed.tokens += words
        in_poem = is_verse
    parsed.body = len(parsed.tokens)
    top = min(parsed.levels.values(), default=0)
    parsed.levels = {key: level - top for key, level in parsed.levels.items()}
    for label, text in notes:
        parsed.notes[label] = LINK.sub(r"\1", text)  # a link prints as its words
        parsed.tokens += _inline(text, parsed, None)
    return parsed


@dataclass
class Score:
    words: int
    errors: int
    heading_recall: float
    heading_precision: float
    paragraph_f1: float
    verse_recall: float
    verse_total: int
    notes_recovered: float
    notes_total: int
    breaks_found: int
    breaks_total: int
    italics_found: int
    italics_total: int
    quotes_wrong: int
    items_found: int
    items_total: int
    straight: int
    heading_levels: float = 1.0  # of the headings found, those at their level
    stanza_f1: float = 1.0  # a poem's breaks between its stanzas, found and made
    stanzas_total: int = 0
    marked_f1: float = 1.0  # paragraph F1 leaving out starts the text gave no trace of, missed
    missed_headings: list[str] = field(default_factory=list)
    extra_headings: list[str] = field(default_factory=list)

    @property
    def wer(self) -> float:
        return self.errors / max(self.words, 1)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _f1(true: int, found: int, wanted: int) -> float:
    precision, recall = _ratio(true, found), _ratio(true, wanted)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(source: str, restored: str, unmarked: set[int] | None = None) -> Score:
    """`unmarked`: paragraph starts the restored text gave no evidence of (`evidence.py`)."""
    want, got = parse(source), parse(restored)
    matcher = SequenceMatcher(None, [_plain(w) for w in want.tokens],
                              [_plain(w) for w in got.tokens], autojunk=False)
    errors = 0
    mapping: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            mapping.update(zip(range(j1, j2), range(i1, i2), strict=True))
        else:
            errors += max(i2 - i1, j2 - j1)
    found = {mapping[j] for j in got.starts if j in mapping}
    true = len(found & want.starts)
    marked = want.starts - ((unmarked or set()) - found)
    stanzas = {mapping[j] for j in got.stanzas if j in mapping}
    matched_headings = sum((want.headings & got.headings).values())
    leveled = [want.levels[key] == got.levels[key] for key in want.headings & got.headings]
    verse = sum((want.verse & got.verse).values())
    recovered = 0
    got_refs = {}
    for index, label in got.refs:
        if index in mapping:
            got_refs.setdefault(mapping[index], []).append(got.notes.get(label, ""))
    for index, label in want.refs:
        text = _key(want.notes.get(label, ""))
        if any(_key(t) == text for t in got_refs.get(index, [])):
            recovered += 1
    return Score(
        words=len(want.tokens), errors=errors,
        heading_recall=_ratio(matched_headings, sum(want.headings.values())),
        heading_precision=_ratio(matched_headings, sum(got.headings.values())),
        paragraph_f1=_f1(true, len(got.starts), len(want.starts)),
        marked_f1=_f1(true, len(got.starts), len(marked)),
        heading_levels=_ratio(sum(leveled), len(leveled)),
        stanza_f1=_f1(len(stanzas & want.stanzas), len(stanzas), len(want.stanzas)),
        stanzas_total=len(want.stanzas),
        verse_recall=_ratio(verse, sum(want.verse.values())), verse_total=sum(want.verse.values()),
        notes_recovered=_ratio(recovered, len(want.refs)), notes_total=len(want.refs),
        breaks_found=min(got.rules, want.rules) - max(got.rules - want.rules, 0),
        breaks_total=want.rules, quotes_wrong=_quotes_wrong(want, got, matcher),
        italics_found=sum((want.italics & got.italics).values()),
        italics_total=sum(want.italics.values()),
        # a list item counts where restore made one, of the same kind and number, at its start
        items_found=sum(want.items[mapping[j]] == kind for j, kind in got.items.items()
                        if mapping.get(j) in want.items),
        items_total=len(want.items),
        straight=got.straight - want.straight,
        missed_headings=sorted((want.headings - got.headings).elements()),
        extra_headings=sorted((got.headings - want.headings).elements()),
    )


def explain(source: str, restored: str) -> list[str]:
    """The paragraph starts restore missed or invented, with the words around them."""
    want, got = parse(source), parse(restored)
    matcher = SequenceMatcher(None, [_plain(w) for w in want.tokens],
                              [_plain(w) for w in got.tokens], autojunk=False)
    mapping: dict[int, int] = {}
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            mapping.update(zip(range(j1, j2), range(i1, i2), strict=True))
        else:
            out.append(f"words {tag}: {' '.join(want.tokens[i1:i2])[:120]!r} -> "
                       f"{' '.join(got.tokens[j1:j2])[:120]!r}")
    found = {mapping[j] for j in got.starts if j in mapping}

    def around(tokens: list[str], i: int) -> str:
        return " ".join(tokens[max(i - 6, 0):i]) + " ¶ " + " ".join(tokens[i:i + 6])

    out += [f"missed start: {around(want.tokens, i)}" for i in sorted(want.starts - found)]
    out += [f"extra start: {around(want.tokens, i)}" for i in sorted(found - want.starts)]
    out += [f"verse line lost: {line!r}" for line in sorted((want.verse - got.verse).elements())]
    made = {mapping.get(j): kind for j, kind in got.items.items()}
    out += [f"list item lost: {kind} {around(want.tokens, i).split(' ¶ ')[1]!r}"
            for i, kind in sorted(want.items.items()) if made.get(i) != kind]
    placed = {(mapping.get(j), _key(got.notes.get(label, ""))) for j, label in got.refs}
    out += [f"note lost: [^{label}] after {around(want.tokens, i + 1).split(' ¶')[0]!r}"
            for i, label in want.refs if (i, _key(want.notes.get(label, ""))) not in placed]
    return out


def floor(source: str, raw: str) -> float:
    """Word errors the extraction itself makes: source words that appear nowhere in order in
    the raw text, even with every line-end hyphen read the best way and furniture ignored
    (words out of reading order, hyphens the extractor took out of compounds)."""
    parsed = parse(source)
    want = [re.sub(r"(?<=\D)\d+$", "", _plain(w)) for w in parsed.tokens]
    vocabulary = set(want)
    words: list[str] = []
    for line in raw.replace("\f", "\n").split("\n"):
        tokens = [w.translate(QUOTES).replace("\u2010", "-") for w in line.split()]
        if words and tokens and re.search(r"\w-$", words[-1]):
            head = words.pop()
            joined = head[:-1] + tokens[0]
            tokens[0] = joined if joined in vocabulary else head + tokens[0]
        words += tokens
    got = [re.sub(r"(?<=\D)\d+$", "", w) for w in words]
    # The text in reading order; notes (set at page feet, between pages of text) by presence.
    matcher = SequenceMatcher(None, want[:parsed.body], got, autojunk=False)
    matched = sum(size for _a, _b, size in matcher.get_matching_blocks())
    missing = Counter(want[parsed.body:]) - Counter(got)
    lost = parsed.body - matched + sum(missing.values())
    return lost / max(len(want), 1)
