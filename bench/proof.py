"""PNG proofs of chosen pages of a PDF, for looking at the typography as a reader would.

Usage: python bench/proof.py BOOK.pdf OUTDIR [PAGES...]   (default: the first six pages)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    pdf, out = Path(sys.argv[1]), Path(sys.argv[2])
    pages = [int(p) for p in sys.argv[3:]] or list(range(1, 7))
    if not shutil.which("pdftoppm"):
        raise SystemExit("proof: pdftoppm not found (Debian: apt-get install poppler-utils)")
    out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        target = out / f"page-{page:03d}"
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(target)], check=True)
        print(f"{target}.png")


if __name__ == "__main__":
    main()
