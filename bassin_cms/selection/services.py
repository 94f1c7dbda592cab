"""A visitor's selection: resource ids kept in the session (no account), and
what can be handed over of it: a ZIP of the files and a bibliography."""

import io
import zipfile

from bassin_cms.content.text import slugify

SESSION_KEY = "selection"
MAX_ITEMS = 100
CHUNK = 1 << 20


class Selection:
    def __init__(self, session):
        self.session = session

    def ids(self):
        return list(self.session.get(SESSION_KEY, []))

    def __contains__(self, node_id):
        return node_id in self.session.get(SESSION_KEY, [])

    def __len__(self):
        return len(self.session.get(SESSION_KEY, []))

    def add(self, node_id):
        """False when the selection is full."""
        ids = self.ids()
        if node_id in ids:
            return True
        if len(ids) >= MAX_ITEMS:
            return False
        self.session[SESSION_KEY] = ids + [node_id]
        return True

    def remove(self, node_id):
        self.session[SESSION_KEY] = [i for i in self.ids() if i != node_id]

    def clear(self):
        self.session[SESSION_KEY] = []


def archive_names(items):
    """[(resource, attached, name in the archive)]: files named after their
    resource ("plan-de-gestion.pdf", then "plan-de-gestion-2-annexe.pdf"),
    never twice the same name."""
    used, out = set(), []
    for resource, files in items:
        base = slugify(resource.title, max_length=60) or f"ressource-{resource.id}"
        for position, attached in enumerate(files):
            extension = attached.filename.rsplit(".", 1)[-1].lower() if "." in attached.filename else "bin"
            stem = (
                base if position == 0 else f"{base}-{position + 1}-{slugify(attached.filename.rsplit('.', 1)[0], 40)}"
            )
            name, n = f"{stem}.{extension}", 1
            while name in used:
                n += 1
                name = f"{stem}-{n}.{extension}"
            used.add(name)
            out.append((resource, attached, name))
    return out


class _Sink(io.RawIOBase):
    """A write-only stream that hands over what was written since last asked."""

    def __init__(self):
        self._chunks = []

    def writable(self):
        return True

    def write(self, data):
        self._chunks.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_stream(readme, entries, readme_name="LISEZMOI.txt"):
    """Yield a ZIP archive piece by piece: ``entries`` are (name, chunks, size),
    ``chunks()`` giving the file's bytes piece by piece (read from the store
    as they are sent);
    each file is copied 1 MiB at a time, so memory does not grow with the
    archive (zipfile writes data descriptors on a stream it cannot seek)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr(
            zipfile.ZipInfo(readme_name, date_time=(2026, 1, 1, 0, 0, 0)),
            readme.encode("utf-8"),
            compress_type=zipfile.ZIP_DEFLATED,
        )
        yield sink.take()
        for name, chunks, size in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.file_size = size
            # Files are stored as they are: PDF and images are compressed already.
            with archive.open(info, "w", force_zip64=size > 2**31) as target:
                for chunk in chunks():
                    target.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()


def readme_text(included, left_out, site_name):
    lines = [
        f"Sélection de ressources — {site_name}",
        "",
        "Chaque ressource avec son lien permanent et sa licence ; les fichiers suivent dans cette archive.",
        "",
    ]
    for item in included:
        lines += [
            f"* {item['title']}",
            f"  Lien : {item['permalink']}",
            f"  Licence : {item['licence'] or 'non précisée (demander à la Mission Bassin Minier)'}",
        ]
        lines += [f"  Fichier : {name}" for name in item["files"]]
        lines += [
            f"  Fichier manquant sur le serveur, non inclus : {name} (signalé à l'équipe technique ; "
            "réessayez plus tard)"
            for name in item.get("missing", [])
        ]
        if not item["files"] and not item.get("missing"):
            lines.append("  (aucun fichier téléchargeable)")
        lines.append("")
    if left_out:
        lines += [
            f"{left_out} ressource(s) de la sélection ne sont plus disponibles (retirées de la publication) "
            "et ont été laissées de côté."
        ]
    return "\r\n".join(lines) + "\r\n"
