"""Several machines on one: two application servers (pserve, production.ini's
settings) on one PostgreSQL database with the PostgreSQL search backend, one
S3 bucket (moto's server) for files, behind Debian's nginx running
deploy/nginx.conf as it ships."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bassin_cms.cli.setup import site_ini
from tests.conftest import PASSWORD, postgres_database
from tests.servers import ROOT, Server, cli, free_port, set_options, wait_until_up

SHARED_SECONDS = 2  # bassin.shared_cache_seconds: the proxy's delay, short for the test
USERS = {"reviewer": "paul.relecteur@example.org", "editor": "claire.editrice@example.org"}


def nginx_site(var, port, upstreams):
    """deploy/nginx.conf with the lines marked "# site:" set for this run, in a
    top-level nginx.conf of its own (pid, logs and temporary files in ``var``)."""
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    lines, servers = [], iter(upstreams)
    for line in shipped.splitlines():
        if "# site: cache" in line:
            line = re.sub(r"proxy_cache_path \S+", f"proxy_cache_path {var}/cache", line)
        elif "# site: application server" in line:
            line = re.sub(r"server \S+", f"server 127.0.0.1:{next(servers)}", line)
        elif "# site: listen" in line:
            line = re.sub(r"listen \S+;", f"listen 127.0.0.1:{port};", line)
        elif "# site: static" in line:
            line = re.sub(r"alias \S+;", f"alias {ROOT}/static/;", line)
        lines.append(line)
    site = var / "bassin_cms.conf"
    site.write_text("\n".join(lines) + "\n")
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = var / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {var}/nginx.pid;\nerror_log {var}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        f"  access_log {var}/access.log;\n"
        + "".join(
            f"  {kind}_temp_path {var}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {site};\n}}\n"
    )
    return main


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, moto_endpoint):
    import boto3

    bucket = "bassin-cluster"
    s3 = {"endpoint_url": moto_endpoint, "region_name": "us-east-1"}
    boto3.client("s3", aws_access_key_id="testing", aws_secret_access_key="testing", **s3).create_bucket(Bucket=bucket)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is missing: `make test-servers` installs Debian's nginx")
    var = tmp_path_factory.mktemp("cluster")
    database = postgres_database("bassin_cluster")
    proxy_port, ports = free_port(), [free_port(), free_port()]
    inis = []
    for n, port in enumerate(ports):
        home = var / f"server{n}"
        home.mkdir()
        ini = site_ini(ROOT / "production.ini", home, port)
        set_options(
            ini,
            sqlalchemy__url=database,
            bassin__search_backend="postgresql",
            bassin__files_dir=str(home / "files"),  # never used: files live in the bucket
            bassin__blob_store="s3",
            bassin__s3__bucket=bucket,
            bassin__s3__endpoint_url=moto_endpoint,
            bassin__s3__region="us-east-1",
            bassin__s3__access_key="testing",
            bassin__s3__secret_key="testing",
            bassin__session_secret="x" * 40,
            bassin__secure_cookies="false",
            bassin__public_url=f"http://127.0.0.1:{proxy_port}",
            bassin__mailer="debug",
            bassin__worker="thread" if n == 0 else "external",
            bassin__shared_cache_seconds=SHARED_SECONDS,
            bassin__hit_buffer_seconds=0,
        )
        _trust_the_proxy(ini)
        inis.append(ini)
    cli(inis[0], "initdb")
    cli(inis[0], "load-demo")
    for role, email in USERS.items():
        cli(inis[0], "create-user", email, "--role", role, "--name", role.title(), stdin=PASSWORD + "\n")
    servers = [Server(ini).start() for ini in inis]
    conf = nginx_site(var, proxy_port, ports)
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
        (var / kind).mkdir(exist_ok=True)
    check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(var)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", str(var), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{proxy_port}"
    wait_until_up(url + "/robots.txt", proxy, lambda: (var / "error.log").read_text())
    yield {"proxy": url, "servers": [s.url for s in servers], "var": var, "bucket": bucket, "s3": s3}
    proxy.terminate()
    proxy.wait(10)
    for server in servers:
        server.stop()


def _trust_the_proxy(ini):
    """production.ini's [server:main]: waitress believes X-Forwarded-* from
    127.0.0.1 only (site_ini wrote a plain one)."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini)
    parser["server:main"].update(
        {
            "trusted_proxy": "127.0.0.1",
            "trusted_proxy_headers": "x-forwarded-for x-forwarded-host x-forwarded-proto x-forwarded-port",
            "clear_untrusted_proxy_headers": "yes",
        }
    )
    with open(ini, "w") as fp:
        parser.write(fp)
