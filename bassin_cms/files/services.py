"""The rules of files: what is accepted, stored once, extracted, attached."""

import os
import re
import unicodedata

from sqlalchemy import func, select

from bassin_cms.params import id_param

from .checks import UploadRejected, check_upload, human_size
from .extraction import PREVIEW_WIDTH, extractable
from .jobs import pending, process_blob
from .models import PENDING, Blob, BlobPage, ResourceFile
from .storage import BlobStore, blob_key, preview_key, thumbnail_key

DEFAULT_MAX_BYTES = 200 * 1024 * 1024


# "edition": a file of one edition of a guide; "image": a picture shown in a
# dossier's article. Both belong to the resource but are listed by their kind's
# page, not among its main file and attachments.
ROLES = ("main", "attachment", "edition", "image")
LISTED_ROLES = ("main", "attachment")


def clean_filename(filename):
    """Keep the visible name of an upload, without a path or control characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f\"]", "", name).strip(" .")
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    return name


class FileService:
    def __init__(self, dbsession, storage, max_bytes=DEFAULT_MAX_BYTES):
        self.dbsession = dbsession
        self.storage = storage
        self.max_bytes = max_bytes
        self._stored = {}

    def check(self, fp, filename):
        """(size, mime type) or UploadRejected."""
        return check_upload(fp, clean_filename(filename), self.max_bytes)

    def refusal(self, fp, filename):
        """Why these bytes cannot be uploaded (a message), or None: for form validators."""
        try:
            self.check(fp, filename)
        except UploadRejected as exc:
            return exc.message
        return None

    def max_size_label(self):
        """The upload limit as people read it ("200 Mo")."""
        return human_size(self.max_bytes)

    @staticmethod
    def listed(files):
        """The files a resource's page lists (main file, attachments), not the
        ones its kind shows itself (a guide's editions, a dossier's images)."""
        return [f for f in files if f.role in LISTED_ROLES]

    def store(self, fp, filename):
        """Check and store bytes; the Blob (new or already known). Storing ends
        the upload: a PDF or an image is "pending" until the worker has read
        its text and drawn its images (jobs.py), through the outbox row its
        attachment writes (changes/tracking.py)."""
        _size, mime_type = self.check(fp, filename)
        sha256, size = self.storage.put(fp)
        blob = self.dbsession.get(Blob, sha256)
        if blob is not None:
            return blob
        blob = Blob(
            sha256=sha256,
            size=size,
            mime_type=mime_type,
            extraction=PENDING if extractable(mime_type) else "none",
            has_thumbnail=False,
        )
        self.dbsession.add(blob)
        self.dbsession.flush()
        return blob

    def process_pending(self):
        """Do the pending file work now, in this session (the worker does it in
        its own; tests that roll back use this): [processed Blob]."""
        blobs = [self.dbsession.get(Blob, sha256) for sha256 in self.dbsession.scalars(pending())]
        for blob in blobs:
            process_blob(self.dbsession, self.storage, blob)
        self.dbsession.flush()
        return blobs

    def attach(self, node, fp, filename, role="attachment", title=""):
        if role not in ROLES:
            raise ValueError(role)
        filename = clean_filename(filename)
        blob = self.store(fp, filename)
        if role == "main":
            # A resource has one main file: the new one replaces the old one.
            for old in self.files_of(node):
                if old.role == "main":
                    self.dbsession.delete(old)
        position = (
            self.dbsession.scalar(select(func.max(ResourceFile.position)).where(ResourceFile.node_id == node.id)) or 0
        ) + 1
        attached = ResourceFile(
            node_id=node.id,
            sha256=blob.sha256,
            filename=filename,
            role=role,
            title=title,
            position=0 if role == "main" else position,
            blob=blob,
        )
        self.dbsession.add(attached)
        self.dbsession.flush()
        return attached

    def attach_path(self, node, path, role="attachment", filename=None, title=""):
        with open(path, "rb") as fp:
            return self.attach(node, fp, filename or os.path.basename(path), role=role, title=title)

    def files_of(self, node):
        return list(
            self.dbsession.scalars(
                select(ResourceFile)
                .where(ResourceFile.node_id == node.id)
                .order_by(ResourceFile.role != "main", ResourceFile.position, ResourceFile.id)
            )
        )

    def main_file(self, node):
        files = self.files_of(node)
        return files[0] if files and files[0].is_main else None

    def thumbnail_file(self, node):
        """The first file of the resource that has a thumbnail, main file first."""
        for attached in self.files_of(node):
            if attached.blob.has_thumbnail:
                return attached
        return None

    def thumbnails_for(self, nodes):
        """{node id: the file whose thumbnail represents it}, in one query."""
        ids = [n.id for n in nodes]
        if not ids:
            return {}
        rows = self.dbsession.scalars(
            select(ResourceFile)
            .join(Blob, Blob.sha256 == ResourceFile.sha256)
            .where(ResourceFile.node_id.in_(ids), Blob.has_thumbnail.is_(True))
            .order_by(ResourceFile.role != "main", ResourceFile.position, ResourceFile.id)
        )
        found = {}
        for attached in rows:
            found.setdefault(attached.node_id, attached)
        return found

    def files_and_pages(self, node_ids):
        """({node id: [ResourceFile]}, {sha256: [BlobPage]}) for many nodes in two
        queries: what the search indexer needs, without a query per resource."""
        files = {}
        for attached in self.dbsession.scalars(
            select(ResourceFile)
            .where(ResourceFile.node_id.in_(node_ids))
            .order_by(ResourceFile.role != "main", ResourceFile.position, ResourceFile.id)
        ):
            files.setdefault(attached.node_id, []).append(attached)
        shas = {f.sha256 for attached in files.values() for f in attached}
        pages = {}
        if shas:
            for page in self.dbsession.scalars(
                select(BlobPage).where(BlobPage.sha256.in_(shas)).order_by(BlobPage.page)
            ):
                pages.setdefault(page.sha256, []).append(page)
        return files, pages

    def get(self, node, file_id):
        file_id = id_param(file_id)
        if file_id is None:
            return None
        return self.dbsession.scalar(
            select(ResourceFile).where(ResourceFile.id == file_id, ResourceFile.node_id == node.id)
        )

    def remove(self, attached):
        # The bytes stay: another resource may share them (content addressing).
        self.dbsession.delete(attached)
        self.dbsession.flush()

    def pages(self, sha256):
        return list(self.dbsession.scalars(select(BlobPage).where(BlobPage.sha256 == sha256).order_by(BlobPage.page)))

    @staticmethod
    def key(attached):
        """Where the file's bytes are in the store."""
        return blob_key(attached.sha256)

    def reader(self, attached):
        """A function giving the file's bytes piece by piece, as the store sends
        them (a selection's ZIP); it needs no database session, so it may run
        after the request's has closed, while the response is sent."""
        key, size = self.key(attached), attached.blob.size
        return lambda: self.storage.open_range(key, 0, size)

    def is_stored(self, attached):
        """Whether the file's bytes are in the store (a lost blob is reported,
        never served as a truncated download). Asked once per file and request:
        a remote store answers it with a request of its own."""
        known = self._stored.get(attached.sha256)
        if known is None:
            known = self._stored[attached.sha256] = self.storage.exists(attached.sha256)
        return known

    def verify_all(self, hash_bytes=True):
        """[(sha256, file names, problem)] of the blobs the database names whose
        bytes are missing or not what was stored (`check`)."""
        names = {}
        for sha256, filename in self.dbsession.execute(select(ResourceFile.sha256, ResourceFile.filename)):
            names.setdefault(sha256, []).append(filename)
        out = []
        for sha256, size in self.dbsession.execute(select(Blob.sha256, Blob.size).order_by(Blob.sha256)):
            problem = self.storage.verify(sha256, size, hash_bytes)
            if problem:
                out.append((sha256, names.get(sha256, []), problem))
        return out

    def orphans(self):
        """The sha256 of stored files that no blob row names (`check --files`)."""
        known = set(self.dbsession.scalars(select(Blob.sha256)))
        return [sha256 for sha256 in self.storage.stored() if sha256 not in known]

    @staticmethod
    def thumbnail_key(attached):
        return thumbnail_key(attached.sha256) if attached.blob.has_thumbnail else None

    def thumbnail_bytes(self, attached):
        """The JPEG thumbnail of a file (a generated PDF's picture), or None."""
        key = self.thumbnail_key(attached)
        return self.storage.read(key) if key else None

    @staticmethod
    def preview_key(attached, width=PREVIEW_WIDTH):
        """Where the larger image of a PDF's first page is (a poster's web
        preview, drawn by the worker with the thumbnail), or an image's web
        derivative of that width; None when there is none."""
        return preview_key(attached.sha256, width) if attached.blob.has_preview else None


def file_service(request):
    settings = request.registry.settings
    return FileService(
        request.dbsession,
        request.registry["blob_storage"],
        int(settings.get("bassin.upload_max_bytes", DEFAULT_MAX_BYTES)),
    )


__all__ = ["FileService", "UploadRejected", "file_service", "clean_filename", "BlobStore"]
