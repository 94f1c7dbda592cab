"""Content-addressed storage: bytes live at <files_dir>/ab/cd/<sha256>."""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

CHUNK = 1024 * 1024


DEFAULT_MODE = 0o644


class BlobStorage:
    """``mode``: the permissions of stored files (0644: readable by a command
    line and a web server running as other users; mkstemp alone gives 0600)."""

    def __init__(self, root, mode=DEFAULT_MODE):
        self.root = Path(root)
        self.mode = mode

    def path(self, sha256):
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def thumbnail_path(self, sha256):
        return self.root / "thumbnails" / sha256[:2] / f"{sha256}.jpg"

    def preview_path(self, sha256, width):
        return self.root / "previews" / sha256[:2] / f"{sha256}-{width}.jpg"

    def exists(self, sha256):
        return self.path(sha256).is_file()

    def put(self, fp):
        """Copy a file object in; return (sha256, size). Same bytes, same file."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := fp.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            os.chmod(tmp_name, self.mode)
            sha256 = digest.hexdigest()
            target = self.path(sha256)
            if target.exists():
                os.unlink(tmp_name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, target)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise
        return sha256, size

    def put_path(self, path):
        with open(path, "rb") as fp:
            return self.put(fp)

    def copy_out(self, sha256, destination):
        shutil.copyfile(self.path(sha256), destination)

    def write_derived(self, path, data):
        """A thumbnail or preview, written whole then moved in place."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.chmod(temporary, self.mode)
        os.replace(temporary, path)

    def verify(self, sha256, size, hash_bytes=True):
        """None if the stored bytes are those named, else what is wrong."""
        path = self.path(sha256)
        try:
            found = path.stat().st_size
        except FileNotFoundError:
            return "absent"
        if found != size:
            return f"taille {found} au lieu de {size}"
        if hash_bytes:
            digest = hashlib.sha256()
            with open(path, "rb") as fp:
                while chunk := fp.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != sha256:
                return "contenu altéré (sha256 différent)"
        return None

    def stored(self):
        """The sha256 of every blob file in the store (not thumbnails or previews)."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                for path in sorted(second.iterdir()) if second.is_dir() else ():
                    if len(path.name) == 64:
                        yield path.name
