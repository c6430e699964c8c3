"""Restore: a raw, PDF-extracted text to a clean zinepress Markdown manuscript.

`restore(text)` is a pure function: text in, Markdown and the list of decisions out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from zinepress.restore.language import detect_language
from zinepress.restore.lines import (
    BULLET,
    NUMBERED_ITEM,
    SENTENCE_END,
    TYPED_BULLET,
    Block,
    Layout,
    Line,
    blank_line_style,
    drop_furniture,
    gather_fragments,
    hanging_wraps,
    heading_goes_on,
    intentional_breaks,
    is_heading_text,
    is_label,
    join_drop_caps,
    join_page_breaks,
    letter_spaced,
    measure,
    normalize,
    plain_heading,
    signature,
    split_blocks,
    split_letter_ends,
    split_paragraphs,
    split_run_in_numerals,
    split_scene_breaks,
    split_section_numerals,
    starts_upper,
    strip_chars,
    unescape_markdown,
)
from zinepress.restore.markdown import escape_markdown
from zinepress.restore.pages import Call, Note, unpage
from zinepress.restore.pdf import (
    EM,
    EM_END,
    MARKS,
    STRONG,
    STRONG_END,
    WRAPPED,
    Hints,
    evidence,
    heading_levels,
)
from zinepress.restore.report import Decision, render_report, summary
from zinepress.restore.verse import (
    first_lines_over_pages,
    join_hanging,
    join_wrapped,
    neighbours,
    run_on,
    split_verse,
    titled_poems,
)
from zinepress.restore.words import (
    WORD,
    Vocabulary,
    closed_up,
    decide_hyphen,
    hyphenated_by_setter,
    is_known,
    known_words,
    ligature_join,
    unjoin_compound,
)
from zinepress.typography import curl

__all__ = ["Restored", "render_report", "restore", "restore_pdf", "summary"]

LEAD_IN = re.compile(r"^([^:.!?;]{2,70}):\s+(\S.*)$")
INLINE_ATTRIBUTION = re.compile(r"^(.*[.!?…][”\"’]?)\s+—\s?([^—.!?]{2,100}\.?)$")
HYPHEN_END = re.compile(r"([^\W\d_]+)[-‐]$")
WORD_START = re.compile(r"[^\W\d_]+")
# A plain text's italics, as typists mark them (and Project Gutenberg's texts do): _Who's
# Who_, over a line break too; never inside a word (snake_case) or an address.
UNDERSCORED = re.compile(r"_(?<![\w/]_)(?=[^\s_])((?:[^_\n]|\n(?!\s*\n))+?)(?<=[^\s_])_(?!\w)")
# A web or mail address running to the line's end: no typesetter hyphenates one, so a hyphen
# there is the address's own.
ADDRESS_END = re.compile(r"(?:^|\s)(?:[a-z][a-z0-9+.-]*://|www\.|[\w.+-]+@)\S*$", re.I)


@dataclass
class Restored:
    markdown: str
    decisions: list[Decision] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return summary(self.decisions)


@dataclass
class Para:
    """A restored paragraph and its role."""

    kind: str  # heading, para, verse, quote, attribution, lead-in, item
    text: str
    line: int
    lines: list[str] = field(default_factory=list)
    lead: str = ""  # a lead-in's bold words; an item's marker, "-" or "3."
    attribution: str = ""
    level: int = 2  # a heading's: 2 for a chapter, as the manuscript writes it


def looks_like_manuscript(text: str) -> bool:
    """One line a paragraph (verse aside): a Markdown manuscript, not a hard-wrapped text."""
    blocks = [b.split("\n") for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    prose = [b for b in blocks if not all(line.rstrip().endswith("\\") for line in b)
             and not all(line.startswith(">") for line in b)]
    return bool(prose) and sum(len(b) == 1 for b in prose) >= 0.9 * len(prose)


def _premark(text: str) -> tuple[str, set[int], set[int], set[int]]:
    """Recognise zinepress's own Markdown so restoring a manuscript again changes nothing."""
    if not looks_like_manuscript(text):
        return text, set(), set(), set()
    out, quoted, headings, hard = [], set(), set(), set()
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped == ">":
            out.append("")
            continue
        if stripped.startswith("> "):
            quoted.add(number)
            line = stripped[2:]
        if line.startswith("## ") and len(line) > 3:
            headings.add(number)
            line = line[3:].strip()
        if line.rstrip().endswith("\\") and not line.rstrip().endswith("\\\\"):
            hard.add(number)
            line = line.rstrip()[:-1]
        line = re.sub(r"^\*\*([^*]{1,70}:)\*\*", r"\1", line)
        out.append(unescape_markdown(line))
    return "\n".join(out), quoted, headings, hard


def _join_lines(lines: list[Line], vocab: Vocabulary, log: list[Decision]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        match = HYPHEN_END.search(text[-80:]) if text.endswith(("-", "‐")) else None
        right = WORD_START.match(line.text)
        if match and right:
            left = match.group(1)
            join, why = (False, "inside a web address") if ADDRESS_END.search(text[-200:]) \
                else decide_hyphen(left, right.group(0), vocab)
            kind = "hyphen-joined" if join else "hyphen-kept"
            shown = f"{left}{right.group(0)}" if join else f"{left}-{right.group(0)}"
            log.append(Decision(kind, line.no - 1, f"{left}-/{right.group(0)} -> {shown}: {why}"))
            text = text[:-1] + ("" if join else "-") + line.text
        else:
            text += vocab.glue(text, line.text) + line.text
    return text


WRAPPED_WORD = re.compile(rf"([^\W\d_]+)([-‐]){WRAPPED}([^\W\d_]+)")


def _mend_wrapped_words(lines: list[Line], vocab: Vocabulary, log: list[Decision]) -> None:
    """Verse lines the PDF's reader unwrapped, their words broken at a wrap marked: joined
    or kept hyphened as a paragraph's would be where the setter hyphenated its verse, else
    kept (a compound's own hyphen)."""
    marked = [line for line in lines if WRAPPED in line.text]
    splits = [(m.group(1), m.group(3)) for line in marked for m in WRAPPED_WORD.finditer(line.text)]
    hyphenated = hyphenated_by_setter(splits, vocab)
    for line in marked:
        def mend(match: re.Match[str], number: int = line.no) -> str:
            left, hyphen, right = match.groups()
            join, why = decide_hyphen(left, right, vocab) if hyphenated else (
                False, "the verse's other wraps show no word hyphenated: a compound's hyphen")
            shown = f"{left}{right}" if join else f"{left}{hyphen}{right}"
            log.append(Decision("hyphen-joined" if join else "hyphen-kept", number,
                                f"{left}-/{right} -> {shown}: {why}"))
            return shown

        line.text = WRAPPED_WORD.sub(mend, line.text).replace(WRAPPED, "")


def _unjoin_compounds(blocks: list[Block], layout: Layout, vocab: Vocabulary,
                      log: list[Decision]) -> None:
    """Where the extractor joined two printed lines it also took out the hyphen of a compound
    broken at its own hyphen ("rights-" / "based"): put it back where the evidence says."""
    for block in blocks:
        for line in block.lines:
            joined = layout.was_joined(line)
            if not joined and layout.length(line) <= layout.longest:
                continue  # no word of it runs past the measure
            scale = layout.scales.get(line.no, 1.0)

            def mend(match: re.Match[str], number: int = line.no, text: str = line.text,
                     joined: bool = joined, scale: float = scale) -> str:
                # Over a joined line, any word; else the one word that runs past a full
                # line's width, where a printed line ended inside it ("...neck and
                # shoulder-" / "side.").
                if not joined and (text[match.end():match.end() + 1] in ("-", "‐") or not (
                        layout.size(text[:match.start()]) / scale
                        <= layout.longest < layout.size(text[:match.end()]) / scale)):
                    return match.group(0)  # (a word hyphenated at the line's end is whole)
                fixed = unjoin_compound(match.group(0), vocab,
                                        chained=text[match.start() - 1:match.start()] == "-")
                if fixed:
                    log.append(Decision("hyphen-kept", number,
                                        f"{match.group(0)} -> {fixed}: a joined compound"))
                return fixed or match.group(0)
            line.text = re.sub(r"\b[a-z]{7,}\b", mend, line.text)


def _over_prose(block: Block, layout: Layout) -> bool:
    """A letter's greeting alone ("Dear friends,"), or a paragraph of full lines (of two,
    its first, the second closing its sentence)."""
    if len(block.lines) == 1:
        return block.first.text.endswith(",") and not layout.is_full(block.first)
    if len(block.lines) == 2:  # (not a verse line wrapped: "...blob of" / "color”")
        return layout.is_full(block.first) and bool(SENTENCE_END.search(block.last.text))
    return len(block.lines) >= 3 and sum(layout.is_full(ln) for ln in block.lines[:-1]) >= 2


def _labels_titled(blocks: list[Block]) -> list[Block]:
    """A label standing as a heading of its own and the title after it, a line apart ("II",
    a blank line, "God in the Wheels", as plain texts set them): one heading. The title may be
    in any case ("La imprenta del barrio"): short, closing no sentence, and a block of its own."""
    out: list[Block] = []
    for block in blocks:
        before = out[-1] if out else None
        title = block.first.text
        if before is not None and before.heading and len(before.lines) == 1 \
                and len(block.lines) == 1 and not block.verse and is_label(before.first.text) \
                and not is_label(title) and (block.heading or (
                    len(title) <= 60 and starts_upper(title) and title[-1:].isalnum())):
            before.lines.append(block.first)
            continue
        out.append(block)
    return out


def _heading_title(lines: list[Line], vocab: Vocabulary, log: list[Decision]) -> str:
    """A label and its title on two lines are one heading: "II" + "God in the Wheels"; a
    title wrapped is joined as text is ("Thirty-" + "One Years")."""
    if len(lines) == 2 and is_label(lines[0].text) and not is_label(lines[1].text):
        return f"{lines[0].text.rstrip('.')}. {lines[1].text}"
    return _join_lines(lines, vocab, log)


def _mend_ligatures(text: str, line: int, vocab: Vocabulary, log: list[Decision]) -> str:
    words = list(WORD.finditer(text))
    lower = [word.group(0).lower() for word in words]
    known = known_words()
    cuts = []
    for i in [i for i, (left, right) in enumerate(pairwise(lower)) if left + right in known]:
        a, b = words[i], words[i + 1]
        if text[a.end():b.start()] != " ":
            continue
        if re.match(r"[-‐]\w", text[b.end():b.end() + 2]) \
                or re.search(r"\w[-‐]$", text[max(a.start() - 2, 0):a.start()]):
            continue  # a compound's part ("the re-appointed"): a word of its own, whole
        prev = words[i - 1].group(0) if i and text[words[i - 1].end():a.start()] == " " else None
        nxt = words[i + 2].group(0) if i + 2 < len(words) and \
            text[b.end():words[i + 2].start()] == " " else None
        why = ligature_join(prev, a.group(0), b.group(0), nxt, vocab)
        if why and (not cuts or cuts[-1] != a.start()):
            cuts.append(a.end())
            log.append(Decision("ligature", line, why))
    for position in reversed(cuts):
        text = text[:position] + text[position + 1:]
    return text


PUNCTUATED = re.compile(r"[,;:.!?…][”’\")]*$")


def _punctuated_poems(blocks: list[Block], layout: Layout, log: list[Decision],
                      vocab: Vocabulary) -> list[Block]:
    """Poem after poem of long lines, each ended at its punctuation (or stopped short) and
    wrapped once at most, however near the measure they run: where most blocks of three
    lines or more are so, and they hold three poems' lines at least, they are verse (their
    titles over them split off, their wrapped lines joined). Prose runs its sentences over
    the lines' ends: few of its paragraphs are so."""
    def titled(block: Block) -> int:
        """How many lines the title over the poem takes: none, one, or two (wrapped)."""
        lines = block.lines
        if len(lines) < 4 or PUNCTUATED.search(lines[0].text) \
                or not is_heading_text(lines[0].text):
            return 0
        if len(lines) >= 5 and heading_goes_on(lines[:1], lines[1], lines[2], layout):
            return 2
        return int(starts_upper(lines[1].text))

    def broken(lines: list[Line], share: float = 2 / 3) -> list[list[Line]]:
        """The verse lines, each its printed lines; none where prose."""
        units: list[list[Line]] = []
        printed: list[Line] = []
        stops = 0
        for index, line in enumerate(lines):
            nxt = lines[index + 1] if index + 1 < len(lines) else None
            printed.append(line)
            if len(printed) > 2:
                return []  # (prose: its sentences run on over the lines' ends)
            stop = bool(PUNCTUATED.search(line.text))
            if nxt is None or stop or layout.fits(line, nxt.text.split()[0]):
                units.append(printed)
                printed = []
                # (or stopped well short, where a word or two more would have fitted)
                stops += (stop or layout.tail(line) < 0.8 * layout.width) and nxt is not None
        # (most at punctuation: prose's lines, or a line run centred over several, stop short
        # by their characters now and then, where the next word would have fitted)
        return units if len(units) >= 3 and stops >= share * (len(units) - 1) else []

    several = [b for b in blocks if not (b.fixed or b.quote) and len(b.lines) >= 3]
    # (each with the lines under its title; no list's items)
    under = {id(b): b.lines[titled(b):] for b in several
             if not any(line.no in layout.items for line in b.lines)}
    poems = {key: units for key, lines in under.items() if (units := broken(lines))}
    # (three poems' lines at least, in two blocks at least: a page of poems run together,
    # as an extraction with no blank lines gives them, is one block; a PDF's reader has
    # found some poems already, by their lines' short ends)
    known = [len(b.lines) for b in blocks if b.verse and len(b.lines) >= 3]
    if len(poems) + len(known) < 2 or sum(map(len, poems.values())) + sum(known) < 9 \
            or len(poems) < 0.6 * len(several):
        return blocks
    # (in a book of such poems, a poem half of whose lines stop so is one too)
    poems |= {key: units for key, lines in under.items()
              if key not in poems and (units := broken(lines, 1 / 2))}
    out: list[Block] = []
    for block in blocks:
        if id(block) not in poems:
            out.append(block)
            continue
        units, gap = poems[id(block)], block.gap
        if size := len(block.lines) - len(under[id(block)]):
            log.append(Decision("heading", block.first.no, f"poem title {block.first.text!r}"))
            out.append(Block(block.lines[:size], gap, heading=True))
            gap = 1
        lines: list[Line] = []
        for unit, after in zip(units, [*units[1:], None], strict=True):
            # (a numbered section's numeral, over a line opening in capitals: "I" / "carried
            # it, all the way" is the poem's word)
            if len(unit) == 1 and is_label(unit[0].text) and (
                    after is None or starts_upper(after[0].text)):
                if lines:
                    out.append(_punctuated(lines, gap, log))
                    lines, gap = [], 1
                out.append(Block(unit, gap, heading=True))
                continue
            lines.append(run_on(*unit, vocab) if len(unit) == 2 else unit[0])
        if lines:
            out.append(_punctuated(lines, gap, log))
    return out


def _punctuated(lines: list[Line], gap: int, log: list[Decision]) -> Block:
    """A poem's lines; or, alone over a section's numeral, its title."""
    if len(lines) == 1 and is_heading_text(lines[0].text):
        log.append(Decision("heading", lines[0].no, f"poem title {lines[0].text!r}"))
        return Block(lines, gap, heading=True)
    log.append(Decision("verse", lines[0].no, f"{len(lines)} lines broken at their "
                                              "punctuation, as the book's are"))
    return Block(lines, gap, verse=True)


def _mark_verse(blocks: list[Block], layout: Layout, blank_style: bool) -> None:
    def short(block: Block) -> bool:
        return all(not layout.is_full(line) for line in block.lines) and not block.heading \
            and not block.rule and id(block) not in over

    # A line alone, closing nothing, over a block set further in: a title, not a stanza.
    over = {id(block) for block, below in pairwise(blocks) if len(block.lines) == 1
            and not re.search(r"[.!?…,;:”\"]$", block.first.text)
            and all(line.indent > block.first.indent for line in below.lines)}

    for block in blocks:
        if block.fixed:
            continue
        # Long lines wrapped onto a hanging indent: only verse does that (a list's items
        # aside).
        if any(line.hung for line in block.lines) and not any(
                line.no in layout.items for line in block.lines):
            block.verse = True
            continue
        if len(block.lines) == 2 and is_label(block.first.text) \
                and starts_upper(block.last.text):
            continue  # a label over its one line of text: a glossary's letter, a numbered
            # section of one sentence
        # (a numeral opening the block is a heading's label, no line left open)
        unpunctuated = sum(not re.search(r"[.!?…,;:”\"]$", ln.text) and not is_label(ln.text)
                           for ln in block.lines[:-1])
        if intentional_breaks(block, layout) and (
                blank_style or (unpunctuated >= (len(block.lines) - 1) / 2
                                and len(block.lines) >= 3)):
            block.verse = True

    # (In a book of verse set in from its titles the commonest indent is the verse's own.)
    margin = min((line.indent for block in blocks for line in block.lines), default=0)

    def inset(block: Block, indent: int) -> bool:  # (all its lines set in alike)
        return not (block.heading or block.rule) and indent > margin and all(
            line.indent == indent for line in block.lines)

    # A run of short blocks around a stanza is one poem; where the text keeps its indents,
    # so is a run of blocks set in alike (a long line wrapped in it, too).
    index = 0
    while index < len(blocks):
        end = index
        while end < len(blocks) and (short(blocks[end]) or inset(
                blocks[end], blocks[index].first.indent)) \
                and not blocks[end].first.text.startswith("—"):
            end += 1
        run = blocks[index:end]
        lines = sum(len(b.lines) for b in run)
        if any(b.verse for b in run) and len(run) >= 3 and lines >= 5:
            for block in run:
                block.verse = True
        index = max(end, index + 1)
    # A one-line stanza right after a poem, before its end or its attribution, belongs to it.
    for index, block in enumerate(blocks):
        if block.fixed or not index or not blocks[index - 1].verse:
            continue
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        # (A line closing nothing, alone, is no prose paragraph's, however long: the poem
        # goes on, over another short block too.)
        unclosed = not re.search(r"[.!?…,;:”\"’)\]]$", block.first.text) \
            and not is_heading_text(block.first.text) and id(block) not in over
        closes = nxt is None or nxt.verse or nxt.first.text.startswith("—") \
            or (unclosed and short(nxt))
        # (Between two stanzas, a line closing its sentence is one, however long.)
        between = nxt is not None and nxt.verse and bool(SENTENCE_END.search(block.first.text))
        if len(block.lines) == 1 and (short(block) or between or unclosed) and closes and \
                not block.first.text.endswith(":") and not block.first.text.startswith("—"):
            block.verse = True


def _source(text: str) -> bool:
    """"—Ezekiel 1:21": a source. A line that asks, exclaims or closes a sentence after a
    dash is a speaker's turn (as Spanish sets dialogue), not an attribution."""
    return text.startswith("—") and len(text.split()) <= 14 and not re.search(
        r"[?!¿¡]|[.…][”’»]?$", text)


def _classify(blocks: list[Block], vocab: Vocabulary, log: list[Decision],
              levels: dict[int, int]) -> list[Para]:
    """`levels`: a heading's level by its line number, where the page showed it."""
    paras: list[Para] = []
    for block in blocks:
        if block.rule:
            paras.append(Para("rule", "", block.first.no))
            continue
        if block.heading:
            title = _heading_title(block.lines, vocab, log)
            level = min((levels[line.no] for line in block.lines if line.no in levels),
                        default=2)
            paras.append(Para("heading", title, block.first.no, level=level))
            log.append(Decision("heading", block.first.no,
                                title if level == 2 else f"{title} (level {level})"))
            continue
        if block.verse:
            lines = [ln.text for ln in block.lines]
            # (its source under it is no line of it; under one line, not a poem's last
            # stanza, that line is quoted)
            if len(lines) >= 2 and _source(lines[-1]):
                quoted = len(lines) == 2 and not (paras and paras[-1].kind == "verse")
                paras.append(Para("para", lines[0], block.first.no) if quoted
                             else Para("verse", "", block.first.no, lines[:-1]))
                paras.append(Para("attribution", lines[-1], block.last.no))
                log.append(Decision("attribution", block.last.no, lines[-1]))
            else:
                paras.append(Para("verse", "", block.first.no, lines))
            continue
        text = _join_lines(block.lines, vocab, log)
        text = _mend_ligatures(text, block.first.no, vocab, log)
        if _source(text):
            paras.append(Para("attribution", text, block.first.no))
            log.append(Decision("attribution", block.first.no, text))
            continue
        match = INLINE_ATTRIBUTION.match(text)
        if match and len(match.group(2).split()) <= 12:
            paras.append(Para("quote", match.group(1), block.first.no,
                              attribution="—" + match.group(2).strip()))
            log.append(Decision("quote", block.first.no,
                                f"block quote with attribution '—{match.group(2).strip()}'"))
            continue
        paras.append(Para("quote" if block.quote else "para", text, block.first.no))
    # An attribution after a prose paragraph makes that paragraph a quotation.
    for index, para in enumerate(paras):
        if para.kind == "attribution" and index and paras[index - 1].kind in ("para", "quote"):
            prev = paras[index - 1]
            prev.kind, prev.attribution, para.kind = "quote", para.text, "drop"
    return [p for p in paras if p.kind != "drop"]


def _mark_items(paras: list[Para], items: frozenset[int], log: list[Decision]) -> None:
    """Paragraphs that open with a list item's marker, as Markdown's list items: a bullet
    of any kind as "-", a number kept (a list may go on from an earlier one)."""
    for para in paras:
        if para.kind != "para" or para.line not in items:
            continue
        marker = BULLET.match(para.text) or TYPED_BULLET.match(para.text)
        number = NUMBERED_ITEM.match(para.text)
        para.kind, para.lead = "item", number.group(1) + "." if number and not marker else "-"
        para.text = para.text[(marker or number).end():] if marker or number else para.text
        log.append(Decision("list", para.line, f"list item {para.lead}" if marker or number
                            else "list item -: one of a run closed by semicolons"))


def _mark_lead_ins(paras: list[Para], log: list[Decision]) -> None:
    matches = [LEAD_IN.match(p.text) if p.kind == "para" else None for p in paras]
    ok = [bool(m) and len(m.group(1).split()) <= 10 and m.group(1)[0].isupper() for m in matches]
    for index, para in enumerate(paras):
        neighbour = (index and ok[index - 1]) or (index + 1 < len(ok) and ok[index + 1])
        if ok[index] and neighbour:
            para.kind, para.lead = "lead-in", matches[index].group(1) + ":"
            para.text = matches[index].group(2)
            log.append(Decision("lead-in", para.line, para.lead))


def _typography(paras: list[Para], log: list[Decision]) -> None:
    for para in paras:
        changed = 0
        for attr in ("text", "lead", "attribution"):
            value, n = curl(getattr(para, attr))
            setattr(para, attr, value)
            changed += n
        fixed = [curl(line) for line in para.lines]
        para.lines = [line for line, _ in fixed]
        changed += sum(n for _, n in fixed)
        if changed:
            log.append(Decision("quote-marks", para.line, f"{changed} quote or dash characters"))


def _emit(paras: list[Para]) -> str:
    out: list[str] = []
    for index, para in enumerate(paras):
        text = escape_markdown(para.text)
        if para.kind == "item":
            item = f"{para.lead} {text}"
            before = paras[index - 1] if index else None
            # (the items of one list, bulleted or numbered, close up: a tight list)
            if before is not None and before.kind == "item" and (
                    before.lead == "-") == (para.lead == "-"):
                out[-1] += "\n" + item
            else:
                out.append(item)
        elif para.kind == "heading":
            out.append(f"{'#' * para.level} {text}")
        elif para.kind == "rule":
            out.append("* * *")
        elif para.kind == "verse":
            out.append("\n".join(escape_markdown(line) + "\\" for line in para.lines))
        elif para.kind == "lead-in":
            out.append(f"**{escape_markdown(para.lead)}** {text}")
        elif para.kind == "quote":
            quoted = f"> {text}"
            if para.attribution:
                quoted += f"\n>\n> {escape_markdown(para.attribution)}"
            out.append(quoted)
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def restore_pdf(path: Path, language: str | None = None, first: int | None = None,
                last: int | None = None) -> Restored:
    """Restore a PDF from its text layer and what its pages show."""
    text, hints = evidence(path, first, last)
    restored = restore(text, language, hints)
    restored.decisions[:0] = [Decision("pdf", 1, note) for note in hints.report]
    return restored


def restore(text: str, language: str | None = None, hints: Hints | None = None) -> Restored:
    """Repair the damage of a PDF extraction and return the manuscript as Markdown.

    `language` (BCP 47) chooses the word statistics and hyphenation patterns; by default it
    is detected from the text. `hints`: what a PDF's pages settle (headings, verse, quotes,
    by line number); then nothing of that is guessed."""
    log: list[Decision] = []
    if hints is None:  # emphasis marks come from the PDF reader, or a typist's _underscores_
        text = strip_chars(text, MARKS)
        if "_" in text:
            text = UNDERSCORED.sub(lambda m: f"{EM}{m.group(1)}{EM_END}", text)
    if language is None:
        language = detect_language(text)
        log.append(Decision("language", 1, f"detected '{language}' from its commonest words"))
    paged = unpage(normalize(text), log,
                   frozenset(hints.headings | hints.inside) if hints else frozenset(),
                   frozenset(hints.carried) if hints else None)
    text, quoted, headings, hard = _premark(paged.text)
    if hints is not None:
        quoted, headings, hard = quoted | hints.quotes, headings | hints.headings, \
            hard | hints.verse
    # The notes' words are the book's words too: a name broken over a line in the text may
    # stand whole in a note.
    noted = "\n".join(line for note in paged.notes for line in note.lines)
    vocab = replace(Vocabulary.of(text + "\n" + noted, language), measured=hints is not None)
    blocks = join_drop_caps(split_blocks(text), lambda word: bool(
        vocab.words[word.lower()] or (vocab.english and is_known(word))), log)
    for line in (line for block in blocks for line in block.lines
                 if letter_spaced(line.text)):
        words = closed_up(line.text, vocab)
        if words:
            log.append(Decision("letter-spaced", line.no, f"{line.text!r} -> {words!r}"))
            line.text = words
    hanging_wraps(blocks)
    for block in blocks:
        numbers = {line.no for line in block.lines}
        block.quote = numbers <= quoted
        block.heading = bool(numbers & headings)
        block.verse = numbers <= hard
    # A manuscript zinepress wrote marks its own structure: trust the marks, guess nothing.
    marked = hints is not None or bool(quoted or headings or hard)
    if hints is None:  # a PDF's pages were cleared by position and count already
        blocks = drop_furniture(blocks, log, folios=not paged.notes and "\f" not in paged.text)
    blocks = split_scene_breaks(blocks, log)
    if not marked:
        blocks = split_run_in_numerals(split_section_numerals(blocks, log), log)
    if hints is None:  # (a PDF's reader never scatters a line word by word)
        blocks = gather_fragments(blocks, log)
    layout = measure(blocks, paged.cut, vocab.breaks)
    # (a PDF's reader leaves a blank line wherever its page shows a paragraph start)
    blank_style = hints is not None or blank_line_style(blocks, layout)
    # (where form feeds mark the pages, a gap of a page is a page's break, and only there
    # may a paragraph or stanza go on over a gap)
    page_tops = frozenset(block.first.no for block in blocks if block.gap >= 2) \
        if "\f" in paged.text else None
    if not blank_style:
        for block in blocks:
            block.gap = max(block.gap, 2)
    headed: list[Block] = []
    for index, block in enumerate(blocks):
        # (a title too long for the measure wraps a word or two onto a second line; two
        # short titles one over the other, a book's and its first poem's, are two; no
        # heading follows a line that closed on a comma: "With love," / "Rosa" is a name)
        after_comma = index > 0 and blocks[index - 1].last.text.endswith(",")
        if (not marked and not block.fixed and len(block.lines) <= 2 and not after_comma and
                (not layout.is_full(block.first) or len(block.lines) == 1
                 or layout.length(block.last) <= 0.3 * layout.width) and
                is_heading_text(" ".join(line.text for line in block.lines))):
            block.heading = True
            if len(block.lines) == 2 and layout.length(block.first) < 0.5 * layout.width \
                    and not is_label(block.first.text) \
                    and all(is_heading_text(line.text) for line in block.lines):
                headed += [Block([block.first], block.gap, heading=True),
                           Block([block.last], 1, heading=True)]
                continue
        # (a line of its own in sentence case after a closed sentence, or a letter's name
        # under its closing, over a letter's greeting (in one block with it, or not) or a
        # paragraph of full lines: "From J., in the north wing")
        elif (not marked and not block.fixed and len(block.lines) <= 2 and not after_comma
              and index + 1 < len(blocks) and (
                  index == 0 or SENTENCE_END.search(blocks[index - 1].last.text)
                  or (index >= 2 and _signed(*blocks[index - 2:index])))
              and (under := _under(block, blocks[index + 1]))  # (never empty)
              and all(_over_prose(b, layout) for b in under)
              and plain_heading(block.first, under[0].first, layout)):
            if len(block.lines) == 2:
                headed += [Block([block.first], block.gap, heading=True),
                           Block([block.last], 1)]
                continue
            block.heading = True
        headed.append(block)
    blocks = headed
    if hints is None:  # (a PDF's reader joins no lines but verse it unwrapped, hyphens kept)
        _unjoin_compounds(blocks, layout, vocab, log)
    blocks = split_letter_ends(join_page_breaks(blocks, layout, log,
                                                hints.runs_on if hints else None, page_tops),
                               layout, log)
    if not marked or hints is not None:  # (a PDF's reader judges verse page by page)
        blocks = _punctuated_poems(blocks, layout, log, vocab)
    if not marked:
        if not blank_style:
            blocks = split_verse(blocks, layout, log, vocab)
        _mark_verse(blocks, layout, blank_style)
        if not blank_style:  # (the first stanza set in, under prose: seen now its poem is)
            blocks = neighbours(blocks, layout, log, vocab, set_in=True)
        blocks = first_lines_over_pages(titled_poems(blocks, layout, log), layout, log)
        join_hanging(blocks, vocab)
        join_wrapped(blocks, layout, vocab)
    if hints is None:  # a PDF's reader saw each paragraph's indent or gap itself
        blocks = split_paragraphs(blocks, layout, strict=blank_style)
    for block in blocks:
        if block.verse:
            log.append(Decision("verse", block.first.no, f"{len(block.lines)} lines kept as verse"))
    _mend_wrapped_words([line for block in blocks for line in block.lines], vocab, log)
    # (a PDF's faces say which lines are headings: there a numeral may head alone)
    paras = _classify(blocks if hints else _labels_titled(blocks), vocab, log,
                      heading_levels(hints.faces) if hints else {})
    _mark_items(paras, layout.items, log)
    _mark_lead_ins(paras, log)
    _typography(paras, log)
    markdown = _place_calls(_emit(paras), paged.calls, log)
    return Restored(_emphasis(markdown + _notes_markdown(paged.notes, vocab, log)), log)


def _under(block: Block, nxt: Block) -> list[Block]:
    """What stands under a block's first line: the rest of it (a line), then the next."""
    return [Block(block.lines[1:]), nxt] if len(block.lines) > 1 else [nxt]


def _signed(closing: Block, name: Block) -> bool:
    """A letter's end: its closing on a comma, then a name alone."""
    return closing.last.text.endswith(",") and len(name.lines) == 1 \
        and signature(name.first.text)


def _emphasis(markdown: str) -> str:
    """A PDF's italic and bold, marked by its reader, as Markdown: one span across a line
    break, none left empty."""
    for start, end, mark in ((EM, EM_END, "*"), (STRONG, STRONG_END, "**")):
        markdown = markdown.replace(f"{end} {start}", " ").replace(f"{start}{end}", "")
        markdown = re.sub(f"{start}(\\s*)", lambda m, mark=mark: m.group(1) + mark, markdown)
        markdown = re.sub(f"(\\s*){end}", lambda m, mark=mark: mark + m.group(1), markdown)
    return markdown


def _place_calls(markdown: str, calls: list[Call], log: list[Decision]) -> str:
    """Put each note call back after the words it followed, in order."""
    pos = 0
    for call in calls:
        for size in range(len(call.before), 0, -1):
            pattern = r"\s+".join(_loose(word) for word in call.before[-size:])
            match = re.compile(pattern).search(markdown, pos)
            if match:
                markdown = f"{markdown[:match.end()]}[^{call.label}]{markdown[match.end():]}"
                pos = match.end()
                break
        else:
            log.append(Decision("footnote", call.line, f"call of note {call.label} not placed"))
    return markdown


def _loose(word: str) -> str:
    """A word as restore may have written it: quotes curled, Markdown escaped."""
    out = []
    for char in word:
        if char in "'‘’":
            out.append("['‘’]")
        elif char in '"“”':
            out.append('["“”]')
        else:
            out.append(r"\\?" + re.escape(char) if not char.isalnum() else re.escape(char))
    return "".join(out)


BACK_LINK = re.compile(r"\s*↩[\ufe0e\ufe0f]?$")


def _notes_markdown(notes: list[Note], vocab: Vocabulary, log: list[Decision]) -> str:
    out = []
    for note in notes:
        lines = [Line(n, text) for n, text in zip(note.numbers, note.lines, strict=False)
                 if text.strip()]
        if not lines:
            continue
        text = _mend_ligatures(_join_lines(lines, vocab, log), note.line, vocab, log)
        # (a web page's note ends with a link back to its call, "↩", printed with it)
        text = BACK_LINK.sub("", text)
        text, _changed = curl(text)
        out.append(f"[^{note.label}]: {escape_markdown(text)}")
    return "\n" + "\n\n".join(out) + "\n" if out else ""
