"""Keep uploads between a failed form submission and the next one.

deform's FileUploadWidget asks for a "tmpstore"; this one writes the bytes under
<var>/uploads/<session namespace>/ so that an editor who made a mistake in another
field does not have to upload a 200 MB file again. Uids are scoped to the session:
one visitor cannot pick up another's upload.
"""

import json
import re
import secrets
import shutil
import time
from pathlib import Path

UID_RE = re.compile(r"^[A-Z0-9]{10}$")
MAX_AGE = 24 * 3600


class UploadTempStore:
    def __init__(self, request):
        namespace = request.session.get("upload_ns")
        if not namespace:
            namespace = request.session["upload_ns"] = secrets.token_hex(12)
        base = Path(request.registry.settings["bassin.var_dir"]) / "uploads"
        self.directory = base / namespace
        self.cache = {}
        self._sweep(base)

    @staticmethod
    def _sweep(base):
        # Forgotten uploads (abandoned forms) are removed after a day.
        if not base.is_dir():
            return
        limit = time.time() - MAX_AGE
        for entry in base.iterdir():
            try:
                if entry.stat().st_mtime < limit:
                    shutil.rmtree(entry, ignore_errors=True)
            except OSError:
                pass

    def _paths(self, uid):
        return self.directory / f"{uid}.bin", self.directory / f"{uid}.json"

    def __setitem__(self, uid, data):
        if not UID_RE.match(uid or ""):
            return
        data_path, meta_path = self._paths(uid)
        self.directory.mkdir(parents=True, exist_ok=True)
        fp = data.get("fp")
        if fp is not None and not (hasattr(fp, "name") and str(fp.name) == str(data_path)):
            fp.seek(0)
            with open(data_path, "wb") as out:
                shutil.copyfileobj(fp, out, 1024 * 1024)
            fp.seek(0)
        meta = {k: data.get(k) for k in ("filename", "mimetype", "size", "uid")}
        if not meta.get("size") or meta["size"] < 0:
            # deform says -1 when the browser gave no length: the kept file knows.
            meta["size"] = data_path.stat().st_size if data_path.exists() else None
            data["size"] = meta["size"]
        meta_path.write_text(json.dumps(meta))
        self.cache[uid] = data

    def get(self, uid, default=None):
        if uid in self.cache:
            return self.cache[uid]
        if not UID_RE.match(uid or ""):
            return default
        data_path, meta_path = self._paths(uid)
        if not (data_path.is_file() and meta_path.is_file()):
            return default
        data = json.loads(meta_path.read_text())
        data["fp"] = open(data_path, "rb")
        data["preview_url"] = None
        self.cache[uid] = data
        return data

    def __getitem__(self, uid):
        data = self.get(uid)
        if data is None:
            raise KeyError(uid)
        return data

    def __contains__(self, uid):
        return self.get(uid) is not None

    def preview_url(self, uid):
        return None

    def discard(self, uid):
        data = self.cache.pop(uid, None)
        if data and data.get("fp") is not None:
            try:
                data["fp"].close()
            except Exception:
                pass
        for path in self._paths(uid):
            if path.exists():
                path.unlink()
