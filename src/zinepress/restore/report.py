"""The edit report: every non-trivial decision restore made, so an editor can check it fast."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    kind: str  # hyphen-joined, hyphen-kept, ligature, heading, quote, verse, furniture, ...
    line: int  # 1-based line in the input
    detail: str


def summary(decisions: list[Decision]) -> str:
    counts = Counter(d.kind for d in decisions)
    parts = [f"{n} {kind}" for kind, n in sorted(counts.items())]
    return "restore: " + (", ".join(parts) if parts else "no decisions")


def render_report(decisions: list[Decision], source: str) -> str:
    lines = [f"# Restore report for {source}", "", summary(decisions), ""]
    for kind in sorted({d.kind for d in decisions}):
        lines.append(f"## {kind}")
        lines.append("")
        for d in sorted((d for d in decisions if d.kind == kind), key=lambda d: d.line):
            lines.append(f"- line {d.line}: {d.detail}")
        lines.append("")
    return "\n".join(lines)
