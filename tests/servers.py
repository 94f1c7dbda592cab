"""Real server processes (pserve + waitress, as `make serve` runs them) on a
site of their own, for the tests that stop, kill or overload a process."""

import configparser
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bassin_cms.cli.setup import site_ini

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_site(var, threads=4, **settings):
    """The path of a site .ini under ``var`` (SQLite, its own files and index),
    its database made by `bassin-cms initdb`; ``settings`` go to [app:main]
    (``bassin__worker`` for ``bassin.worker``)."""
    ini = site_ini(ROOT / "development.ini", var, free_port(), threads=threads)
    set_options(ini, **settings)
    cli(ini, "initdb")
    return ini


def set_options(ini, **settings):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini)
    parser["app:main"].update({k.replace("__", "."): str(v) for k, v in settings.items()})
    with open(ini, "w") as fp:
        parser.write(fp)


def cli(ini, *args, stdin=None):
    return subprocess.run(
        [str(BIN / "bassin-cms"), "--config", str(ini), *args], input=stdin, text=True, check=True, capture_output=True
    ).stdout


def port_of(ini):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini)
    return int(parser["server:main"]["listen"].rsplit(":", 1)[1])


def wait_until_up(url, process, log=lambda: "", seconds=30):
    """Until ``url`` answers (any status); RuntimeError with ``log()`` if
    ``process`` stops or the time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer: {log()}") from None
            time.sleep(0.2)


class Server:
    """``with Server(ini) as server:`` a running pserve; ``server.url``."""

    def __init__(self, ini):
        self.ini = Path(ini)
        self.url = f"http://127.0.0.1:{port_of(ini)}"
        self.process = None

    def start(self):
        self.log = open(self.ini.parent / "server.log", "a")
        self.process = subprocess.Popen([str(BIN / "pserve"), str(self.ini)], stdout=self.log, stderr=subprocess.STDOUT)
        wait_until_up(self.url + "/robots.txt", self.process, lambda: (self.ini.parent / "server.log").read_text())
        return self

    def stop(self, signal_name="terminate", timeout=15):
        if self.process is not None and self.process.poll() is None:
            getattr(self.process, signal_name)()
            self.process.wait(timeout)
        self.log.close()
        return self.process.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def fetch(url, headers=None, data=None, cookies=None):
    """(status, headers, body) of one request, errors included."""
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def session_cookie(headers):
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        if name == "bassin_session":
            return {name: rest.split(";", 1)[0]}
    return {}


class HTTPProxy:
    """A WSGI application that forwards each request to a running server, so
    that WebTest (its forms, cookies and redirects) drives a real process:
    ``webtest.TestApp(HTTPProxy(server.url))``."""

    def __init__(self, url):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port

    def __call__(self, environ, start_response):
        import http.client

        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_") and key not in ("HTTP_HOST", "HTTP_CONNECTION")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").title()] = environ[key]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        path = environ.get("PATH_INFO", "/") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(environ["REQUEST_METHOD"], path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in ("transfer-encoding", "connection")]
            start_response(f"{response.status} {response.reason}", kept)
            return [data]
        finally:
            connection.close()
