"""Text and thumbnails from files: pypdfium2 for PDF, Pillow for images.

A file that cannot be read is reported as damaged; nothing here raises on bad bytes.
"""

import base64
import io
import json
import logging
import re
import sys
from dataclasses import dataclass, field

from .render import MAX_PIXELS, render_first_page

log = logging.getLogger(__name__)

THUMBNAIL_WIDTH = 360
THUMBNAIL_QUALITY = 80
PREVIEW_WIDTH = 900  # a poster's web preview
# An image's web derivatives, for browsing the press gallery (its original is
# downloaded as it was given).
IMAGE_WIDTHS = (480, 1200)


@dataclass
class Extracted:
    status: str = "none"  # "ok", "damaged" or "none"
    page_count: int | None = None
    pages: list = field(default_factory=list)  # text of page 1, 2, ...
    thumbnail: bytes | None = None  # JPEG
    error: str = ""
    previews: dict = field(default_factory=dict)  # {width: JPEG}


def _jpeg(image, width=THUMBNAIL_WIDTH):
    image = image.convert("RGB")
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def without_running_lines(pages, edge=2, share=0.6):
    """The pages without their running headers and footers: a line among the
    first or last ``edge`` of a page that comes back (its digits aside: page
    numbers) on ``share`` of the pages or more. Search snippets then show the
    text, not "Rapport d'activité 2023 — page 12" at every turn."""
    if len(pages) < 3:
        return pages

    def key(line):
        return re.sub(r"\d+", "#", " ".join(line.split()))

    counts = {}
    for text in pages:
        lines = [line for line in text.split("\n") if line.strip()]
        for line in set(lines[:edge] + lines[-edge:]):
            counts[key(line)] = counts.get(key(line), 0) + 1
    running = {k for k, n in counts.items() if n >= share * len(pages) and k}
    if not running:
        return pages
    out = []
    for text in pages:
        lines = text.split("\n")
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edges = set(filled[:edge] + filled[-edge:])
        dropped = {i for i in edges if key(lines[i]) in running}
        if len(dropped) == len(filled):
            out.append(text)  # a page of one line (or of headers only) keeps it
        else:
            out.append("\n".join(line for i, line in enumerate(lines) if i not in dropped))
    return out


def extract_pdf(path):
    import pypdfium2 as pdfium

    result = Extracted()
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises PdfiumError and others on bad bytes
        log.info("damaged PDF %s: %s", path, exc)
        return Extracted(status="damaged", error=str(exc))
    try:
        result.page_count = len(pdf)
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_bounded() or ""
                textpage.close()
            except Exception:
                text = ""
            result.pages.append(text.replace("\r\n", "\n").replace("\x00", ""))
            page.close()
        result.pages = without_running_lines(result.pages)
        # Drawn apart, within bounds (render.py): a page can be made to cost gigabytes.
        result.thumbnail = render_first_page(path, THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 3)
        result.status = "ok"
    except Exception as exc:
        log.info("damaged PDF %s: %s", path, exc)
        return Extracted(status="damaged", error=str(exc))
    finally:
        pdf.close()
    return result


def extract_image(path):
    from PIL import Image

    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS * 4:  # read from the header, before decoding
                return Extracted(status="damaged", error=f"image trop grande ({image.width} × {image.height} px)")
            widest = max(IMAGE_WIDTHS)
            image.draft("RGB", (widest, widest * 3))  # JPEG: decoded already reduced
            image.load()
            image = _upright(image)
            previews = {w: _jpeg(image, w) for w in IMAGE_WIDTHS if w == IMAGE_WIDTHS[0] or image.width > w}
            return Extracted(status="ok", thumbnail=_jpeg(image), previews=previews)
    except Exception as exc:
        return Extracted(status="damaged", error=str(exc))


def _upright(image):
    """The image turned as its EXIF orientation says (a phone's portrait)."""
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block: keep the pixels as stored
        return image


def render_preview(path, width):
    """The first page of a PDF as a JPEG at most ``width`` pixels wide and
    three times as tall (a poster's web preview), or None when it cannot be
    drawn within the bounds of render.py."""
    return render_first_page(path, width, width * 3)


def extractable(mime_type):
    """Whether files of this type have text or images to extract."""
    return mime_type == "application/pdf" or mime_type.startswith("image/")


def extract(path, mime_type):
    if not extractable(mime_type):
        return Extracted(status="none")
    return extract_pdf(path) if mime_type == "application/pdf" else extract_image(path)


def main(argv):
    """The worker's child process (files/jobs.py): ``python -m
    bassin_cms.files.extraction PATH MIME_TYPE MEMORY_BYTES`` prints what was
    extracted, as JSON, within an address-space limit."""
    import resource

    path, mime_type, memory = argv[0], argv[1], int(argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    extracted = extract(path, mime_type)
    if mime_type == "application/pdf" and extracted.status == "ok":
        preview = render_preview(path, PREVIEW_WIDTH)
        extracted.previews = {PREVIEW_WIDTH: preview} if preview else {}

    def encoded(data):
        return base64.b64encode(data).decode("ascii") if data else None

    json.dump(
        {
            "status": extracted.status,
            "page_count": extracted.page_count,
            "pages": extracted.pages,
            "thumbnail": encoded(extracted.thumbnail),
            "previews": {str(width): encoded(data) for width, data in extracted.previews.items()},
            "error": extracted.error,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
