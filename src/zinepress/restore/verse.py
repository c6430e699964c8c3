"""Verse inside running text: lines broken on purpose, most of them mid-sentence.

In prose a line ends early only where a paragraph ends, and then nearly always after a full
stop. In verse nearly every line ends early, after a comma or nothing at all. An extraction
without blank lines (what `pdftotext` gives) runs poems and prose together; this finds the
poems by that evidence alone. A verse line too long for the measure wraps: the full line and
its continuation are one line of the poem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from zinepress.restore.lines import (
    SENTENCE_END,
    Block,
    Layout,
    Line,
    closed_title,
    heading_goes_on,
    is_heading_text,
    is_label,
    starts_upper,
)
from zinepress.restore.report import Decision
from zinepress.restore.widths import width
from zinepress.restore.words import Vocabulary

MIN_OPEN = 3  # breaks after an unfinished sentence before a run is called verse


@dataclass(frozen=True)
class Break:
    kept: bool  # the line ended where the poet ended it
    open: bool  # ...clearly short of the measure, and not at a sentence's end


def _break(line: Line, nxt: Line, layout: Layout, capitals: bool) -> Break:
    """`capitals`: the verse around starts its lines with capitals, so a line in lower case
    is the rest of the line before, however short that was."""
    if nxt.no in layout.items:
        return Break(True, False)  # a list's next item: a break its marker accounts for
    if _long_title(line, layout) and starts_upper(nxt.text) \
            and not is_heading_text(f"{line.text} {nxt.text}"):
        return Break(True, False)  # a title's lines read as one, over its poem's first
    text = line.text
    fits = layout.fits(line, nxt.text.split()[0], slack=layout.slack) and not text.endswith("-")
    # A wrapped line goes on in lower case, or stopped mid-phrase with no room left. Justified
    # lines vary in characters by a tenth or more: only a line clearly short of the measure
    # is evidence of a break made on purpose.
    short = fits and layout.tail(line) < 0.85 * layout.width  # (verse: not the prose rule)
    unpunctuated = not re.search(r"[.,;:!?…”’\")\]]$", text)
    lower = not starts_upper(nxt.text)
    # A sentence goes on after a line that stopped mid-phrase with no room left, but not
    # with a capital on a word the text writes in lower case ("And", "You"; not "I"), unless
    # a name runs over the break ("the New / World").
    first = nxt.text.split()[0]
    unpunctuated = unpunctuated and not (text.split()[-1][:1].islower()
                                         and layout.common_word(first))
    # A compound carried whole to the next line, though it could have broken at its own
    # hyphen with room to spare ("...achieve that / checking-your-privilege"): a break made
    # on purpose, in lower case too.
    carried = _room_for_part(line, first, layout)
    lower, fits = lower and not carried, fits or carried
    if capitals:  # a capital opens each line of this verse: lower case goes on, and a
        # capital only where the line stopped mid-phrase with no room at all
        wrap = text.endswith("-") or lower or (
            unpunctuated and not layout.fits(line, first) and not carried)
    else:
        wrap = text.endswith("-") or (not short and (lower or (not fits and unpunctuated)))
    # Prose set justified comes out ragged in characters; a short line before lower case is
    # evidence of verse only when it is very short.
    telling = not lower or layout.tail(line) < 0.6 * layout.width
    # A line the extractor joined was hyphenated inside: prose, which verse is not; where
    # its sentence goes on in lower case, it wrapped (its last line's length is a guess).
    joined = layout.length(line) > layout.one_line
    wrap = wrap or (joined and not telling)
    return Break(not wrap, short and telling and not wrap and not SENTENCE_END.search(text)
                 and not text.endswith((":", ":—")) and not joined)


def _room_for_part(line: Line, word: str, layout: Layout) -> bool:
    """Had `line` room for the first part of the compound `word`, hyphen and all? Clear room:
    lengths counted from characters miss by the slack either way."""
    part = re.match(r"[^\W\d_]{2,}[-‐]", word)  # a compound's first part, with its hyphen
    return bool(part) and re.search(r"[^\W\d_]{2,}$", word) is not None and layout.fits(
        line, part.group(0), slack=2 * layout.slack) and not line.text.endswith(("-", "‐", "—"))


def _runs(breaks: list[Break], lines: list[Line], layout: Layout,
          trim: tuple[bool, bool] = (True, True)) -> list[tuple[int, int]]:
    """Line spans [start, end] joined by deliberate breaks; a long verse line may wrap onto
    up to three printed lines, or four. Prose at either end (a paragraph of wrapped lines closing a
    sentence) is left out."""
    spans = []
    i = 0
    while i < len(breaks):
        if not breaks[i].kept:
            i += 1
            continue
        start, j = i, i
        while j < len(breaks):
            if breaks[j].kept:
                j += 1
                continue
            # (onto a fourth only where a clause ends there and the sentence goes on: prose
            # would run on, or close its sentence)
            wraps = next((k for k in range(1, 7) if j + k < len(breaks) and breaks[j + k].kept
                          and all(not b.kept for b in breaks[j:j + k])
                          and (k < 3 or lines[j + k].text.endswith((",", ";")))), None)
            if wraps is None:
                if len(breaks) - j <= 2:  # the last line wrapped, and the block ends
                    j = len(breaks)
                break
            if _paragraph_unit(lines[j:j + wraps + 1]):
                break  # a paragraph between a letter's short lines, not a poem's line
            j += wraps + 1  # a long line wrapped, then its continuation ended
        end = j  # the last line of the run
        if start and not breaks[start - 1].kept:
            if start <= 2 and not any(b.kept for b in breaks[:start]):
                start = 0  # a long line wrapped at the block's start (a page's top)
            else:
                start += 1  # the run opened on a paragraph's last line
        if end < len(breaks) and not breaks[end].kept:
            end -= 1  # ...and closed on the next paragraph's first line
        start, end = _trim(start, end, breaks, lines, layout, trim)
        if end > start:
            spans.append((start, end))
        i = max(j, i + 1)
    return spans


def _paragraph_unit(printed: list[Line]) -> bool:
    """Printed lines run together that close a sentence and open another after a full stop
    inside a line ("...in three / years. When I get my own / place..."): prose, where a
    verse line wrapped holds one sentence, or a clause (or cries out: "attracting! / O for
    you")."""
    return bool(SENTENCE_END.search(printed[-1].text)) and any(
        re.search(r"\.[”’\"]? +[A-Z]", line.text) for line in printed[:-1])


def _trim(start: int, end: int, breaks: list[Break], lines: list[Line], layout: Layout,
          trim: tuple[bool, bool]) -> tuple[int, int]:
    """Drop wrapped sentences, prose paragraphs, from the ends of a run (`trim`: which ends;
    not the one beside a poem, where a wrapped line closing a sentence is the poem's)."""
    def unit_end(first: int) -> int:
        # (a line run to the measure mid-sentence, no room left for the next word: its
        # sentence goes on, whatever the next word's case, in prose)
        last = first
        while last < end and (not breaks[last].kept or (
                layout.is_full(lines[last]) and not closes(lines[last])
                and not layout.fits(lines[last], lines[last + 1].text.split()[0]))):
            last += 1
        return last

    def closes(line: Line) -> bool:
        return bool(SENTENCE_END.search(line.text)) or line.text.endswith(":")

    while trim[0] and start < end:
        last = unit_end(start)
        # A paragraph: wrapped over lines, or one line run to the measure (or past it, where
        # the extractor joined lines), that closes a sentence or leads in with a colon.
        prose = last > start or layout.tail(lines[start]) >= 0.85 * layout.width \
            or layout.length(lines[start]) > layout.longest
        # (or leads in with a dash, run over three printed lines: prose, which verse is not)
        leads_in = last - start >= 2 and lines[last].text.endswith("—")
        # A speaker's turn opened by a dash that closes its sentence is no line of the poem;
        # nor a heading over a paragraph (wrapped, closing its sentence), as a poem's title
        # is over its lines.
        after = unit_end(start + 1) if start + 1 < end else start
        apart = (lines[start].text.startswith("—") and closes(lines[last])) or (
            last == start and is_heading_text(lines[start].text) and after > start + 1
            and closes(lines[after]))
        if not apart and (not prose or not (closes(lines[last]) or leads_in)):
            break
        start = last + 1
    while trim[1] and end > start:
        first = end
        while first > start and not breaks[first - 1].kept:
            first -= 1
        # A dash opens an attribution or a speaker's turn, not a line of the poem. A wrapped
        # sentence is prose, unless the poem wraps its long lines elsewhere too.
        wraps_inside = any(not b.kept for b in breaks[start:max(first - 1, start)])
        if not lines[first].text.startswith("—") and (
                first == end or not SENTENCE_END.search(lines[end].text) or wraps_inside):
            break
        end = first - 1
    return start, end


def split_verse(blocks: list[Block], layout: Layout, log: list[Decision],
                vocab: Vocabulary) -> list[Block]:
    out: list[Block] = []
    for group in _poem_groups(blocks, layout):
        if len(group) > 1:  # a poem may run on over a page: judge its parts together
            merged = Block([line for b in group for line in b.lines], group[0].gap,
                           quote=group[0].quote)
            pieces = _split(merged, layout, log, vocab)
            if any(piece.verse for piece in pieces):
                out.extend(pieces)
                continue
        for block in group:
            if block.fixed or len(block.lines) < MIN_OPEN + 1:
                out.append(block)
            else:
                out.extend(_split(block, layout, log, vocab))
    out = _book_of_verse(_across_pages(neighbours(out, layout, log, vocab), log), layout, log,
                         vocab)
    return _short_poems(_rejoin(out, layout, vocab), layout, log, vocab)


def _book_of_verse(blocks: list[Block], layout: Layout, log: list[Decision],
                   vocab: Vocabulary) -> list[Block]:
    """Where most of the text is verse, a block broken on purpose line after line, though
    each line closes its sentence ("O to drink the mystic deliria deeper than any other
    man! / O savage and tender achings!"), is a poem too: prose runs its sentences on in
    full lines, and breaks short only where its paragraphs end, three lines on or more."""
    if _verse_share(blocks) < 0.5:
        return blocks
    capitals = _capitals([line for b in blocks if b.verse and not b.heading and not b.rule
                          for line in b.lines])
    out: list[Block] = []
    for block in blocks:
        if block.verse or block.heading or block.rule or block.fixed or len(block.lines) < 4:
            out.append(block)
            continue
        breaks = _breaks(block.lines, layout, capitals)
        # Its lines, each ended by a kept break: several, none longer than a long verse
        # line wrapped (prose paragraphs run longer)
        lengths = [len(run) + 1 for run in "".join("k" if b.kept else "w"
                                                    for b in breaks).split("k")]
        if len(lengths) >= 4 and max(lengths) <= 3:
            out.extend(_poem(block.lines, breaks, layout, log, vocab, block.gap))
        else:
            out.append(block)
    return out


def _verse_share(blocks: list[Block]) -> float:
    """How much of a book is verse: the share of its lines (headings and rules aside) that
    are (all of it, where there are none)."""
    body = [b for b in blocks if not b.heading and not b.rule]
    total = sum(len(b.lines) for b in body)
    return sum(len(b.lines) for b in body if b.verse) / total if total else 1.0


def run_on(line: Line, rest: Line, vocab: Vocabulary) -> Line:
    """A verse line and the rest of it, wrapped onto the next printed line, as one (no
    hyphen taken out: verse is not hyphenated, so a line-end hyphen is a compound's)."""
    glue = "" if line.text.endswith("-") else vocab.glue(line.text, rest.text)
    return Line(line.no, f"{line.text}{glue}{rest.text}", line.indent, rest.text)


def _short_poems(blocks: list[Block], layout: Layout, log: list[Decision],
                 vocab: Vocabulary) -> list[Block]:
    """In a book of verse (most of its lines are), a poem of two or three lines after a
    poem reads like a short paragraph, its title (a short line over it) run into it: its
    lines are told by the capital that opens each (lower case goes on the line before,
    wrapped) and the punctuation that closes each but the last."""
    if _verse_share(blocks) < 0.6:
        return blocks
    titled: list[Block] = []
    for block in blocks:
        lines = block.lines
        if not block.fixed and 3 <= len(lines) <= 9 and _title(lines[0], layout) \
                and not re.search(r"[.,;:!?]$", lines[0].text) and starts_upper(lines[1].text):
            titled += [Block([lines[0]], block.gap, heading=True), Block(lines[1:], 1)]
            log.append(Decision("heading", lines[0].no, f"poem title {lines[0].text!r}"))
        else:
            titled.append(block)
    blocks = titled
    for index, block in enumerate(blocks):  # after a poem (its title aside)
        before = next((b for b in reversed(blocks[:index]) if not b.heading), None)
        if block.fixed or len(block.lines) > 8 or before is None or not before.verse:
            continue
        joined: list[Line] = []
        for line in block.lines:
            if joined and not starts_upper(line.text):
                joined[-1] = run_on(joined[-1], line, vocab)
            else:
                joined.append(line)
        if 2 <= len(joined) <= 3 and all(starts_upper(line.text) for line in joined) and all(
                re.search(r"[.,;:!?][”’\")]*$", line.text) for line in joined):
            block.lines, block.verse = joined, True
            log.append(Decision("verse", block.first.no,
                                f"a poem of {len(joined)} lines after a poem"))
    return blocks


def _across_pages(blocks: list[Block], log: list[Decision]) -> list[Block]:
    """A poem going on over a page: the page's first line, alone between its verse on both
    sides (a line long enough to pass for prose, closing a sentence), is a line of it; so is
    a long one wrapped onto lines in lower case. It opens the stanza that goes on below it."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if (0 < index < len(blocks) - 1 and block.gap >= 2 and len(block.lines) <= 3
                and not block.fixed and not any(starts_upper(ln.text) for ln in block.lines[1:])
                and blocks[index - 1].verse and blocks[index + 1].verse
                and starts_upper(block.first.text) and not block.first.text.startswith("—")):
            block.verse = True
            log.append(Decision("verse", block.first.no, "a poem's line opening the page"))
            after = blocks[index + 1]
            if after.gap == 1:  # (split from it here, not by a blank line)
                after.lines, after.gap = block.lines + after.lines, block.gap
                continue
        out.append(block)
    return out


def _rejoin(blocks: list[Block], layout: Layout, vocab: Vocabulary) -> list[Block]:
    """Where the book's verse opens every line with a capital, a line of a poem in lower
    case is the rest of the line before, wrapped: join them; unless the line before was
    itself the rest of a wrapped line and stopped at less than half the measure (a wrap
    leaves its rest short, and the poet broke the line there: "...you cannot / achieve that /
    checking-your-privilege erection."), or had room for a compound's first part."""
    if not _capitals([line for block in blocks if block.verse for line in block.lines]):
        return blocks
    for block in blocks:
        if block.verse:
            block.lines = _run_together(block.lines, vocab, lambda before, line: (
                not starts_upper(line.text) and not line.text.startswith("—")
                and not _broken_there(before, line, layout)))
    return blocks


def _run_together(lines: list[Line], vocab: Vocabulary,
                  goes_on: Callable[[Line, Line], bool]) -> list[Line]:
    """The lines with each that `goes_on` from the (joined) line before it run on to it."""
    joined: list[Line] = []
    for line in lines:
        if joined and goes_on(joined[-1], line):
            joined[-1] = run_on(joined[-1], line, vocab)
        else:
            joined.append(line)
    return joined


def first_lines_over_pages(blocks: list[Block], layout: Layout,
                           log: list[Decision]) -> list[Block]:
    """A poem's first line alone at a page's foot, short and closing nothing, its poem going
    on in lower case at the next page's top ("Whoever takes the last train home" /
    "carries the box of returns,"): the poem's line, not a paragraph of one."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if previous is not None and block.verse and block.gap >= 2 \
                and block.first.text[:1].islower() and len(previous.lines) == 1 \
                and not previous.fixed \
                and not SENTENCE_END.search(previous.first.text) \
                and not layout.is_full(previous.first):
            log.append(Decision("verse", previous.first.no,
                                "a poem's first line alone at a page's foot"))
            out[-1] = Block([*previous.lines, *block.lines], previous.gap, verse=True)
            continue
        out.append(block)
    return out


def join_hanging(blocks: list[Block], vocab: Vocabulary) -> None:
    """A poem's line and its rest, wrapped onto a hanging indent (`lines.hanging_wraps`), as
    one line."""
    for block in blocks:
        if block.verse:
            block.lines = _run_together(block.lines, vocab, lambda _before, line: line.hung)


def join_wrapped(blocks: list[Block], layout: Layout, vocab: Vocabulary) -> None:
    """In a book of verse none of whose lines ran to the measure, a long line wrapped all the
    same: its rest is short and opens in lower case, and its first word would have taken the
    line past the widest the book prints. Widths in a book face's letters: a line of many
    narrow letters ("...it is for Rosa.") holds more characters than a wrapped one."""
    if not layout.guessed:
        return
    face = layout.face or "Times"
    reach = max((width(line.last or line.text, face) for block in blocks if block.verse
                 for line in block.lines), default=0.0)
    for block in blocks:
        if block.verse:
            block.lines = _run_together(block.lines, vocab, lambda before, line: (
                line.text[:1].islower() and width(line.text, face) <= 0.5 * reach
                and width(f"{before.last or before.text} {line.text.split()[0]}", face) > reach))


def _broken_there(before: Line, line: Line, layout: Layout) -> bool:
    rest = Line(before.no, before.last or before.text)  # the last printed line of `before`
    return (bool(before.last) and layout.tail(rest) < 0.5 * layout.width) or _room_for_part(
        rest, line.text.split()[0], layout)


def _poem_groups(blocks: list[Block], layout: Layout) -> list[list[Block]]:
    """Blocks run together where one stops mid-sentence short of the measure and the next
    opens with a capital: prose would have run on; verse goes on to its next line."""
    groups: list[list[Block]] = []
    for block in blocks:
        last = groups[-1][-1] if groups else None
        if (last is not None and not last.fixed and not block.fixed
                and not SENTENCE_END.search(last.last.text) and not layout.is_full(last.last)
                and starts_upper(block.first.text) and not last.last.text.endswith(":")
                and _kept_mostly(groups[-1][-1], layout)):
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def neighbours(blocks: list[Block], layout: Layout, log: list[Decision],
               vocab: Vocabulary, set_in: bool = False) -> list[Block]:
    """A poem cut by a page break leaves a few lines on one side, too few to tell by
    themselves: beside verse, lines broken on purpose with one left open are verse too,
    whether they are a whole block or the end of one that began in prose. `set_in`: only
    the lines that end a block set in from its prose, over the poem (its first stanza,
    where the text keeps its indents)."""
    # The book's verse, all of it, says whether its lines open with capitals.
    capitals = _capitals([line for block in blocks if block.verse for line in block.lines])
    for forward in (False,) if set_in else (True, False):
        done: list[Block] = []
        for block in blocks if forward else blocks[::-1]:
            previous = done[-1] if done else None
            # (a block opening with a title opens something new: a section, not the poem's end)
            titled = forward and is_heading_text(block.first.text) \
                and len(block.first.text.split()) >= 2
            if previous is None or not previous.verse or block.fixed or len(block.lines) < 2 \
                    or titled:
                done.append(block)
                continue
            pieces = _edge_poem(block, layout, log, vocab, capitals, at_start=forward,
                                set_in=set_in)
            done.extend(pieces if forward else pieces[::-1])
        blocks = done if forward else done[::-1]
    return blocks


def _edge_poem(block: Block, layout: Layout, log: list[Decision], vocab: Vocabulary,
               capitals: bool, at_start: bool, set_in: bool = False) -> list[Block]:
    """The block with its lines next to a poem (at its start or end) made verse, if they
    read as verse: every break kept but wraps, one at least left open (`set_in`: and set
    in from the line before them)."""
    lines = block.lines
    breaks = _breaks(lines, layout, capitals)
    runs = [(s, e) for s, e in _runs(breaks, lines, layout, (not at_start, at_start))
            if (s == 0 if at_start else e == len(lines) - 1)]
    if not runs:
        return [block]
    s, e = runs[0] if at_start else runs[-1]
    if set_in and not (s and all(line.indent > lines[s - 1].indent for line in lines[s:e + 1])):
        return [block]
    # Beside a poem, a line kept mid-sentence is evidence enough, short of the measure or not;
    # but not one the next word would not have fitted on, lengths' noise allowed for.
    unfinished = any(b.kept and not SENTENCE_END.search(line.text)
                     and layout.fits(line, nxt.text.split()[0], slack=layout.slack)
                     for b, line, nxt in zip(breaks[s:e], lines[s:e], lines[s + 1:e + 1],
                                             strict=True))
    if not unfinished or sum(b.kept for b in breaks[s:e]) < 0.5 * (e - s):
        return [block]
    before = [Block(lines[:s], block.gap, quote=block.quote)] if s else []
    after = [Block(lines[e + 1:], 1, quote=block.quote)] if e + 1 < len(lines) else []
    poem = _poem(lines[s:e + 1], breaks[s:e], layout, log, vocab, 1 if before else block.gap)
    return before + poem + after


def _kept_mostly(block: Block, layout: Layout) -> bool:
    """Most of the block's breaks were made on purpose, as in verse, not in prose; or, where
    its long lines wrap, most of those that were left its sentence open, as prose never does."""
    breaks = _breaks(block.lines, layout)
    kept = [b for b in breaks if b.kept]
    return len(breaks) >= 1 and (len(kept) >= 0.5 * len(breaks) or (
        len(kept) >= MIN_OPEN and sum(b.open for b in kept) >= 0.6 * len(kept)))


def _breaks(lines: list[Line], layout: Layout, capitals: bool = False) -> list[Break]:
    capitals = capitals or _capitals(lines, layout)
    return [_break(a, b, layout, capitals) for a, b in pairwise(lines)]


def _capitals(lines: list[Line], layout: Layout | None = None) -> bool:
    """Does the verse capitalise its lines? Lines after one that ended mid-sentence tell:
    in prose nearly all of those go on in lower case."""
    after = [(a, b) for a, b in pairwise(lines)
             if not SENTENCE_END.search(a.text) and not a.text.endswith(("-", ":"))]
    if len(after) >= 3 and sum(starts_upper(b.text) for _, b in after) >= 0.8 * len(after):
        return True
    # Long lines wrap onto lines in lower case: then lines left well short of the measure tell
    # (where a long line ended, the next opens with a capital). `layout`: lines not yet unwrapped.
    short = [b for a, b in after if layout is not None and layout.tail(a) < 0.6 * layout.width]
    return len(short) >= 3 and sum(starts_upper(b.text) for b in short) >= 0.9 * len(short)


def _is_verse(s: int, e: int, breaks: list[Break]) -> bool:
    opens = sum(b.open for b in breaks[s:e])
    kept = sum(b.kept for b in breaks[s:e])
    # (where long lines wrap, most breaks are wraps: then nearly every kept one left open)
    return opens >= MIN_OPEN and opens >= 0.35 * kept and (
        kept >= 0.4 * (e - s) or opens >= 0.7 * kept)


def _densest(s: int, e: int, breaks: list[Break], lines: list[Line]) -> tuple[int, int] | None:
    """The run, or the part of it left when short prose lines (list items, dialogue) before
    or after the poem are shed a line at a time: verse where the evidence is dense enough."""
    for start in range(s, e):
        if sum(b.open for b in breaks[start:e]) < MIN_OPEN - 1:
            break
        for end in range(e, start, -1):
            opens = sum(b.open for b in breaks[start:end])
            if opens < MIN_OPEN - 1:
                break
            if (opens >= MIN_OPEN and _is_verse(start, end, breaks)) or (
                    start and _quoted_verse(lines[start - 1:end + 1], breaks[start:end])):
                return start, end
    return None


def _quoted_verse(lines: list[Line], breaks: list[Break]) -> bool:
    """A few lines of verse quoted inside a paragraph ("...asked him how he did— /
    “Bravely,” he said, “for I of late have been / Much cheered with thoughts of Christ, /
    the Living Bread.”"): led in by a line that leaves its sentence open, one quotation from
    the first line's start to the last line's end, every break kept and all but one left open
    mid-sentence; prose never stops short twice inside one sentence. `lines`: the lead-in,
    then the quotation's."""
    lead, lines = lines[0], lines[1:]
    opens = sum(b.open for b in breaks)
    return (3 <= len(lines) <= 6 and lead.text.endswith(("—", ":", ","))
            and lines[0].text.startswith(("“", '"')) and lines[-1].text.endswith(("”", '"'))
            and not any(line.text.endswith(("”", '"')) for line in lines[:-1])
            and all(b.kept for b in breaks) and opens >= max(2, len(breaks) - 1))


def _split(block: Block, layout: Layout, log: list[Decision], vocab: Vocabulary,
           ) -> list[Block]:
    # A title between a closed sentence and two full lines, the first opening with a capital
    # and wrapped mid-phrase (a prose section's heading under a poem's last line) bounds the
    # poem: no run goes past it. (A poem's long line runs full too, but its rest is short,
    # or it closes on its own punctuation.)
    lines = block.lines
    cut = next((i for i in range(1, len(lines) - 2)
                if SENTENCE_END.search(lines[i - 1].text) and _worded_title(lines[i], layout)
                and layout.is_full(lines[i + 1])
                and layout.is_full(lines[i + 2]) and starts_upper(lines[i + 1].text)
                and re.search(r"[^\W\d_][-‐]?$", lines[i + 1].text)), None)
    if cut is not None:
        log.append(Decision("heading", lines[cut].no, f"{lines[cut].text!r} over a full line "
                                                      "of text, after a closed sentence"))
        return [*_split(Block(lines[:cut], block.gap, quote=block.quote), layout, log, vocab),
                Block([lines[cut]], 1, heading=True),
                *_split(Block(lines[cut + 1:], 1, quote=block.quote), layout, log, vocab)]
    breaks = _breaks(lines, layout)
    verse = [span for s, e in _runs(breaks, lines, layout)
             if (span := _densest(s, e, breaks, lines)) is not None]
    if not verse:
        return [block]
    pieces: list[Block] = []
    pos = 0
    for start, end in verse:
        if start > pos:
            pieces.append(Block(lines[pos:start], block.gap if not pieces else 1,
                                quote=block.quote))
        pieces += _poem(lines[start:end + 1], breaks[start:end], layout, log, vocab,
                        block.gap if not pieces else 1)
        pos = end + 1
    if pos < len(lines):
        pieces.append(Block(lines[pos:], 1, quote=block.quote))
    return pieces


def _poem(lines: list[Line], breaks: list[Break], layout: Layout, log: list[Decision],
          vocab: Vocabulary, gap: int) -> list[Block]:
    """Verse lines with wraps undone, and the titles that stand between poems."""
    joined: list[Line] = []
    wrapped = False
    for index, line in enumerate(lines):
        if wrapped:
            joined[-1] = run_on(joined[-1], line, vocab)
        else:
            joined.append(Line(line.no, line.text, line.indent))
        wrapped = index < len(breaks) and not breaks[index].kept
    pieces: list[Block] = []
    current: list[Line] = []
    titled = True  # a title may follow a sentence's end, or another title
    for index, line in enumerate(joined):
        after_end = titled or SENTENCE_END.search(joined[index - 1].text)
        titled = False
        if not current and pieces and pieces[-1].heading and len(pieces[-1].lines) == 1 \
                and index + 1 < len(joined) \
                and heading_goes_on(pieces[-1].lines, line, joined[index + 1], layout):
            pieces[-1].lines.append(line)  # a long title wrapped onto a second line
            titled = True
            continue
        if after_end and index + 1 < len(joined) and _title(line, layout):
            titled = True
            if current:
                pieces.append(Block(current, gap if not pieces else 1, verse=True))
                current = []
            pieces.append(Block([line], 1, heading=True))
            log.append(Decision("heading", line.no, f"poem title {line.text!r}"))
            continue
        current.append(line)
    if current:
        pieces.append(Block(current, gap if not pieces else 1, verse=len(current) > 1))
    for piece in pieces:
        if piece.verse:
            log.append(Decision("verse", piece.first.no,
                                f"{len(piece.lines)} lines broken mid-sentence kept as verse"))
    return pieces


def titled_poems(blocks: list[Block], layout: Layout, log: list[Decision]) -> list[Block]:
    """A poem's title may stand with no gap under it (nor under the title of the section the
    poem opens, or over a chapter's epigraph): a verse block that opens with titles, each a
    short line of a title's words, is those headings and the poem. Where nearly every
    poem opens so, a poem's first line that stops short without punctuation is its title
    too, in lower case or not ("after the raid")."""
    blocks = _poems_run_together(blocks, layout)
    poems = [(i, b) for i, b in enumerate(blocks) if b.verse and len(b.lines) >= 3]
    titled = sum((_title(b.first, layout) and starts_upper(b.lines[1].text))
                 or (i and blocks[i - 1].heading) for i, b in poems)  # (set apart already)
    untitled_ok = titled >= 4 and titled >= 0.75 * len(poems)
    # Titles and the poems' lines at their own indents (`pdftotext -layout` keeps them): a
    # first line set in as far as its poem's is no title.
    pairs = [(b.first, b.lines[1]) if _title(b.first, layout) else (blocks[i - 1].first, b.first)
             for i, b in poems if _title(b.first, layout) or (i and blocks[i - 1].heading)]
    apart = len(pairs) >= 3 and sum(t.indent < v.indent for t, v in pairs) >= 0.75 * len(pairs)
    out: list[Block] = []
    for index, block in enumerate(blocks):
        lines, gap = block.lines, block.gap
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if not block.heading and not block.rule and len(lines) == 1 and after is not None \
                and after.verse and closed_title(block.first.text) and (
                    index == 0 or blocks[index - 1].verse or blocks[index - 1].heading):
            # (a one-line stanza, as the block may be taken for, in title case and closed by
            # a full stop, is rather a title)
            out.append(Block(lines, gap, heading=True))  # between poems ("Night Bus.")
            log.append(Decision("heading", lines[0].no, f"poem title {lines[0].text!r}"))
            continue
        if untitled_ok and apart and not block.fixed and len(lines) == 1 and after is not None \
                and after.verse and _bare_title(block.first, layout) \
                and block.first.indent < after.first.indent \
                and not (out and out[-1].heading and out[-1].first.indent < block.first.indent):
            # A line apart, at the titles' indent ("after the raid"); not one set in from a
            # title over it, a poem's first line (the next page's set further in)
            out.append(Block(lines, gap, heading=True))
            log.append(Decision("heading", lines[0].no,
                                f"poem title {lines[0].text!r}, where every poem has one"))
            continue
        # (A numbered chapter's title over an epigraph of one line makes a block of two.)
        while block.verse and (len(lines) >= 3 or (len(lines) == 2 and re.match(
                r"(?:[IVXLC]{1,7}|\d{1,3})\.\s+\S", lines[0].text))) and (
                ((_title(lines[0], layout) or _long_title(lines[0], layout))
                 and starts_upper(lines[1].text))
                or (len(lines) >= 3 and heading_goes_on(lines[:1], lines[1], lines[2], layout))):
            # (a chapter's numeral over its title: one heading, "III. A Triple Best"; a long
            # title wrapped onto a second line, over an epigraph: one heading)
            size = 2 if len(lines) >= 3 and ((is_label(lines[0].text) and not is_label(
                lines[1].text) and _title(lines[1], layout)) or not starts_upper(
                lines[1].text) or heading_goes_on(lines[:1], lines[1], lines[2], layout)) else 1
            out.append(Block(lines[:size], gap, heading=True))
            log.append(Decision("heading", lines[0].no, "poem title " + repr(
                " ".join(line.text for line in lines[:size]))))
            lines, gap = lines[size:], 1
        if untitled_ok and lines is block.lines and block.verse and len(lines) >= 3 \
                and _bare_title(lines[0], layout) and not (out and out[-1].heading) \
                and not (apart and lines[0].indent >= lines[1].indent) \
                and (starts_upper(lines[1].text)  # (a poem opens in capitals, unless it
                     or not any(starts_upper(line.text) for line in lines[1:])):  # never has)
            out.append(Block([lines[0]], gap, heading=True))
            log.append(Decision("heading", lines[0].no,
                                f"poem title {lines[0].text!r}, where every poem has one"))
            lines, gap = lines[1:], 1
        if lines is not block.lines:
            block = Block(lines, gap, quote=block.quote, verse=len(lines) > 1)
        out.append(block)
    return out


def _bare_title(line: Line, layout: Layout) -> bool:
    """Short, a few words, no punctuation at all: a title in whatever case."""
    return (not layout.is_full(line) and 1 <= len(line.text.split()) <= 8
            and not re.search(r"[.,;:!?…—]", line.text))


def _poems_run_together(blocks: list[Block], layout: Layout) -> list[Block]:
    """Poems an extraction ran together with no blank line between (as `pdftotext` reads
    LaTeX's pages): inside verse, a title's line after one that closes a sentence, over a
    line opening with a capital, opens the next poem (two lines each side at least)."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        lines, gap = block.lines, block.gap
        if block.verse and len(lines) >= 5:
            cuts = [0]
            for i in range(2, len(lines) - 2):
                # (after a closed sentence; or after a poem written all in lower case, whose
                # lines close nothing: a title's capitals stand out there)
                closed = bool(SENTENCE_END.search(lines[i - 1].text))
                lowered = all(not starts_upper(line.text) for line in lines[max(cuts[-1], i - 3):i])
                # (a long title wraps onto a second line, in lower case or not)
                titled = _worded_title(lines[i], layout) and (
                    starts_upper(lines[i + 1].text)
                    or heading_goes_on(lines[i:i + 1], lines[i + 1], lines[i + 2], layout)) \
                    and (closed or lowered)
                # (or a poem written all in lower case after one that capitalises its lines,
                # past a closed sentence: the next poem, its title in lower case too)
                recased = closed and len(lines) - i >= 3 \
                    and all(starts_upper(line.text) for line in lines[i - 2:i]) \
                    and not any(starts_upper(line.text) for line in lines[i:i + 3])
                if i - cuts[-1] >= 2 and (titled or recased):
                    cuts.append(i)
            # (and a title closing the block, over the numbered section its poem opens with)
            after = blocks[index + 1] if index + 1 < len(blocks) else None
            titled = after is not None and after.heading and _worded_title(lines[-1], layout) \
                and SENTENCE_END.search(lines[-2].text)
            ends = [len(lines) - 1, len(lines)] if titled else [len(lines)]
            if len(cuts) > 1 or titled:
                out += [Block(lines[start:end], gap if start == 0 else 1, quote=block.quote,
                              verse=end - start > 1, heading=end - start == 1)
                        for start, end in pairwise([*cuts, *ends])]
                continue
        out.append(block)
    return out


def _title(line: Line, layout: Layout) -> bool:
    return not layout.is_full(line) and (is_heading_text(line.text) or is_label(line.text)
                                         or closed_title(line.text))


def _long_title(line: Line, layout: Layout) -> bool:
    """A title of many words over a poem, run to the measure or past it (its two lines read
    as one, as a heading's larger type may be), every word that counts capitalised."""
    return layout.is_full(line) and len(line.text.split()) >= 6 and is_heading_text(line.text)


def _worded_title(line: Line, layout: Layout) -> bool:
    """A title in words, not a label ("II" alone may be a poem's section)."""
    return _title(line, layout) and not is_label(line.text)
