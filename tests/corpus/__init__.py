"""The restore corpus and its scorer (run `python tests/corpus` or `nox -s restore-score`)."""
