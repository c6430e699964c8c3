"""The few words zinepress sets in a book itself, in the book's `language`: the contents'
heading, the colophon's lines, the EPUB's landmarks, the date. Languages not listed get
English; a book's own layouts may say anything they like instead."""

from __future__ import annotations

import datetime as dt

WORDS: dict[str, dict[str, str]] = {
    "en": {"contents": "Contents", "colophon": "Colophon", "source": "Source",
           "cover": "Cover", "title_page": "Title Page", "start": "Start of Text",
           "typeset_with": "Typeset in Source Serif with", "made_with": "Made with",
           "skip_contents": "Skip to the contents", "skip_text": "Skip to the text",
           "by": "by", "pages": "Pages", "print_pages": "Pages of the print edition",
           "landmarks": "Landmarks"},
    "es": {"contents": "Índice", "colophon": "Colofón", "source": "Fuente",
           "cover": "Cubierta", "title_page": "Portada", "start": "Comienzo del texto",
           "typeset_with": "Compuesto en Source Serif con", "made_with": "Hecho con",
           "skip_contents": "Ir al índice", "skip_text": "Ir al texto",
           "by": "de", "pages": "Páginas", "print_pages": "Páginas de la edición impresa",
           "landmarks": "Puntos de referencia"},
    "fr": {"contents": "Table des matières", "colophon": "Colophon", "source": "Source",
           "cover": "Couverture", "title_page": "Page de titre", "start": "Début du texte",
           "typeset_with": "Composé en Source Serif avec", "made_with": "Fait avec",
           "skip_contents": "Aller à la table des matières", "skip_text": "Aller au texte",
           "by": "par", "pages": "Pages", "print_pages": "Pages de l’édition imprimée",
           "landmarks": "Repères"},
    "de": {"contents": "Inhalt", "colophon": "Impressum", "source": "Quelle",
           "cover": "Umschlag", "title_page": "Titelseite", "start": "Textbeginn",
           "typeset_with": "Gesetzt aus der Source Serif mit", "made_with": "Erstellt mit",
           "skip_contents": "Zum Inhalt springen", "skip_text": "Zum Text springen",
           "by": "von", "pages": "Seiten", "print_pages": "Seiten der Druckausgabe",
           "landmarks": "Orientierung"},
    "it": {"contents": "Indice", "colophon": "Colophon", "source": "Fonte",
           "cover": "Copertina", "title_page": "Frontespizio", "start": "Inizio del testo",
           "typeset_with": "Composto in Source Serif con", "made_with": "Fatto con",
           "skip_contents": "Vai all’indice", "skip_text": "Vai al testo",
           "by": "di", "pages": "Pagine", "print_pages": "Pagine dell’edizione a stampa",
           "landmarks": "Punti di riferimento"},
    "pt": {"contents": "Sumário", "colophon": "Colofão", "source": "Fonte",
           "cover": "Capa", "title_page": "Folha de rosto", "start": "Início do texto",
           "typeset_with": "Composto em Source Serif com", "made_with": "Feito com",
           "skip_contents": "Ir para o sumário", "skip_text": "Ir para o texto",
           "by": "de", "pages": "Páginas", "print_pages": "Páginas da edição impressa",
           "landmarks": "Pontos de referência"},
}
MONTHS = {
    "en": "January February March April May June July August September October November "
          "December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
          "diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
          "décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November "
          "Dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
          "novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
          "dezembro",
}
DATES = {"en": "{day} {month} {year}", "es": "{day} de {month} de {year}",
         "fr": "{day} {month} {year}", "de": "{day}. {month} {year}",
         "it": "{day} {month} {year}", "pt": "{day} de {month} de {year}"}


def _language(tag: str) -> str:
    """The BCP 47 tag's language, where zinepress has its words; else English."""
    primary = (tag or "").split("-")[0].lower()
    return primary if primary in WORDS else "en"


def words(language: str) -> dict[str, str]:
    return WORDS[_language(language)]


def long_date(when: dt.datetime, language: str) -> str:
    """The date as the language writes it out: "5 April 2014", "5 de abril de 2014",
    "1er avril 2014", "5. April 2014"."""
    lang = _language(language)
    day = "1er" if lang == "fr" and when.day == 1 else str(when.day)
    return DATES[lang].format(day=day, month=MONTHS[lang].split()[when.month - 1],
                              year=when.year)
