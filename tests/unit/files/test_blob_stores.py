"""One contract for both blob stores: the local directory and S3 (moto's
server on 127.0.0.1). What one store does, the other does the same way."""

import hashlib
import io

import pytest

from bassin_cms.files.storage import blob_key, store_from_settings, thumbnail_key


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return store_from_settings({"bassin.blob_store": "local", "bassin.files_dir": str(tmp_path / "files")})
    return store_from_settings(request.getfixturevalue("s3_settings"))


def test_same_bytes_are_stored_once_under_their_sha256(store):
    data = b"%PDF-1.4 rapport annuel " * 1000
    sha256, size = store.put(io.BytesIO(data))
    assert sha256 == hashlib.sha256(data).hexdigest() and size == len(data)
    assert store.put(io.BytesIO(data)) == (sha256, size)
    assert list(store.stored()) == [sha256]
    assert store.size(blob_key(sha256)) == len(data)
    assert blob_key(sha256) == f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
    assert store.exists(sha256) and not store.exists("0" * 64)


def test_ranges_and_reads(store):
    data = bytes(range(256)) * 9000  # over one chunk of 1 MiB? no: 2.3 MB, three chunks
    sha256, _ = store.put(io.BytesIO(data))
    key = blob_key(sha256)
    assert b"".join(store.open_range(key, 0, len(data))) == data
    assert b"".join(store.open_range(key, 1000, 1010)) == data[1000:1010]
    assert b"".join(store.open_range(key, len(data) - 5, len(data))) == data[-5:]
    with store.open(key) as fp:
        fp.seek(len(data) - 3)
        assert fp.read() == data[-3:]
    with store.local_path(key) as path:
        assert path.read_bytes() == data
    with pytest.raises(FileNotFoundError):
        store.open("00/00/" + "0" * 64)
    assert store.read("00/00/" + "0" * 64) is None


def test_verify_names_what_is_wrong(store):
    sha256, size = store.put(io.BytesIO(b"contenu d'origine"))
    assert store.verify(sha256, size) is None
    assert store.verify(sha256, size + 1) == f"taille {size} au lieu de {size + 1}"
    assert store.verify("ab" * 32, 10) == "absent"
    # Bytes replaced by others of the same length: only the hash tells.
    store.write_bytes(blob_key(sha256), b"contenu d'0rigine")
    assert store.verify(sha256, size, hash_bytes=False) is None
    assert store.verify(sha256, size) == "contenu altéré (sha256 différent)"


def test_derived_objects_are_listed_apart_from_blobs(store):
    sha256, _ = store.put(io.BytesIO(b"image"))
    store.write_bytes(thumbnail_key(sha256), b"\xff\xd8vignette")
    store.write_bytes("uploads/abc/XYZ0123456.bin", b"kept")
    assert list(store.stored()) == [sha256]
    assert store.read(thumbnail_key(sha256)) == b"\xff\xd8vignette"
    assert sorted(k for k, _s, _m in store.keys("uploads/")) == ["uploads/abc/XYZ0123456.bin"]
    store.delete("uploads/abc/XYZ0123456.bin")
    assert list(store.keys("uploads/")) == []


def test_copy_to_another_store_copies_what_it_lacks(store, tmp_path):
    other = store_from_settings({"bassin.blob_store": "local", "bassin.files_dir": str(tmp_path / "other")})
    first, _ = store.put(io.BytesIO(b"un"))
    second, _ = store.put(io.BytesIO(b"deux"))
    store.write_bytes(thumbnail_key(first), b"vignette")
    other.put(io.BytesIO(b"un"))
    assert store.copy_to(other) == (2, 1)
    assert sorted(other.stored()) == sorted([first, second])
    assert other.read(thumbnail_key(first)) == b"vignette"
    assert other.copy_to(store) == (0, 3)


def test_an_s3_store_without_a_bucket_is_refused_clearly():
    with pytest.raises(ValueError, match="bassin.s3.bucket"):
        store_from_settings({"bassin.blob_store": "s3"})
    with pytest.raises(ValueError, match="expected one of local, s3"):
        store_from_settings({"bassin.blob_store": "ftp"})
