"""What an upload must be: not empty, not too big, and what its name says.

The type is sniffed from the bytes (the ``filetype`` library for binary formats,
a decoding test for text); the extension only says which types are acceptable.
"""

import os

import filetype

from bassin_cms.i18n import Refusal, _

SNIFF_BYTES = 8192

OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
OLE = {"application/x-ole-storage", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"}
ZIP = {"application/zip"}

# extension -> (types the sniffed bytes may have, type served to browsers)
ACCEPTED = {
    "pdf": ({"application/pdf"}, "application/pdf"),
    "jpg": ({"image/jpeg"}, "image/jpeg"),
    "jpeg": ({"image/jpeg"}, "image/jpeg"),
    "png": ({"image/png"}, "image/png"),
    "gif": ({"image/gif"}, "image/gif"),
    "webp": ({"image/webp"}, "image/webp"),
    "tif": ({"image/tiff"}, "image/tiff"),
    "tiff": ({"image/tiff"}, "image/tiff"),
    "txt": ({"text"}, "text/plain; charset=utf-8"),
    "csv": ({"text"}, "text/csv; charset=utf-8"),
    "docx": (OOXML | ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (OOXML | ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (OOXML | ZIP, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": (ODF | ZIP, "application/vnd.oasis.opendocument.text"),
    "ods": (ODF | ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (ODF | ZIP, "application/vnd.oasis.opendocument.presentation"),
    "doc": (OLE, "application/msword"),
    "xls": (OLE, "application/vnd.ms-excel"),
    "ppt": (OLE, "application/vnd.ms-powerpoint"),
    "zip": (ZIP, "application/zip"),
    "epub": ({"application/epub+zip"} | ZIP, "application/epub+zip"),
    "mp3": ({"audio/mpeg"}, "audio/mpeg"),
    "mp4": ({"video/mp4"}, "video/mp4"),
}


class UploadRejected(Refusal):
    """The message says why, for the person who uploaded."""


def human_size(size):
    if size is None:
        return ""
    value = float(size)
    for unit in ("o", "Ko", "Mo", "Go"):
        if value < 1024 or unit == "Go":
            text = f"{value:.0f}" if unit == "o" else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
        value /= 1024


def extension(filename):
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


def sniff(head):
    """The type the first bytes say, or "text", or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" not in head:
        for encoding in ("utf-8", "cp1252"):
            try:
                # the last bytes may be a cut multi-byte character
                head[: len(head) - 4 if len(head) == SNIFF_BYTES else len(head)].decode(encoding)
                return "text"
            except UnicodeDecodeError:
                continue
    return None


# What people call the types sniffed, for a refusal ("it looks like a PDF").
SNIFFED_NAMES = {
    "text": _("du texte"),
    "application/pdf": _("un PDF"),
    "application/x-ole-storage": _("un ancien document Office (.doc, .xls, .ppt)"),
    "application/zip": _("une archive ZIP ou un document Office récent"),
    "image/jpeg": _("une image JPEG"),
    "image/png": _("une image PNG"),
    "image/gif": _("une image GIF"),
    "image/webp": _("une image WebP"),
    "image/tiff": _("une image TIFF"),
    "video/mp4": _("une vidéo MP4"),
    "audio/mpeg": _("un son MP3"),
}


def sniffed_name(sniffed):
    if sniffed is None:
        return _("un format inconnu")
    return SNIFFED_NAMES.get(sniffed, sniffed)


def check_upload(fp, filename, max_bytes):
    """Check an upload; return (size, mime type to serve). The file is rewound."""
    name = (filename or "").strip()
    if not name:
        raise UploadRejected(_("Le fichier n'a pas de nom."))
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    fp.seek(0)
    if size == 0:
        raise UploadRejected(_("Le fichier « ${name} » est vide.", mapping={"name": name}))
    if max_bytes and size > max_bytes:
        raise UploadRejected(
            _(
                "Le fichier « ${name} » pèse ${size} : la limite est de ${limit}.",
                mapping={"name": name, "size": human_size(size), "limit": human_size(max_bytes)},
            )
        )
    ext = extension(name)
    if ext not in ACCEPTED:
        allowed = ", ".join(sorted(ACCEPTED))
        raise UploadRejected(
            _(
                "Le type de fichier « .${ext} » n'est pas accepté (formats acceptés : ${allowed}).",
                mapping={"ext": ext, "allowed": allowed},
            )
            if ext
            else _("Le fichier « ${name} » n'a pas d'extension (.pdf, .jpg, .docx...).", mapping={"name": name})
        )
    head = fp.read(SNIFF_BYTES)
    fp.seek(0)
    sniffed = sniff(head)
    acceptable, served = ACCEPTED[ext]
    if sniffed not in acceptable:
        raise UploadRejected(
            _(
                "Le fichier « ${name} » ne correspond pas à son extension .${ext} : son contenu est ${sniffed}. "
                "Enregistrez-le au bon format, ou donnez-lui l'extension de son format.",
                mapping={"name": name, "ext": ext, "sniffed": sniffed_name(sniffed)},
            )
        )
    return size, served
