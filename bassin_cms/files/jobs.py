"""File work done by the worker, not by the upload: text, page texts,
thumbnails and previews.

Storing the bytes ends the upload (the blob is "pending"); the change that
attached it wrote a "files" row to the outbox, and this handler, in the
worker, reads the bytes from the store, extracts in a child process bounded
in time and memory (a crafted PDF cannot take the worker down), saves the
pages and images, and notes the resources as changed so that search indexes
their text and cached pages show the result.
"""

import base64
import json
import logging
import subprocess
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from .extraction import Extracted
from .models import PENDING, Blob, BlobPage, ResourceFile
from .storage import blob_key, preview_key, thumbnail_key

log = logging.getLogger(__name__)

JOB_SECONDS = 300
JOB_MEMORY_BYTES = 2048 * 2**20
# Extraction states a resource page explains (see templates/resource.pt).
FAILED = "failed"


def extract_bounded(path, mime_type, seconds=JOB_SECONDS):
    """What extraction.extract gives (with the web previews), computed in a
    child process; a child that runs out of time or memory gives
    Extracted(status="failed")."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bassin_cms.files.extraction", str(path), mime_type, str(JOB_MEMORY_BYTES)],
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        log.warning("extraction of %s stopped after %s s", path, seconds)
        return Extracted(status=FAILED, error=f"plus de {seconds} s")
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        log.warning("extraction of %s failed: %s", path, error[0])
        return Extracted(status=FAILED, error=error[0][:300])
    answer = json.loads(done.stdout)
    thumbnail = base64.b64decode(answer["thumbnail"]) if answer["thumbnail"] else None
    previews = {int(width): base64.b64decode(data) for width, data in answer["previews"].items() if data}
    return Extracted(answer["status"], answer["page_count"], answer["pages"], thumbnail, answer["error"], previews)


def pending(node_ids=None):
    """A select of the sha256 of pending blobs (of ``node_ids``' files)."""
    query = select(Blob.sha256).where(Blob.extraction == PENDING)
    if node_ids is not None:
        query = query.join(ResourceFile, ResourceFile.sha256 == Blob.sha256).where(ResourceFile.node_id.in_(node_ids))
    return query.distinct()


def process_blob(session, store, blob, seconds=JOB_SECONDS):
    """Extract a pending blob's text and images, save them, and note the
    resources that hold it as changed (reindexed, their cached pages dropped)."""
    from bassin_cms.changes.tracking import note_changed

    with store.local_path(blob_key(blob.sha256)) as path:
        extracted = extract_bounded(path, blob.mime_type, seconds)
    session.query(BlobPage).filter(BlobPage.sha256 == blob.sha256).delete()
    for number, text in enumerate(extracted.pages, start=1):
        session.add(BlobPage(sha256=blob.sha256, page=number, text=text))
    if extracted.thumbnail is not None:
        store.write_bytes(thumbnail_key(blob.sha256), extracted.thumbnail)
    for width, data in extracted.previews.items():
        store.write_bytes(preview_key(blob.sha256, width), data)
    blob.page_count = extracted.page_count
    blob.extraction = extracted.status
    blob.extraction_error = extracted.error[:500] if extracted.status in ("damaged", FAILED) else ""
    blob.has_thumbnail = extracted.thumbnail is not None
    blob.has_preview = bool(extracted.previews)
    note_changed(session, set(session.scalars(select(ResourceFile.node_id).where(ResourceFile.sha256 == blob.sha256))))


def process_pending_files(registry, node_ids):
    """The outbox handler of the "files" topic."""
    store = registry["blob_storage"]
    seconds = float(registry.settings.get("bassin.file_job_seconds", JOB_SECONDS))
    with Session(bind=registry["dbengine"]) as session:
        shas = list(session.scalars(pending(node_ids)))
    for sha256 in shas:
        # One transaction per file: a long file does not hold back the others' results.
        with Session(bind=registry["dbengine"]) as session:
            session.info["registry"] = registry  # in-transaction handlers (the PostgreSQL index)
            blob = session.get(Blob, sha256)
            if blob is None or blob.extraction != PENDING:
                continue
            process_blob(session, store, blob, seconds)
            session.commit()
