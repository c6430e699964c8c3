"""Text files from strangers: decoded by their byte-order mark or a named encoding, never guessed.

UTF-8 is the default. A UTF-8, UTF-16 or UTF-32 byte-order mark is honoured (Windows tools
write them); any other encoding must be named. A NUL character anywhere means the file is
not text, or not in the encoding it was read as.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from zinepress.errors import ZineError

_BOMS = (  # longest first: UTF-32-LE's mark begins with UTF-16-LE's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(raw: bytes, where: Path | str, encoding: str | None = None) -> str:
    """`raw` as text, or a one-line ZineError naming `where` and what to do."""
    name = encoding or "utf-8"
    if encoding is None:
        for bom, bom_encoding in _BOMS:
            if raw.startswith(bom):
                raw, name = raw[len(bom):], bom_encoding
                break
    try:
        codecs.lookup(name)
    except LookupError:
        raise ZineError(f"unknown encoding {name!r}") from None
    label = "UTF-8" if name == "utf-8" else name
    try:
        text = raw.decode(name)
    except UnicodeDecodeError as err:
        hint = ("; name its encoding with --encoding (e.g. --encoding latin-1)"
                if encoding is None else "")
        raise ZineError(f"{where}: not {label} text (invalid byte at offset {err.start}){hint}"
                        ) from None
    if "\x00" in text:
        at = text.index("\x00")
        raise ZineError(f"{where}: NUL character at offset {at}: binary data, not {label} text")
    return text.removeprefix("\ufeff")


def read_text(path: Path, limit: int, encoding: str | None = None) -> str:
    """A whole text file of at most `limit` bytes, checked before it is read."""
    if not path.is_file():
        raise ZineError(f"{path}: no such file")
    size = path.stat().st_size
    if size > limit:
        raise ZineError(f"{path}: {size / 1048576:.1f} MB is over the limit of "
                        f"{limit / 1048576:.3g} MB")
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)  # the file may have grown since stat
    if len(raw) > limit:
        raise ZineError(f"{path}: over the limit of {limit / 1048576:.3g} MB")
    return decode_text(raw, path, encoding)
