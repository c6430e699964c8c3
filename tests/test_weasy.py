"""WeasyPrint's import: the linker's cache read once, the same libraries found."""

import ctypes.util
import subprocess
import sys

import pytest

from zinepress import weasy

# The names WeasyPrint tries for two of its libraries, in its order: found and not found.
NAMES = ["libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0",
         "libpango-1.0.dylib", "libfontconfig-1", "fontconfig", "harfbuzz",
         "libharfbuzz-vector-0.dll", "c", "m"]

linux_only = pytest.mark.skipif(weasy.linker_cache() is None, reason="no ldconfig listing")


@linux_only
@pytest.mark.parametrize("name", NAMES)
def test_answers_as_ctypes_does(name):
    assert weasy.find_library(name) == ctypes.util.find_library(name)


@linux_only
def test_finds_what_weasyprint_needs():
    assert weasy.find_library("pango-1.0") == "libpango-1.0.so.0"


COUNT = """
import sys
launched = []
sys.addaudithook(lambda event, args: launched.append(args) if event == "subprocess.Popen"
                 else None)
{load}
import ctypes.util
assert ctypes.util.find_library.__module__ == "ctypes.util"  # put back
print(len(launched))
"""


def _launches(load: str) -> int:
    out = subprocess.run([sys.executable, "-c", COUNT.format(load=load)], capture_output=True,
                         text=True, check=True)
    return int(out.stdout.split()[-1])


@linux_only
def test_one_question_to_the_linker():
    """The plain import runs a program for every name it asks about; ours runs ldconfig
    once. Counted in a fresh process, where WeasyPrint is not loaded yet."""
    assert _launches("from zinepress.weasy import weasyprint; weasyprint()") == 1
    assert _launches("import weasyprint") > 1  # (22 here; fewer where more names load)
