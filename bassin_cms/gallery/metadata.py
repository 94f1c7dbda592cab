"""The caption, credit and terms written into an image's downloaded copy.

pyexiv2 (a binding of exiv2, the library behind most photo tools; wheels on
PyPI, nothing to install from the system) writes both IPTC IIM, which press
agencies' software reads, and XMP, which everything newer reads. The copy is
made once per original and description and kept in the blob store under
``press/``, so the next download (on any server) streams it with Range and
ETag like any file; the original's own bytes are never changed.
"""

import hashlib
import json
import logging

from bassin_cms.files.storage import blob_key

log = logging.getLogger(__name__)

WRITABLE = {"image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif", "image/webp": "webp"}


def copy_key(sha256, about, extension):
    digest = hashlib.sha256(json.dumps(about, sort_keys=True).encode()).hexdigest()[:16]
    return f"press/{sha256[:2]}/{sha256}-{digest}.{extension}"


def _lang_alt(text):
    return {'lang="x-default"': text}


def with_metadata(data, about):
    """``data`` (image bytes) with IPTC and XMP fields set from ``about``."""
    import pyexiv2

    pyexiv2.set_log_level(4)  # exiv2's warnings about odd files stay out of the logs
    caption, credit, terms = about["caption"], about["credit"], about["usage_terms"]
    with pyexiv2.ImageData(data) as image:
        image.modify_iptc(
            {
                "Iptc.Envelope.CharacterSet": "\x1b%G",  # UTF-8
                "Iptc.Application2.ObjectName": about["title"][:64],
                "Iptc.Application2.Caption": caption[:2000],
                "Iptc.Application2.Credit": credit[:32],
                "Iptc.Application2.Copyright": f"© {credit}"[:128],
                "Iptc.Application2.Byline": (about["authors"] or credit)[:32],
                "Iptc.Application2.SpecialInstructions": terms[:256],
                "Iptc.Application2.Source": "Mission Bassin Minier Nord-Pas de Calais",
            }
        )
        image.modify_xmp(
            {
                "Xmp.dc.title": _lang_alt(about["title"]),
                "Xmp.dc.description": _lang_alt(caption),
                "Xmp.dc.rights": _lang_alt(f"© {credit}"),
                "Xmp.photoshop.Credit": credit,
                "Xmp.xmpRights.UsageTerms": _lang_alt(terms),
                "Xmp.xmpRights.WebStatement": about["permalink"],
                "Xmp.Iptc4xmpCore.AltTextAccessibility": _lang_alt(about["alt_text"] or caption),
            }
        )
        return image.get_bytes()


def read_metadata(data):
    """(IPTC, XMP) of image bytes, as pyexiv2 reads them (for checks and tests)."""
    import pyexiv2

    with pyexiv2.ImageData(data) as image:
        return image.read_iptc(encoding="utf-8"), image.read_xmp()


def embedded_copy(store, attached, about):
    """(key, size) of the original with ``about`` written in, made once and
    kept in the store; the original itself when its format takes no
    metadata or it could not be read (then logged)."""
    blob = attached.blob
    extension = WRITABLE.get(blob.mime_type)
    if extension is None or blob.extraction != "ok":
        return blob_key(blob.sha256), blob.size
    key = copy_key(blob.sha256, about, extension)
    size = store.size(key)
    if size is not None:
        return key, size
    try:
        data = with_metadata(store.read(blob_key(blob.sha256)), about)
    except Exception as exc:  # exiv2 raises RuntimeError and others on files it cannot write
        log.warning("no metadata written into %s: %s", blob.sha256, exc)
        return blob_key(blob.sha256), blob.size
    store.write_bytes(key, data)
    return key, len(data)
