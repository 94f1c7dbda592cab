"""Keep uploads between a failed form submission and the next one.

deform's FileUploadWidget asks for a "tmpstore"; this one keeps the bytes in
the blob store under ``uploads/<session namespace>/``, so that an editor who
made a mistake in another field does not upload a 200 MB file again, and the
next try may land on another application server. Uids are scoped to the
session: one visitor cannot pick up another's upload.
"""

import json
import re
import secrets
import threading
import time

UID_RE = re.compile(r"^[A-Z0-9]{10}$")
MAX_AGE = 24 * 3600
SWEEP_EVERY = 3600
_last_sweep = {"at": 0.0}
_sweep_lock = threading.Lock()


class UploadTempStore:
    def __init__(self, request):
        namespace = request.session.get("upload_ns")
        if not namespace:
            namespace = request.session["upload_ns"] = secrets.token_hex(12)
        self.store = request.registry["blob_storage"]
        self.prefix = f"uploads/{namespace}/"
        self.cache = {}
        self._sweep()

    def _sweep(self):
        # Forgotten uploads (abandoned forms) are removed after a day; listing a
        # bucket costs a request, so a process looks at most once an hour.
        with _sweep_lock:
            if time.monotonic() - _last_sweep["at"] < SWEEP_EVERY and _last_sweep["at"]:
                return
            _last_sweep["at"] = time.monotonic()
        limit = time.time() - MAX_AGE
        for key, _size, modified in list(self.store.keys("uploads/")):
            if modified.timestamp() < limit:
                self.store.delete(key)

    def _keys(self, uid):
        return self.prefix + f"{uid}.bin", self.prefix + f"{uid}.json"

    def __setitem__(self, uid, data):
        if not UID_RE.match(uid or ""):
            return
        data_key, meta_key = self._keys(uid)
        fp = data.get("fp")
        if fp is not None and not getattr(fp, "kept_upload", False):
            fp.seek(0)
            self.store.write(data_key, fp)
            fp.seek(0)
        meta = {k: data.get(k) for k in ("filename", "mimetype", "size", "uid")}
        if not meta.get("size") or meta["size"] < 0:
            # deform says -1 when the browser gave no length: the kept file knows.
            meta["size"] = self.store.size(data_key)
            data["size"] = meta["size"]
        self.store.write_bytes(meta_key, json.dumps(meta).encode())
        self.cache[uid] = data

    def get(self, uid, default=None):
        if uid in self.cache:
            return self.cache[uid]
        if not UID_RE.match(uid or ""):
            return default
        data_key, meta_key = self._keys(uid)
        meta = self.store.read(meta_key)
        if meta is None:
            return default
        try:
            fp = self.store.open(data_key)
        except FileNotFoundError:
            return default
        fp.kept_upload = True
        data = json.loads(meta)
        data["fp"] = fp
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
        for key in self._keys(uid):
            self.store.delete(key)
