"""zinepress: a raw text in; a print PDF, an EPUB 3, a web page and zine booklets out."""

__version__ = "0.1.0"
