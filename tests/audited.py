"""Run the zinepress CLI with every file the Python process opens recorded.

Usage: python audited.py LOG -- zinepress arguments...
The log gets one opened path a line, so a test can prove a folder was never read.
"""

import os
import sys


def main() -> int:
    log_path, argv = sys.argv[1], sys.argv[3:]
    opened: list[str] = []

    def hook(event: str, args: tuple) -> None:
        if event in ("open", "os.listdir", "os.scandir") and args and isinstance(
                args[0], str | bytes | os.PathLike):
            opened.append(os.fsdecode(args[0]))

    sys.addaudithook(hook)
    from zinepress.cli import main as zinepress

    try:
        return zinepress(argv)
    finally:
        with open(log_path, "w") as log:
            log.write("\n".join(opened))


if __name__ == "__main__":
    sys.exit(main())
