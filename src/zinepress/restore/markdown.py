"""Escape restored text so Markdown renders exactly the words of the source."""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(#|>|[-+*](?=\s)|\d+(?=[.)]\s)|=+$)")


def escape_markdown(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    match = _LINE_START.match(text)
    if match:
        token = match.group(0)
        if token[0].isdigit():
            return token + "\\" + text[len(token):]
        return "\\" + text
    return text
