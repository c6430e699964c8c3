"""Running heads and folios as artifacts in the tagged print PDF.

WeasyPrint 70 tags the text of page-margin boxes as `/Span` marked content and builds
structure elements for it, but leaves them out of the structure tree (PDF 1.7 has no
artifact element). A reader then meets marked content that belongs to nothing, and PDF/UA
requires page furniture to be an artifact. So after WeasyPrint writes the file, every marked
content sequence whose structure element the tree cannot reach becomes
`/Artifact <</Type /Pagination>>`, and its parent-tree entry is cleared.
"""

from __future__ import annotations

import io
import re
import zlib

_MARKED = re.compile(rb"/\w+\s*<<\s*/MCID (\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


def artifact_margins(data: bytes) -> bytes:
    """The PDF with its unreachable marked content (margin boxes) as pagination artifacts;
    the same bytes in, the same bytes out."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None or "/ParentTree" not in tree:
            return data
        reached = _reached(tree)
        parents = _parent_tree(tree.ParentTree)
        changed = False
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            marks = parents.get(int(key)) if key is not None else None
            if marks is None:
                continue
            orphans = {index for index, element in enumerate(marks)
                       if isinstance(element, pikepdf.Dictionary)
                       and element.objgen not in reached}
            if not orphans:
                continue
            contents = page.obj.Contents
            if not isinstance(contents, pikepdf.Stream):
                continue  # several streams: WeasyPrint writes one; leave others as they are
            stream = _MARKED.sub(
                lambda m, orphans=orphans: _PAGINATION if int(m.group(1)) in orphans
                else m.group(0), contents.read_bytes())
            contents.write(zlib.compress(stream), filter=pikepdf.Name.FlateDecode)
            for index in orphans:
                marks[index] = None
            changed = True
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _reached(tree) -> set[tuple[int, int]]:
    """The structure elements the tree reaches from its root."""
    import pikepdf

    reached = set()
    stack = [tree.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") not in ("/MCR",
                                                                                "/OBJR"):
            reached.add(node.objgen)
            if "/K" in node:
                stack.append(node.K)
    return reached


def _parent_tree(node) -> dict[int, object]:
    """A number tree's leaves: key to value, through /Kids as well as /Nums."""
    found = {}
    stack = [node]
    while stack:
        node = stack.pop()
        if "/Nums" in node:
            nums = node.Nums
            found.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)})
        if "/Kids" in node:
            stack.extend(node.Kids)
    return found
