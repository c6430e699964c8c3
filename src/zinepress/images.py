"""Pictures a manuscript shows: checked for place, format and size before any writer uses them.

Limits come before decoding: the file size from the file system, the pixel count from the
image header, so a decompression bomb is refused without being decompressed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from zinepress.errors import ZineError

MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
SCREEN_PIXELS = 1600  # the longest side of a picture in the EPUB and the web edition


@dataclass(frozen=True)
class Picture:
    """An image file inside the book folder, as every edition packages it."""

    path: Path
    media_type: str
    width: int
    height: int
    digest: str

    @property
    def file_name(self) -> str:
        """A name for packaging: stable, unique per content, safe in any container."""
        return f"img-{self.digest[:16]}.{EXTENSIONS[self.media_type]}"


def inspect(path: Path) -> Picture:
    """The picture at `path`, or a ZineError saying why it cannot be used."""
    from PIL import Image

    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ZineError(f"{path}: image of {size / 1048576:.0f} MB is over the "
                        f"{MAX_IMAGE_BYTES // 1048576} MB limit")
    data = path.read_bytes()
    try:
        with Image.open(path) as image:
            kind, (width, height) = image.format, image.size
            if kind not in MEDIA_TYPES:
                raise ZineError(f"{path}: {kind or 'unknown'} images are not supported; "
                                "use PNG, JPEG or GIF")
            if width * height > MAX_PIXELS or not (width and height):
                raise ZineError(f"{path}: {width} x {height} pixels is over the "
                                f"{MAX_PIXELS // 1_000_000} megapixel limit")
            image.verify()
    except ZineError:
        raise
    except Exception:  # Pillow's many ways of saying "not an image", bombs included
        raise ZineError(f"{path}: not a readable PNG, JPEG or GIF image") from None
    return Picture(path, MEDIA_TYPES[kind], width, height, hashlib.sha256(data).hexdigest())


def for_screen(picture: Picture) -> bytes:
    """The picture as the EPUB and the web edition carry it: a photo larger than a screen
    shows is scaled down to SCREEN_PIXELS on its longest side (print keeps every pixel);
    the same file always gives the same bytes."""
    data = picture.path.read_bytes()
    if max(picture.width, picture.height) <= SCREEN_PIXELS or picture.media_type == "image/gif":
        return data  # a GIF may be animated; it is kept as it is
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((SCREEN_PIXELS, SCREEN_PIXELS), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if picture.media_type == "image/jpeg":
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        else:
            image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def grayscale_uri(path: Path) -> str:
    """A picture in shades of grey, as a data URI, for booklets printed on a black-and-white
    laser printer: what the reader gets, not what the driver guesses."""
    import base64
    import io

    from PIL import Image

    with Image.open(path) as image:
        out = io.BytesIO()
        image.convert("L").save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
