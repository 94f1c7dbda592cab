"""Selection ZIP benchmark: prints figures, asserts nothing (part of `make bench`).

Builds 50 published resources with a 20 MiB file each (1 GiB in all), puts them
in a visitor's selection and reads the ZIP the way a WSGI server would, chunk by
chunk, measuring the process's peak memory before and after.
"""

import datetime as dt
import hashlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import bench_engine  # noqa: E402

from bassin_cms import main  # noqa: E402
from bassin_cms.cli import script_request  # noqa: E402
from bassin_cms.cli.setup import migrate, seed  # noqa: E402
from bassin_cms.content.models import Document, Folder  # noqa: E402
from bassin_cms.content.services import ContentService  # noqa: E402
from bassin_cms.files.models import Blob, ResourceFile  # noqa: E402
from bassin_cms.files.storage import blob_key  # noqa: E402
from bassin_cms.selection.views import selection_zip_view  # noqa: E402

COUNT, SIZE = int(os.environ.get("ZIP_RESOURCES", 50)), int(os.environ.get("ZIP_FILE_MB", 20)) << 20


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run():
    work = Path(tempfile.mkdtemp(prefix="bassin-zip-"))
    engine, settings = bench_engine(work)
    with engine.connect() as connection:
        migrate(str(ROOT / "development.ini"), connection=connection)
    app = main({"here": str(ROOT)}, **settings, **{"bassin.engine": engine})
    storage = app.registry["blob_storage"]
    now = dt.datetime.now(dt.UTC)
    with Session(bind=engine) as session:
        seed(session)
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Kits")
        ids = []
        for i in range(COUNT):
            node = content.create(folder, Document, title=f"Kit pédagogique {i}", state="published")
            session.flush()
            data = os.urandom(1 << 20) * (SIZE >> 20)
            sha = hashlib.sha256(data).hexdigest()
            path = storage.path(blob_key(sha))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            del data
            session.execute(
                insert(Blob.__table__),
                [
                    {
                        "sha256": sha,
                        "size": SIZE,
                        "mime_type": "application/pdf",
                        "page_count": 1,
                        "extraction": "ok",
                        "has_thumbnail": False,
                        "created": now,
                    }
                ],
            )
            session.execute(
                insert(ResourceFile.__table__),
                [
                    {
                        "node_id": node.id,
                        "sha256": sha,
                        "filename": "kit.pdf",
                        "role": "main",
                        "title": "",
                        "position": 0,
                        "created": now,
                    }
                ],
            )
            ids.append(node.id)
        session.commit()
    with Session(bind=engine) as session:
        request = script_request(app.registry, thread_local=False)
        request.environ.update({"app.dbsession": session, "tm.active": True})
        request.session["selection"] = ids
        before = peak_mib()
        started = time.perf_counter()
        response = selection_zip_view(request)
        total = sum(len(chunk) for chunk in response.app_iter)
        elapsed = time.perf_counter() - started
        print(
            f"selection ZIP: {COUNT} resources, {COUNT * SIZE / 2**30:.2f} GiB of files -> {total / 2**30:.2f} GiB "
            f"streamed in {elapsed:.1f} s ({total / 2**20 / elapsed:.0f} MiB/s); "
            f"peak memory {before:.0f} MiB before, {peak_mib():.0f} MiB after"
        )
    print(f"work directory: {work} (delete it: {COUNT * SIZE / 2**30:.1f} GiB)")


if __name__ == "__main__":
    run()
