"""Read a PDF's text layer with its geometry: what the page shows, not what a text dump keeps.

poppler's `pdftohtml -xml` gives every run of text with its position, width, font size and
bold or italic face. From that: paragraph starts (first-line indents, vertical gaps), headings
(a size or face of their own, standing apart), verse (lines broken short at a steady edge,
long lines wrapped with a hanging indent), block quotes (indented on both sides) and note calls
(small raised digits); PDFium (pypdfium2) finds the bullets a browser draws rather than
writes. The result is the same text restore reads from a text file, with blank
lines where the page shows breaks, plus hints for what the page settles: one restore core,
two readers.
"""

from __future__ import annotations

import bisect
import re
import shutil
import statistics
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import accumulate, pairwise
from pathlib import Path

from lxml import etree

from zinepress.errors import ZineError
from zinepress.restore.lines import (
    BROKEN_OFF,
    BULLET,
    BULLETS,
    DROP_CAP,
    SENTENCE_END,
    closed_title,
    is_label,
    letter_spaced,
    signature,
)
from zinepress.restore.pages import FOLIO, MARKED_NOTE, folio_value
from zinepress.restore.widths import width as printed_width

# A list item's marker, set apart before the item's text: a bullet, a number or a letter.
MARKER = re.compile(rf"[{BULLETS}*–-]|\d{{1,3}}[.)]|[a-z][.)]|\(\d{{1,3}}\)")
MAX_DROP_CAPS = 8  # a page's, at most: each is matched against every line of its page
MAX_XML = 400 * 1024 * 1024  # pdftohtml's output for a very long book stays far below this
# Emphasis inside a line, carried through restore as characters no text contains (private
# use), made Markdown at the end: italic, bold.
EM, EM_END, STRONG, STRONG_END = "\ue010", "\ue011", "\ue012", "\ue013"
# After the hyphen of a word broken where a verse line wrapped ("pros-" / "trate dawn"):
# whether the word keeps it is the core's to decide, with the text's own words.
WRAPPED = "\ue014"
MARKS = str.maketrans("", "", EM + EM_END + STRONG + STRONG_END + WRAPPED)


@dataclass
class Run:
    top: float
    left: float
    width: float
    size: float
    bold: bool
    italic: bool
    text: str
    space_before: bool = False  # the run's text starts or ends with a space
    space_after: bool = False
    font: str = ""  # the face's name, as the PDF embeds it


@dataclass
class PdfLine:
    top: float
    left: float
    right: float
    size: float
    bold: bool
    italic: bool
    text: str
    item: bool = False  # it opens a list's item: the marker hangs before the text's edge
    noted: bool = False  # it opens a note: a small raised number, then the note's text
    run_in: bool = False  # a heading the paragraph's text ran on from, on its line
    lift: float = 0.0  # how far a call raised above it pushed the line down (a browser's)

    @property
    def plain(self) -> str:
        """The text without its emphasis marks."""
        return self.text.translate(MARKS)


Face = tuple[float, bool, bool, bool]  # size, bold, italic, run in to its text


@dataclass
class Hints:
    """Line numbers of the evidence text whose kind the page settles."""

    headings: set[int] = field(default_factory=set)
    faces: dict[int, Face] = field(default_factory=dict)  # each heading line's, by its block
    verse: set[int] = field(default_factory=set)
    quotes: set[int] = field(default_factory=set)
    inside: set[int] = field(default_factory=set)  # lines set amid the text's own (a block of
    # two or more), never a running head however often they recur at a page's edge
    runs_on: dict[int, bool] = field(default_factory=dict)  # a page's first line: does it
    # go on with the paragraph from the page before?
    carried: set[int] = field(default_factory=set)  # lines of a note the page before began
    report: list[str] = field(default_factory=list)  # what the reader did to the pages


def read_runs(path: Path, first: int | None = None, last: int | None = None,
              shape: list[tuple[float, float]] | None = None) -> list[list[Run]]:
    """The PDF's text runs, page by page, through poppler's `pdftohtml -xml`; each page's
    width and height into `shape`, if given."""
    shape = [] if shape is None else shape
    if shutil.which("pdftohtml") is None:
        raise ZineError("reading a PDF needs poppler's pdftohtml (Debian: poppler-utils)")
    command = ["pdftohtml", "-xml", "-i", "-stdout", "-q", "-nodrm"]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    with tempfile.TemporaryFile() as log, subprocess.Popen(
            [*command, str(path)], stdout=subprocess.PIPE, stderr=log) as child:
        assert child.stdout is not None
        xml = child.stdout.read(MAX_XML + 1)  # never more than the limit in memory
        if len(xml) > MAX_XML:
            child.kill()
            raise ZineError(f"{path}: more text than zinepress reads "
                            f"({MAX_XML // 1048576} MB of it)")
        returncode = child.wait()
        log.seek(0)
        errors = log.read(65536)
    if returncode != 0 or not xml.strip():
        reason = errors.decode(errors="replace").strip().splitlines()
        raise ZineError(f"{path}: not a PDF poppler can read"
                        + (f" ({reason[-1]})" if reason else ""))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=True)
    root = etree.fromstring(xml, parser)
    pages: list[list[Run]] = []
    sizes: dict[str | None, float] = {}  # a font is declared once, on the page it first shows
    families: dict[str | None, str] = {}
    for page in root.iter("page"):
        shape.append((float(page.get("width", 0)), float(page.get("height", 0))))
        sizes.update({spec.get("id"): float(spec.get("size", "0"))
                      for spec in page.iter("fontspec")})
        families.update({spec.get("id"): spec.get("family", "") for spec in page.iter("fontspec")})
        runs = []
        for node in page.iter("text"):
            raw = "".join(node.itertext())
            left, width = float(node.get("left", 0)), float(node.get("width", 0))
            # One space much wider than the others in a run ("2    A Title"): a folio and
            # a head on one baseline, set apart; each part where its share of the width puts
            # it. (A justified line widens all its spaces alike.)
            spaced = letter_spaced(raw)  # (its words' wider spaces part no runs)
            for part in [re.search(r"\S.*\S|\S", raw)] if spaced else _parts(raw):
                text = _closed_up(part.group(0), spaced)  # justified spacing, once
                share = width / max(len(raw), 1)
                runs.append(Run(float(node.get("top", 0)), left + part.start() * share,
                                len(part.group(0)) * share, sizes.get(node.get("font"), 0.0),
                                node.find(".//b") is not None, node.find(".//i") is not None,
                                text, part.start() > 0, part.end() < len(raw),
                                families.get(node.get("font"), "")))
        pages.append(runs)
    return pages


def _drop_caps(runs: list[Run], body: float) -> list[str]:
    """A paragraph's first letter set large beside its first lines (a drop cap): put back
    at the start of the first line's first word, and the lines beside it at the edge the
    paragraph's other lines keep (they were set in only to clear it). The words so made."""
    made = []
    caps = [r for r in runs if r.size >= 1.8 * body and DROP_CAP.match(r.text)
            and r.text[-1].isupper()]
    for cap in caps[:MAX_DROP_CAPS]:  # (a poster of large letters is no page of drop caps)
        beside = [r for r in runs if r is not cap and abs(r.size - body) <= 0.15 * body
                  and cap.top - 0.5 * body <= r.top < cap.top + cap.size
                  and 0 <= r.left - (cap.left + cap.width) <= 1.5 * body]
        if not beside:
            continue
        first = min(beside, key=lambda r: (r.top, r.left))
        if not first.text[:1].isalpha() or not first.text[:1].islower():
            continue
        runs.remove(cap)
        edge, shift = first.left, first.left - cap.left
        for run in [r for r in beside if abs(r.left - edge) <= 0.2 * body]:
            run.left, run.width = run.left - shift, run.width + shift
        first.text = cap.text + first.text
        first.space_before = False
        made.append(cap.text.lstrip("“‘\"'") + re.match(r"\w*", first.text[len(cap.text):])
                    .group(0))
    return made


def _closed_up(raw: str, spaced: bool) -> str:
    """The run's words one space apart; `spaced`: its letters closed up again, the wider
    spaces between them (pdftohtml keeps those: "T H E   F I R S T") parting its words."""
    if spaced:
        return " ".join(word.replace(" ", "") for word in re.split(r"\s{2,}", raw.strip()))
    return " ".join(raw.split())


def _parts(raw: str) -> list[re.Match[str]]:
    """The run's text, cut where one space is much wider than the rest."""
    gaps = sorted((len(g) for g in re.findall(r"(?<=\S)\s+(?=\S)", raw)), reverse=True)
    wide = gaps[0] if gaps and gaps[0] >= 3 and (len(gaps) == 1 or gaps[0] >= 2 * gaps[1]) \
        else None
    pattern = rf"\S(?:.*?\S)?(?=\s{{{wide}}}|\s*$)" if wide else r"\S(?:.*\S)?"
    return list(re.finditer(pattern, raw))


def _gutter(runs: list[Run], body: float, at: float | None = None) -> float | None:
    """Where a gutter runs down the page that no line of text crosses, with text on both
    sides of it (five lines at least, or one where the book's other pages have their gutter
    `at`: a chapter's last lines over a column of notes)."""
    text = [r for r in runs if abs(r.size - body) <= 0.1 * body]
    least = 1 if at is not None else 5
    if len(text) < 2 * least:
        return None
    low, high = min(r.left for r in text), max(r.left + r.width for r in text)
    tries = [at] if at is not None else [low + (high - low) * step / 100
                                         for step in range(30, 71)]
    for x in tries:
        # A gutter is a band an em wide at least (dot leaders leave narrow gaps between them).
        crossing = sum(r.left < x + 0.5 * body and x - 0.5 * body < r.left + r.width
                       for r in text)
        left = sum(r.left + r.width <= x for r in text)
        if crossing == 0 and left >= least and len(text) - left >= least:
            return x
    return None


def _columns(runs: list[Run], body: float, x: float, shift: float) -> list[list[Run]]:
    """The page's runs split at the gutter `x`: what stands above the columns (a running
    head), each column, and what stands below them (notes, the folio); the second column
    moved `shift` to the left, over the first, so that indents and line ends are measured as
    in one column."""
    text = [r for r in runs if abs(r.size - body) <= 0.1 * body]
    top, bottom = min(r.top for r in text), max(r.top for r in text)

    def apart(r: Run) -> bool:  # furniture, or a line set across both columns
        return r.size < 0.9 * body or (r.left < x + 0.5 * body and x - 0.5 * body
                                       < r.left + r.width)

    head = [r for r in runs if apart(r) and r.top < top]
    foot = [r for r in runs if apart(r) and r.top > bottom]
    inside = [r for r in runs if not (apart(r) and (r.top < top or r.top > bottom))]
    first = [r for r in inside if r.left + r.width / 2 < x]
    second = [replace(r, left=r.left - shift) for r in inside if r.left + r.width / 2 >= x]
    return [head, first, second, foot]


def _column_edge(runs: list[Run], body: float) -> float:
    """A column's text edge: its commonest left (of as many, the least)."""
    lefts = Counter(round(r.left) for r in runs if abs(r.size - body) <= 0.1 * body)
    return min(lefts, key=lambda left: (-lefts[left], left)) if lefts else 0.0


def _page_lines(pages: list[list[Run]], body: float) -> list[list[PdfLine]]:
    """Runs on one baseline make a line, read left to right, column by column; small digits
    beside a word are note calls, run on to it. Where most pages have two columns, the
    others are split at the same gutter wherever no line crosses it (a chapter's last lines
    over a column of notes, a book's last lines set in short columns)."""
    gutters = [_gutter(runs, body) for runs in pages]
    shifts = [_column_edge([r for r in runs if r.left >= x], body) - _column_edge(
        [r for r in runs if r.left < x], body)
        for runs, x in zip(pages, gutters, strict=True) if x is not None]
    found = sorted(x for x in gutters if x is not None)
    common = found[len(found) // 2] if found and len(found) >= 0.5 * sum(
        len(runs) >= 10 for runs in pages) else None
    # One distance between the columns, the book's commonest (a page's second column may be
    # all a quotation, set in).
    shift = sorted(shifts)[len(shifts) // 2] if shifts else 0.0
    out = []
    for runs, x in zip(pages, gutters, strict=True):
        columns = [runs]
        if x is not None:
            columns = _columns(runs, body, x, shift)
        elif common is not None and _gutter(runs, body, common) is not None:
            columns = _columns(runs, body, common, shift)
        out.append([line for column in columns for line in _column_lines(column, body)])
    return out


def _column_lines(runs: list[Run], body: float) -> list[PdfLine]:
    groups: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.top, r.left)):
        call = run.size < 0.8 * body and run.text.isdigit()
        group = groups[-1] if groups else None
        if group is not None:
            top, size = group[0].top, group[0].size
            if abs(run.top - top) <= 0.3 * size or (
                    call and top - 0.3 * size <= run.top <= top + 0.7 * size):
                group.append(run)
                continue
            # Calls raised well above their line, as a browser sets <sup> (a little
            # smaller than the text), came first: the line they stand on is theirs.
            if run.text.strip() and not run.text.isdigit() \
                    and 0.1 * size <= run.top - top <= 0.8 * body and all(
                        r.size < 0.9 * body and r.text.isdigit() for r in group):
                group.insert(0, run)
                continue
        groups.append([run])
    # A folio at the end of the page's first line, at the text's size in a face of its own,
    # however close a long running head runs to it ("...TO AFFINITY" "1"): a line apart.
    ordered = sorted(groups[0], key=lambda r: r.left) if len(groups) >= 3 else []
    if len(ordered) >= 2 and re.fullmatch(r"\d{1,4}", ordered[-1].text.strip()) \
            and ordered[-1].size >= 0.9 * body and ordered[-1].font != ordered[-2].font:
        groups[0:1] = [ordered[:-1], ordered[-1:]]
    lines: list[PdfLine] = []
    for group, run_in in _apart_on_the_line(groups):
        ordered = sorted(group, key=lambda r: r.left)
        first = next((r for r in ordered if not (r.size < 0.8 * body and r.text.isdigit())),
                     ordered[0])
        start = ordered[0].left  # where the printed line starts, a call or a word
        # Small raised digits opening a line of small type are a note's number, as LaTeX
        # sets a footnote's ("¹ The year..."): the note's, with a space after it.
        label = ordered[0] if ordered[0] is not first and first.size < 0.9 * body \
            and ordered[0].text.isdigit() and ordered[0].size < 0.8 * body else None
        # A call pushed to the start of the next line belongs to the word before it.
        while label is None and lines and ordered[0] is not first \
                and ordered[0].text.isdigit() and ordered[0].size < 0.8 * body:
            lines[-1].text += ordered.pop(0).text
        raised = [r.top for r in ordered if r.text.isdigit() and r.size < 0.9 * body]
        line = PdfLine(first.top, start, ordered[0].left, first.size, True, True, "",
                       noted=label is not None, run_in=run_in,
                       lift=max(0.0, first.top - min(raised, default=first.top)))
        if len(ordered) > 1 and ordered[0] is first and MARKER.fullmatch(first.text.strip()):
            # A list item's marker hangs outside: the line's text starts after it, where
            # the item's other lines start.
            line.left, line.item = ordered[1].left, True
        spaced = False
        for run in ordered:
            call = run.size < 0.8 * body and run.text.isdigit() and run is not first
            space = line.text and (spaced or run.space_before
                                   or run.left - line.right >= 0.12 * line.size)
            line.text += ("" if call or not space else " ") + _marked(run)
            line.right = max(line.right, run.left + run.width)
            if not call:
                line.bold = line.bold and run.bold
                line.italic = line.italic and run.italic
            spaced = run.space_after or run is label
        # One span for runs of one face in a row.
        line.text = line.text.replace(f"{EM_END} {EM}", " ").replace(f"{EM_END}{EM}", "")
        line.text = line.text.replace(f"{STRONG_END} {STRONG}", " ").replace(
            f"{STRONG_END}{STRONG}", "")
        lines.append(line)
    return lines


def _apart_on_the_line(groups: list[list[Run]]) -> list[tuple[list[Run], bool]]:
    """A running head and a folio on one baseline, an em or two apart, are two lines (two
    words of text set justified far apart, "Mr." and "Black-", are one); so are a heading set
    in bold at a paragraph's start, an em before its text (LaTeX's `\\paragraph`), and the
    text. Each with whether it is such a heading, run in."""
    out: list[tuple[list[Run], bool]] = []
    for group in groups:
        ordered = sorted(group, key=lambda r: r.left)
        current = [ordered[0]]
        for run in ordered[1:]:
            before = current[-1]
            gap = run.left - (before.left + before.width)
            folio = folio_value(run.text.strip()) is not None or folio_value(
                " ".join(r.text for r in current).strip()) is not None
            lead = " ".join(r.text for r in current).strip()
            # (a bold lead-in closed by its stop or colon, "Slow down:", is the text's own)
            run_in = current[0] is ordered[0] and all(r.bold for r in current) \
                and not run.bold and len(lead) <= 60 and not re.search(r"[.,:;!?—–-]$", lead)
            run_in = run_in and gap >= 0.8 * max(run.size, before.size)
            if (folio and gap > 1.5 * max(run.size, before.size)) or run_in:
                out.append((current, run_in))
                current = [run]
            else:
                current.append(run)
        out.append((current, False))
    return out


def _marked(run: Run) -> str:
    text = run.text
    if run.italic:
        text = f"{EM}{text}{EM_END}"
    if run.bold:
        text = f"{STRONG}{text}{STRONG_END}"
    return text


@dataclass
class Metrics:
    body: float  # the body text's font size
    left: float  # its left edge
    right: float  # the measure's right edge
    pitch: float  # baseline to baseline
    indent: float | None = None  # where a paragraph's first line starts, if indented
    edge: float = 0.0  # the furthest any line of text reaches: the measure's very end
    ragged: bool = False  # set ragged right: running lines end where the next word had no room
    centre: float | None = None  # the axis lines set centred share (a book of centred verse)
    spacing: float = 0.0  # the space between paragraphs, baseline to baseline (0: none)
    justified: bool = False  # lines that go on end at the measure's very end, all but a few
    lower: bool = False  # the verse's lines open in lower case after a comma, as often as not


def _metrics(pages: list[list[PdfLine]], body: float) -> Metrics:
    text = [ln for page in pages for ln in page if abs(ln.size - body) <= 0.1 * body]
    lefts = Counter(round(ln.left) for ln in text)
    rights = sorted(ln.right for ln in text)
    # Each line of text and the next below it, both at the body's size.
    pairs = [(a, b) for page in pages for a, b in pairwise(page)
             if abs(a.size - body) <= 0.1 * body and abs(b.size - body) <= 0.1 * body
             and 0 < b.top - a.top < 2.5 * body]
    right = rights[int(0.95 * (len(rights) - 1))] if rights else 0.0
    # Baseline to baseline inside a paragraph: under a full line, which goes on. (In a text
    # of short paragraphs, most pairs of lines may stand a paragraph's space apart.)
    pitches = [b.top - a.top for a, b in pairs if a.right >= right - 1.2 * body]
    if len(pitches) < 5:
        pitches = [b.top - a.top for a, b in pairs]
    # The text's left edge: where lines start that go on from a full line (in a text of
    # short paragraphs, first lines, indented, may be the commonest).
    goes_on = Counter(round(b.left) for a, b in pairs if a.right >= right - 1.2 * body)
    left = (goes_on or lefts).most_common(1)[0][0] if lefts else 0.0
    metrics = Metrics(body, left, right,
                      statistics.median(pitches) if pitches else 1.2 * body)
    # (as far as lines in the text's run reach, or a folio set flush with the measure an em
    # or less beyond: not a long running head LaTeX lets stand out past it)
    reach = max((line.right for pair in pairs for line in pair), default=None)
    metrics.edge = max(r for r in rights if r <= reach + body) if reach is not None \
        else rights[-1] if rights else 0.0
    apart = [g for g in _pitches_apart(pages, body)
             if 1.2 * metrics.pitch < g < 2.5 * metrics.pitch]
    if len(apart) >= 3:
        metrics.spacing = statistics.median(apart)
    # No line ran to the measure (a book of short verse): lines going on in lower case at
    # their edge, full in prose, stop well short of the longest. The measure lies beyond.
    going_on = sorted(a.right for a, b in pairs
                      if abs(b.left - a.left) < 2 and b.plain[:1].islower())
    if len(going_on) >= 10 and going_on[len(going_on) // 2] < left + 0.8 * (right - left):
        metrics.right = metrics.edge + 0.25 * (metrics.edge - left)
    # Set ragged right (as word processors set): many running lines end short of the edge,
    # nearly all of them where the next word would not have fitted (verse leaves room).
    running = [(a, b) for a, b in pairs if abs(b.left - left) < 2 and b.plain[:1].islower()]
    # (Short lines long enough to have wrapped: a poem's lines in lower case, far short of
    # the measure, show nothing of how the prose is set.)
    short = [(a, b) for a, b in running if not _full(a, metrics) and _long(a, metrics)]
    # (Or, where few lines run on (a book of verse), most of them end apart from the very
    # end, nearly all where the next word would not have fitted.)
    shy = [(a, b) for a, b in running if not _flush(a, metrics)]
    metrics.ragged = (len(short) >= 5 and len(short) >= 0.2 * len(running) and sum(
        _no_room(a, b, metrics) for a, b in short) >= 0.7 * len(short)) or (
        len(shy) >= 8 and len(shy) >= 0.5 * len(running)
        and sum(_no_room(a, b, metrics) for a, b in shy) >= 0.9 * len(shy))
    metrics.justified = len(running) >= 20 and sum(
        _flush(a, metrics) for a, _b in running) >= 0.95 * len(running)
    # Verse set centred: many short lines share one axis, each starting somewhere else.
    shorter = [ln for ln in text if not _full(ln, metrics)]
    axes = Counter(round(ln.left + ln.right) for ln in shorter)  # (twice the axis)
    if axes:  # (counted within a point or so: a PDF rounds each line's ends)
        axis = max(axes, key=lambda a: (sum(n for b, n in axes.items() if abs(b - a) <= 2),
                                        axes[a], -a))
        near = [ln for ln in shorter if abs(ln.left + ln.right - axis) <= 2]
        if len(near) >= 4 and len({round(ln.left) for ln in near}) >= max(3, 0.5 * len(near)):
            metrics.centre = axis / 2
    # Lines stopped short on a comma, and the next at the same edge (or on the same axis):
    # in lower case, most of them, where the poet's lines open so (no sign of a wrap then);
    # in capitals, elsewhere.
    after = [b for a, b in pairs if a.plain.endswith(",") and not _full(a, metrics)
             and abs(_edge(b, metrics) - _edge(a, metrics)) < 2]
    metrics.lower = len(after) >= 5 and sum(b.plain[:1].islower() for b in after) \
        >= 0.5 * len(after)
    # The first-line indent: where lines start that are followed by full lines at the edge.
    firsts = Counter(round(a.left) for page in pages for a, b in pairwise(page)
                     if a.left > metrics.left + 0.3 * body and abs(b.left - metrics.left) < 2
                     and abs(a.size - body) <= 0.1 * body  # (not a note's, set smaller)
                     and _full(b, metrics) and (_full(a, metrics) or (
                         metrics.ragged and _no_room(a, b, metrics))))
    if firsts and firsts.most_common(1)[0][1] >= 3:
        metrics.indent = firsts.most_common(1)[0][0]
    return metrics


def _pitches_apart(pages: list[list[PdfLine]], body: float) -> list[float]:
    """Baseline to baseline, each line of text and the next on its page, at the body's size
    (not a page's first or last: a running head or folio may stand there at that size)."""
    return [b.top - a.top for page in pages for a, b in pairwise(page[1:-1])
            if abs(a.size - body) <= 0.1 * body and abs(b.size - body) <= 0.1 * body
            and b.top > a.top]


def _space_break(above: list[PdfLine], below: list[PdfLine], m: Metrics) -> bool:
    """A scene break the page shows only by space (a blank line, or a rule no text reader
    sees): between two paragraphs of prose at the text's edge, far more space than between
    any two paragraphs (a line's worth at least)."""
    last, first = above[-1], below[0]
    gap = first.top - last.top
    usual = m.spacing or m.pitch
    return (gap >= max(1.7 * usual, 2.2 * m.pitch) and not _full(last, m)
            and abs(above[0].left - m.left) < 3 * m.body and first.left - m.left < 3 * m.body
            and all(abs(ln.size - m.body) <= 0.1 * m.body for ln in (last, first)))


def evidence(path: Path, first: int | None = None, last: int | None = None,
             ) -> tuple[str, Hints]:
    """The PDF as text with its breaks shown by blank lines, and what the page settles."""
    shape: list[tuple[float, float]] = []
    runs = read_runs(path, first, last, shape)
    hints = Hints()
    bullets = rules = 0
    for page, boxes in drawn_shapes(path, runs, shape, first):
        bullets += drawn_bullets(page, boxes)
        rules += drawn_rules(page, boxes)
    if bullets:
        hints.report.append(f"{bullets} list bullets drawn, not written: read as '•'")
    if rules:
        hints.report.append(f"{rules} scene breaks drawn as rules: read as '* * *'")
    runs = _unimposed(runs, shape, hints)
    hints.report += images(path, first, last)
    sizes: Counter[float] = Counter()
    for page in runs:
        for run in page:
            sizes[run.size] += len(run.text)
    if not sizes or sum(sizes.values()) < 20:
        raise ZineError(f"{path}: no text layer (a scan?); run OCR first, for example "
                        "ocrmypdf, then restore its output")
    # The body's size: of the sizes much of the text is set in, the largest; notes are set
    # smaller, and in a book with long notes they may outweigh the text.
    most = sizes.most_common(1)[0][1]
    body = max(size for size, count in sizes.items() if count >= 0.25 * most)
    for number, page in enumerate(runs, start=first or 1):
        hints.report += [f"page {number}: a drop cap joined to its word: {word!r}"
                         for word in _drop_caps(page, body)]
    pages = _page_lines(runs, body)
    _marked_items(pages, body, None)  # (before facing pages are matched: not text's lines)
    pages = _facing(pages, body)
    m = _metrics(pages, body)
    pages = _without_front_matter(pages, m, hints)
    _marked_items(pages, body, m.left)
    out: list[str] = []
    closing: PdfLine | None = None  # the last line of text on the page before
    above: PdfLine | None = None  # ...and the one above it
    closing_listed = False  # ...a line of a list's item
    closing_at = 0  # its line number in `out`
    noting = False  # a page before had notes at its foot
    verse: float | None = None  # the left edge of the verse the page before ended in
    for page_no, page in enumerate(pages, start=first or 1):
        if out:
            out.append("\f")  # as pdftotext: the break opens the page (a line of its own)
        # The text's own lines: not the notes at the page foot, set smaller, or set apart
        # and opening with their number above notes set smaller.
        # (A list's numbered items above a folio are no notes: notes are set smaller.)
        foot = next((ln.top for i, ln in enumerate(page)
                     if i and ln.top - page[i - 1].top > 1.3 * m.pitch  # set apart below
                     and re.match(r"\d+[.)]\s", ln.plain) and (
                         ln.size < 0.97 * m.body
                         or sum(later.size < 0.9 * m.body for later in page[i + 1:]) >= 2)),
                    None)
        texts = [ln for i, ln in enumerate(page) if _kind(ln, None, None, m) == "text"
                 and abs(ln.size - m.body) <= 0.1 * m.body and (foot is None or ln.top < foot)
                 and not _folio_line(page, i, m)]
        # A stanza's first line alone at the page's foot under a poem, run to the very end
        # mid-phrase: where a short rest opens the next page, the poem's next line under it
        # at its edge, it is the poem's long line, wrapped over the page.
        if verse is None and closing is not None and closing_at >= 3 \
                and out[closing_at - 2] == "" and closing_at - 2 in hints.verse \
                and closing_at not in hints.headings and closing.plain[-1:].isalpha() \
                and _flush(closing, m) and len(texts) >= 2 \
                and not _full(texts[0], m) and abs(texts[1].left - texts[0].left) < 0.25 * m.body \
                and texts[1].top - texts[0].top <= 1.15 * m.pitch \
                and texts[1].plain[:1].isupper():
            hints.verse.add(closing_at)
            verse = closing.left
        # A verse line run full to the page's foot, its rest in lower case at the next page's
        # top at the poem's edge: the rest is that line's (a long line wrapped over the page).
        # (Where a stanza's first line is set in, as a paragraph's, the poem's edge is where
        # its other lines stand: the closing line's, if further out, or the text's edge.)
        edge = None if verse is None or closing is None else verse if m.centre is not None \
            else min(verse, closing.left, m.left if m.indent is not None and abs(
                closing.left - m.indent) < 0.25 * m.body else verse)
        rest = texts[0] if texts and edge is not None and closing is not None \
            and closing_at in hints.verse and abs(texts[0].left - edge) < 0.25 * m.body \
            and _wrap(closing, texts[0], edge, m, verse=True) else None
        if rest is not None:
            hints.report.append(f"page {page_no}: a verse line wrapped over the page break, "
                                f"one again: {closing.plain[-24:]!r} / {rest.plain[:24]!r}")
            out[closing_at - 1] = _rewrapped(out[closing_at - 1], rest.text)
            page = [line for line in page if line is not rest]
            texts = texts[1:]
        start = len(out)
        verse = _page(page, m, out, hints, verse)
        if rest is not None:  # ...and the lines under it go on with its stanza
            block = next((i for i in range(start, len(out)) if out[i] not in ("", "\f")), None)
            while block is not None and block < len(out) and out[block] != "":
                hints.verse.add(block + 1)
                block += 1
        if noting:
            for line in _carried(page, m):
                hints.carried.update(i + 1 for i in range(start, len(out))
                                     if out[i] == line.text)
        noting = noting or any(_opens_note(line) for line in page)
        if texts and closing is not None:
            opening = texts[0]
            # (a verse line that wrapped stands in `out` unwrapped, its printed lines joined)
            number = next((i + 1 for i in range(start, len(out))
                           if out[i] == opening.text or out[i].startswith(opening.text + " ")),
                          None)
            if number is not None:
                # (verse over a page: a poem's line closing no sentence at the page's foot,
                # verse going on over it, is one stanza cut by the page)
                verse_on = closing_at in hints.verse and number in hints.verse
                hints.runs_on[number] = rest is not None or (
                    not SENTENCE_END.search(closing.plain) if verse_on
                    else _runs_on(closing, opening, m, closing_listed, above))
                _orphan_verse_line(closing, closing_at, opening, number, out, hints, m)
        if texts:
            closing, above = texts[-1], (texts[-2] if len(texts) > 1 else None)
            closing_listed = any(page[i] is closing for i in _item_lines(page, m.body))
            # (the line may be a verse line's rest, joined to it after a space, a hyphen, a
            # dash or a word's break)
            ends = tuple(glue + closing.text for glue in " -—" + WRAPPED)
            closing_at = next((i + 1 for i in range(len(out) - 1, start - 1, -1)
                               if out[i] == closing.text or out[i].endswith(ends)), 0)
    _span_breaks(out)
    return "\n".join(out) + "\n", hints


def _opens_note(line: PdfLine) -> bool:
    return line.noted or bool(re.match(r"\d+[.)]\s", line.plain)
                              or MARKED_NOTE.match(line.plain))


def _carried(page: list[PdfLine], m: Metrics) -> list[PdfLine]:
    """The lines set small under the page's text and over its first note: the rest of a
    note the page before began (LaTeX carries a long note over)."""
    text = [i for i, line in enumerate(page) if abs(line.size - m.body) <= 0.1 * m.body
            and not _folio_line(page, i, m)]
    below = page[text[-1] + 1:] if text else page
    carried = []
    for line in below:
        if _opens_note(line) or line.size >= 0.9 * m.body:
            break
        if not FOLIO.match(line.plain):
            carried.append(line)
    return carried


def _folio_line(page: list[PdfLine], index: int, m: Metrics) -> bool:
    """A page number set at the text's size (as LaTeX sets it), alone at the page's top or
    foot and set apart from the text, or a running head beside one: not a line a paragraph
    ends or goes on from."""
    if _head_line(page, index, m):
        return True
    if len(page) < 2 or index not in (0, len(page) - 1):
        return False
    neighbour = page[1] if index == 0 else page[index - 1]
    return bool(FOLIO.match(page[index].plain)) and abs(
        page[index].top - neighbour.top) > 1.5 * m.pitch


def _head_line(page: list[PdfLine], index: int, m: Metrics) -> bool:
    """A running head and its folio at the text's size on the page's first baseline, set
    apart from the text below (a lone number there may be a section's heading)."""
    if abs(page[index].top - page[0].top) > 0.3 * m.body:
        return False  # (asked of every line: only the first baseline's look further)
    head = [ln for ln in page if abs(ln.top - page[0].top) <= 0.3 * m.body]
    below = page[len(head)] if len(head) < len(page) else None
    return len(head) >= 2 and below is not None and below.top - page[0].top > 1.5 * m.pitch \
        and any(re.fullmatch(r"\d{1,4}", ln.plain.strip()) for ln in head)


def _face(line: PdfLine) -> Face:
    return (line.size, line.bold, line.italic, line.run_in)


def heading_levels(faces: dict[int, Face]) -> dict[int, int]:
    """Headings ranked by their face: larger first (sizes within 5% of each other are one
    size: a PDF rounds them), and at one size the face the book shows first (a chapter comes
    before its sections; bold or italic alone says nothing of rank; run in to its text, it
    ranks below the same face set apart). The most prominent is level 2, as the manuscript's
    chapters are."""
    sizes: list[float] = []
    for size in sorted({face[0] for face in faces.values()}, reverse=True):
        if not sizes or size < 0.95 * sizes[-1]:
            sizes.append(size)
    first = {face: index for index, face in enumerate(dict.fromkeys(
        faces[n] for n in sorted(faces)))}

    def rank(face: Face) -> tuple[int, bool, int]:
        return (next(i for i, s in enumerate(sizes) if face[0] >= 0.95 * s), face[3],
                first[face])

    ranks = sorted({rank(face) for face in faces.values()})
    return {n: min(2 + ranks.index(rank(face)), 6) for n, face in faces.items()}


def _orphan_verse_line(closing: PdfLine, closing_at: int, opening: PdfLine, opening_at: int,
                       out: list[str], hints: Hints, m: Metrics) -> None:
    """A poem's first line left alone at a page foot, its poem going on over the page at the
    same edge, is a verse line too (alone, it looked like a short paragraph)."""
    alone = closing_at >= 2 and out[closing_at - 2] == "" and closing_at not in hints.verse \
        and closing_at not in hints.headings
    # Run full, a line alone is a paragraph going on over the page, unless it stops at a
    # clause's end (prose would have run on); closing a sentence, a paragraph of one line,
    # unless a title stands over it: then it opens the poem.
    titled = closing_at - 2 in hints.headings
    if alone and opening_at in hints.verse \
            and (not _full(closing, m) or closing.plain.endswith((",", ";")) or titled) \
            and (not SENTENCE_END.search(closing.plain) or titled) \
            and abs(_edge(closing, m) - _edge(opening, m)) < 0.3 * m.body:
        hints.verse.add(closing_at)
        hints.runs_on[opening_at] = True  # one stanza, broken by the page


def _facing(pages: list[list[PdfLine]], body: float) -> list[list[PdfLine]]:
    """Left and right pages set with mirrored margins (the inner one wider, as books are),
    moved onto one text block: the commonest left edge of the body text, page by page
    parity, is the same afterwards. The edge where lines go on from a full line says where
    the text starts (not an indent); the commonest edge of all lines must have moved alike
    (in verse, lines going on from a full one are wraps, at a hanging indent)."""
    edges, commonest = [], []
    for parity in (0, 1):
        lefts: Counter[int] = Counter()
        every: Counter[int] = Counter()
        for page in pages[parity::2]:
            listed = _item_lines(page, body)  # (set in after their markers)
            text = [ln for i, ln in enumerate(page)
                    if abs(ln.size - body) <= 0.1 * body and i not in listed]
            if not text:
                continue
            right = max(ln.right for ln in text)
            lefts.update(round(b.left) for a, b in pairwise(text)
                         if a.right >= right - 1.2 * body and 0 < b.top - a.top < 2.5 * body)
            every.update(round(ln.left) for ln in text)
        edges.append(lefts.most_common(1)[0][0] if lefts.total() >= 5 else None)
        commonest.append(every.most_common(1)[0][0] if every else None)
    if None in edges or None in commonest or abs(edges[0] - edges[1]) < 2:
        return pages
    shift = edges[0] - edges[1]
    if abs(commonest[0] - commonest[1] - shift) >= 2:
        return pages
    return [[replace(ln, left=ln.left + shift, right=ln.right + shift) for ln in page]
            if index % 2 else page for index, page in enumerate(pages)]


def _marked_items(pages: list[list[PdfLine]], body: float, left: float | None) -> None:
    """A list's item whose marker the reader gave in one run with its text ("1. Choose a
    day", as LaTeX sets its lists): set in from the text's edge, the item's next line (if it
    has one) where the marker's text starts; or, wherever it stands, its next line hanging
    exactly there (a browser's). Its text starts there, as a marker apart. `left`: the
    text's edge, if known (else only hanging items are told)."""
    for page in pages:
        # (the page's own edge: facing pages may stand apart; its lines start there twice)
        lefts = Counter(round(ln.left) for ln in page if abs(ln.size - body) <= 0.1 * body)
        edge = min((x for x, n in lefts.items() if n >= 2), default=left)
        for index, line in enumerate(page):
            found = re.match(rf"(?:\d{{1,3}}[.)]|[{BULLETS}])\s+", line.plain)
            if line.item or not found:
                continue
            start = line.left + (line.right - line.left) * found.end() / len(line.plain)
            nxt = page[index + 1] if index + 1 < len(page) else None
            hangs = nxt is not None and abs(nxt.left - start) < 0.5 * body \
                and nxt.left > line.left + 0.5 * body
            if hangs or (left is not None and edge is not None \
                    and line.left >= edge + 0.5 * body and (
                        nxt is None or abs(nxt.left - start) < 0.5 * body
                        or abs(nxt.left - line.left) < 0.25 * body or nxt.left < line.left)):
                line.item, line.left = True, start


def _item_lines(page: list[PdfLine], body: float) -> set[int]:
    """The indices of a page's lines that belong to a list's items: each item's first line
    and the lines under it that start where its text does; and the lines at the page's top
    that start there too, above its first item (the rest of one from the page before)."""
    listed: set[int] = set()
    edge = None
    for index, line in enumerate(page):
        if line.item:
            edge = line.left
        elif edge is None or abs(line.left - edge) >= 0.25 * body:
            edge = None
        if edge is not None:
            listed.add(index)
    first = next((i for i, line in enumerate(page) if line.item), None)
    if first is not None:
        top = [i for i in range(first) if page[i].size >= 0.9 * body]  # (not the head)
        if top and all(abs(page[i].left - page[first].left) < 0.25 * body for i in top):
            listed.update(top)
    return listed


_LEADER = re.compile(r"(?:\.\s*){3,}\s*\d+$|\s\d{1,4}$")  # dot leaders, or a page number


def _without_front_matter(pages: list[list[PdfLine]], m: Metrics,
                          hints: Hints) -> list[list[PdfLine]]:
    """The pages around the text that zinepress makes itself from `book.toml` left out and
    said in the report: before it, a title page (or cover), its verso in small print, a table
    of contents; after it, a colophon or back cover in small print. A page of verse or a
    short last page of text is neither: its lines are at the body size."""
    def kind(page: list[PdfLine]) -> str | None:
        if not page:
            return "blank"
        body = [ln for ln in page if abs(ln.size - m.body) <= 0.1 * m.body]
        listed = [ln for ln in body if _LEADER.search(ln.plain)]
        running = [ln for ln in body if _long(ln, m) and not _LEADER.search(ln.plain)]
        if (len(listed) >= 3 and len(listed) >= len(running)) or (len(listed) == 2
                                                                   and not running):
            return "contents"
        if len(running) >= 4:
            return None  # text
        if any(ln.size >= 1.3 * m.body for ln in page) and len(body) < 4 and not any(
                0 < b.top - a.top <= 1.5 * m.pitch for a, b in pairwise(body)):
            return "title page"  # a few lines set apart; not a heading over a short poem
        if sum(ln.size < 0.9 * m.body for ln in page) >= 0.6 * len(page):
            return "small print"
        return None

    def contents_goes_on(page: list[PdfLine]) -> bool:
        """The end of a contents page over the page: only lines of dot leaders."""
        body = [ln for ln in page if abs(ln.size - m.body) <= 0.1 * m.body]
        return bool(body) and all(re.search(r"(?:\.\s*){3,}\d*$", ln.plain) for ln in body)

    front = 0
    while front < min(len(pages) - 1, 6) and (kind(pages[front]) is not None or (
            front and kind(pages[front - 1]) == "contents" and contents_goes_on(pages[front]))):
        front += 1
    back = len(pages)
    # A book with a title page may close on a colophon; small print at the end of any other
    # text is more likely its notes, which stay (so do notes after a title page: numbered).
    while front and back > front + 1 and len(pages) - back < 2 and kind(
            pages[back - 1]) == "small print" and not any(
            re.match(r"\d+[.)]?\s", ln.plain) for ln in pages[back - 1]):
        back -= 1
    if front and kind(pages[0]) == "title page":
        hints.report.append(f"title page left out; for book.toml: {_offered(pages[0], m)}")
    def pages_(first: int, last: int) -> str:
        return f"page {first}" if first == last else f"pages {first}-{last}"

    if front:
        hints.report.append(f"{pages_(1, front)} left out before the text "
                            f"({', '.join(kind(page) or 'contents' for page in pages[:front])}); "
                            "zinepress makes its own title page, colophon and contents")
    if back < len(pages):
        hints.report.append(f"{pages_(back + 1, len(pages))} left out after the text "
                            f"({', '.join(str(kind(page)) for page in pages[back:])}); "
                            "zinepress sets the colophon from book.toml")
    return pages[front:back]


def _offered(page: list[PdfLine], m: Metrics) -> str:
    """A title page's lines as book.toml keys: the largest is the title, an italic line
    under it the subtitle, the next line the author."""
    largest = max(ln.size for ln in page)
    title = " ".join(ln.plain for ln in page if ln.size == largest)
    rest = sorted((ln for ln in page if ln.size != largest and ln.size >= 0.9 * m.body),
                  key=lambda ln: ln.top)
    offered = [("title", title)]
    if rest and rest[0].italic:
        offered.append(("subtitle", rest.pop(0).plain))
    if rest:
        offered.append(("author", rest[0].plain))
    return ", ".join(f'{key} = "{value}"' for key, value in offered)


MAX_PATHS = 5000  # a page's drawn shapes looked at (for bullets and rules), at most
Box = tuple[float, float, float, float]  # left, top, right, bottom, as runs are placed


def drawn_shapes(path: Path, pages: list[list[Run]], shape: list[tuple[float, float]],
                 first: int | None = None) -> Iterator[tuple[list[Run], list[Box]]]:
    """Each page's runs and its drawn shapes (no text, so poppler shows none), where its
    runs are placed, a page at a time (a page holds MAX_PATHS at most); none on a page
    PDFium cannot read (poppler read its text)."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    try:
        document = pypdfium2.PdfDocument(path)
    except (pypdfium2.PdfiumError, OSError):
        return
    try:
        for index, runs in enumerate(pages):
            number = (first or 1) - 1 + index
            if not runs or number >= len(document):
                continue
            boxes: list[Box] = []
            try:
                page = document[number]
                width, height = page.get_size()
                scale = shape[index][0] / width if width else 1.0
                for count, drawn in enumerate(page.get_objects(
                        filter=[pdfium.FPDF_PAGEOBJ_PATH], max_depth=3)):
                    if count >= MAX_PATHS:
                        break
                    left, bottom, right, top = (value * scale for value in drawn.get_bounds())
                    boxes.append((left, height * scale - top, right, height * scale - bottom))
            except pypdfium2.PdfiumError:
                continue
            yield runs, boxes
    finally:
        document.close()


def drawn_bullets(runs: list[Run], drawn: list[Box]) -> int:
    """A list's bullets a browser draws (discs and squares) as runs of their own ("•"),
    each before the first line of its item: a small shape, about as wide as high, just left
    of a line's first run and level with its middle. Returns how many were found."""
    found = 0
    largest = max(run.size for run in runs)
    shapes = [(left, top, right, bottom) for left, top, right, bottom in drawn
              if 0 < (side := max(right - left, bottom - top)) <= 0.6 * largest
              and min(right - left, bottom - top) >= 0.6 * side]
    ordered = sorted(runs, key=lambda run: run.top)
    tops = [run.top for run in ordered]
    for left, top, right, bottom in shapes:
        side = max(right - left, bottom - top)
        middle = (top + bottom) / 2
        near = ordered[bisect.bisect_left(tops, middle - 0.9 * largest):
                       bisect.bisect_right(tops, middle)]
        beside = [run for run in near if 0.15 * run.size <= side <= 0.6 * run.size
                  and 0 <= run.left - right <= 3 * run.size
                  and run.top + 0.2 * run.size <= middle <= run.top + 0.9 * run.size]
        run = min(beside, key=lambda r: r.left) if beside else None
        # (before the line's first word: a shape amid a line is no bullet)
        if run is not None and not any(other.left < left and abs(other.top - run.top)
                                       < 0.5 * run.size for other in near):
            runs.append(Run(run.top, left, right - left, run.size, False, False, "•",
                            space_after=True, font=run.font))
            found += 1
    return found


def drawn_rules(runs: list[Run], drawn: list[Box]) -> int:
    """A scene break drawn as a rule (a browser's `<hr>`, LaTeX's `\\rule`), as a run of its
    own ("* * *", as a typist writes one): a line many letters long and no thicker than a
    stroke, inside the text's column, in the space between two lines of text at one size
    (not over notes set smaller), half a line clear of each (not a word's underline, nor a
    table's rules, tight to their rows). Returns how many were found."""
    found = 0
    smallest = min(run.size for run in runs)
    column = (min(run.left for run in runs), max(run.left + run.width for run in runs))
    ordered = sorted(runs, key=lambda run: run.top)
    tops = [run.top for run in ordered]
    # (of the runs down to each, the one reaching lowest: a rule's line above, found at once)
    lowest = list(accumulate(ordered, lambda a, b: b if b.top + b.size > a.top + a.size else a))
    for left, top, right, bottom in drawn:
        if bottom - top > 0.3 * smallest or right - left < 6 * smallest \
                or left < column[0] - smallest or right > column[1] + smallest:
            continue  # (no thin rule across the column: the many shapes of a picture)
        index = bisect.bisect_left(tops, bottom)
        below = ordered[index] if index < len(ordered) else None
        over = bisect.bisect_left(tops, top)
        above = lowest[over - 1] if over else None
        if above is None or below is None \
                or abs(below.size - above.size) > 0.1 * above.size \
                or not 0.5 * above.size <= top - (above.top + above.size) <= 3 * above.size \
                or not 0.5 * above.size <= below.top - bottom <= 3 * above.size:
            continue
        runs.append(Run((top + bottom - above.size) / 2, (left + right) / 2 - above.size,
                        2 * above.size, above.size, False, False, "* * *"))
        found += 1
    return found


def images(path: Path, first: int | None = None, last: int | None = None) -> list[str]:
    """The pictures restore leaves behind, one line each with its page, so a person can put
    them back as `![caption](images/...)`; read through poppler's `pdfimages -list`."""
    if shutil.which("pdfimages") is None:
        return ["images: not listed (poppler's pdfimages is missing)"]
    command = ["pdfimages", "-list"]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    with subprocess.Popen([*command, str(path)], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as child:
        assert child.stdout is not None
        listing = child.stdout.read(MAX_XML).decode(errors="replace").splitlines()
        child.kill()
    found = []
    for row in listing[2:]:  # a header line and a rule, then one row an image
        cells = row.split()
        if len(cells) > 4 and cells[0].isdigit() and cells[2] in {"image", "stencil"}:
            found.append(f"page {cells[0]}: image {cells[3]}x{cells[4]} px skipped")
    return found


def _unimposed(pages: list[list[Run]], shape: list[tuple[float, float]],
               hints: Hints) -> list[list[Run]]:
    """A booklet imposed for printing (landscape sheets, two pages on each side, a gutter down
    the middle) back into its pages, in reading order: by their folios where every page
    shows one, else as a saddle-stitched booklet folds."""
    if not pages or any(w <= 1.2 * h for w, h in shape):
        return pages
    halves: list[list[Run]] = []
    for (width, _height), runs in zip(shape, pages, strict=True):
        middle = width / 2
        if any(r.left < middle - 2 < middle + 2 < r.left + r.width for r in runs):
            return pages  # text across the middle: a landscape page, not two
        halves.append([r for r in runs if r.left + r.width / 2 < middle])
        halves.append([replace(r, left=r.left - middle) for r in runs
                       if r.left + r.width / 2 >= middle])
    count = len(halves)
    order = []  # the page number each half carries, as a saddle booklet is imposed
    for side in range(len(pages)):
        sheet, back = divmod(side, 2)
        order += [2 * sheet + 2, count - 2 * sheet - 1] if back else \
            [count - 2 * sheet, 2 * sheet + 1]
    folios = [_folio(half) for half in halves]
    numbered = [f for f in folios if f is not None]
    if len(numbered) == sum(bool(h) for h in halves) and len(set(numbered)) == len(numbered):
        order = [f if f is not None else 0 for f in folios]
        how = "by their folios"
    else:
        how = "as a saddle-stitched booklet folds"
    ranked = sorted(range(count), key=lambda i: order[i])
    hints.report.append(f"imposed booklet: {len(pages)} sheet sides read as {count} pages, "
                        f"in order {how}")
    return [halves[i] for i in ranked if halves[i]]


def _folio(runs: list[Run]) -> int | None:
    """The number standing alone at the top or the foot of a half-sheet, if any."""
    if not runs:
        return None
    edges = sorted(runs, key=lambda r: r.top)
    for run in (edges[0], edges[-1]):
        if run.text.isdigit() and len(run.text) <= 4:
            return int(run.text)
    return None


def _span_breaks(out: list[str]) -> None:
    """An italic or bold span that goes on over a line break is one span: the text reader
    then sees the line end as it is (a hyphen, a word) and joins the lines as it should."""
    for index in range(len(out) - 1):
        for start, end in ((EM, EM_END), (STRONG, STRONG_END)):
            here, there = out[index], out[index + 1]
            if here.endswith(end) and there.startswith(start):
                out[index], out[index + 1] = here[:-1], there[1:]


def _runs_on(last: PdfLine, first: PdfLine, m: Metrics, listed: bool = False,
             above: PdfLine | None = None) -> bool:
    """The page before ended on a full line (or a hyphen, or set ragged, where this one's first
    word had no room) and this one starts at the edge,
    unindented; or both are a block quote's, set in alike on both sides, the last full to
    the quote's right edge (set smaller, or as the line `above` it is), or set in at the left
    only (not at a paragraph's indent), the last full as above. `listed`: the last
    line was a list item's."""
    hyphen = last.plain.endswith(("-", "‐"))
    block = above is not None and abs(above.left - last.left) < 0.25 * m.body \
        and abs(above.right - last.right) < 0.25 * m.body and last.right < m.right - 0.8 * m.body
    filled = _full(last, m) or (m.ragged and _no_room(last, first, m))  # (as ragged fills)
    quoted = last.left - m.left > 0.5 * m.body and abs(first.left - last.left) < 0.25 * m.body \
        and abs(first.size - last.size) < 0.05 * m.body and (
            hyphen or _inset_full(last, m) or block or (filled and (  # (not a first line)
                m.indent is None or abs(last.left - m.indent) >= 0.25 * m.body)))
    # (a list's item going on: its lines set in alike, after its marker)
    listed = listed and abs(first.left - last.left) < 0.25 * m.body and not first.item
    return quoted or ((filled or hyphen) and (abs(first.left - m.left) < 0.25 * m.body
                                              or listed))


def _page(lines: list[PdfLine], m: Metrics, out: list[str], hints: Hints,
          after_verse: float | None = None) -> float | None:
    """The page's lines into `out`, its hints into `hints`; the left edge of the verse it
    ends in, if it does. `after_verse`: the page before did, at that edge, so a poem may go
    on at the top of this one."""
    # Small lines above the page's first line of text are its head: by position, furniture.
    # (Those at the foot may be notes; the text reader tells them from folios and feet.)
    top = next((ln.top for ln in lines if ln.size >= 0.9 * m.body), None)
    lines = [ln for ln in lines
             if top is None or ln.size >= 0.9 * m.body or ln.top >= top or len(ln.plain) > 80]
    blocks: list[list[PdfLine]] = []
    kinds: list[str] = []
    for index, line in enumerate(lines):
        prev = lines[index - 1] if index else None
        # The next line of text, past the folio or a running foot at the page's end.
        nxt = next((ln for ln in lines[index + 1:] if ln.size >= 0.9 * m.body), None)
        # (a running head beside its folio, or a folio at the page's foot, at the text's
        # size: furniture all the same; a number alone at the top may head a section)
        furniture = _head_line(lines, index, m) or (
            index == len(lines) - 1 and _folio_line(lines, index, m))
        kind = "small" if furniture else _kind(line, prev, nxt, m)
        if kind == "text" and kinds and kinds[-1] == "heading" and _styled(line, m) \
                and prev is not None and line.top - prev.top <= 3 * prev.size:
            kind = "heading"  # the title under a chapter's numeral
        if not blocks or _breaks(prev, line, nxt, kind, kinds[-1], m):
            blocks.append([line])
            kinds.append(kind)
        else:
            blocks[-1].append(line)
    verse = [kind == "text" and _is_verse(block, m) for block, kind in zip(blocks, kinds,
                                                                          strict=True)]
    _one_line_stanzas(blocks, kinds, verse, m, after_verse)
    _letter_closings(blocks, kinds, verse, m)
    # A list's items are set in from the edge, each line broken short: neither verse nor
    # a quotation.
    listed = {id(lines[i]) for i in _item_lines(lines, m.body)}
    items = [kind == "text" and (b[0].item or bool(BULLET.match(b[0].plain))
                                 or all(id(line) in listed for line in b))
             for b, kind in zip(blocks, kinds, strict=True)]
    verse = [v and not item for v, item in zip(verse, items, strict=True)]
    for index, (block, kind, is_verse, item) in enumerate(zip(blocks, kinds, verse, items,
                                                             strict=True)):
        if out and out[-1] != "":
            out.append("")
        if index and kind == kinds[index - 1] == "text" and not (
                is_verse or verse[index - 1] or item or items[index - 1]) \
                and not (len(blocks[index - 1]) == 1 and blocks[index - 1][0] is lines[0]) \
                and _space_break(blocks[index - 1], block, m):  # (not under a running head)
            out.extend(["* * *", ""])
            hints.report.append(f"a scene break shown by space before {block[0].plain[:30]!r}")
        start = len(out) + 1
        if is_verse:
            block = _unwrap(block, m)
            kind = "verse"
        out.extend(_heading_marks(line.text) if kind == "heading" else line.text
                   for line in block)
        numbers = set(range(start, start + len(block)))
        if kind == "heading":
            hints.headings |= numbers
            hints.faces.update(dict.fromkeys(numbers, max(_face(line) for line in block)))
        elif kind == "verse":
            hints.verse |= numbers
        if kind in ("text", "verse") and len(block) >= 2:
            hints.inside |= numbers
        if kind in ("text", "verse") and not item and _quoted(block, m):
            hints.quotes |= numbers
    texts = [(v, b) for v, b, kind in zip(verse, blocks, kinds, strict=True) if kind != "small"]
    return _edge(texts[-1][1][0], m) if texts and texts[-1][0] else None


def _kind(line: PdfLine, prev: PdfLine | None, nxt: PdfLine | None, m: Metrics) -> str:
    if line.size < 0.9 * m.body:
        return "small"  # notes, running heads, folios: the text reader sorts them out
    styled = _styled(line, m)
    apart = prev is None or line.top - prev.top > 1.3 * m.pitch or prev.size < 0.9 * m.body \
        or line.top < prev.top  # (at the head of a column)
    # (A title set large and wrapped in a narrow column may break at a comma: its last line
    # decides. Italic lines so are more often verse, an epigraph.)
    last = nxt if line.plain.endswith(",") and nxt is not None and _face(nxt) == _face(
        line) and line.size >= 1.1 * m.body and 0 < nxt.top - line.top <= 1.6 * line.size \
        else line
    # (A title may close on a full stop, as older books set them: "Night Bus.")
    if styled and apart and len(line.plain) <= 120 and (
            not re.search(r"[.,;:]$", last.plain) or closed_title(last.plain)):
        return "heading"
    return "text"


def _styled(line: PdfLine, m: Metrics) -> bool:
    """Set apart by size or face, the whole line."""
    return line.size >= 1.1 * m.body or line.bold or line.italic


def _centred(line: PdfLine, m: Metrics) -> bool:
    """Set on the axis of the book's centred verse, starting inside the measure."""
    return m.centre is not None and abs((line.left + line.right) / 2 - m.centre) <= 1.0 \
        and line.left > 2 * m.centre - m.edge + 0.15 * m.body  # (not a full line's width:
    # a justified line touches both edges, a centred one as long only nearly)


def _edge(line: PdfLine, m: Metrics) -> float:
    """Where a line's poem stands: its left edge, or the axis of centred verse."""
    return m.centre if m.centre is not None and _centred(line, m) else line.left


def _full(line: PdfLine, m: Metrics) -> bool:
    return line.right >= m.right - 1.2 * m.body


def _flush(line: PdfLine, m: Metrics) -> bool:
    """Set to the measure's very end, as a justified line that goes on is."""
    return line.right >= m.edge - 0.3 * m.body


def _runs_full(line: PdfLine, m: Metrics) -> bool:
    """Full, as verse is told from prose: where the text is set justified, to the measure's
    very end (a verse line broken by hand an em or more short of it is short)."""
    return line.right >= m.edge - 0.9 * m.body if m.justified else _full(line, m)


def _inset_full(line: PdfLine, m: Metrics) -> bool:
    """Set smaller, in from the edge, and run full to as far in from the right: a block
    quote's line that goes on (at the body's size, a paragraph's first line may end there)."""
    inset = line.left - m.left
    return line.size <= 0.97 * m.body and inset > 0.5 * m.body \
        and m.right - inset - 0.8 * m.body <= line.right < m.right - 0.8 * m.body


def _long(line: PdfLine, m: Metrics) -> bool:
    """Long enough to have wrapped, as a line set ragged may stop well short of the edge."""
    return line.right - m.left >= 0.7 * (m.edge - m.left)


def _no_room(line: PdfLine, nxt: PdfLine, m: Metrics, edge: float | None = None) -> bool:
    """The next line's first word would not have fitted at the end of this one (before the
    measure's end, or `edge`): a wrap."""
    return _room(line, nxt, m, edge) < 0


def _room(line: PdfLine, nxt: PdfLine, m: Metrics, edge: float | None = None) -> float:
    """What would be left at the end of this line (before the measure's end, or `edge`) had
    the next line's first word been set on it: below zero, it had no room."""
    # The word's share of the line's printed width, as a book face's letters divide it
    # ("and" is narrower than three average letters of "Mr. Moore"; a note's call, set
    # small, is left out). A title's abbreviation is bound to the name after it ("Mr. Scobell").
    words = nxt.plain.split()
    word = " " + " ".join(words[:2] if re.fullmatch(r"[A-Z][a-z]{0,2}\.", words[0])
                          else words[:1]) if words else ""
    text = re.sub(r"(?<=[^\W\d])\d+\b", "", line.plain)
    need = printed_width(word) / max(printed_width(text), 1) * (line.right - line.left)
    return (m.edge if edge is None else edge) - line.right - need


def _breaks(prev: PdfLine | None, line: PdfLine, nxt: PdfLine | None, kind: str,
            prev_kind: str, m: Metrics) -> bool:
    """Does the page show a break before `line`?"""
    if prev is None or kind != prev_kind:
        return True
    if kind == "text" and (line.item or BULLET.match(line.plain)):
        return True  # a list's item
    if kind == "heading":  # one heading: a chapter's numeral and its title, a long title
        return not is_label(prev.plain) and (line.size != prev.size or line.italic != prev.italic
                                            or line.top - prev.top > 1.6 * line.size)
    if line.top - line.lift - prev.top > 1.15 * m.pitch:
        return True  # a vertical gap: paragraph or stanza
    if kind != "text":
        return False
    # Inside a quotation set in from the edge, at the same place as a paragraph's indent:
    # the line runs to the quotation's right edge as the next one does.
    # Or it follows the quotation's first line, indented, to that right edge.
    # (Set ragged, lines end where their words do: two that end alike show no quotation.)
    quoted = (not m.ragged and line.right < m.right - 0.8 * m.body
              and line.right - line.left >= 0.6 * (m.right - m.left) and (  # (dialogue: short)
                  (nxt is not None and abs(nxt.left - line.left) < 0.25 * m.body
                   and abs(nxt.right - line.right) < 0.15 * m.body)
                  or (prev.left > line.left and abs(prev.right - line.right) < 0.15 * m.body))) \
        or (_inset_full(prev, m) and abs(prev.left - line.left) < 0.25 * m.body)  # its last line
    if m.indent is not None and abs(line.left - m.indent) <= 0.25 * m.body and not quoted \
            and abs(prev.left - m.indent) > 0.25 * m.body:
        return True  # at the text's own paragraph indent: a new paragraph, a speaker's turn
    if m.indent is not None and abs(line.left - m.indent) <= 0.25 * m.body and not quoted \
            and (SENTENCE_END.search(prev.plain) or prev.plain.endswith(":")
                 or BROKEN_OFF.search(prev.plain)):
        return True  # another paragraph at the indent, after one that closed a sentence or
        # led in with a colon (lines at the indent after a comma are verse set at that margin)
    if m.indent is not None and abs(line.left - m.indent) <= 0.25 * m.body and not quoted \
            and _full(line, m) and nxt is not None and abs(nxt.left - m.left) < 0.25 * m.body \
            and not _long(prev, m) and not prev.plain.endswith((",", ";")):
        return True  # a paragraph's first line (indented, full, the next back at the edge)
        # after a short line at the indent: a one-line paragraph, a run-in title
    if _centred(line, m) and (_centred(prev, m) or (
            line.plain[:1].islower() and _no_room(prev, line, m))):
        return False  # lines of a centred poem, each starting where its length puts it; or
        # the rest of a long one, wrapped (the sentence goes on)
    if line.left > prev.left + 0.4 * m.body and line.left > m.left + 0.4 * m.body:
        # Indented: a first line, or the hanging indent of a verse line that wrapped, which
        # follows a line with no room left and goes back to the verse's edge after. A hanging
        # indent is a few ems; a line set further in (a quotation's source) stands alone.
        wrapped = line.left - prev.left <= 4 * m.body and (
            _full(prev, m) or _no_room(prev, line, m) or (
            _long(prev, m) and not SENTENCE_END.search(prev.plain))) and (
            nxt is None or nxt.left < line.left - 0.4 * m.body
            or nxt.left > line.left + 4 * m.body or (  # (then a line set apart: a source)
                abs(nxt.left - line.left) < 0.4 * m.body  # wrapped twice
                and (_full(line, m) or _no_room(line, nxt, m) or _long(line, m))))
        return not wrapped
    return False


def _is_verse(block: list[PdfLine], m: Metrics) -> bool:
    """Lines broken short of the measure, most of them, not just the last; not a quotation
    set narrower, whose lines run full to its own right edge."""
    if len(block) < 2 or _narrow_prose(block, m):
        return False
    if len(block) <= 3 and block[-1].plain.startswith("—"):
        return False  # a quotation and its source, set short
    inner = block[:-1]
    # (set ragged, prose stops short too, where the next word had no room and the sentence
    # goes on, in lower case or mid-phrase ("in came / Mrs. Turner"): not verse; a quotation
    # set in has a right edge of its own)
    widest = max(line.right for line in block)
    end = min(m.edge, widest) if widest - min(line.left for line in block) \
        >= 0.6 * (m.edge - m.left) else m.edge
    short = sum(not _runs_full(line, m) and not (
        m.ragged and _no_room(line, nxt, m, end)
        and (nxt.plain[:1].islower() or line.plain[-1:].isalpha()))
                for line, nxt in pairwise(block))
    # (In a paragraph set ragged, at the indent and then back at the edge, or at the edge
    # where space parts paragraphs, a sentence closed short where the next one's first word
    # had no room on the measure is no evidence either way.)
    shaped = m.ragged and all(abs(line.left - m.left) < 0.25 * m.body for line in block[1:]) \
        and (abs(block[0].left - m.indent) < 0.25 * m.body if m.indent is not None
             else m.spacing > 0)
    either = sum(shaped and not _full(line, m) and _no_room(line, nxt, m)
                 and not (nxt.plain[:1].islower() or line.plain[-1:].isalpha())
                 for line, nxt in pairwise(block))
    short -= either
    # (Long lines wrapped flush, as LaTeX sets verse broken by hand, justified: a full line,
    # its rest at the edge going on in lower case. Prose wraps so too, but has no short lines
    # inside, but one a word broken at its hyphen was split off by the reader.)
    edge = min(line.left for line in block)
    ragged = _ragged_wraps(block, m)
    wraps = sum(_wrap(line, nxt, edge, m, ragged) for line, nxt in pairwise(block)) \
        if m.justified or ragged else 0
    short -= sum(not _runs_full(line, m) and line.plain.endswith(("-", "‐"))
                 for line in inner) if wraps else 0
    # (A line short before a list's next item or note ends that item: no evidence.)
    ends = sum(not _runs_full(line, m) and bool(re.match(r"(?:\d+[.)]|[•*–-])\s", nxt.plain))
               for line, nxt in pairwise(block))
    # Long lines wrapped with a hanging indent, whatever their length: only verse does that.
    hanging = block[0].left <= edge + 0.2 * m.body and any(
        line.left > edge + 0.4 * m.body for line in block[1:])
    # A centred block is verse: each line on the axis, or full (a long line that wrapped,
    # its rest centred below it), one short line at least on the axis.
    centred = all(_centred(line, m) or _full(line, m) for line in block) and any(
        _centred(line, m) and not _full(line, m) for line in block)
    return short - ends >= max(1, 0.5 * (len(inner) - either - ends - wraps)) or hanging \
        or centred


def _ragged_wraps(block: list[PdfLine], m: Metrics) -> bool:
    """Set ragged (as a browser sets a long verse line), are lines back at the block's edge
    in lower case, where their first word had no room on the line above, its wraps? Prose
    wraps so too, and that room is an estimate: only where a line ends with an em at least
    to spare for the next one's first word (broken by hand: verse)."""
    if not m.ragged:
        return False
    edge = min(line.left for line in block)
    return any(_wrap(line, nxt, edge, m, True) for line, nxt in pairwise(block)) and any(
        not _runs_full(line, m) and _room(line, nxt, m) > m.body for line, nxt in pairwise(block))


def _ends_verse_line(line: PdfLine, m: Metrics) -> bool:
    """Where a book's verse lines open in lower case after a comma, a line closing on one
    ends a poem's line, whatever its length and the next one's: no wrap."""
    return m.lower and bool(re.search(r"[,;:]$", line.plain))


def _wrap(line: PdfLine, nxt: PdfLine, edge: float, m: Metrics, ragged: bool = False,
          verse: bool = False) -> bool:
    """`nxt` is the rest of `line`, wrapped flush: back at the edge going on in lower case,
    `line` set to the measure's very end, or broken at a compound's hyphen ("lecture-" /
    "rooms?)": no poet's break), or (`ragged`) with no room left for its first word. Or, in
    a block known to be `verse`, whatever its case ("gnaw, till" / "I saturate"), after a
    line set to the very end that stops mid-phrase: a line broken by hand ends there by
    chance, and rarely on no stop. (Not evidence of verse: prose's lines wrap so too.)"""
    if abs(nxt.left - edge) >= 0.25 * m.body or _ends_verse_line(line, m):
        return False
    flush = _flush(line, m)
    return (nxt.plain[:1].islower() and (
        flush or bool(re.search(r"[^\W\d][-‐]$", line.plain))
        or (ragged and _no_room(line, nxt, m)))) or (verse and flush and line.plain[-1:].isalpha())


def _one_line_stanzas(blocks: list[list[PdfLine]], kinds: list[str], verse: list[bool],
                      m: Metrics, after_verse: float | None = None) -> None:
    """Stanzas of one line stand apart like short paragraphs. Beside a stanza, or three or
    more in a row most of which stop mid-sentence, they are verse."""
    # (A line set smaller is a quotation's, or its source's: no stanza of the poem.)
    # (A full line set in from the text's edge is one too, or out from it (where a pocket
    # book's verse wraps so often that the wraps' indent is the commonest edge): a narrow
    # column's verse line may just fill it. A source set flush right under the poem is not.)
    single = [kind == "text" and len(b) == 1 and not b[0].item and (
        not _full(b[0], m) or abs(b[0].left - m.left) > 0.5 * m.body or _centred(b[0], m))
              and b[0].size > 0.97 * m.body and not (
                  b[0].plain.startswith("—") and b[0].right >= m.right - 0.5 * m.body)
              for b, kind in zip(blocks, kinds, strict=True)]
    index = 0
    while index < len(blocks):
        end = index
        while end < len(blocks) and single[end]:
            end += 1
        run = range(index, end)
        unfinished = sum(not SENTENCE_END.search(blocks[i][0].plain)
                         and not BROKEN_OFF.search(blocks[i][0].plain)
                         for i in run)
        first_text = all(kinds[i] == "small" for i in range(index))
        near = (index and verse[index - 1]) or (end < len(blocks) and verse[end]) or (
            first_text and after_verse is not None)
        # Beside a poem, a line at the poem's edge is its line, full stop or not.
        edges = [_edge(b[0], m) for i, b in enumerate(blocks) if verse[i]] + (
            [after_verse] if after_verse is not None else [])
        aligned = all(any(abs(_edge(blocks[i][0], m) - e) < 0.3 * m.body for e in edges)
                      and not blocks[i][0].plain.startswith("—") for i in run)
        # A poem set in from the text's edge does not reach back out to it.
        outside = bool(edges) and all(e > m.left + 0.5 * m.body for e in edges) and all(
            abs(blocks[i][0].left - m.left) < 0.3 * m.body for i in run)
        if run and ((len(run) >= 3 and unfinished >= len(run) / 2)
                    or (near and ((unfinished and not outside) or (edges and aligned)))):
            for i in run:
                verse[i] = True
        index = max(end, index + 1)
    _short_poems(blocks, kinds, verse, m, after_verse)


def _letter_closings(blocks: list[list[PdfLine]], kinds: list[str], verse: list[bool],
                     m: Metrics) -> None:
    """A letter's closing and its name under prose ("In solidarity," / "J."): no couplet,
    a paragraph each, as the letter sets them."""
    texts = [i for i, kind in enumerate(kinds) if kind == "text"]
    for at in reversed(range(len(texts))):
        i = texts[at]
        block = blocks[i]
        if verse[i] and len(block) == 2 and block[0].plain.endswith(",") \
                and not _long(block[0], m) and signature(block[1].plain) \
                and (at == 0 or not verse[texts[at - 1]]) \
                and (at + 1 == len(texts) or not verse[texts[at + 1]]):
            blocks[i:i + 1] = [block[:1], block[1:]]
            kinds[i:i + 1] = ["text", "text"]
            verse[i:i + 1] = [False, False]


def _short_poems(blocks: list[list[PdfLine]], kinds: list[str], verse: list[bool],
                 m: Metrics, after_verse: float | None) -> None:
    """A poem of two or three lines, one of them long enough to pass for a wrapped line,
    between poems (titles aside) at their edge: verse if each line (as the poet broke it, a
    rest wrapped flush joined to its line) opens with a capital and each but the last closes
    with punctuation, as verse lines do and wrapped prose rarely; or one line of the poem,
    wrapped (the rest in lower case where its word had no room)."""
    texts = [i for i, kind in enumerate(kinds) if kind == "text"]
    for at, i in enumerate(texts):
        block = blocks[i]
        if verse[i] or not 2 <= len(block) <= 3:
            continue
        before = verse[texts[at - 1]] if at else after_verse is not None
        after = verse[texts[at + 1]] if at + 1 < len(texts) else True
        edges = [_edge(blocks[j][0], m) for j in texts if verse[j]] + (
            [after_verse] if after_verse is not None else [])
        wrapped = len(block) == 2 and block[1].plain[:1].islower() and _no_room(
            block[0], block[1], m)
        edge = min(line.left for line in block)
        lines = [line.plain for line in block[:1]]
        for line, nxt in pairwise(block):
            if _wrap(line, nxt, edge, m):
                lines[-1] += " " + nxt.plain
            else:
                lines.append(nxt.plain)
        if before and after and any(abs(_edge(block[0], m) - e) < 0.3 * m.body for e in edges) \
                and (wrapped or (
                    len(lines) >= 2
                    and all(line.lstrip("“‘\"'(¡¿«")[:1].isupper() for line in lines)
                    and all(re.search(r"[.,;:!?][”’\")]*$", line) for line in lines[:-1]))) \
                and all(abs(_edge(line, m) - _edge(block[0], m)) < 0.3 * m.body for line in block):
            verse[i] = True


def _narrow_prose(block: list[PdfLine], m: Metrics) -> bool:
    """A quotation set justified to a narrower measure: every line at one left edge (a verse
    line that wrapped would hang in), and its lines but the last at one right edge, short of
    the text's (two lines at least before the last), or set in by as much as on the left."""
    left = min(line.left for line in block)
    if any(line.left - left >= 0.25 * m.body for line in block[1:]):
        return False
    edge = max(line.right for line in block)
    if len(block) >= 3 and edge < m.right - 0.8 * m.body and all(
            line.right >= edge - 0.3 * m.body for line in block[:-1]):
        return True
    inset = left - m.left
    return inset > 0.8 * m.body and all(
        abs(line.right - (m.right - inset)) < 0.3 * m.body for line in block[:-1])


def _heading_marks(text: str) -> str:
    """A heading is in its own face (bold, or italic): no marks for it; a title's words in
    another face inside it ("VII. The *Entente Cordiale* Is Sealed", set bold) keep theirs.
    Its face covers all of it but those words; where either could (two spans of each), it
    is bold, the common heading face, and the italic is the emphasis."""
    spans = f"{EM}.*?{EM_END}|{STRONG}.*?{STRONG_END}"
    for start, end in ((STRONG, STRONG_END), (EM, EM_END)):
        outside = re.sub(f"{start}.*?{end}", "", text)
        if start in text and not re.sub(spans, "", outside).strip():
            return text.replace(start, "").replace(end, "")
    return text


def _unwrap(block: list[PdfLine], m: Metrics) -> list[PdfLine]:
    """A verse line too long for the measure wrapped with a hanging indent: one line again."""
    edge = min(line.left for line in block)
    ragged = _ragged_wraps(block, m)
    # (where the poem's wraps hang, set in under their lines in lower case, none is flush)
    hangs = any(abs(a.left - edge) < 0.25 * m.body and b.left > edge + 0.4 * m.body
                and b.plain[:1].islower() for a, b in pairwise(block))
    out: list[PdfLine] = []
    printed: PdfLine | None = None  # the printed line before: was there room left on it?
    for line in block:
        # (centred, a line starts where its length puts it: it is the rest of the one before
        # only where that had no room for its first word, and the sentence goes on)
        centred_apart = _centred(line, m) and not (
            line.plain[:1].islower() and printed is not None and _no_room(printed, line, m))
        # (centred, a wrap runs full too, and its rest starts where its length puts it; but
        # where the poem's lines open in lower case, one closing on a comma ends there)
        set_in = (line.plain[:1].islower() and not (
            printed is not None and _ends_verse_line(printed, m))) \
            if _centred(line, m) else line.left > edge + 0.4 * m.body or (
                m.centre is not None and line.plain[:1].islower())
        if out and printed is not None and ((set_in and not centred_apart and (
                _full(printed, m) or _no_room(printed, line, m) or (
                    _long(printed, m) and not SENTENCE_END.search(printed.plain))))
                or (not hangs and _wrap(printed, line, edge, m, ragged, verse=True))):
            out[-1].text = _rewrapped(out[-1].text, line.text)
        else:
            out.append(PdfLine(line.top, line.left, line.right, line.size, line.bold,
                               line.italic, line.text))
        printed = line
    return out


def _rewrapped(text: str, rest: str) -> str:
    """A verse line and its wrapped rest, one line again: a hyphen, or a dash set closed
    ("stately—below"), joins with no space; a word broken at a hyphen is marked, for the
    core to join or keep."""
    plain = text.translate(MARKS)
    closed_dash = plain.endswith("—") and not plain[:-1].endswith(" ")
    broken = re.search(r"[^\W\d_][-‐]$", text) and rest[:1].islower()
    glue = WRAPPED if broken else "" if text.endswith("-") or closed_dash else " "
    return f"{text}{glue}{rest}"


def _quoted(block: list[PdfLine], m: Metrics) -> bool:
    """Indented on both sides, or indented and set smaller: a block quote (a poem indented
    only at the left, at the body's size, is not); or indented only at the left, its lines
    at one edge running full to the measure's end, as prose does (a browser's block quote)."""
    if len(block) == 1 and m.indent is not None and abs(block[0].left - m.indent) < \
            0.25 * m.body and block[0].size > 0.97 * m.body:
        return False  # a short paragraph at the indent: a line of dialogue
    return all(line.left > m.left + 0.8 * m.body for line in block) and (
        all(line.right < m.right - 0.8 * m.body for line in block)
        or all(line.size <= 0.97 * m.body for line in block)
        or (len(block) >= 2 and all(abs(line.left - block[0].left) < 0.25 * m.body
                                    for line in block)
            and all(_full(line, m) or (m.ragged and _no_room(line, nxt, m))
                    for line, nxt in pairwise(block))))
