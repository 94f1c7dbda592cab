"""An S3 endpoint for tests (fixtures imported by tests/conftest.py): moto's server mode on 127.0.0.1, one process
for the session, a fresh bucket per test."""

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import free_port, wait_until_up

_buckets = itertools.count(1)
CREDENTIALS = {"bassin.s3.access_key": "testing", "bassin.s3.secret_key": "testing", "bassin.s3.region": "us-east-1"}


@pytest.fixture(scope="session")
def moto_endpoint():
    port = free_port()
    server = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/moto-api/", process)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def s3_settings(moto_endpoint):
    """Settings of an S3 store in a new, empty bucket of the moto server."""
    import boto3

    bucket = f"bassin-test-{next(_buckets)}"
    boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket=bucket)
    return {
        "bassin.blob_store": "s3",
        "bassin.s3.bucket": bucket,
        "bassin.s3.endpoint_url": moto_endpoint,
        **CREDENTIALS,
    }
