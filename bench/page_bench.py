"""Page throughput benchmark: prints figures, asserts nothing (`make bench`).

The demo content served by pserve/waitress with 2 threads, as in production
but on its own database; next to it, in the same run and the same way, a
minimal Pyramid "hello" view on waitress with 2 threads: the ceiling of the
stack on this machine. Load comes from wrk (Debian's package, a second
process on loopback, keep-alive connections), each URL for DURATION seconds
after a warm-up; wrk's Lua hook prints the p95 latency.

First-time visitors throughout: no cookie (someone arriving from a search
engine, a QR code, a link in a PDF, a crawler), as the lines of the first
table; then the same pages for a visitor holding a session cookie (a
selection begun), which the page cache does not serve. The "304" line
repeats the resource page's request with its ETag; "search, each query new"
adds a counter to every request's address, so that none is served from the
page cache: the cost of a search itself; "search, another query" asks a
different pair of words each time (drawn from the seeds), which no cache
keyed by the words has seen.

    python bench/page_bench.py [--reuse DIR]   (DIR keeps the demo site between runs)
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DURATION = int(os.environ.get("PAGE_BENCH_SECONDS", 10))
CONNECTIONS = int(os.environ.get("PAGE_BENCH_CONNECTIONS", 8))

from bassin_cms.cli.setup import site_ini  # noqa: E402

HELLO = textwrap.dedent("""
    from pyramid.config import Configurator
    from pyramid.response import Response
    from waitress import serve
    import sys

    def hello(request):
        return Response("Hello")

    with Configurator() as config:
        config.add_route("hello", "/")
        config.add_view(hello, route_name="hello")
        app = config.make_wsgi_app()
    serve(app, listen="127.0.0.1:" + sys.argv[1], threads=2, _quiet=True)
""")

NEW_QUERY = textwrap.dedent("""
    counter = 0
    request = function()
      counter = counter + 1
      return wrk.format(nil, wrk.path .. "&n=" .. counter)
    end
""")

# Each request another query: two words drawn from the agency's reports,
# so that no cache keyed by a query's words (posting lists, term infos) has
# seen the pair (a 10 s line asks ~1,500 of them).
OTHER_QUERY = textwrap.dedent("""
    counter = 0
    queries = {%s}
    request = function()
      counter = counter + 1
      return wrk.format(nil, "/search?q=" .. queries[(counter %% #queries) + 1])
    end
""")


def word_pairs(count=6000, seed=20261207):
    """``count`` distinct two-word queries from the 400 most frequent words of
    the seeds (four letters or more), URL-encoded."""
    import collections
    import random
    import urllib.parse

    text = " ".join(p.read_text(encoding="utf-8") for p in (ROOT.parent / "shared" / "seeds").glob("*.txt"))
    words = [w for w, _n in collections.Counter(re.findall(r"[^\W\d_]{4,}", text.lower())).most_common(400)]
    rng, pairs = random.Random(seed), set()
    while len(pairs) < count:
        pairs.add(" ".join(rng.sample(words, 2)))
    queries = sorted(pairs)
    rng.shuffle(queries)
    return [urllib.parse.quote_plus(pair) for pair in queries]


P95 = textwrap.dedent("""
    done = function(summary, latency, requests)
      io.write(string.format("P95 %.3f\\n", latency:percentile(95) / 1000))
      io.write(string.format("NON2XX %d\\n", summary.errors.status))
    end
""")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process):
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"server stopped: {url}")
            time.sleep(0.2)
    raise SystemExit(f"no answer: {url}")


def cli(ini, *args):
    subprocess.run([str(BIN / "bassin-cms"), "--config", ini, *args], check=True, stdout=subprocess.DEVNULL)


def wrk(url, headers, script):
    extra = [part for name, value in headers.items() for part in ("-H", f"{name}: {value}")]
    subprocess.run(["wrk", "-t1", "-c2", "-d2s", *extra, "-s", script, url], capture_output=True)  # warm-up
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", *extra, "-s", script, url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p95 = float(re.search(r"P95 ([\d.]+)", out).group(1))
    bad = int(re.search(r"NON2XX (\d+)", out).group(1))
    return rate, p95, bad


def visit(url, cookie=None, etag=None):
    request = urllib.request.Request(url, headers={k: v for k, v in (("Cookie", cookie), ("If-None-Match", etag)) if v})
    try:
        response = urllib.request.urlopen(request)
    except urllib.error.HTTPError as exc:  # 304 is raised by urllib
        return exc.code, exc.headers
    response.read()
    return response.status, response.headers


def session_cookie(base):
    """The session cookie of a visitor who added a resource to the selection
    (the POST that creates a session, checked by its Origin)."""
    with urllib.request.urlopen(base + "/r/mbm-0024") as page:
        html = page.read().decode()
    node_id = re.search(r'name="node_id" value="(\d+)"', html).group(1)
    request = urllib.request.Request(
        base + "/selection/ajouter",
        data=f"node_id={node_id}".encode(),
        headers={"Origin": base, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        answer = urllib.request.build_opener(NoRedirect).open(request)
    except urllib.error.HTTPError as exc:  # the 303 after the POST
        answer = exc
    return answer.headers["Set-Cookie"].split(";", 1)[0]


def run(reuse=None):
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    var = Path(reuse or tempfile.mkdtemp(prefix="bassin-pages-"))
    var.mkdir(parents=True, exist_ok=True)
    port, hello_port = free_port(), free_port()
    ini = site_ini(ROOT / "development.ini", var, port, threads=2)
    if not (var / "bassin.sqlite").exists():
        started = time.perf_counter()
        cli(ini, "initdb")
        cli(ini, "load-demo")
        print(f"demo site built in {time.perf_counter() - started:.1f} s ({var})")
    script = var / "p95.lua"
    script.write_text(P95)
    fresh = var / "new-query.lua"
    fresh.write_text(NEW_QUERY + P95)
    other = var / "other-query.lua"
    other.write_text(OTHER_QUERY % ", ".join(f'"{q}"' for q in word_pairs()) + P95)
    hello_file = var / "hello.py"
    hello_file.write_text(HELLO)
    site = subprocess.Popen([str(BIN / "pserve"), ini], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hello = subprocess.Popen([sys.executable, str(hello_file), str(hello_port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/robots.txt", site)
        wait_for(f"http://127.0.0.1:{hello_port}/", hello)
        resource = urllib.request.urlopen(base + "/r/mbm-0024").url  # the VUE guide, a full page
        status, headers = visit(resource)
        assert "Set-Cookie" not in headers, "a first-time visitor got a cookie"
        etag = headers["ETag"]
        assert visit(resource, etag=etag)[0] == 304, "the repeated request was not answered 304"
        cookie = session_cookie(base)  # a visitor with a session: a selection begun
        search = base + "/search?q=cit%C3%A9s+mini%C3%A8res"
        rows = [
            ("hello (ceiling)", f"http://127.0.0.1:{hello_port}/", {}, script),
            ("home page", base + "/", {}, script),
            ("resource page", resource, {}, script),
            ("resource page, 304", resource, {"If-None-Match": etag}, script),
            ("search results", search, {}, script),
            ("search, each query new", search, {}, fresh),
            ("search, another query", base + "/search", {}, other),
            ("home, with session", base + "/", {"Cookie": cookie}, script),
            ("resource, with session", resource, {"Cookie": cookie}, script),
            ("search, with session", search, {"Cookie": cookie}, script),
        ]
        print(f"waitress 2 threads, wrk {CONNECTIONS} connections, {DURATION} s per line, {os.cpu_count()} cores")
        print(f"{'page':<22}{'req/s':>9}{'p95 ms':>9}{'of hello':>10}{'non-2xx':>9}")
        ceiling = None
        for name, url, headers, lua in rows:
            rate, p95, bad = wrk(url, headers, str(lua))
            ceiling = ceiling or rate
            print(f"{name:<22}{rate:>9.0f}{p95:>9.1f}{rate / ceiling:>10.3f}{bad:>9}")
        print(
            "targets (first-time visitor): resource and home pages >= 0.50 of hello, "
            "search results >= 0.03 (non-2xx counts the 304s)"
        )
    finally:
        for process in (site, hello):
            process.terminate()
            process.wait(10)
        if not reuse:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", help="keep the demo site in this directory between runs")
    run(parser.parse_args().reuse)
