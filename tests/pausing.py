"""Run the zinepress CLI, stopping for good at its first output's write, just before the
rename (what it keeps in its cache folder, `.zinepress-cache`, is written on).

It prints `WRITING <temporary file>` and waits on standard input, so a test can kill the
build at exactly that point: a real signal from the build, not a guess at its timing.
"""

import os
import sys

_fsync = os.fsync


def _pause(fd: int) -> None:
    _fsync(fd)
    path = os.readlink(f"/proc/self/fd/{fd}")
    if "/.zinepress-cache/" in path:
        return
    print("WRITING", path, flush=True)
    sys.stdin.read()  # until the test kills this process


os.fsync = _pause

if __name__ == "__main__":
    from zinepress.cli import main

    sys.exit(main(sys.argv[1:]))
