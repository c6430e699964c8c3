"""One exception type for everything a user can fix, so the CLI prints one line, not a traceback."""


class ZineError(Exception):
    """A problem with the user's input or settings; the message is shown as-is."""
