"""Content-addressed storage: bytes live at <files_dir>/ab/cd/<sha256>."""
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

CHUNK = 1024 * 1024


class BlobStorage:
    def __init__(self, root):
        self.root = Path(root)

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
