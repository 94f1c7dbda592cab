"""A PDF page turned into a JPEG, bounded by pixels, time and memory.

A 1.3 KB PDF with one 20 × 14,400 pt page took the server to 5.1 GB and
9.7 s in @@preview.jpg, for anonymous visitors, on every request: the scale
that makes a page 900 px wide made it 648,000 px tall. Here the scale also
keeps the height and the pixel count under a bound, and the render runs in a
child process with a time limit and an address-space limit, so a page that
is slow or heavy to draw costs at most RENDER_SECONDS and never the server's
memory. Run as ``python -m bassin_cms.files.render PATH WIDTH MAX_HEIGHT``.
"""

import io
import logging
import subprocess
import sys

log = logging.getLogger(__name__)

MAX_PIXELS = 12_000_000  # of the bitmap drawn, before it is reduced
RENDER_SECONDS = 10
MEMORY_BYTES = 1536 * 2**20  # the child's address space
JPEG_QUALITY = 80


def page_scale(page_width, page_height, width, max_height):
    """The scale that makes the page ``width`` pixels wide, lowered so that
    it is at most ``max_height`` tall and MAX_PIXELS in all."""
    page_width, page_height = max(page_width, 1.0), max(page_height, 1.0)
    scale = min(width / page_width, max_height / page_height)
    return min(scale, (MAX_PIXELS / (page_width * page_height)) ** 0.5)


def _render(path, width, max_height):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        scale = page_scale(page.get_width(), page.get_height(), width, max_height)
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def render_first_page(path, width, max_height=None, seconds=RENDER_SECONDS):
    """JPEG bytes of the first page of the PDF at ``path``, or None when it
    cannot be drawn within the bounds (the reason is logged)."""
    max_height = max_height or width * 3
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bassin_cms.files.render", str(path), str(width), str(max_height)],
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        log.warning("render of %s stopped after %s s", path, seconds)
        return None
    if done.returncode != 0 or not done.stdout.startswith(b"\xff\xd8"):
        log.info("no render of %s: %s", path, done.stderr.decode("utf-8", "replace")[-300:])
        return None
    return done.stdout


def main(argv):
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    path, width, max_height = argv[0], int(argv[1]), int(argv[2])
    sys.stdout.buffer.write(_render(path, width, max_height))


if __name__ == "__main__":
    main(sys.argv[1:])
