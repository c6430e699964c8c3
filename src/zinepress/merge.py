"""Put a book typeset in parts back together as one tagged PDF (see units.py).

The first part (the front matter) is the base: its catalog, metadata and structure root
stay. Every later part's pages are appended; its structure elements join the base's
document element, its parent-tree keys move past the base's, its named link targets and
outline items join the base's (under the book's title, as one run would put them). Then
each page is moved to its side, and its running head and folio are drawn over it as a
pagination artifact.
"""

from __future__ import annotations

import io
import warnings

import pikepdf
from pikepdf import Array, Dictionary, Name

FURNITURE = "/ZpFurniture"  # the page's running head and folio, as a form XObject


def merge(parts: list[bytes], elsewhere: list[set[str]], shifts: list[float],
          furniture: list[bytes], dress: list[tuple[int, int] | None]) -> bytes:
    """`elsewhere`: per part, the link targets it holds only as stand-ins for another's;
    `shifts`: how far each page moves to its side; `dress`: the page of `furniture` drawn
    over each page, if any."""
    base = pikepdf.open(io.BytesIO(parts[0]))
    root = base.Root
    tree = root.StructTreeRoot
    document = _document_element(tree)
    nums = _nums(tree.ParentTree)
    names = {name: t for name, t in _names(root).items() if name not in elsewhere[0]}
    if "/Outlines" not in root:  # (a title page of the book's own layouts, without a title)
        root.Outlines = base.make_indirect(Dictionary(Type=Name.Outlines))
    outline = root.Outlines
    under = outline.Last if "/Last" in outline else None
    for data, stand_ins in zip(parts[1:], elsewhere[1:], strict=True):
        part = pikepdf.open(io.BytesIO(data))
        offset = max((key for key, _value in nums), default=-1) + 1
        start = len(base.pages)
        with warnings.catch_warnings():  # (named targets: joined below, by hand)
            warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
            base.pages.extend(part.pages)
        for page in base.pages[start:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        part_tree = part.Root.StructTreeRoot
        nums += [(key + offset, _copy(base, part, value))
                 for key, value in _nums(part_tree.ParentTree)]
        for element in _document_element(part_tree).K:
            copied = _copy(base, part, element)
            copied.P = document
            document.K.append(copied)
        for name, target in _names(part.Root).items():
            if name not in stand_ins and name not in names:
                names[name] = _copy(base, part, target)
        if "/Outlines" in part.Root and "/First" in part.Root.Outlines:
            under = _graft(base, part.Root.Outlines, under if under is not None else outline)
    tree.ParentTree = Dictionary(Nums=Array([item for key, value in sorted(
        nums, key=lambda pair: pair[0]) for item in (key, value)]))
    tree.ParentTreeNextKey = max((key for key, _value in nums), default=-1) + 1
    if names:
        root.Names = Dictionary(Dests=Dictionary(Names=Array(
            [item for name in sorted(names) for item in (pikepdf.String(name), names[name])])))
    _dress(base, shifts, furniture, dress)
    if "/First" in outline:
        _count(outline)
    else:
        del root.Outlines
    out = io.BytesIO()
    # Object streams: the structure tree's many small objects compressed together.
    base.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _copy(base: pikepdf.Pdf, part: pikepdf.Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """A part's object in the base (a direct one made indirect first, as pikepdf copies
    only those), its pages and structure elements mapped to their copies."""
    return base.copy_foreign(obj if obj.is_indirect else part.make_indirect(obj))


def _document_element(tree: pikepdf.Object) -> pikepdf.Object:
    kids = tree.K
    if isinstance(kids, Array):
        kids = kids[0]
    return kids


def _nums(parent_tree: pikepdf.Object) -> list[tuple[int, pikepdf.Object]]:
    flat = parent_tree.get("/Nums", Array())
    return [(int(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def _names(root: pikepdf.Object) -> dict[str, pikepdf.Object]:
    dests = root.get("/Names", Dictionary()).get("/Dests", Dictionary()).get("/Names", Array())
    return {str(dests[i]): dests[i + 1] for i in range(0, len(dests), 2)}


def _graft(base: pikepdf.Pdf, outlines: pikepdf.Object, parent: pikepdf.Object,
           ) -> pikepdf.Object:
    """The part's top outline items as children of `parent` (the base's book title)."""
    item = outlines.First
    while item is not None:
        nxt = item.get("/Next")
        copied = base.copy_foreign(item)
        for key in ("/Prev", "/Next"):
            if key in copied:
                del copied[key]
        copied.Parent = parent
        if "/Last" in parent:
            last = parent.Last
            last.Next = copied
            copied.Prev = last
        else:
            parent.First = copied
        parent.Last = copied
        item = nxt
    return parent


def _count(item: pikepdf.Object) -> int:
    """Recount the open descendants of every outline item, as a viewer expects."""
    visible = 0
    child = item.get("/First")
    while child is not None:
        below = _count(child)
        open_child = "/Count" not in child or int(child.Count) >= 0
        if "/First" in child:
            child.Count = below if open_child else -below
        visible += 1 + (below if open_child else 0)
        child = child.get("/Next")
    if ("/Type" in item and item.Type == Name.Outlines) or "/First" in item:
        item.Count = visible
    return visible


def _dress(base: pikepdf.Pdf, shifts: list[float], furniture: list[bytes],
           dress: list[tuple[int, int] | None]) -> None:
    """Move each page to its side (links and link targets with it) and draw its running
    head and folio over it, marked as a pagination artifact."""
    sources = [pikepdf.open(io.BytesIO(data)) for data in furniture]
    moved = {}
    for page, shift, dressing in zip(base.pages, shifts, dress, strict=True):
        if dressing is None and not shift:
            continue
        # The page's own drawing in a q/Q pair: it leaves the graphics state as it found it
        # (WeasyPrint's flips the y axis and never restores it).
        move = f" 1 0 0 1 {shift:.4f} 0 cm" if shift else ""
        page.contents_add(f"q{move}\n".encode(), prepend=True)
        page.contents_add(b"\nQ\n")
        if shift:
            moved[page.obj.objgen] = shift
            for annotation in page.obj.get("/Annots", ()):
                rect = [float(v) for v in annotation.Rect]
                annotation.Rect = Array([rect[0] + shift, rect[1], rect[2] + shift, rect[3]])
        if dressing is None:
            continue
        head = sources[dressing[0]].pages[dressing[1]]
        # Pages share one resource dictionary: this page gets its own, with its furniture.
        resources = Dictionary({key: value for key, value in page.obj.Resources.items()})
        forms = Dictionary({key: value for key, value in
                            resources.get("/XObject", Dictionary()).items()})
        forms[FURNITURE] = base.copy_foreign(head.as_form_xobject())
        resources.XObject = forms
        page.obj.Resources = resources
        page.contents_add(f"\n/Artifact <</Type /Pagination>> BDC q {FURNITURE} Do Q EMC\n"
                          .encode())
    if not moved:
        return
    for target in _destinations(base):
        if len(target) >= 3 and target[0].objgen in moved and target[1] == Name.XYZ:
            target[2] = float(target[2]) + moved[target[0].objgen]


def _destinations(base: pikepdf.Pdf):
    """Every explicit destination: named link targets and outline items."""
    dests = base.Root.get("/Names", Dictionary()).get("/Dests", Dictionary()).get(
        "/Names", Array())
    for i in range(1, len(dests), 2):
        yield dests[i]
    stack = [base.Root.get("/Outlines")]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        if "/Dest" in item and isinstance(item.Dest, Array):
            yield item.Dest
        stack += [item.get("/First"), item.get("/Next")] if "/Type" not in item or \
            item.Type != Name.Outlines else [item.get("/First")]
