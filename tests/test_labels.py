"""What zinepress itself says in a book (contents, colophon, landmarks, the date) is in the
book's language, in print, EPUB and web alike; English where it has no words for one."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import epubcheck, make_book, run_build

from zinepress.labels import DATES, MONTHS, WORDS, long_date, words

SPANISH = ('title = "La imprenta"\nauthor = "Úrsula"\nlanguage = "es"\nmanuscript = ["m.md"]\n'
           'source = "Un cuaderno del barrio"\n')
TEXT = "## Uno\n\nLa imprenta abría a las ocho.\n\n## Dos\n\nY cerraba tarde.\n"


def test_dates_as_each_language_writes_them() -> None:
    day = dt.datetime(2014, 4, 5)
    assert long_date(day, "en") == "5 April 2014"
    assert long_date(day, "es-MX") == "5 de abril de 2014"
    assert long_date(day, "de") == "5. April 2014"
    assert long_date(dt.datetime(2014, 4, 1), "fr") == "1er avril 2014"
    assert long_date(day, "xx") == "5 April 2014" and words("xx") == words("en")


def test_every_language_has_every_word_and_month() -> None:
    assert all(set(said) == set(WORDS["en"]) for said in WORDS.values())
    assert set(MONTHS) == set(DATES) == set(WORDS)
    assert all(len(names.split()) == 12 for names in MONTHS.values())


@pytest.mark.skipif(not __import__("shutil").which("pdftotext"), reason="needs poppler-utils")
def test_a_spanish_book_says_its_own_words(tmp_path: Path) -> None:
    book = make_book(tmp_path, SPANISH, TEXT)
    out = tmp_path / "out"
    done = run_build(book, out, "--only", "pdf,epub,html")
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(out / "la-imprenta.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Índice" in text and "Contents" not in text
    assert "Fuente: Un cuaderno del barrio" in text
    assert "Compuesto en Source Serif con zinepress" in text and "de abril de 2014" in text
    with zipfile.ZipFile(out / "la-imprenta.epub") as epub:
        names = epub.namelist()
        nav = epub.read(next(n for n in names if n.endswith("nav.xhtml"))).decode()
        colophon = epub.read(next(n for n in names if n.endswith("colophon.xhtml"))).decode()
    assert "Portada" in nav and "Colofón" in nav and ">Índice</a>" in nav
    assert ">Puntos de referencia</h2>" in nav and ">Comienzo del texto</a>" in nav
    assert "<h2>Colofón</h2>" in colophon and "Hecho con zinepress" in colophon
    page = (out / "la-imprenta.html").read_text(encoding="utf-8")
    assert "Ir al índice" in page and ">Índice</h2>" in page
    assert epubcheck(out / "la-imprenta.epub").returncode == 0
