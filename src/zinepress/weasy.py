"""WeasyPrint, imported without asking the linker the same question twenty-two times.

Importing WeasyPrint opens seven C libraries (GObject, Pango, HarfBuzz...), trying up to six
names for each: Windows', macOS' and Linux' spellings, in that order. cffi hands every name
it cannot open directly to `ctypes.util.find_library`, which on Linux runs `ldconfig -p`
anew, and where that finds nothing, gcc and ld as well: 22 questions, 0.16 s of the 0.42 s
the import takes, on every build. Here the linker's cache is read once and answers them all
while WeasyPrint loads. Where `ldconfig` cannot be read, nothing changes.

A name the cache does not list is not found (gcc and ld are not asked): WeasyPrint's last
names for each library are sonames ("libpango-1.0.so.0"), which cffi opens directly, so a
library on `LD_LIBRARY_PATH` alone still loads.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cache
from types import ModuleType

from zinepress.mends import mend

LDCONFIG = "/sbin/ldconfig"  # where glibc puts it, and where `ctypes.util` looks


@cache
def linker_cache() -> bytes | None:
    """`ldconfig -p`'s listing, or None where there is none to read (not glibc's Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        listing = subprocess.run([LDCONFIG, "-p"], capture_output=True, check=True,
                                 timeout=30, env={"LC_ALL": "C", "LANG": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return listing or None


def find_library(name: str) -> str | None:
    """The soname `ctypes.util.find_library(name)` gives on Linux, from one `ldconfig -p`.
    (The dynamic loader picks the machine's own build of a soname, so the listing's ABI
    column is not needed.)"""
    listing = linker_cache()
    if listing is None:
        import ctypes.util

        return ctypes.util.find_library(name)
    found = re.search(rb"\s(lib%s\.[^\s]+)\s+\(" % re.escape(os.fsencode(name)), listing)
    return os.fsdecode(found.group(1)) if found else None


def weasyprint() -> ModuleType:
    """The `weasyprint` module, imported with `find_library` answered from one listing, its
    known bugs mended (mends.py)."""
    if "weasyprint" not in sys.modules:
        _load()
    mend()
    return sys.modules["weasyprint"]


def _load() -> None:
    import ctypes.util
    import importlib

    if linker_cache() is None:
        importlib.import_module("weasyprint")
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        importlib.import_module("weasyprint")
    finally:
        ctypes.util.find_library = original
