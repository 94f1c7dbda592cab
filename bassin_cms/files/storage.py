"""Where file bytes live: one interface, a local directory or an S3 bucket.

Every object has a key. A file's bytes are content-addressed at
``ab/cd/<sha256>`` (the layout of the first local store, kept as keys), and
what is made from them sits beside them: ``thumbnails/ab/<sha256>.jpg``,
``previews/ab/<sha256>-<width>.jpg``, generated PDFs under ``cache/`` and
uploads kept between a failed form and the next try under ``uploads/``. All
of it is in the store, so that the next request may land on another server.

A store implements the primitives (write, read, open, size, delete, keys,
open_range, local_path, download_url); the sha256 layout, the verification
and the derived images are written once here, on top of them.
"""

import contextlib
import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

CHUNK = 1024 * 1024
DEFAULT_MODE = 0o644


def blob_key(sha256):
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def thumbnail_key(sha256):
    return f"thumbnails/{sha256[:2]}/{sha256}.jpg"


def preview_key(sha256, width):
    return f"previews/{sha256[:2]}/{sha256}-{width}.jpg"


def is_blob_key(key):
    parts = key.split("/")
    return len(parts) == 3 and len(parts[0]) == 2 and len(parts[1]) == 2 and len(parts[2]) == 64


class BlobStore:
    """The shared part; subclasses give the primitives."""

    kind = ""

    # --- primitives (subclasses) ----------------------------------------------
    def write(self, key, fp):
        """Store the bytes read from ``fp`` at ``key``, whole or not at all."""
        raise NotImplementedError

    def open(self, key):
        """A readable, seekable binary file of the object; FileNotFoundError if absent."""
        raise NotImplementedError

    def size(self, key):
        """The object's size in bytes, or None if it is absent."""
        raise NotImplementedError

    def delete(self, key):
        raise NotImplementedError

    def keys(self, prefix=""):
        """(key, size, modified datetime) of every object whose key starts with ``prefix``."""
        raise NotImplementedError

    def open_range(self, key, start, stop):
        """The bytes [start, stop) of the object, as an iterator of chunks."""
        raise NotImplementedError

    @contextlib.contextmanager
    def local_path(self, key):
        """A path on this machine holding the object's bytes, for the tools that
        need one (PDF text, thumbnails); a temporary copy where the store is remote."""
        raise NotImplementedError
        yield

    def download_url(self, key, filename_header, content_type, seconds=300):
        """A URL the browser may fetch the object from directly (a presigned
        S3 address), or None when downloads go through the application."""
        return None

    def describe(self):
        return self.kind

    # --- shared ----------------------------------------------------------------
    def read(self, key):
        """The object's bytes, or None if it is absent (small objects only)."""
        try:
            with self.open(key) as fp:
                return fp.read()
        except FileNotFoundError:
            return None

    def write_bytes(self, key, data):
        self.write(key, io.BytesIO(data))

    def put(self, fp):
        """Copy a file object in; return (sha256, size). Same bytes, same object:
        the bytes are hashed while spooled to a local temporary file, then stored
        under their name unless already there."""
        digest = hashlib.sha256()
        size = 0
        with tempfile.TemporaryFile() as spool:
            while chunk := fp.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            sha256 = digest.hexdigest()
            if self.size(blob_key(sha256)) != size:
                spool.seek(0)
                self.write(blob_key(sha256), spool)
        return sha256, size

    def exists(self, sha256):
        return self.size(blob_key(sha256)) is not None

    def verify(self, sha256, size, hash_bytes=True):
        """None if the stored bytes are those named, else what is wrong."""
        found = self.size(blob_key(sha256))
        if found is None:
            return "absent"
        if found != size:
            return f"taille {found} au lieu de {size}"
        if hash_bytes:
            digest = hashlib.sha256()
            for chunk in self.open_range(blob_key(sha256), 0, size):
                digest.update(chunk)
            if digest.hexdigest() != sha256:
                return "contenu altéré (sha256 différent)"
        return None

    def stored(self):
        """The sha256 of every file's bytes in the store (not what is made from them)."""
        for key, _size, _modified in self.keys(""):
            if is_blob_key(key):
                yield key.rsplit("/", 1)[1]

    def copy_to(self, other, prefix="", progress=None):
        """Copy every object (under ``prefix``) that ``other`` lacks or holds
        with another size; returns (copied, already there)."""
        copied = present = 0
        for key, size, _modified in self.keys(prefix):
            if other.size(key) == size:
                present += 1
            else:
                with self.open(key) as fp:
                    other.write(key, fp)
                copied += 1
            if progress:
                progress(key)
        return copied, present


class LocalBlobStore(BlobStore):
    """A directory of this machine (or a shared mount). ``mode``: the
    permissions of stored files (0644: readable by a command line and a web
    server running as other users; mkstemp alone gives 0600)."""

    kind = "local"

    def __init__(self, root, mode=DEFAULT_MODE):
        self.root = Path(root)
        self.mode = mode

    def describe(self):
        return f"local {self.root}"

    def path(self, key):
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"key outside the store: {key!r}")
        return path

    @contextlib.contextmanager
    def _temporary(self):
        """(file, its path): a temporary file in the store, removed unless
        moved in place meanwhile (_move_in)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                yield out, name
        finally:
            if os.path.exists(name):
                os.unlink(name)

    def _move_in(self, out, name, key):
        out.flush()
        os.chmod(name, self.mode)
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(name, target)

    def write(self, key, fp):
        with self._temporary() as (out, name):
            shutil.copyfileobj(fp, out, CHUNK)
            self._move_in(out, name, key)

    def put(self, fp):
        """As BlobStore.put, in one copy: hashed while written beside its place,
        then renamed (a 200 MB upload is not written twice)."""
        digest = hashlib.sha256()
        size = 0
        with self._temporary() as (out, name):
            while chunk := fp.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            sha256 = digest.hexdigest()
            if self.size(blob_key(sha256)) != size:
                self._move_in(out, name, blob_key(sha256))
        return sha256, size

    def open(self, key):
        return open(self.path(key), "rb")

    def size(self, key):
        try:
            path = self.path(key)
            return path.stat().st_size if path.is_file() else None
        except (OSError, ValueError):
            return None

    def delete(self, key):
        self.path(key).unlink(missing_ok=True)

    def keys(self, prefix=""):
        if not self.root.is_dir():
            return
        base = self.root.resolve()
        for directory, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                if name.startswith(".upload-") or name.endswith(".tmp"):
                    continue
                path = Path(directory) / name
                key = path.relative_to(base).as_posix()
                if key.startswith(prefix):
                    stat = path.stat()
                    yield key, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)

    def open_range(self, key, start, stop):
        with self.open(key) as fp:
            fp.seek(start)
            left = stop - start
            while left > 0:
                chunk = fp.read(min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk

    @contextlib.contextmanager
    def local_path(self, key):
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        yield path


class _KeptOpen:
    """A file whose close() does nothing (see S3BlobStore.write)."""

    def __init__(self, fp):
        self._fp = fp

    def __getattr__(self, name):
        return getattr(self._fp, name)

    def close(self):
        pass


class S3BlobStore(BlobStore):
    """An S3-compatible bucket (AWS, MinIO, Garage, OVH, Scaleway…) through boto3.
    Credentials come from the settings or boto3's usual chain (environment,
    ~/.aws, instance role)."""

    kind = "s3"

    def __init__(self, bucket, prefix="", client=None, presigned_downloads=False, **client_options):
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or boto3.client("s3", **{k: v for k, v in client_options.items() if v})
        self.presigned_downloads = presigned_downloads

    def describe(self):
        return f"s3://{self.bucket}/{self.prefix}"

    def _key(self, key):
        return self.prefix + key

    @staticmethod
    def _absent(exc):
        code = exc.response.get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound")

    def write(self, key, fp):
        # upload_fileobj sends big files in parts, several at a time. It closes
        # the caller's file after a single-part upload (boto/s3transfer#80);
        # a kept upload is read again afterwards, so it gets a shield.
        self.client.upload_fileobj(_KeptOpen(fp), self.bucket, self._key(key))

    def open(self, key):
        from botocore.exceptions import ClientError

        spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)
        try:
            self.client.download_fileobj(self.bucket, self._key(key), spool)
        except ClientError as exc:
            spool.close()
            if self._absent(exc):
                raise FileNotFoundError(key) from exc
            raise
        spool.seek(0)
        return spool

    def size(self, key):
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"]
        except ClientError as exc:
            if self._absent(exc):
                return None
            raise

    def delete(self, key):
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def keys(self, prefix=""):
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix)):
            for item in page.get("Contents", ()):
                yield item["Key"][len(self.prefix) :], item["Size"], item["LastModified"]

    def open_range(self, key, start, stop):
        if stop <= start:
            return
        answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key), Range=f"bytes={start}-{stop - 1}")
        body = answer["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    @contextlib.contextmanager
    def local_path(self, key):
        from botocore.exceptions import ClientError

        with tempfile.TemporaryDirectory(prefix="bassin-blob-") as directory:
            path = Path(directory) / key.rsplit("/", 1)[-1]
            try:
                self.client.download_file(self.bucket, self._key(key), str(path))
            except ClientError as exc:
                if self._absent(exc):
                    raise FileNotFoundError(key) from exc
                raise
            yield path

    def download_url(self, key, filename_header, content_type, seconds=300):
        if not self.presigned_downloads:
            return None
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self._key(key),
                "ResponseContentDisposition": filename_header,
                "ResponseContentType": content_type,
            },
            ExpiresIn=seconds,
        )


STORES = ("local", "s3")


def store_from_settings(settings):
    """The store the .ini names: ``bassin.blob_store = local`` (the default,
    in ``bassin.files_dir``) or ``s3`` with ``bassin.s3.bucket`` and
    optionally ``bassin.s3.endpoint_url``, ``bassin.s3.region``,
    ``bassin.s3.prefix``, ``bassin.s3.access_key``/``secret_key`` and
    ``bassin.s3.presigned_downloads``."""
    from pyramid.settings import asbool

    kind = settings.get("bassin.blob_store", "local")
    if kind == "local":
        return LocalBlobStore(settings["bassin.files_dir"], mode=int(str(settings.get("bassin.file_mode", "0644")), 8))
    if kind == "s3":
        bucket = settings.get("bassin.s3.bucket")
        if not bucket:
            raise ValueError("bassin.blob_store = s3 needs bassin.s3.bucket (the bucket's name)")
        return S3BlobStore(
            bucket,
            prefix=settings.get("bassin.s3.prefix", ""),
            presigned_downloads=asbool(settings.get("bassin.s3.presigned_downloads", False)),
            endpoint_url=settings.get("bassin.s3.endpoint_url"),
            region_name=settings.get("bassin.s3.region"),
            aws_access_key_id=settings.get("bassin.s3.access_key"),
            aws_secret_access_key=settings.get("bassin.s3.secret_key"),
        )
    raise ValueError(f"bassin.blob_store = {kind!r}: expected one of {', '.join(STORES)}")
