"""Pages: take off what the page layout added around the text, and take out the notes.

Works on an extraction cut into pages by form feeds (what `pdftotext` writes). A line at a
page's top or foot is furniture when it is a folio, when it comes back at the same edge of
many pages (digits aside, spaces aside: letter-spaced heads come out as "T HE T ITLE"), or
when it repeats a title the text gives elsewhere. Notes are numbered paragraphs at a page's
foot, or under a heading at the end, whose numbers the text calls in order ("ground.4").
Removed lines become blank lines, so every later line number is still the input's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from zinepress.restore.report import Decision

EDGE = 3  # lines at each end of a page that may be furniture
LIFTED = "\ue015"  # the line a note call stood on alone, its call put back above: no line
FOLIO = re.compile(r"^[-–—\s]*(?:\d{1,4}|[ivxlcdm]{1,8})[-–—\s]*$", re.I)  # "12", "— xii —"
# A note's number, then its text (a raised number, the extractor may run on to the capital
# or quotation mark opening it: "14W. Shepley", "8“The City").
NOTE_START = re.compile(r"^(\d{1,4})(?:\.\s*|\s+|(?=[A-ZÀ-ÖØ-Þ“‘(\[]))(\S.*)?$")
SENTENCE_END_ANY = re.compile(r"[.!?…][”\"’)\]]*$")
MARKED_NOTE = re.compile(r"^(\*{1,3}|†{1,2}|‡{1,2}|[§‖¶])\s*(\S.*)$")
# A mark as a call: right after a word or its stop, whole ("**" is not "*").
MARK_CALL = re.compile(r"(?<=[^\s*†‡§‖¶])(\*{1,3}|†{1,2}|‡{1,2}|[§‖¶])(?![*†‡§‖¶])"
                       r"(?=[\s,.;:!?)”’\]]|$)")
SCENE_BREAK_MARKS = re.compile(r"^(?:[*†‡§]\s*){2,}$")  # "* * *": a scene break
# A contents entry: a title, a leader (dots, an ellipsis, a wide space) and a page number.
CONTENTS_ENTRY = re.compile(r"^(\S.*?\S)\s*(?:(?:[.·…]\s*){2,}|\s{3,})\s*(\d{1,4}|[ivxlc]{1,7})$")
CALL = re.compile(r"(?<=[^\s\d])(\d{1,4})(?=[\s,.;:!?)”’\]]|$)")


@dataclass
class Note:
    label: int
    line: int
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # every input line the note takes

    def add(self, number: int, text: str) -> None:
        self.lines.append(text)
        self.numbers.append(number)


@dataclass
class Call:
    """A note call taken out of the text: the words it followed, to put it back after them."""

    label: int
    line: int
    before: list[str]
    span: tuple[int, int]  # where its number stands in the line


@dataclass
class Paged:
    text: str
    notes: list[Note] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    cut: dict[int, str] = field(default_factory=dict)  # by line: as wide as typed calls taken out


NUMBERS = re.compile(r"\d+|[ivxlcdm]+\b")  # (in lower case)


def furniture_key(text: str) -> str:
    """A line's identity as furniture: case, spaces and numbers do not count."""
    return NUMBERS.sub("#", "".join(text.lower().split()))


def _figures_aside(text: str) -> str:
    """A line's words as they recur: case, spaces and figures aside."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def infer_pages(text: str, log: list[Decision]) -> str:
    """Page breaks where a text lost its form feeds (copied out of a viewer, saved without
    them): before each cluster of furniture, that is, folios counting up through the text
    and short lines that come back again and again, standing apart."""
    if "\f" in text:
        return text
    lines = text.split("\n")

    def alone(i: int) -> bool:  # a line of its own, blank on both sides, as a margin box is
        return ((i == 0 or not lines[i - 1].strip())
                and (i + 1 == len(lines) or not lines[i + 1].strip()))

    def apart(i: int) -> bool:  # blank on one side at least
        return ((i == 0 or not lines[i - 1].strip())
                or (i + 1 == len(lines) or not lines[i + 1].strip()))

    # Folios: the longest run of numbers standing apart that count up through the text (a
    # page may lack one), lines blank on both sides preferred: a chapter's numeral runs on
    # into its title.
    numbered = [(i, v, alone(i)) for i, line in enumerate(lines)
                if (v := folio_value(line)) is not None and apart(i)]
    chain = _counting(numbered)
    keys = Counter(furniture_key(line) for i, line in enumerate(lines)
                   if 0 < len(line.strip()) <= 80 and alone(i) and folio_value(line) is None)
    # (A head comes back word for word, figures aside: chapters' labels, "Capítulo I",
    # "Capítulo II", differ in their numerals and never come back.)
    exact = Counter(_figures_aside(line) for i, line in enumerate(lines) if alone(i))

    def repeated(times: int) -> set[int]:
        return {i for i, line in enumerate(lines) if line.strip() and len(line.strip()) <= 80
                and keys[furniture_key(line)] >= times and exact[_figures_aside(line)] >= 2
                and alone(i) and folio_value(line) is None
                and not SENTENCE_END_ANY.search(line.strip())}

    heads = repeated(3)
    # Numbers a page apart, or each beside a running head, are folios; else they number a
    # poem's or an essay's sections.
    beside = {h + d for h in heads for d in range(-4, 5)}
    if not _paced(chain) and sum(i in beside for i in chain) < 0.6 * len(chain):
        chain = []
    if len(chain) < 3 and len(heads) < 3:
        # Two pages: folios counting up, and a line standing apart on both that is also the
        # text's last line, where no heading stands.
        heads = repeated(2)
        last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
        if len(chain) < 2 or len(heads) < 2 or last not in heads:
            return text
    marked = set(chain) | heads
    # Furniture lines with no text between them are one cluster: the foot of one page and
    # the head of the next. The break goes after the cluster's first line when it has more.
    clusters: list[list[int]] = []
    for i in sorted(marked):
        if clusters and not any(ln.strip() for n, ln in enumerate(lines[clusters[-1][-1] + 1:i],
                                                                  start=clusters[-1][-1] + 1)
                                if n not in marked):
            clusters[-1].append(i)
        else:
            clusters.append([i])
    breaks = [cluster[1] if len(cluster) > 1 else cluster[0] for cluster in clusters
              if len(cluster) > 1 or any(ln.strip() for ln in lines[cluster[0] + 1:])]
    if not breaks:
        return text
    for i in reversed(breaks):
        lines[i] = "\f" + lines[i]
    log.append(Decision("furniture", breaks[0] + 1,
                        f"no form feeds: {len(breaks)} page breaks inferred from folios and "
                        "running heads"))
    return "\n".join(lines)


def _paced(chain: list[int]) -> bool:
    """Do these numbers stand a page apart? Pages hold about as many lines each (a chapter's
    last page fewer): most gaps between folios are within a fifth of the usual one; sections
    run as long as they run. And a page holds a dozen lines at least: numbers five lines
    apart number a poem's sections."""
    gaps = sorted(b - a for a, b in pairwise(chain))
    if not gaps:
        return True
    usual = gaps[len(gaps) // 2]
    return usual >= 12 and (len(gaps) < 3 or sum(
        abs(gap - usual) <= 0.2 * usual for gap in gaps) >= 0.6 * len(gaps))


def _counting(numbered: list[tuple[int, int, bool]]) -> list[int]:
    """The lines of the best run of numbers counting up by one to three; lines that stand
    alone weigh more."""
    best: list[tuple[float, int]] = []  # (score, previous index) for each candidate
    for j, (_line, value, alone) in enumerate(numbered):
        options = [(best[i][0], i) for i in range(max(0, j - 60), j)
                   if 1 <= value - numbered[i][1] <= 3]
        score, previous = max(options, default=(0.0, -1))
        best.append((score + (1.0 if alone else 0.6), previous))
    if not best:
        return []
    j = max(range(len(best)), key=lambda k: best[k][0])
    run = []
    while j >= 0:
        run.append(numbered[j][0])
        j = best[j][1]
    return run[::-1]


def unpage(text: str, log: list[Decision], keep: frozenset[int] = frozenset(),
           carried: frozenset[int] | None = None) -> Paged:
    """`keep`: lines a PDF's page shows to be text (headings, lines amid others), never
    furniture; `carried`: lines it shows to go on with the note the page before began (None:
    no page was seen, the text's measure tells)."""
    inferred = "\f" not in text
    text = infer_pages(text, log)
    pages = text.split("\f")
    numbered: list[list[tuple[int, str]]] = []
    number = 1
    for page in pages:
        lines = page.split("\n")
        numbered.append([(number + i, line) for i, line in enumerate(lines)])
        number += len(lines) - 1
    drop: set[int] = set()
    _contents(numbered, drop, log)
    # (One page of text: no furniture to tell, but notes at the end may be there; one page
    # of a PDF may show its folio, at its edge.)
    if len(pages) > 1 or carried is not None:
        _furniture(numbered, drop, log, inferred, keep)
        _unglue_folios(numbered, drop, log)
    kept = [[(n, line) for n, line in page if n not in drop] for page in numbered]
    noted = {int(match.group(1)) for page in kept for _n, line in page
             if (match := NOTE_START.match(line.strip())) and match.group(2)}
    body = [_lift_calls(page, noted) for page in kept]
    said: list[Decision] = []  # (what the notes' reading says, once it is settled)
    notes, calls = _notes(body, said, carried or frozenset())
    if notes and carried is None:  # (a PDF's reader sees the sizes; from text, the measure)
        wider = _carried_by_measure(body, notes)
        if wider:
            said = []
            notes, calls = _notes(body, said, wider)
    log += said
    if not notes and not drop:
        return Paged(text)
    noted = {n for note in notes for n in note.numbers}
    out = []
    cut: dict[int, str] = {}
    for page, original in zip(body, numbered, strict=True):
        kept = {n: line for n, line in page if n not in noted}  # the last line and the next
        for n, line in kept.items():  # page's first share a number: keep pages apart
            kept[n] = _uncalled(line, n, calls)
            typed = line.count("[") - kept[n].count("[")
            removed = len(line) - len(kept[n])
            if removed:  # (typed calls, "[12]", took a full line's room; set small, as
                # superscripts are, some two thirds of it)
                cut[n] = "0" * (removed if typed else round(0.65 * removed))
        # (a call lifted from a line of its own leaves no blank line: the text goes on)
        lifted = {n for n, line in original if line.strip() and n not in drop} - {
            n for n, _ in page}
        out.append("\n".join(kept.get(n, LIFTED if n in lifted else "") for n, _ in original))
    return Paged("\f".join(out), notes, calls, cut)


def _contents(pages: list[list[tuple[int, str]]], drop: set[int], log: list[Decision]) -> None:
    """A table of contents before the text (three entries or more in a row, each a title, a
    leader and a page number counting up): zinepress makes its own, so it goes, with its
    heading ("Contents", the short line over it) and, where it has a page to itself, the page."""
    lines = [(i, n, line.strip()) for i, page in enumerate(pages) for n, line in page]
    filled = [entry for entry in lines if entry[2]]
    run: list[tuple[int, int, str]] = []
    for entry in filled[:max(40, len(filled) // 5)]:
        match = CONTENTS_ENTRY.match(entry[2])
        if match and (not run or (folio_value(match.group(2)) or 0) >= (folio_value(
                CONTENTS_ENTRY.match(run[-1][2]).group(2)) or 0)):
            run.append(entry)
            continue
        if len(run) >= 3:
            break
        run = []
    if len(run) < 3:
        return
    # ...whose titles the text gives again as lines of their own (a price list's are not)
    later = {_figures_aside(line) for _i, _n, line in filled[filled.index(run[-1]) + 1:]}
    if sum(_figures_aside(CONTENTS_ENTRY.match(line).group(1)) in later
           for _i, _n, line in run) < len(run) / 2:
        return
    first = filled.index(run[0])
    heading = filled[first - 1] if first else None
    taken = {n for _p, n, _line in run}
    if heading and len(heading[2].split()) <= 4 and not SENTENCE_END_ANY.search(heading[2]):
        taken.add(heading[1])
    page = run[0][0]
    rest = [n for i, n, line in lines if i == page and line and n not in taken]
    if len(pages) > 1 and len(rest) <= 2:
        taken.update(rest)  # the contents' own page, its folio and head
    drop.update(taken)
    log.append(Decision("furniture", run[0][1], f"dropped a table of contents ({len(run)} "
                                                "entries): zinepress makes its own"))


def _unglue_folios(pages: list[list[tuple[int, str]]], drop: set[int],
                   log: list[Decision]) -> None:
    """pdftotext takes the hyphen off a word broken over a page and runs the folio into it
    ("oppres4" and, over the page, "sions."). Where a page's folio is missing and its last
    line ends in that very number, give the line its hyphen back."""
    offsets = Counter(value - index for index, page in enumerate(pages)
                      for n, line in page if n in drop and (value := folio_value(line)) is not None)
    if not offsets:
        return
    offset, seen = offsets.most_common(1)[0]
    if seen < max(2, len(pages) // 4):
        return
    for index, page in enumerate(pages):
        filled = [(i, n, line) for i, (n, line) in enumerate(page) if line.strip()]
        if not filled or any(n in drop and folio_value(line) is not None for _i, n, line in filled):
            continue
        last = next(((i, n, line) for i, n, line in reversed(filled) if n not in drop), None)
        folio = str(index + offset)
        if last and re.search(rf"[^\W\d_]{folio}$", last[2].rstrip()):
            i, n, line = last
            page[i] = (n, line.rstrip()[:-len(folio)] + "-")
            log.append(Decision("furniture", n, f"folio {folio} run into a word broken over the "
                                               "page: taken out, the hyphen put back"))


def _lift_calls(page: list[tuple[int, str]], noted: set[int]) -> list[tuple[int, str]]:
    """A superscript call at a line's end can come out on a line of its own: put it back,
    where the text has a note so numbered (`noted`: at a page's foot or at the end); else it
    is a section's number ("1" under a poem's title)."""
    out: list[tuple[int, str]] = []
    for index, (n, line) in enumerate(page):
        last = index == len(page) - 1 or not any(ln.strip() for _, ln in page[index + 1:])
        if re.fullmatch(r"\d{1,3}", line.strip()) and int(line) in noted and out \
                and out[-1][1].strip() and not last:
            out[-1] = (out[-1][0], out[-1][1].rstrip() + line.strip())
        else:
            out.append((n, line))
    return out


def _edges(page: list[tuple[int, str]]) -> list[tuple[str, int, str]]:
    filled = [(n, line) for n, line in page if line.strip()]
    # On a short page (a chapter's last) a line may stand near both edges: it is seen at both.
    return [("top", n, line) for n, line in filled[:EDGE]] + \
        [("foot", n, line) for n, line in filled[-EDGE:]]


def _at_edge(page: list[tuple[int, str]], n: int, edge: str, recurs) -> bool:
    """Nothing but furniture stands between line `n` and the page's `edge`: folios, or lines
    that `recurs(key)` says come back there page after page (a head's second line)."""
    filled = [(m, line) for m, line in page if line.strip()]
    outer = filled if edge == "top" else filled[::-1]
    for m, line in outer:
        if m == n:
            return True
        if folio_value(line.strip()) is None and not recurs(furniture_key(line.strip())):
            return False
    return False


def _rides(page: list[tuple[int, str]], n: int, edge: str) -> bool:
    """Under a running head, a line is the head's own second line only where it stands
    apart from the text as the head does: a poem's title "Song" that opens two pages under
    the book's head runs on into its lines."""
    return _at_edge(page, n, edge, lambda _key: False) or _apart(n, page, edge)


def _edge_counts(pages: list[list[tuple[int, str]]], threshold: int) -> Counter[tuple[str, str]]:
    """How many pages show each line at each edge, where only furniture stands between it
    and the edge: a title that follows a poem's last line at a page's top is no head, though
    the page after opens with it."""
    seen: Counter[tuple[str, str]] = Counter()
    for page in pages:
        seen.update({(edge, furniture_key(line)) for edge, _n, line in _edges(page)})
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        counts.update({(edge, furniture_key(line)) for edge, n, line in _edges(page)
                       if _at_edge(page, n, edge,
                                   lambda key, e=edge: seen[e, key] >= threshold)})
    return counts


def _furniture(pages: list[list[tuple[int, str]]], drop: set[int], log: list[Decision],
               inferred: bool = False, keep: frozenset[int] = frozenset()) -> None:
    """`inferred`: the page breaks were guessed, so a folio may sit at either edge. `keep`:
    headings and lines amid the text the page shows, never furniture (a chapter’s "II" is no
    folio)."""
    threshold = max(2, len(pages) // 4)
    counts = _edge_counts(pages, threshold)
    # (the pages that print something: an extraction ends each page with a form feed, so
    # the last is empty; two pages keep no count of their folios to go by)
    printed = sum(any(line.strip() for _n, line in page) for page in pages)
    # Folios count the pages: the same offset from the page's index, page after page, in one
    # kind of figures. A numeral off that count ("II" over a chapter's title), or in Roman
    # figures where the folios are Arabic (a poem's section "III" under the head), is not one.
    # (Each page counts once: a head "I" over a section "I" is one page's, not two.)
    folios = Counter(key for index, page in enumerate(pages)
                     for key in _page_folios(page, index, inferred))
    for index, page in enumerate(pages):
        seen: set[tuple[str, str]] = set()  # a page shows its running head once
        foliated: set[str] = set()  # ...and one folio at an edge
        for edge, n, line in _edges(page):
            stripped = line.strip()
            value = folio_value(stripped)
            again = (edge, furniture_key(stripped)) in seen and (  # (a head "I" is no folio,
                value is None or edge in foliated)  # and "3" under it is one)
            if n in drop or len(stripped) > 80 or again:
                continue
            if n not in keep:  # (a heading the page shows is no head: the folio below it is)
                seen.add((edge, furniture_key(stripped)))
            why = ""
            near = (0,) if not inferred else (0, -1, 1)  # guessed breaks: one page either way
            if value is not None and (printed < 3 or any(
                    _counted(folios, _edge_kind(edge if not inferred else "", stripped),
                             value - index + d, threshold)
                    for d in near) or (  # the count kept at the other edge (a head's folio
                    # read out of order, at the page's foot), standing apart from the text
                    sum(folios[_edge_kind(e, stripped), value - index] for e in ("top", "foot"))
                    >= threshold and _apart(n, page, edge))):
                why = f"folio {stripped!r}"
            elif counts[edge, furniture_key(stripped)] >= threshold and (
                    "#" not in furniture_key(stripped) or _apart(n, page, edge)) \
                    and _at_edge(page, n, edge, lambda key, e=edge: counts[e, key] >= threshold) \
                    and _rides(page, n, edge):
                # A line with a number repeats as "Chapter #" does too: it must also stand
                # apart from the text, as a folio and head on one line do.
                why = f"running {'head' if edge == 'top' else 'foot'} {stripped!r}"
            if why and n in keep:
                log.append(Decision("furniture", n, f"kept {stripped!r}: the page sets it in "
                                                    "the text"))
            elif why:
                drop.add(n)
                log.append(Decision("furniture", n, f"dropped {why}"))
                if why.startswith("folio"):
                    foliated.add(edge)
    # A head that changes with each short section repeats too seldom to be counted; it still
    # stands with the page's folio at the top, apart from the text.
    for page in pages:
        top = [(n, line.strip()) for n, line in page if line.strip()][:3]
        if not any(n in drop and folio_value(line) is not None for n, line in top):
            continue
        at = next(i for i, (n, line) in enumerate(top)
                  if n in drop and folio_value(line) is not None)
        for index, (n, line) in enumerate(top):
            rest = [(k, text) for k, text in page if k not in drop or k == n]
            below = any(k > n and text.strip() for k, text in rest)  # (a page's only line of
            # text, over its folio, is the text's: an attribution closing the book)
            # (a numeral in other figures over the folio heads the page: section "I" over
            # "3"; under it, it may open a chapter)
            numeral = folio_value(line) is not None and not (
                index < at and _edge_kind("", line) != _edge_kind("", top[at][1]))
            if (n not in drop and n not in keep and below and len(line) <= 80
                    and not numeral
                    and re.search(r"\w", line)  # an ornament is a scene break, not a head
                    and _apart(n, rest, "top") and not re.search(r"[.,;:!?…”\"’)]$", line)
                    and all(m in drop for m, _ in top[:index])):
                drop.add(n)
                log.append(Decision("furniture", n, f"dropped running head {line!r}: it stands "
                                                    "with the folio"))
    # It also repeats its section's title, which stands in the text too.
    alone = Counter(furniture_key(line) for page in pages for n, line in page
                    if 0 < len(line.strip()) <= 80 and n not in drop)
    for page in pages:
        for edge, n, line in _edges(page):
            stripped = line.strip()
            if (edge == "top" and len(pages) >= 3 and n not in drop and n not in keep
                    and len(stripped) <= 80 and re.search(r"\w", stripped)
                    and folio_value(stripped) is None and alone[furniture_key(stripped)] >= 2
                    and _is_first(n, page, drop) and _apart(n, page, edge)
                    and not re.search(r"[.,;:!?…”\"’)]$", stripped)):
                drop.add(n)
                log.append(Decision("furniture", n,
                                    f"dropped running head {stripped!r}: it repeats a title"))
                break
    _capital_heads(pages, drop, log, keep)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W\d_]+", text.lower()))


def _capital_heads(pages: list[list[tuple[int, str]]], drop: set[int], log: list[Decision],
                   keep: frozenset[int]) -> None:
    """A page's first line in capitals, its folio run on or not ("NOT TRYING TO GET
    FREE9", as LaTeX's book class heads a page with its section): a running head, where the
    text gives that title in its own case on a line or two (or begins so: a head too long
    for its line is cut short)."""
    firsts = []
    for page in pages:
        first = next(((n, line.strip()) for n, line in page if line.strip() and n not in drop),
                     None)
        letters = [c for c in first[1] if c.isalpha()] if first else []
        if first and first[0] not in keep and len(first[1]) <= 100 and len(letters) >= 10 \
                and all(c.isupper() for c in letters) and len(_words(first[1])) >= 3:
            firsts.append(first)
    if not firsts:
        return
    lines = [(n, line.strip()) for page in pages for n, line in page
             if line.strip() and n not in drop]
    titles = set()
    for (_n, line), (_m, after) in zip(lines, [*lines[1:], (0, "")], strict=True):
        if len(line) <= 80 and not line.isupper():
            titles.add(_words(line))
            if after and len(after) <= 80:
                titles.add(_words(f"{line} {after}"))
    for n, line in firsts:
        words = _words(line)
        # (cut short mid-word, too: "...THE RIVERSIDE PRINT CO")
        if words in titles or (len(words) >= 5 and any(
                t[:len(words) - 1] == words[:-1] and len(t) >= len(words)
                and t[len(words) - 1].startswith(words[-1]) for t in titles)):
            drop.add(n)
            log.append(Decision("furniture", n, f"dropped running head {line!r}: a title the "
                                                "text gives, in capitals"))


ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _page_folios(page: list[tuple[int, str]], index: int, inferred: bool
                 ) -> set[tuple[str, int]]:
    """The counts a page's numerals at its edges keep: (edge and kind, value less index)."""
    return {(_edge_kind(edge if not inferred else "", line), value - index)
            for edge, _n, line in _edges(page) if (value := folio_value(line)) is not None}


def _edge_kind(edge: str, folio: str) -> str:
    """An edge and the kind of figures a folio there is set in: folios keep to one kind."""
    return edge + (" arabic" if any(c.isdigit() for c in folio) else " roman")


def _counted(folios: Counter[tuple[str, int]], edge: str, offset: int, threshold: int) -> bool:
    """Do the pages keep this count at this edge? Often enough, and not just now and then
    beside an edge that keeps it on (nearly) every page: a poem's sections numbered 1, 4
    and 8 that open pages 1, 4 and 8, where the folios stand at the foot."""
    here = folios[edge, offset]
    other = max((n for (e, o), n in folios.items() if o == offset and e != edge), default=0)
    return here >= threshold and 2 * here >= other


def folio_value(text: str) -> int | None:
    """The number a folio shows: "12", "— 12 —", "xii"."""
    if not FOLIO.match(text):
        return None
    core = text.strip(" -–—\t").lower()
    if core.isdigit():
        return int(core)
    values = [ROMAN[c] for c in core]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def _is_first(n: int, page: list[tuple[int, str]], drop: set[int]) -> bool:
    """The page's first line, folios aside: where a running head stands."""
    return n == next((m for m, line in page if line.strip() and m not in drop), None)


def _apart(n: int, page: list[tuple[int, str]], edge: str) -> bool:
    """A blank line between the line and the text, as between a margin box and the page's
    body: a heading in the text runs on into its paragraph ("Chapter II" over its title)."""
    numbers = [m for m, _ in page]
    inner = numbers.index(n) + (1 if edge == "top" else -1)
    return not 0 <= inner < len(page) or not page[inner][1].strip()


def _notes(pages: list[list[tuple[int, str]]], log: list[Decision],
           carried: frozenset[int] = frozenset()) -> tuple[list[Note], list[Call]]:
    """Numbered notes at page feet (or at the end) whose calls the text makes in order;
    `carried`: lines that go on with the last note of the page before."""
    calls: list[Call] = []
    notes = _endnotes(pages, log)
    previous = ""  # the body of the page before: a note may be pushed one page on
    for page in pages if not notes else ():
        filled = [(n, line.strip()) for n, line in page if line.strip()]
        if notes:
            for n, line in filled:
                if n in carried:
                    notes[-1].add(n, line)
            filled = [(n, line) for n, line in filled if n not in carried]
        start = None
        expected = len(notes) + 1
        for index, (_n, line) in enumerate(filled):
            match = NOTE_START.match(line)
            if index and match and int(match.group(1)) == expected and \
                    _called(previous + " ".join(ln for _, ln in filled[:index]), expected):
                start = index
                break
        body_lines = filled if start is None else filled[:start]
        previous = " ".join(line for _, line in body_lines) + " "
        if start is None:
            continue
        for n, line in filled[start:]:
            match = NOTE_START.match(line)
            if match and int(match.group(1)) == len(notes) + 1:
                notes.append(Note(len(notes) + 1, n))
                notes[-1].add(n, match.group(2) or "")
            else:
                notes[-1].add(n, line)
    if not notes:
        return _marked_notes(pages, log)
    labels = {note.label for note in notes}
    noted = {n for note in notes for n in note.numbers}
    expected = 1
    before: list[str] = []  # the words of the text's line before, to place a call that
    for page in pages:  # opens a line after the same word earlier in its paragraph
        for n, line in page:
            if n in noted:
                continue
            for match in [*CALL.finditer(line), *_glued(line, expected)]:
                label = int(match.group(1))
                if label in labels and expected <= label <= expected + 2 and \
                        not any(c.line == n and c.span == match.span(1) for c in calls[-3:]):
                    words = line[:match.start()].removesuffix("[").split()  # ("cold.[2]")
                    if len(words) < 3 and not (before and before[-1].endswith(("-", "‐"))):
                        words = before + words
                    calls.append(Call(label, n, words[-3:], match.span(1)))
                    expected = label + 1
            before = line.split()
    for note in notes:
        log.append(Decision("footnote", note.line, f"note {note.label}: "
                            f"{' '.join(note.lines)[:50]!r}"))
    return notes, calls


def _marked_notes(pages: list[list[tuple[int, str]]],
                  log: list[Decision]) -> tuple[list[Note], list[Call]]:
    """Notes marked with symbols (*, †, ‡, or *, **, ***), the marks starting afresh on each
    page: a page's last lines opening with marks its text set after a word ("hand.*"), each
    mark once. Numbered in the book's order, as Markdown numbers notes."""
    notes: list[Note] = []
    calls: list[Call] = []
    for page in pages:
        filled = [(n, line.strip()) for n, line in page if line.strip()]
        called: dict[str, int] = {}  # each mark's first call on the page, by line
        for i, (_n, line) in enumerate(filled):
            for match in MARK_CALL.finditer(line):
                called.setdefault(match.group(1), i)
        start = next((i for i, (_n, line) in enumerate(filled) if (
            match := MARKED_NOTE.match(line)) and not SCENE_BREAK_MARKS.match(line)
            and called.get(match.group(1), i) < i), None)
        if start is None:
            continue
        marks = [m.group(1) for _n, line in filled[start:] if (m := MARKED_NOTE.match(line))]
        if len(marks) != len(set(marks)):
            continue  # a mark twice: a list's bullets, not notes
        found: dict[str, Note] = {}
        for n, line in filled[start:]:
            match = MARKED_NOTE.match(line)
            if match:
                found[match.group(1)] = Note(len(notes) + 1, n)
                notes.append(found[match.group(1)])
                line = match.group(2)
            notes[-1].add(n, line)
        for n, line in filled[:start]:
            for match in MARK_CALL.finditer(line):
                if match.group(1) in found:
                    calls.append(Call(found[match.group(1)].label, n,
                                      line[:match.start()].split()[-3:], match.span()))
    for note in notes:
        log.append(Decision("footnote", note.line, f"note {note.label} (marked): "
                            f"{' '.join(note.lines)[:50]!r}"))
    return notes, calls


def _carried_by_measure(pages: list[list[tuple[int, str]]],
                        notes: list[Note]) -> frozenset[int]:
    """Where notes are set smaller than the text, their lines longer: the run of such lines
    closing a page's text (over its first note, if any) is the rest of a note the page
    before began, as LaTeX carries a long one over."""
    within = {n for note in notes for n in note.numbers}
    ends = {note.numbers[-1] for note in notes}
    note_lengths = sorted(len(line.strip()) for page in pages for n, line in page
                          if n in within and n not in ends and line.strip())
    # (the text's measure from each page's first lines: notes not yet found stand lower)
    text_lengths = sorted(len(line) for page in pages for line in [
        line.strip() for n, line in page if n not in within and line.strip()][:8])
    if len(note_lengths) < 10 or len(text_lengths) < 20:
        return frozenset()
    wide = text_lengths[int(0.95 * (len(text_lengths) - 1))]
    typical = note_lengths[len(note_lengths) // 2]
    if typical <= 1.05 * wide:
        return frozenset()
    first_note = min(note.line for note in notes)
    carried: set[int] = set()
    for index, page in enumerate(pages):
        lines = [(n, line.strip()) for n, line in page if line.strip()]
        if not lines or lines[0][0] <= first_note:
            continue
        end = next((i for i, (n, _line) in enumerate(lines) if n in within), len(lines))
        last = max((note for note in notes if note.line < lines[0][0]), key=lambda x: x.line)
        run = []
        for n, line in reversed(lines[:end]):
            if any(last.label < int(m.group(1)) <= last.label + 10 for m in CALL.finditer(line)):
                break  # it calls a note to come: the text's
            # (or two such lines the extractor joined, taking a hyphen out)
            if wide < len(line) <= 1.3 * typical or 2 * wide < len(line) <= 2.6 * typical:
                run.append(n)
            elif not run and len(line) <= wide and end - len(run) > 1:
                run.append(n)  # the note's last line, short, at the run's end
            else:
                break
        if not run:
            continue
        # The page before left its last note mid-sentence: a run set apart from the text
        # (a blank line over it), or longer than its lines, goes on with it. Else the run's
        # top line, where the text may end as long, must be a note's beyond doubt.
        text = dict(lines)
        raw = [line for _n, line in page]
        top = [n for n, _line in page].index(run[-1])
        apart = top > 0 and not raw[top - 1].strip()
        # (or the text's sentence goes on over it: the line above it stops mid-phrase and
        # the next page opens in lower case, where the run's top line closed a sentence)
        above = lines[end - len(run) - 1][1] if end - len(run) >= 1 else ""
        after = next((line.strip() for _n, line in pages[index + 1] if line.strip()), "") \
            if index + 1 < len(pages) else ""
        spanned = bool(above) and not SENTENCE_END_ANY.search(above) \
            and after[:1].islower() and bool(SENTENCE_END_ANY.search(text[run[0]]))
        if SENTENCE_END_ANY.search(last.lines[-1].strip()) or not (
                apart or spanned or len(text[run[-1]]) > wide):
            while run and len(text[run[-1]]) < (wide + typical) / 2:
                run.pop()
        carried.update(run)
    return frozenset(carried)


def _called(text: str, label: int) -> bool:
    """Some word ends in the note's number (a year before a call counts: "1659–601")."""
    return re.search(rf"(?<=\S){label}(?=[\s,.;:!?)”’\]]|$)", text) is not None


def _endnotes(pages: list[list[tuple[int, str]]], log: list[Decision]) -> list[Note]:
    """A run of notes numbered from 1 that lasts to the end of the text."""
    lines = [(n, line.strip()) for page in pages for n, line in page if line.strip()]
    for index, (_n, line) in enumerate(lines):
        match = NOTE_START.match(line)
        if not match or match.group(1) != "1" or not index:
            continue
        notes: list[Note] = []
        for n, rest in lines[index:]:
            m = NOTE_START.match(rest)
            if m and int(m.group(1)) == len(notes) + 1:
                notes.append(Note(len(notes) + 1, n))
                notes[-1].add(n, m.group(2) or "")
            else:
                notes[-1].add(n, rest)
        body = " ".join(line for _, line in lines[:index])
        called = {int(m.group(1)) for m in CALL.finditer(body)}
        # Every note is called before the notes begin (a few calls may hide after a number).
        if len(notes) >= 2 and sum(note.label not in called for note in notes) <= len(notes) // 10:
            head_n, head = lines[index - 1]
            if len(head) <= 40 and not re.search(r"[.,;:!?]$", head):
                log.append(Decision("furniture", head_n, f"dropped notes heading {head!r}"))
                notes[0].numbers.append(head_n)  # blanked with the notes it heads
            return notes
    return []


def _glued(line: str, label: int) -> list[re.Match[str]]:
    """A call after a number: "January 1659–601" is "1659–60" and note 1. Only where the
    number has a dash or letter in it, so a plain year ("1661") never gives one up."""
    pattern = rf"(?<=\S)(?<=[^\s]\d)({label})(?=[\s,.;:!?)”’\]]|$)"
    return [m for m in re.finditer(pattern, line)
            if re.search(r"[^\d\s]\d*$", line[:m.start()].split()[-1] if line[:m.start()].split()
                         else "")]


def _uncalled(line: str, n: int, calls: list[Call]) -> str:
    """The line without its note calls' numbers."""
    for call in sorted((c for c in calls if c.line == n), key=lambda c: -c.span[0]):
        start, end = call.span
        if line[start - 1:start] == "[" and line[end:end + 1] == "]":
            start, end = start - 1, end + 1  # a typed call: "cold.[2]"
        line = line[:start] + line[end:]
    return line
