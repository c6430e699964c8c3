"""Lines and blocks: undo the page layout of an extracted text.

A block is a run of lines between blank lines. Page breaks (form feeds, or runs of two or more
blank lines) may fall inside a paragraph; short last lines and indents mark paragraph ends even
where no blank line does.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import pairwise

from zinepress.restore.pages import FOLIO, LIFTED, folio_value
from zinepress.restore.report import Decision
from zinepress.restore.widths import FACES, width
from zinepress.restore.words import LONGEST_WORD
from zinepress.typography import dashes

# What opens an entry of a diary, a dictionary or a list: "7th. ", "8th (Sunday). ", "Jan. 1st ",
# "Babe, n. ", "3. ", "• ".
ENTRY = re.compile(r"^(?:\d{1,2}(?:st|nd|rd|th)(?: \([^()]{1,24}\))?\.\s|"
                   r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? "
                   r"\d{1,2}(?:st|nd|rd|th)?[.,]?\s|[^\W\d_][\w’'-]*(?: [\w’'-]+){0,2}, "
                   r"(?:n|v|vb|adj|adv|prep|conj|pron|interj|abbr|pl|n\. pl)\.\s"
                   r"|\d{1,3}[.)]\s|[•▪◦]\s)")
# A list item's marker: a bullet of any kind (a typed "-" or "*" too, after a line that
# closed a phrase), or a number counting the items.
BULLETS = "•◦▪▫‣⁃●○■□►▸▹➢➤✓✔"
BULLET = re.compile(rf"^[{BULLETS}]\s+(?=\S)")
TYPED_BULLET = re.compile(r"^[-*+]\s+(?=\S)")
NUMBERED_ITEM = re.compile(r"^(\d{1,3})[.)]\s+(?=\S)")
# A run-in label: a few words and a colon that open an item ("Read about it: Look for...").
RUN_IN = re.compile(r"^[“‘\"']?[^\W\d_][^.:;!?]{0,60}(?<=\w):\s+\S")
# A paragraph's first letter set large on a line of its own (a quotation mark may lead it).
DROP_CAP = re.compile(r"^[“‘\"']?[^\W\d_]$")
# A scene break: "* * *", "***", "⁂", "• • •", a row of dashes.
SCENE_BREAK = re.compile(r"^(?:(?:[*•·∗]\s*){3,}|⁂|(?:[-–—―_]\s*){3,}|(?:#\s*){3,}|§)$")
# A title's abbreviation ("to speak to Mr." / "Blackburne") ends no sentence.
TITLES = ("Mr", "Mrs", "Messrs", "Ms", "Dr", "St", "Rev", "Prof", "Capt", "Col", "Lt", "Sr",
          "Sra", "Srta", "Mme", "Mlle")
SENTENCE_END = re.compile(r"[.!?…]" + "".join(rf"(?<!\b{t}\.)" for t in TITLES)
                          + r"[”\"’)\]]*$")
WORDS = re.compile(r"\S+")
TURN_CLOSED = re.compile(r"[.!?…—]”$")  # a speaker's turn closed: "...said so.”"
BROKEN_OFF = re.compile(r"[—–…][”»’]$")  # a speaker's turn broken off: "Always interfering—”"
PUNCTUATION = "“”‘’\"'([{.,;:!?…—–-)]}"
LOWER_WORD = re.compile(r"(?<![\w’'-])[^\W\d_]{2,}(?![\w’'-])")
MID_CAPITAL = re.compile(r"[A-Z](?:(?<=[^\W\d_] [A-Z])|(?<=[^\W\d_], [A-Z]))[a-z]+(?![\w’'-])")
# (the capital first: the look behind is tried at capitals only)
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")


SMALL_WORDS = {
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for", "from",
    "by", "with", "as", "is", "vs", "via", "into", "onto", "per", "than", "so", "yet", "up",
}
# A chapter's label: "II", "12", "C", "Chapter 3", "Capítulo VIII", "Part One".
LABEL = re.compile(r"^(?:(?i:chapter|part|book|section|canto|capítulo|parte|libro|chapitre|"
                   r"livre|kapitel|teil)\s+(?:[IVXLCDM]{1,7}|\d{1,3}|[^\W\d_]+)|[IVXLCDM]{1,7}|"
                   r"\d{1,3}|[^\W\d_a-z])\.?$")


def is_label(text: str) -> bool:
    return bool(LABEL.match(text.strip()))


def is_heading_text(text: str) -> bool:
    """Title case, short, no final punctuation: a heading. A label leads one in any case,
    and so does a year alone ("1977")."""
    if is_label(text) or re.fullmatch(r"(?:1[5-9]|20)\d\d", text):
        return True
    quoted = re.fullmatch(r"[“\"]([^“”\"]+[^\W_])[”\"]", text)  # “Free to a Good Home”
    if quoted:
        text = quoted.group(1)
    asks = text[-1:] in ("?", "!") and len(text.split()) >= 2  # "What Place Is Besieged?"
    # (a quoted word may open a title: "“Free” Is a Word on a Flyer")
    if not text or len(text) > 120 or (text[-1] in ".,;:!?…”\"’)]" and not asks) \
            or not text.lstrip("“\"‘")[:1].isupper():
        return False
    # A sentence ends and another begins: text, not a title; but a title may cry out twice,
    # shortly ("O Hymen! O Hymenee!", "Rain! Rain on the Print Run!").
    cries = all(len(part.split()) <= 6 for part in re.split(r"(?<=!) ", text))
    if re.search(r"[a-z]{3,}[.?…] [A-Z]", text) or (
            not cries and re.search(r"[a-z]{3,}! [A-Z]", text)):
        return False
    labelled = re.match(r"^(.{1,20}?)[.:]\s+\S", text)
    if labelled and is_label(labelled.group(1)) and len(text) <= 80:
        return True
    words = re.findall(r"[^\W\d_](?:[^\W\d_]|[’'\-])*", text)
    if not words or len(words) > 16:
        return False
    major = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(major) and all(w[0].isupper() for w in major)


def closed_title(text: str) -> bool:
    """A title of two words or more closed by a full stop, as older books set them ("Night
    Bus.", "To a Skylark."): over a poem, a title still."""
    return bool(re.fullmatch(r"[^.!?…]+[^\W\d_]\.", text)) and len(text.split()) >= 2 \
        and is_heading_text(text[:-1])


@dataclass
class Line:
    no: int
    text: str
    indent: int = 0
    last: str = ""  # of a verse line joined from wrapped printed lines, the last printed one
    hung: bool = False  # the rest of the line before, wrapped onto a hanging indent


@dataclass
class Block:
    lines: list[Line]
    gap: int = 1  # blank lines before it; 2+ (or a form feed) is a page break
    heading: bool = False
    quote: bool = False
    verse: bool = False
    rule: bool = False  # a scene break

    @property
    def fixed(self) -> bool:
        """Its kind is settled: no paragraph, verse or heading rule may touch it."""
        return self.heading or self.verse or self.rule

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


@dataclass
class Layout:
    """Line-length statistics of the document, the measure every break is judged against."""

    width: int  # a typical full line (90th percentile of lengths)
    indent: int
    longest: float = 0  # the measure: the longest lines (98th percentile), or in a face the
    # width that explains the most lines the sentence runs on from (`_face`)
    joined: bool = False  # some lines are printed lines joined by the extractor
    slack: float = 0.0  # a share of the measure that may be left over on a full line
    guessed: bool = False  # no line ran to the measure: it lies beyond the longest line
    full: float = 0.0  # the shortest a full line comes, learnt from the text (0: unknown)
    quotes_open: bool = False  # an opening quotation mark is the text's way to open a paragraph
    labelled: bool = False  # a run-in label ("Read about it: ") opens items of a list here
    entries: bool = False  # dated entries ("March 5th.") open most of the text's paragraphs
    items: frozenset[int] = frozenset()  # lines that open a list's items
    set_in: frozenset[int] = frozenset()  # lines whose room left says they were set in
    first_in: float = 0.0  # where the text sets first lines in, by what share of the measure
    inset: frozenset[int] = frozenset()  # lines inside a block set in whole (a quotation)
    face: str = ""  # lengths are printed widths in this face (`widths.FACES`); "": characters
    scales: dict[int, float] = field(default_factory=dict)  # line number: its local measure
    cut: dict[int, str] = field(default_factory=dict)  # line number: note calls taken out of it
    lower: frozenset[str] = frozenset()  # words the text writes in lower case only
    breaks: Callable[[str], list[int]] | None = None  # where a word may break (its language's)

    def common_word(self, word: str) -> bool:
        """A capitalised word the text writes in lower case elsewhere ("And", not "Ukridge"
        or "I"): at a line's start it opens a sentence or a verse line, not a wrapped one."""
        bare = word.lstrip("“‘\"'([").rstrip(PUNCTUATION)  # (a dash before it: it goes on)
        return bare[:1].isupper() and bare[1:].islower() and bare.lower() in self.lower

    def size(self, text: str) -> float:
        """A text's length as the measure counts it."""
        return width(text, self.face) if self.face else len(text)

    def length(self, line: Line) -> float:
        """A line's length against the measure where it stands (notes set smaller have a
        longer one in characters, a quotation set narrower a shorter one)."""
        return self.size(self.printed(line)) / self.scales.get(line.no, 1.0)

    def printed(self, line: Line) -> str:
        """The line as long as the page printed it: note calls taken out still took room."""
        cut = self.cut.get(line.no)
        return line.text + cut if cut else line.text

    @property
    def one_line(self) -> float:
        """The most one printed line measures (the measure, and some error): a longer line is
        printed lines an extractor joined."""
        return self.longest + 3

    def tail(self, line: Line) -> float:
        """The length of the line's last printed line. An over-long line is printed lines an
        extractor joined (pdftotext, taking out a hyphen): all but the last were full."""
        length = self.length(line)
        over = self.one_line
        if not (self.joined and length > over):
            return length
        scale = self.scales.get(line.no, 1.0)
        text = self.printed(line)
        at, left = 0, self.size(text) / scale
        while left > over:
            # The printed line ended inside the word that reaches a full line's width (the
            # extractor took out its hyphen).
            crossing = next((m for m in WORDS.finditer(text, at)
                             if self.size(text[at:m.end()]) / scale >= self.width), None)
            if crossing is None or crossing.end() == len(text):
                break
            cut = self._broken_at(text, at, crossing, scale, left)
            # (what is left, by difference: measured again only where it nears a line, so a
            # line of a million letters costs no more than reading it)
            left -= self.size(text[at:cut]) / scale
            at = cut
            if left <= 2 * over:
                left = self.size(text[at:]) / scale
        return max(self.size(text[at:]) / scale, 1)

    def _broken_at(self, text: str, at: int, crossing: re.Match[str], scale: float,
                   left: float) -> int:
        """Where the next printed line began, the one before starting `at` (`left`: how
        long the rest from there is): after the last point a word may break (from the one
        that crossed a full line's width on) where the line, its hyphen set, still fitted
        the measure, as a setter fills lines; where none is known, about the crossing
        word's middle. (The longest lines of a short text may fall a little short of its
        measure: a point within the tolerance a printed line has beyond it is taken where
        only that leaves the rest no longer than one line.)"""
        over = self.one_line
        fitted: list[tuple[float, int]] = []
        for word in WORDS.finditer(text, crossing.start()):
            if self.size(text[at:word.start()]) / scale > over:
                break
            if not self.breaks or len(word.group(0)) > LONGEST_WORD:
                continue  # (no language breaks a string that long: none is looked for)
            for point in self.breaks(word.group(0)):
                printed = text[at:word.start() + point]
                if not printed.endswith(("-", "‐")):
                    printed += "-"  # (the hyphen set at the line's end took room too)
                size = self.size(printed) / scale
                if size <= over:
                    fitted.append((size, word.start() + point))
        within = [point for size, point in fitted if size <= self.longest]
        if not within:
            return fitted[0][1] if fitted else crossing.start() + len(crossing.group(0)) // 2
        if left > 2 * over or self.size(text[within[-1]:]) / scale <= over:
            return within[-1]  # (more than two lines left: the rest is surely over-long)
        return next((point for _size, point in fitted if point > within[-1]
                     and self.size(text[point:]) / scale <= over), within[-1])

    def was_joined(self, line: Line) -> bool:
        """Is the line printed lines an extractor joined (its last one shorter than it)?"""
        return self.tail(line) < self.length(line)

    def is_full(self, line: Line) -> bool:
        return self.tail(line) >= (self.full or 0.85 * self.width)

    def room(self, line: Line, word: str) -> float:
        """The share of the measure `word` would have left over on `line` (below 0: it did
        not fit)."""
        scale = self.scales.get(line.no, 1.0)
        return 1 - (self.tail(line) + self.size(" " + word) / scale) / self.longest

    def fits(self, line: Line, word: str, slack: float = 0.0) -> bool:
        """Would `word` have fitted on `line`? Then the break after it was meant.

        `slack`: a share of the measure to leave over, for proportional type set justified,
        where lines of the same width differ in characters."""
        return self.room(line, word) >= slack


LIGATURES = str.maketrans({"\u2010": "-", "\u2011": "-",  # hyphen, non-breaking hyphen
                           "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                           "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u200b": None,
                           "\u2060": None, "\ufeff": None})


def strip_chars(text: str, table: dict[int, str | None]) -> str:
    """`text.translate(table)`, only where one of its characters is there to translate (a
    long text's translate costs far more than looking)."""
    return text.translate(table) if any(chr(key) in text for key in table) else text


def normalize(text: str) -> str:
    """Line ends, ligature characters and invisible debris of a PDF extraction; a typist's
    dashes, which the rules for attributions and speakers' turns read as dashes."""
    text = dashes(strip_chars(text.replace("\r\n", "\n").replace("\r", "\n"), LIGATURES))
    # A soft hyphen at a line's end broke a word there; inside a line it only offered a
    # break, and would hide the word from a search in the manuscript.
    return text.replace("\u00ad\n", "-\n").replace("\u00ad", "")


def split_blocks(text: str) -> list[Block]:
    """Blocks of lines between blank lines; `gap` counts the blank lines before each (a form
    feed counts two: a page break). Where the text marks its pages with form feeds, blank
    lines never add up to one: a wide space before a heading is no page break."""
    blocks: list[Block] = []
    current: list[Line] = []
    gap = 0
    fed = "\f" in text
    lifted = False  # a note call's own line was just passed
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw == LIFTED:
            lifted = True  # (no line, nor a gap: the paragraph goes on past it)
            continue
        if "\f" in raw:  # a form feed is a page break; line numbers stay those of the input
            if current:
                blocks.append(Block(current, gap))
                current, gap = [], 0
            gap += 2
            raw = raw.replace("\f", "")
        stripped = raw.rstrip()
        if not stripped.strip():
            if current:
                blocks.append(Block(current, gap))
                current, gap = [], 0
            gap = gap + 1 if not fed or gap < 1 else gap
            continue
        expanded = stripped.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        if lifted and current and expanded.lstrip()[:1].islower():
            indent = current[-1].indent  # (the clause goes on: `-layout` shifted it past the
            # call's line, and an indent of its own would open a paragraph or hang a verse)
        lifted = False
        current.append(Line(number, expanded.strip(), indent))
    if current:
        blocks.append(Block(current, gap))
    return blocks


def hanging_wraps(blocks: list[Block]) -> None:
    """A long line wrapped onto a hanging indent (a verse line, a list item, as
    `pdftotext -layout` keeps the page's indents): its rest, set further in and going on in
    lower case, stands at its line's indent, where the rules for wrapped lines read it; not
    at an indent of its own, which would open a paragraph."""
    for block in blocks:
        lines, k = block.lines, 1
        while k < len(lines):
            line, rest = lines[k - 1], lines[k]
            if not (rest.indent > line.indent and rest.text[:1].islower()):
                k += 1
                continue
            end = k  # (a long line may wrap onto several, all at the hanging indent)
            while end + 1 < len(lines) and lines[end + 1].indent == rest.indent:
                end += 1
            # (a line that wrapped ran to the measure, as its rest's lines but the last did:
            # not a poem's short title over its lines set in; a list item is the list's)
            reach = max(n.indent + len(n.text) for n in lines[k:end + 1])
            if (end + 1 == len(lines) or lines[end + 1].indent < rest.indent) \
                    and (k == end or line.indent + len(line.text) >= 0.8 * reach) \
                    and not item_marker(line.text):
                lines[k:end + 1] = [replace(hung, indent=line.indent, hung=True)
                                    for hung in lines[k:end + 1]]
            k = end + 1  # (the run's lines share an indent: none hangs from another)


def measure(blocks: list[Block], cut: dict[int, str] | None = None,
            breaks: Callable[[str], list[int]] | None = None) -> Layout:
    """`cut`: by line number, room the note calls taken out of a line took; `breaks`: where
    the text's language may break a word."""
    cut = cut or {}
    face, explained = _face(blocks)
    size: Callable[[str], float] = partial(width, face=face) if face else len
    every = sorted(round(size(line.text + cut.get(line.no, ""))) for b in blocks
                   for line in b.lines)
    lengths = _core(every)
    if not lengths:
        return Layout(width=1, indent=0)
    typical = lengths[int(0.9 * (len(lengths) - 1))]
    longest = lengths[int(0.98 * (len(lengths) - 1))]
    indents = Counter(line.indent for b in blocks for line in b.lines)
    if face and (abs(explained - longest) <= 0.05 * longest
                 or 0.98 * typical <= explained <= longest):
        # (where it agrees with the longest lines, or lies between them and the typical
        # full line: in a short text, lines an extractor joined may be the longest; in a
        # book of short verse lines the run-on lines are the poet's, and explain nothing)
        longest = explained
    layout = Layout(width=max(typical, 1), indent=indents.most_common(1)[0][0],
                    longest=longest, joined=len(lengths) < len(every),
                    face=face, cut=cut, breaks=breaks)
    if _unmeasured(blocks, layout):
        # No line ran to the measure: it lies beyond the longest, by an unknown margin.
        layout.width = layout.longest = round(1.25 * lengths[-1])
        layout.guessed = True
    layout.scales = _scales(blocks, layout)
    layout.inset = _inset(blocks, layout)
    text = "\n".join(line.text for b in blocks for line in b.lines)
    # Words the text writes in lower case, and never with a capital inside a sentence (as a
    # name, or "Himself" of God): a capital on one at a line's start is the text's own.
    inside = {word.lower() for word in MID_CAPITAL.findall(text)}
    layout.lower = frozenset(word for word in LOWER_WORD.findall(text)
                             if word.islower() and word not in inside)
    layout.slack = _slack(blocks, layout)
    layout.full = _full(blocks, layout)
    layout.set_in, layout.first_in = _set_in(blocks, layout)
    layout.quotes_open = _quotes_open(blocks, layout)
    layout.labelled = sum(bool(SENTENCE_END.search(line.text) and RUN_IN.match(nxt.text))
                          for b in blocks for line, nxt in pairwise(b.lines)) >= 3
    layout.items = list_items(blocks)
    layout.entries = _entries(blocks, layout)
    return layout


def item_marker(text: str) -> int:
    """How far a list item's text stands in from its marker ("1. ", "• "); 0 if none."""
    found = BULLET.match(text) or TYPED_BULLET.match(text) or NUMBERED_ITEM.match(text)
    return found.end() if found else 0


def list_items(blocks: list[Block]) -> frozenset[int]:
    """Lines that open a list's items: after a bullet, whatever the line before (an item
    may close with a semicolon, or nothing); or numbered one on from a line shortly before,
    or one short of a line shortly after ("1." ... "2."), never a number alone in prose."""
    lines = [line for block in blocks for line in block.lines]
    items = {line.no for index, line in enumerate(lines) if BULLET.match(line.text) or (
        TYPED_BULLET.match(line.text) and (index == 0 or re.search(
            r"[:;,.!?]$", lines[index - 1].text) or TYPED_BULLET.match(lines[index - 1].text)))}
    numbered = [(index, int(match.group(1))) for index, line in enumerate(lines)
                if (match := NUMBERED_ITEM.match(line.text))]
    for (i, a), (j, b) in pairwise(numbered):
        if b == a + 1 and j - i <= 12:  # (an item of a dozen lines at most)
            items |= {lines[i].no, lines[j].no}
    # Items no marker opens (a browser draws its bullets): after a line that leads in with
    # a colon, lines that each open in lower case and close on a semicolon, the last on a
    # stop; three at least (a poem's lines open with capitals).
    for index, line in enumerate(lines):
        if not line.text.endswith(":"):
            continue
        end = index + 1
        while end < len(lines) and lines[end].text.endswith(";") \
                and lines[end].text[:1].islower():
            end += 1
        if end - index >= 3 and end < len(lines) and SENTENCE_END.search(lines[end].text) \
                and lines[end].text[:1].islower():
            items |= {item.no for item in lines[index + 1:end + 1]}
    return frozenset(items)


def _unmeasured(blocks: list[Block], layout: Layout) -> bool:
    """Did any line run to the measure? In prose (and verse whose long lines wrap) a line
    that goes on in lower case is full, as long as the longest lines; in a book of short
    verse, most lines that go on so stop well short of the longest: the poet broke them.
    (In prose a quarter of them stop short of nine tenths at most: a quarter short of seven
    tenths is verse however its median falls.)"""
    tails = sorted(layout.tail(line) for b in blocks for line, nxt in pairwise(b.lines)
                   if nxt.text[:1].islower() and not line.text.endswith(("-", "‐")))
    return len(tails) >= 10 and (tails[len(tails) // 2] < 0.8 * layout.width
                                 or tails[len(tails) // 4] < 0.7 * layout.width)


def _entries(blocks: list[Block], layout: Layout) -> bool:
    """A diary: of the paragraphs the text plainly starts, most open with a dated entry (a
    list's numbered items are no entries)."""
    starts = [nxt for b in blocks for line, nxt in pairwise(b.lines)
              if _paragraph_end(line, nxt, layout)]
    dated = sum(bool(ENTRY.match(nxt.text)) and nxt.no not in layout.items for nxt in starts)
    return dated >= 5 and dated >= 0.6 * len(starts)


OPENING = ("“", '"')  # a straight quote at a line's start opens


def _quotes_open(blocks: list[Block], layout: Layout) -> bool:
    """Dialogue: of the paragraphs the text plainly starts (after a short line that closes a
    sentence), a good share open with a quotation mark, many times the share of sentences
    inside lines that do."""
    starts = [nxt.text for b in blocks for line, nxt in pairwise(b.lines)
              if _paragraph_end(line, nxt, layout) and not line.text.endswith(("-", "—"))]
    inner = re.findall(r"[.!?…][”’]?\s+(\S)", " ".join(ln.text for b in blocks
                                                        for ln in b.lines))
    if len(starts) < 10 or not inner:
        return False
    share = sum(text.startswith(OPENING) for text in starts) / len(starts)
    return share >= 0.3 and share >= 2 * sum(c in OPENING for c in inner) / len(inner)


def _scales(blocks: list[Block], layout: Layout, reach: int = 40) -> dict[int, float]:
    """Where the measure changes (endnotes set smaller, a long quotation set narrower),
    the full lines around a line say how long a full line is there: the lines the sentence
    surely runs on from, as `_full` takes them, within `reach` lines."""
    lines = [line for b in blocks for line in b.lines]
    sure = [(k, size) for k, (line, nxt) in enumerate(pairwise(lines))
            if nxt.text[:1].islower() and not line.text.endswith(("-", "‐"))
            and 0.6 * layout.width <= (size := layout.size(line.text)) <= layout.longest * 1.15]
    if len(sure) < 40:
        return {}
    reference = sorted(size for _, size in sure)[int(0.9 * (len(sure) - 1))]
    scales: dict[int, float] = {}
    for at in range(0, len(lines), 8):
        near = sorted(size for k, size in sure[bisect_left(sure, (at - reach, 0.0)):
                                              bisect_left(sure, (at + reach, 0.0))])
        if len(near) >= 8:
            scale = min(max(near[int(0.9 * (len(near) - 1))] / reference, 0.8), 1.25)
            if abs(scale - 1) >= 0.02:
                scales.update((line.no, scale) for line in lines[at:at + 8])
    return scales


def _inset(blocks: list[Block], layout: Layout) -> frozenset[int]:
    """Where the text keeps its indents (`pdftotext -layout`), the lines of a block set in
    whole, a quotation with its own margins: three lines or more at one indent past the
    text's, the sentence running on from one to the next. Their indent is the block's, not a
    first line's. (Its own measure is not learnt: a stanza set in looks the same.)"""
    lines = [line for block in blocks for line in block.lines]
    inset: set[int] = set()
    start = 0
    for end in range(1, len(lines) + 1):
        if end < len(lines) and lines[end].indent == lines[start].indent:
            continue
        run = lines[start:end]
        if len(run) >= 3 and run[0].indent > layout.indent and any(
                nxt.text[:1].islower() for nxt in run[1:]):
            inset.update(line.no for line in run)
        start = end
    return frozenset(inset)


def _face(blocks: list[Block]) -> tuple[str, float]:
    """The face a text was set in, as near as `widths.FACES` come ("" where it was wrapped by
    counting characters: a plain-text e-text), and the measure in its widths. Where the
    sentence surely runs on (the next line opens in lower case) the line was full and the
    next word did not fit: in the right face one measure explains the most such lines, each
    no longer than it and longer with its next word. (Full lines alone agree in width about
    as well in any face: the spaces of justified type stretch.)"""
    pairs = [(line.text, " " + nxt.text.split()[0]) for b in blocks
             for line, nxt in pairwise(b.lines)
             if nxt.text[:1].islower() and not line.text.endswith(("-", "‐", "—"))]
    if len(pairs) < 20:
        return "", 0.0  # too few to tell: characters, as they were always counted
    pairs = pairs[::len(pairs) // 500 + 1]  # (some hundreds over the whole book settle it)

    def agreement(size: Callable[[str], float]) -> tuple[float, float]:
        """The largest share of those lines one measure explains, and that measure."""
        sized = [(size(line), size(word)) for line, word in pairs]
        middle = sorted(n for n, _ in sized)[len(sized) // 2]
        events = sorted(event for n, more in sized if n <= 1.1 * middle
                        for event in ((n, 1), (n + more, -1)))
        # (not lines the extractor joined; a line ending where another with its word did
        # is explained by no measure between them: its end counted first)
        best = count = 0
        at = 0.0
        for index, (value, step) in enumerate(events):
            count += step
            if count > best:  # (a line's end with its word follows its start: no last one)
                best, at = count, (value + events[index + 1][0]) / 2
        return best / len(events) * 2, at

    scores = {face: agreement(partial(width, face=face)) for face in FACES}
    face = max(scores, key=lambda f: scores[f][0])
    return (face, scores[face][1]) if scores[face][0] > agreement(len)[0] else ("", 0.0)


def _set_in(blocks: list[Block], layout: Layout) -> tuple[frozenset[int], float]:
    """Lines a paragraph opens on, by the room they left: where first lines are set in (an
    indent the extractor dropped), a line the sentence runs on from was full at the measure
    less the indent, and a full line's room would have taken its next word. The text shows
    whether it sets them in: lines after a short one that closes a sentence leave more room
    than lines inside a sentence ever do (their widths' error, learnt from the same text),
    or, where the indent is narrow against the measure, more room as a whole (by ranks: an
    indent of 3% shows in few lines alone). Also by how much (a share of the measure): most
    such lines leave less room than that."""
    inside: list[float] = []
    after_short: list[float] = []
    after_full: list[tuple[float, int]] = []
    lines = [line for block in blocks for line in block.lines]  # (over pages' breaks too)
    for before, line, nxt in zip(lines, lines[1:], lines[2:], strict=False):
        if not nxt.text[:1].islower() or line.text.endswith(("-", "‐", "—", "/")) \
                or layout.was_joined(line):
            continue  # (only a line the sentence runs on from was full; of printed lines an
            # extractor joined, the last is no first line)
        room = layout.room(line, nxt.text.split()[0])
        if not SENTENCE_END.search(before.text):
            inside.append(room)
        elif layout.tail(before) < 0.8 * layout.width:
            after_short.append(room)
        elif starts_upper(line.text):
            after_full.append((room, line.no))
    if len(inside) < 20 or len(after_short) < 8:
        return frozenset(), 0.0
    inside.sort()
    error = max(inside[int(0.95 * (len(inside) - 1))], 0.0)
    after_short.sort()
    if after_short[3 * len(after_short) // 4] < error + 0.02 \
            and _rank_z(inside, after_short) < 2.0:
        return frozenset(), 0.0  # first lines are not set in (or the widths cannot show it)
    return (frozenset(no for room, no in after_full if room > error + 0.01),
            after_short[int(0.9 * (len(after_short) - 1))])


def _rank_z(lower: list[float], higher: list[float]) -> float:
    """How many standard errors `higher` (sorted) stands above `lower` (sorted), by the
    Mann-Whitney rank sum: how often one of its values beats one of the other's."""
    wins = sum((bisect_left(lower, x) + bisect_right(lower, x)) / 2 for x in higher)  # (ties half)
    pairs = len(lower) * len(higher)
    return (wins - pairs / 2) / (pairs * (len(lower) + len(higher) + 1) / 12) ** 0.5


def _full(blocks: list[Block], layout: Layout) -> float:
    """How short a full line may come: lines the sentence surely runs on from (the next
    opens in lower case) were full, whatever their length. Never above the usual 85%."""
    lengths = sorted(n for b in blocks for line, nxt in pairwise(b.lines)
                     if nxt.text[:1].islower() and (n := layout.tail(line)) >= 0.6 * layout.width)
    # (Short lines before lower case are verse, in languages that do not capitalise it.)
    if len(lengths) < 20:
        return 0.0
    return min(lengths[len(lengths) // 20], 0.85 * layout.width)


def _slack(blocks: list[Block], layout: Layout) -> float:
    """How far line lengths mislead about what fits, learnt from the text: where a
    sentence surely runs on (the next line opens in lower case), the next word did not fit,
    however few characters the line had. Type set by hand or at a fixed width: none."""
    room = sorted((tail + layout.size(" " + nxt.text.split()[0])) / layout.longest
                  for b in blocks for line, nxt in pairwise(b.lines)
                  if nxt.text[:1].islower() and not line.text.endswith(("-", "—", "/"))
                  # (not a verse line's, going on in lower case far short of the measure)
                  and (tail := layout.tail(line)) >= 0.8 * layout.width)
    if len(room) < 20:
        return 0.0
    return min(max(0.0, 1 - room[len(room) // 10]), 0.08)


def _core(lengths: list[int]) -> list[int]:
    """Line lengths without the over-long lines an extractor makes when it joins two lines
    (pdftotext does, where it takes out a hyphen). Full lines are the densest lengths above
    the median; the measure ends where that crowd thins out."""
    if len(lengths) < 20:
        return lengths
    counts = Counter(lengths)
    density = {n: sum(counts[k] for k in range(n - 3, n + 1))
               for n in range(lengths[len(lengths) // 2], lengths[-1] + 2)}
    top = max(density.values())
    edge = max(n for n, v in density.items() if v == top)
    while density.get(edge + 1, 0) >= 0.25 * top:
        edge += 1
    return [n for n in lengths if n <= 1.3 * edge]


def drop_furniture(blocks: list[Block], log: list[Decision], folios: bool = True) -> list[Block]:
    """Remove folios and running heads or feet: short lines that repeat next to page breaks.

    `folios`: page edges are only guessed from blank lines (no form feeds), so numerals there
    are folios; with form feeds the pages have already been cleared."""
    edge_lines: Counter[str] = Counter()
    for index, block in enumerate(blocks):
        at_break = block.gap >= 2 or index == 0
        next_break = index + 1 < len(blocks) and blocks[index + 1].gap >= 2
        edges = {id(line): line for line, edge in ((block.first, at_break),
                                                    (block.last, next_break)) if edge}
        for line in edges.values():
            edge_lines[_furniture_key(line.text)] += 1
    repeated = {key for key, n in edge_lines.items()
                if len(key) <= 80 and (n >= 3 or (n == 2 and not SENTENCE_END.search(key)))}
    kept: list[Block] = []
    carry_gap = 0
    for index, block in enumerate(blocks):
        lines = []
        next_break = index + 1 == len(blocks) or blocks[index + 1].gap >= 2
        # A numeral between text is a heading ("II"); only at a page's edge is it a folio.
        edges = {id(line) for line, edge in ((block.first, block.gap >= 2 or not index),
                                              (block.last, next_break)) if edge}
        for line in block.lines:
            if _caps_head(block, line, kept):
                log.append(Decision("furniture", line.no,
                                    f"dropped running head {line.text!r} inside a paragraph"))
            elif folios and FOLIO.match(line.text) and id(line) in edges \
                    and not _chapter_numeral(line, block, blocks[index + 1:]):
                log.append(Decision("furniture", line.no, f"dropped folio {line.text.strip()!r}"))
            elif _furniture_key(line.text) in repeated and len(block.lines) <= 2:
                log.append(Decision("furniture", line.no, f"dropped running head {line.text!r}"))
            else:
                lines.append(line)
        if lines:
            block.lines = lines
            block.gap = max(block.gap, carry_gap) if carry_gap else block.gap
            kept.append(block)
            carry_gap = 0
        else:
            carry_gap = max(carry_gap, block.gap, 2)
    return kept


def _chapter_numeral(line: Line, block: Block, after: list[Block]) -> bool:
    """A Roman numeral in capitals over a title ("II" / "Mr. and Mrs. Ukridge"): a chapter's
    label, not a folio (books number their pages in small Roman figures, if at all)."""
    lines = [*block.lines, *(ln for b in after[:1] for ln in b.lines)]
    at = next(i for i, ln in enumerate(lines) if ln is line)
    return bool(re.fullmatch(r"[IVXLC]{1,7}\.?", line.text.strip())) and at + 1 < len(lines) \
        and is_heading_text(lines[at + 1].text)


def _caps_head(block: Block, line: Line, kept: list[Block]) -> bool:
    """A lone capitalised line at a page top, inside a running paragraph: a running head."""
    if len(block.lines) != 1 or block.gap < 2 or not kept or len(line.text) > 60:
        return False
    letters = [c for c in line.text if c.isalpha()]
    return (len(letters) >= 3 and all(c.isupper() for c in letters)
            and not SENTENCE_END.search(kept[-1].last.text))


def _furniture_key(text: str) -> str:
    """Numbers aside (pages.furniture_key also sets aside spaces and Roman numerals, which
    without form feeds would make a dictionary's letter headings look alike)."""
    return re.sub(r"\d+", "#", text.strip().lower())


def intentional_breaks(block: Block, layout: Layout) -> bool:
    """Every line of the block ended before the measure forced it: verse, or a list of lines."""
    return len(block.lines) >= 2 and all(
        layout.fits(line, nxt.text.split()[0]) and not layout.is_full(line)
        and not line.text.endswith(("-", "‐"))
        for line, nxt in zip(block.lines, block.lines[1:], strict=False))


def dialogue_turn(line: Line, nxt: Line) -> bool:
    """A quotation closes a sentence and another opens the next line: a new speaker."""
    return nxt.text.startswith("“") and bool(TURN_CLOSED.search(line.text))


def _paragraph_end(line: Line, nxt: Line, layout: Layout, strict: bool = False,
                   first: bool = False) -> bool:
    """Does a paragraph end after `line`, though no blank line follows?

    `strict`: the text separates paragraphs with blank lines, so a break inside a block needs
    a clearly short line, not just one the next word would have fitted on. `first`: `line`
    opens its paragraph, so where the text sets first lines in, its measure was shorter."""
    ends = bool(SENTENCE_END.search(line.text))
    if nxt.no in layout.items:
        return True  # the next item of a list
    if line.no in layout.items and item_marker(line.text) \
            and abs(nxt.indent - line.indent - item_marker(line.text)) <= 1:
        return False  # the item's text wrapped onto the indent its marker hangs from
    if nxt.indent > layout.indent and (nxt.indent > line.indent or (
            ends and nxt.no not in layout.inset)):
        return True  # an indented first line (after a one-line paragraph, too)
    if dialogue_turn(line, nxt) and not (strict and layout.is_full(line)):
        return True
    if ends and nxt.text.startswith("—") and not strict:
        return True  # an attribution, or (in Spanish) a speaker's turn
    if ends and ENTRY.match(nxt.text):
        return True  # a dated entry, a headword, a numbered or bulleted item
    if layout.labelled and ends and RUN_IN.match(nxt.text):
        return True  # one more item of the text's list of labelled items
    if layout.quotes_open and (ends or line.text.endswith(
            (":", ":—"))) and nxt.text.startswith(OPENING) and not _wider_than_first(nxt, layout):
        return True  # in this text a quotation opens paragraphs far more than sentences
    if _attribution(line, layout) and starts_upper(nxt.text):
        return True
    if strict and layout.is_full(line):
        return False
    if nxt.no in layout.set_in:
        return True  # set in: it left room a full line would have used
    # Where dated entries open the paragraphs, an entry goes on over a line that only just
    # left room for the next word: it must have left room for two.
    room = " ".join(nxt.text.split()[:2 if layout.entries else 1])
    # (A quotation closed at a line's end with no stop of its own ends its paragraph too,
    # where the next word had room: "...would stop crying and get up”".)
    return (bool(ends or BROKEN_OFF.search(line.text)
                 or line.text.endswith("”"))
            and layout.fits(line, room, slack=layout.slack + (layout.first_in if first else 0))
            and starts_upper(nxt.text))


def _wider_than_first(line: Line, layout: Layout) -> bool:
    """Where the text sets first lines in, is `line` (one printed line) longer than a first
    line can be? A quotation opening it then goes on its paragraph."""
    return layout.first_in > 0 and not layout.was_joined(line) \
        and layout.length(line) > (1 - layout.first_in) * layout.longest


def _attribution(line: Line, layout: Layout) -> bool:
    """"—Ezekiel 1:21": a short line that opens with a dash and ends without a full stop."""
    return (line.text.startswith("—") and not layout.is_full(line)
            and len(line.text.split()) <= 12 and not SENTENCE_END.search(line.text))


def blank_line_style(blocks: list[Block], layout: Layout) -> bool:
    """Does the text separate paragraphs with blank lines (rather than short lines or indents)?"""
    multi = [b for b in blocks if len(b.lines) >= 3 and not intentional_breaks(b, layout)]
    if not multi:
        return True
    inner = sum(any(_paragraph_end(a, b, layout) for a, b in zip(bl.lines, bl.lines[1:],
                                                                  strict=False))
                for bl in multi)
    sizes = sorted(len(b.lines) for b in multi)
    # Paragraphs rarely run past a dozen lines; blocks as long as pages are pages.
    return inner / len(multi) < 0.25 and sizes[len(sizes) // 2] <= 15


def letter_spaced(text: str) -> bool:
    """Letters set apart (letter-spacing), as an extractor gives them: one space between
    letters ("T H E F I R S T"), a kerned pair closed up ("D AY")."""
    tokens = text.split()
    return len(tokens) >= 4 and max(map(len, tokens)) <= 2 \
        and sum(len(token) == 1 for token in tokens) >= 0.75 * len(tokens)


def join_drop_caps(blocks: list[Block], known: Callable[[str], bool],
                   log: list[Decision]) -> list[Block]:
    """A paragraph's first letter set large (a drop cap) comes out as a line of its own, the
    rest of its word opening the next block in lower case ("T" / "he night press ran"): one
    word again, where the text or the word counts know it (`known`: a word's test)."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        letter = block.first.text
        if (len(block.lines) == 1 and not block.fixed and nxt is not None and not nxt.fixed
                and DROP_CAP.match(letter) and letter[-1].isupper()
                and nxt.first.text[:1].islower()):
            word = letter.lstrip("“‘\"'") + re.match(r"\w+", nxt.first.text).group(0)
            if known(word):
                nxt.lines[0] = replace(nxt.first, no=block.first.no,
                                       text=f"{letter}{nxt.first.text}")
                nxt.gap = block.gap
                log.append(Decision("drop-cap", block.first.no,
                                    f"a drop cap joined to its word: {word!r}"))
                continue
        out.append(block)
    return out


def gather_fragments(blocks: list[Block], log: list[Decision]) -> list[Block]:
    """A justified line an extractor scattered word by word, each word a block of its own
    ("book", "called", "Fowls", ...), after the line that follows it (so pdftotext does): one
    line again, put back before the last line of the block before."""
    out: list[Block] = []
    run: list[Block] = []

    def flush() -> None:
        if len(run) >= 3:
            words = " ".join(b.first.text for b in run)
            line = Line(run[0].first.no, words)
            before = out[-1] if out else None
            if before is not None and not before.fixed and len(before.lines) >= 2:
                before.lines.insert(len(before.lines) - 1, line)
            else:
                out.append(Block([line], run[0].gap))
            log.append(Decision("fragments", run[0].first.no,
                                f"{len(run)} scattered words gathered: {words!r}"))
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if (len(block.lines) == 1 and len(block.first.text.split()) <= 2 and not block.fixed
                and not block.first.text.startswith(("“", "‘", "«", "—", '"'))  # a turn
                and not FOLIO.match(block.first.text) and not SCENE_BREAK.match(block.first.text)
                and not is_label(block.first.text)):
            run.append(block)
        else:
            flush()
            out.append(block)
    flush()
    return out


def split_scene_breaks(blocks: list[Block], log: list[Decision]) -> list[Block]:
    """A line of asterisks, dashes or a dinkus between paragraphs: a scene break."""
    rules = {line.no for b in blocks for line in b.lines if SCENE_BREAK.match(line.text)}
    log += [Decision("scene-break", line.no, f"{line.text!r}") for b in blocks
            for line in b.lines if line.no in rules]
    return _set_apart(blocks, rules, rule=True)


SECTION_NUMERAL = re.compile(r"^([IVXLC]{1,7})\.?$")


def split_section_numerals(blocks: list[Block], log: list[Decision]) -> list[Block]:
    """Sections numbered in Roman figures, each numeral alone on its line ("II"): where the
    numerals count up through the text, each is a heading, though no blank line sets it
    apart (a text dump runs a poem's sections together). A lone "I" is a word."""
    found = [(line.no, folio_value(match.group(1))) for b in blocks for line in b.lines
             if (match := SECTION_NUMERAL.match(line.text))]
    # (One that opens a block, or stands over a title ("II" / "God in the Wheels"), the
    # heading rules read as a chapter's label: only one run in among the lines counts.)
    inside = {line.no for b in blocks for k, line in enumerate(b.lines)
              if k > 0 and not (k + 1 < len(b.lines) and is_heading_text(b.lines[k + 1].text))}
    counted = {no for k, (no, value) in enumerate(found) if no in inside and (
        (k and found[k - 1][1] == (value or 0) - 1)
        or (k + 1 < len(found) and found[k + 1][1] == (value or 0) + 1))}
    log += [Decision("heading", no, "a section's numeral, counting up") for no, _ in found
            if no in counted]
    return _set_apart(blocks, counted, heading=True)


RUN_IN_NUMERAL = re.compile(r"^(\d{1,3}|[IVXLC]{1,7})\s+(?=[“‘\"(]?[A-Z])(\S.*)$")


def split_run_in_numerals(blocks: list[Block], log: list[Decision]) -> list[Block]:
    """Sections numbered 1, 2, 3 (or I, II, III), each number run in to its first line as
    LaTeX sets a `\\paragraph` ("1 I sing the body electric,"): where such numbers count up
    from one through the text, three at least, each is a heading on a line of its own."""
    chains: dict[bool, list[int]] = {True: [], False: []}  # arabic, Roman: line numbers
    found: dict[int, re.Match[str]] = {}
    for line in (line for b in blocks if not b.fixed for line in b.lines):
        match = RUN_IN_NUMERAL.match(line.text)
        if not match:
            continue
        arabic = match.group(1).isdigit()
        value = int(match.group(1)) if arabic else folio_value(match.group(1).lower())
        if value == len(chains[arabic]) + 1:
            chains[arabic].append(line.no)
            found[line.no] = match
    numbered = {no: found[no] for chain in chains.values() if len(chain) >= 3 for no in chain}
    if not numbered:
        return blocks
    out: list[Block] = []
    for block in blocks:
        current: list[Line] = []
        gap = block.gap
        for line in block.lines:
            match = numbered.get(line.no)
            if match is None:
                current.append(line)
                continue
            if current:
                out.append(Block(current, gap, quote=block.quote, verse=block.verse))
                gap = 1
            out.append(Block([replace(line, text=match.group(1))], gap, heading=True))
            log.append(Decision("heading", line.no, f"section {match.group(1)}, run in to its "
                                "first line, counting up"))
            current, gap = [replace(line, text=match.group(2))], 1
        if current:
            out.append(Block(current, gap, quote=block.quote, heading=block.heading,
                             verse=block.verse))
    return out


def _set_apart(blocks: list[Block], numbers: set[int], **kind: bool) -> list[Block]:
    """The lines `numbers` as blocks of their own, of `kind` (a scene break, a heading)."""
    out: list[Block] = []
    for block in blocks:
        if not any(line.no in numbers for line in block.lines):
            out.append(block)
            continue
        current: list[Line] = []
        gap = block.gap
        for line in block.lines:
            if line.no in numbers:
                if current:
                    out.append(Block(current, gap, quote=block.quote, heading=block.heading,
                                     verse=block.verse))
                out.append(Block([line], 1 if current else gap, **kind))
                current, gap = [], 1
            else:
                current.append(line)
        if current:
            out.append(Block(current, gap, quote=block.quote, heading=block.heading,
                             verse=block.verse))
    return out


def split_paragraphs(blocks: list[Block], layout: Layout, strict: bool) -> list[Block]:
    """Split blocks where a line ends short with a sentence end, or the next line is indented."""
    out: list[Block] = []
    for block in blocks:
        if block.fixed:
            out.append(block)
            continue
        pieces: list[list[Line]] = [[]]
        headings: set[int] = set()
        titled = False  # the line before was a chapter's label: this one may be its title
        for index, (line, nxt) in enumerate(zip(block.lines, [*block.lines[1:], None],
                                                strict=True)):
            starts_piece = not pieces[-1]
            if titled and nxt is not None and _title_line(line, layout) \
                    and starts_upper(nxt.text) and not ENTRY.match(line.text + " "):
                pieces[-2].append(line)
                titled = False
                continue
            titled = False
            if (starts_piece and len(pieces) >= 2 and len(pieces) - 2 in headings
                    and nxt is not None and heading_goes_on(pieces[-2], line, nxt, layout)):
                pieces[-2].append(line)  # a long heading wrapped onto a second line
                continue
            after_sentence = starts_piece or bool(SENTENCE_END.search(pieces[-1][-1].text))
            after = block.lines[index + 2] if index + 2 < len(block.lines) else None
            two_lines = (nxt is not None and after is not None
                         and heading_goes_on([line], nxt, after, layout))
            # (Where blank lines part paragraphs, a heading still opens its block: the
            # blank line under it may be lost, as `pdftotext -layout` loses it.)
            if (not strict or index == 0) and nxt is not None and (after_sentence or two_lines) \
                    and (two_lines or (_heading_line(line, layout) and starts_upper(nxt.text))
                         or (starts_piece and not block.quote
                             and plain_heading(line, nxt, layout))):
                if not starts_piece:
                    pieces.append([])
                headings.add(len(pieces) - 1)
                pieces[-1].append(line)
                pieces.append([])
                titled = is_label(line.text)
                continue
            pieces[-1].append(line)
            if nxt is not None and (_paragraph_end(line, nxt, layout, strict, starts_piece) or (
                    starts_piece and _greeting(line, nxt, layout))):
                pieces.append([])
        for index, lines in enumerate(p for p in pieces if p):
            out.append(Block(lines, block.gap if index == 0 else 1, quote=block.quote,
                             heading=index in headings))
    return out


def split_letter_ends(blocks: list[Block], layout: Layout, log: list[Decision]) -> list[Block]:
    """A letter's closing and its name ("With love and coffee," / "Rosa") after a closed
    sentence (or opening a page), where the block ends or a heading in sentence case follows
    (the next letter's): a paragraph each, as the letter sets them; short lines, but no
    poem's."""
    out: list[Block] = []
    for block in blocks:
        lines = block.lines
        cuts = [] if block.fixed else [
            i for i in range(len(lines) - 1)
            if (i == 0 or SENTENCE_END.search(lines[i - 1].text)) and signature(lines[i + 1].text)
            and _greeting(lines[i], lines[i + 1], layout)
            and ((i + 2 == len(lines) and i > 0) or (  # (two lines alone: a couplet's, maybe)
                i + 3 < len(lines) and plain_heading(lines[i + 2], lines[i + 3], layout)))]
        if not cuts:
            out.append(block)
            continue
        for i in cuts:
            log.append(Decision("paragraph", lines[i].no,
                                f"a letter's closing and its name: {lines[i].text!r}"))
        bounds = sorted({0, len(lines), *cuts, *(i + 1 for i in cuts), *(i + 2 for i in cuts)})
        out += [Block(lines[a:b], block.gap if a == 0 else 1, quote=block.quote)
                for a, b in pairwise(bounds) if b > a]
    return out


def heading_goes_on(heading: list[Line], line: Line, nxt: Line, layout: Layout) -> bool:
    """A heading's first line long enough to have wrapped, the two lines a title together
    (then text): a heading wherever it stands."""
    last = heading[-1]
    return (len(heading) == 1 and not is_label(last.text) and not is_label(line.text)
            and layout.length(last) >= 0.5 * layout.width
            and not layout.is_full(line) and starts_upper(nxt.text)
            and is_heading_text(f"{last.text} {line.text}"))


def _greeting(line: Line, nxt: Line, layout: Layout) -> bool:
    """A paragraph's first line, short and closing on a comma, two words' room left, over a
    capital: a letter's greeting or its closing ("Dear friends," / "In solidarity,"), a
    paragraph of its own, not a sentence wrapped (nor a speaker's turn, which opens with its
    quotation mark or dash)."""
    return line.text.endswith(",") and not line.text.startswith(("“", '"', "‘", "'", "—", "«")) \
        and layout.tail(line) <= 0.6 * layout.width \
        and layout.fits(line, " ".join(nxt.text.split()[:2]), slack=layout.slack) \
        and starts_upper(nxt.text)


def signature(text: str) -> bool:
    """A name alone, as a letter is signed under its closing: a word or three, each with a
    capital ("Rosa", "J.", "Ana María Ruiz"), closing on no comma or colon."""
    words = text.split()
    return 1 <= len(words) <= 3 and all(word[:1].isupper() for word in words) \
        and not re.search(r"[,;:]$", text)


def plain_heading(line: Line, nxt: Line, layout: Layout) -> bool:
    """A paragraph's first line, short (the next word had room) and closing on no
    punctuation at all, over a line that opens with a capital: a heading in sentence case
    ("From Rosa, after her release"). No line of prose stops short so; a list's items and a
    numeral's title aside, and a source after its dash: a quotation's."""
    return (len(line.text.split()) >= 2 and line.text[:1].isupper() and starts_upper(nxt.text)
            and layout.tail(line) <= 0.7 * layout.width
            and layout.fits(line, nxt.text.split()[0], slack=layout.slack)
            and not re.search(r"[.,;:!?…”\"’)\]—-]$", line.text) and not is_label(line.text)
            and line.no not in layout.items and nxt.no not in layout.items)


def _title_line(line: Line, layout: Layout) -> bool:
    """The line after a chapter's label: its title, in any case."""
    text = line.text
    return (not layout.is_full(line) and layout.length(line) <= 0.8 * layout.width
            and starts_upper(text)
            and not is_label(text) and text[-1] not in ".,;:!?…”\"’)]")


def _heading_line(line: Line, layout: Layout) -> bool:
    """A title-case line standing between paragraphs that have no blank lines. Headings are
    set larger: one may fill the measure with fewer characters than a line of text; a long
    one, past the measure, is its two lines read as one."""
    return (layout.length(line) <= 0.95 * layout.longest or len(line.text.split()) >= 6) \
        and is_heading_text(line.text)


def starts_upper(text: str) -> bool:
    """A capital (or a figure) opens the line, past quotes, brackets and dashes."""
    text = text.lstrip("“‘\"'(—[¡¿«")
    return bool(text) and (text[0].isupper() or text[0].isdigit())


def join_page_breaks(blocks: list[Block], layout: Layout, log: list[Decision],
                     seen: dict[int, bool] | None = None,
                     page_tops: frozenset[int] | None = None) -> list[Block]:
    """A paragraph cut by a page break continues: rejoin it; so does a poem's stanza, where
    a PDF's page shows it going on. `seen`: for first lines of pages, whether a PDF's page
    shows the paragraph (or stanza) before going on (no indent, no gap; verse: no sentence
    closed at the foot). `page_tops`: the first lines of pages, where the text marks them
    (elsewhere a wide gap may be a page's break)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        goes_on = (seen or {}).get(block.first.no)
        if (prev is not None and block.gap >= 2 and not prev.heading and not block.heading
                and (page_tops is None or block.first.no in page_tops)
                and not prev.rule and not block.rule and (
                    (prev.verse and block.verse and goes_on)  # (one stanza, a PDF shows)
                    or (not prev.verse and not block.verse and (
                        goes_on if goes_on is not None
                        else continues(prev.last, block.first, layout, block.lines[1:3]))))):
            kind = "stanza" if prev.verse else "paragraph"
            log.append(Decision("page-join", block.first.no,
                                f"joined {kind} across page break: …{prev.last.text[-30:]!r}"))
            prev.lines.extend(block.lines)
            continue
        out.append(block)
    return out


def continues(last: Line, first: Line, layout: Layout, then: list[Line] | None = None) -> bool:
    """Does the paragraph `last` ends go on at `first`, the next page's first line (`then`:
    the two lines after it)?"""
    text = last.text
    if (is_heading_text(first.text) and not is_label(first.text)
            and not layout.is_full(first)) or (
            then and len(then) == 2 and heading_goes_on([first], then[0], then[1], layout)):
        return False  # a heading opens the page ("Capítulo III. La errata"), its text after it
    if first.indent > layout.indent and first.indent != last.indent:
        return False  # the next page opens with an indented first line (not a list item's
        # text, or a quotation's, going on at the inset it had)
    if dialogue_turn(last, first):
        return False
    if text.endswith(("-", "‐", "/", "—")):
        return True
    if first.no in layout.set_in:
        return False  # set in: it left room a full line would have used
    if not SENTENCE_END.search(text) and not text.endswith(":"):
        # (a line closing on a comma closes no paragraph, however short: a verse line's)
        return layout.is_full(last) or not starts_upper(first.text) or text.endswith(",")
    # (After a closed sentence, a line in sentence case with no stop, short, over a capital
    # is a heading: "From J., in the north wing".)
    return layout.is_full(last) and not layout.fits(last, first.text.split()[0], layout.slack) \
        and not (then and plain_heading(first, then[0], layout))


def unescape_markdown(text: str) -> str:
    return MD_ESCAPE.sub(r"\1", text)
