"""Low-level PDF reading and writing that keeps imposition memory flat in the page count.

qpdf (through pikepdf) reads objects lazily, except that it parses a whole object stream the
first time it needs any object in it, and that creating or copying an object makes it resolve
every object of the file. WeasyPrint puts all of a book's small objects, the tagged-PDF
structure tree included, in one object stream. So we unpack object streams into plain objects
first (`unpack_object_streams`), let qpdf read only the pages and resources it is asked for,
and write the sheets ourselves (`SheetWriter`), one object at a time.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from bisect import bisect_right
from collections import deque
from typing import BinaryIO

_REF = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|(?<![\w.#/+-])(\d+) (\d+) R(?!\w)",
                  re.DOTALL)
_OBJ = re.compile(rb"\s*\d+\s+\d+\s+obj\s*")
_STREAM = re.compile(rb"\s*stream\r?\n")
_ENTRY = re.compile(rb"/(\w+)\s*(\[[^\]]*\]|\d+\s+\d+\s+R|/\w+|-?\d+|<<.*?>>)", re.DOTALL)


class Unsupported(Exception):
    """The file is valid but laid out in a way `unpack_object_streams` leaves to qpdf."""


def _dictionary(data, start: int) -> tuple[bytes, int]:
    """The text of the dictionary starting at `start` (at '<<') and the offset after it."""
    depth, index = 0, start
    while index < len(data):
        two = data[index:index + 2]
        if two == b"<<":
            depth, index = depth + 1, index + 2
        elif two == b">>":
            depth, index = depth - 1, index + 2
            if depth == 0:
                return bytes(data[start:index]), index
        elif two[:1] == b"(":
            index = _string_end(data, index)
        elif two[:1] == b"<":
            index = data.find(b">", index) + 1 or len(data)
        else:
            index += 1
    raise Unsupported("unterminated dictionary")


def _string_end(data, index: int) -> int:
    depth = 0
    while True:
        char = data[index:index + 1]
        if not char:
            raise Unsupported("unterminated string")
        if char == b"\\":
            index += 2
            continue
        depth += {b"(": 1, b")": -1}.get(char, 0)
        index += 1
        if depth == 0:
            return index


def _entries(dictionary: bytes) -> dict[str, bytes]:
    """Top-level entries of a simple dictionary (xref and object stream dictionaries only)."""
    return {m.group(1).decode(): m.group(2) for m in _ENTRY.finditer(dictionary[2:-2])}


def _stream(data, offset: int) -> tuple[dict[str, bytes], bytes]:
    """The entries and the decoded data of the stream object at `offset`."""
    head = _OBJ.match(data, offset)
    if not head or data[head.end():head.end() + 2] != b"<<":
        raise Unsupported("no stream object where the cross-reference points")
    text, end = _dictionary(data, head.end())
    entries = _entries(text)
    keyword = _STREAM.match(data, end)
    if keyword is None or not entries.get("Length", b"").isdigit():
        raise Unsupported("stream without a direct length")
    raw = bytes(data[keyword.end():keyword.end() + int(entries["Length"])])
    if entries.get("Filter", b"/FlateDecode") not in (b"/FlateDecode", b"[/FlateDecode]"):
        raise Unsupported("stream filter other than Flate")
    decoded = _inflate(raw) if "Filter" in entries else raw
    return entries, _unpredict(decoded, entries.get("DecodeParms", b""))


def _inflate(raw: bytes) -> bytearray:
    """zlib.decompress, in steps: its doubling buffer would peak at several times the output."""
    inflater, out = zlib.decompressobj(), bytearray()
    while raw:
        out += inflater.decompress(raw, 1 << 16)
        raw = inflater.unconsumed_tail
    out += inflater.flush()
    return out


def _unpredict(data: bytes, parms: bytes) -> bytes:
    """Undo a PNG predictor (as qpdf writes cross-reference streams)."""
    predictor = re.search(rb"/Predictor\s+(\d+)", parms)
    if not predictor or int(predictor.group(1)) == 1:
        return data
    if int(predictor.group(1)) < 10:
        raise Unsupported("TIFF predictor")
    columns_match = re.search(rb"/Columns\s+(\d+)", parms)
    columns = int(columns_match.group(1)) if columns_match else 1
    rows, previous = [], bytearray(columns)
    for start in range(0, len(data), columns + 1):
        kind, row = data[start], bytearray(data[start + 1:start + 1 + columns])
        for i in range(len(row)):
            left = row[i - 1] if i else 0
            up, corner = previous[i], previous[i - 1] if i else 0
            if kind == 1:
                row[i] = (row[i] + left) & 255
            elif kind == 2:
                row[i] = (row[i] + up) & 255
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                           (abs(guess - corner), 2, corner))
                row[i] = (row[i] + near[2]) & 255
        rows.append(bytes(row))
        previous = row
    return b"".join(rows)


def unpack_object_streams(data, out: BinaryIO) -> bool:
    """Write to `out` the same PDF with every object-stream object as a plain object.

    Returns False when there is nothing to unpack or the file has a form this reader leaves
    to qpdf (classic or incremental cross-references, encryption, unusual filters); `out` is
    then to be thrown away. Memory stays near one decoded object stream: the table is kept
    in arrays and each object is written as soon as it is read.
    """
    try:
        table = _xref(data)
        if table is None:
            return False
        _write_unpacked(data, table, out)
    except (Unsupported, KeyError, ValueError, IndexError, zlib.error):
        return False
    return True


MAX_OBJECTS = 20_000_000  # a 2,000-page tagged book has about 100,000


class _Table:
    """A cross-reference stream's entries as arrays: kind, field 2 and field 3 per number."""

    def __init__(self, size: int, trailer: dict[str, bytes], offset: int) -> None:
        self.kind = array("b", bytes(size))
        self.field2 = array("q", bytes(8 * size))
        self.field3 = array("q", bytes(8 * size))
        self.trailer = trailer
        self.offset = offset


def _write_unpacked(data, table: _Table, out: BinaryIO) -> None:
    size = len(table.kind)
    plain = sorted((table.field2[n], n) for n in range(size) if table.kind[n] == 1)
    bounds = sorted({offset for offset, _n in plain} | {table.offset, len(data)})
    streams = sorted({table.field2[n] for n in range(size) if table.kind[n] == 2})
    if any(stream >= size or table.kind[stream] != 1 for stream in streams):
        raise Unsupported("an object stream the cross-reference does not place")
    where = array("q", bytes(8 * size))
    version = re.match(rb"%PDF-\d\.\d", bytes(data[:16]))
    out.write((version.group() if version else b"%PDF-1.7") + b"\n%\xe2\xe3\xcf\xd3\n")
    skip = set(streams)
    for offset, number in plain:
        if number in skip or offset == table.offset:
            continue
        where[number] = out.tell()
        out.write(bytes(data[offset:bounds[bisect_right(bounds, offset)]]).rstrip() + b"\n")
    for stream in streams:
        entries, decoded = _stream(data, table.field2[stream])
        count, first = int(entries["N"]), int(entries["First"])
        numbers = array("q", (int(m.group()) for m in re.finditer(rb"\d+", decoded[:first])))
        starts = [*sorted(numbers[1:2 * count:2]), len(decoded) - first]
        for index in range(count):
            number, at = numbers[2 * index], numbers[2 * index + 1]
            if not (number < size and table.kind[number] == 2
                    and table.field2[number] == stream and table.field3[number] == index):
                continue  # an older copy that the cross-reference no longer points to
            end = starts[bisect_right(starts, at)]
            where[number] = out.tell()
            out.write(b"%d 0 obj\n%s\nendobj\n"
                      % (number, decoded[first + at:first + end].strip()))
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        gen = table.field3[number] if table.kind[number] == 1 else 0
        out.write(b"%010d %05d n \n" % (where[number], gen) if where[number]
                  else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root %s >>\nstartxref\n%d\n%%%%EOF\n"
              % (size, table.trailer["Root"], start))


def _xref(data) -> _Table | None:
    """The entries of a file whose only cross-reference is one stream; None if the file has
    no object streams or a classic table (which qpdf reads lazily already)."""
    found = re.findall(rb"startxref\s+(\d+)", bytes(data[-1024:]))
    if not found:
        raise Unsupported("no startxref")
    offset = int(found[-1])
    if bytes(data[offset:offset + 4]) == b"xref":
        return None
    trailer, stream = _stream(data, offset)
    if (trailer.get("Type") != b"/XRef" or "Prev" in trailer or "Encrypt" in trailer
            or "Root" not in trailer):
        raise Unsupported("incremental or encrypted file")
    widths = [int(w) for w in trailer["W"].strip(b"[]").split()]
    size = int(trailer["Size"])
    if not 0 < size <= min(MAX_OBJECTS, 16 * len(data) + 1024):  # before allocating the table
        raise Unsupported(f"a cross-reference claiming {size} objects")
    index = [int(i) for i in trailer.get("Index", b"[0 %d]" % size).strip(b"[]").split()]
    table = _Table(size, trailer, offset)
    position = 0
    for first, count in zip(index[::2], index[1::2], strict=True):
        for number in range(first, first + count):
            fields = []
            for width in widths:
                fields.append(int.from_bytes(stream[position:position + width], "big"))
                position += width
            if number < size:
                table.kind[number] = fields[0] if widths[0] else 1
                table.field2[number] = fields[1]
                table.field3[number] = fields[2] if len(fields) > 2 else 0
    return table if 2 in table.kind else None


class SheetWriter:
    """Writes a PDF one object at a time, copying objects from a pikepdf source on demand.

    Only what is written is resolved in the source; object numbers are given in order of
    first use, so the same input gives the same bytes.
    """

    def __init__(self, source, out: BinaryIO, version: str = "1.7") -> None:
        self.source = source
        self.out = out
        self.offsets: list[int] = [0]
        self.numbers: dict[tuple[int, int], int] = {}
        self.pending: deque[tuple[int, tuple[int, int]]] = deque()
        self.digest = hashlib.md5(usedforsecurity=False)
        self._emit(b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % version.encode())

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)

    def reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def ref(self, objgen: tuple[int, int]) -> int:
        """The output number of a source object, queued to be copied."""
        if objgen not in self.numbers:
            self.numbers[objgen] = self.reserve()
            self.pending.append((self.numbers[objgen], objgen))
        return self.numbers[objgen]

    def rewrite(self, text: bytes) -> bytes:
        """Source references in unparsed text become output references (strings untouched)."""
        def swap(match: re.Match) -> bytes:
            if match.group(1) is None:
                return match.group(0)
            return b"%d 0 R" % self.ref((int(match.group(1)), int(match.group(2))))
        return _REF.sub(swap, text)

    def write(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.out.tell()
        tail = b"\nstream\n%s\nendstream" % stream if stream is not None else b""
        self._emit(b"%d 0 obj\n%s%s\nendobj\n" % (number, body, tail))

    def write_stream(self, number: int, entries: bytes, data: bytes, *, compress: bool) -> None:
        """A stream with the given dictionary entries (already in output numbering)."""
        if compress:
            data = zlib.compress(data, 6)
            entries += b" /Filter /FlateDecode"
        self.write(number, b"<< %s /Length %d >>" % (entries, len(data)), data)

    def copy_pending(self) -> None:
        """Copy every queued source object (and what they refer to) as it is."""
        import pikepdf

        while self.pending:
            number, objgen = self.pending.popleft()
            obj = self.source.get_object(objgen)
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") in ("/Page", "/Pages"):
                self.write(number, b"null")  # never drag the source's page tree along
            elif isinstance(obj, pikepdf.Stream):
                raw = obj.read_raw_bytes()
                entries = pikepdf.Dictionary(obj.stream_dict)
                entries.Length = len(raw)
                self.write(number, self.rewrite(entries.unparse(resolved=True)), raw)
            else:
                self.write(number, self.rewrite(obj.unparse(resolved=True)))

    def finish(self, root: int) -> None:
        self.copy_pending()
        start = self.out.tell()
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets)]
        lines += [b"%010d 00000 n \n" % offset for offset in self.offsets[1:]]
        ident = self.digest.hexdigest().encode()
        lines.append(b"trailer\n<< /Size %d /Root %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n"
                     b"%%%%EOF\n" % (len(self.offsets), root, ident, ident, start))
        self.out.write(b"".join(lines))
