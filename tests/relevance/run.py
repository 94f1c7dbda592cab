"""`make relevance`: the judged query set (queries.tsv) against the demo
content, as an anonymous visitor, on one search backend (RELEVANCE_BACKEND:
whoosh by default, or postgresql on the machine's server). Prints each
query's rank of its first expected resource, then one line:
``MRR 0.xxx hit@1 a/n hit@3 b/n``. Asserts nothing: test_relevance.py holds
the floor."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
QUERIES = Path(__file__).with_name("queries.tsv")
DEPTH = 10


def judged():
    out = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, expected = line.split("\t")
            out.append((query, expected.split(",")))
    return out


def demo_site(backend, var):
    """The .ini of a demo site under ``var`` (made once: initdb, load-demo)."""
    from tests.servers import cli, set_options

    ini = var / "site.ini"
    if (var / "ready").exists():
        return ini
    var.mkdir(parents=True, exist_ok=True)
    settings = {"bassin__search_backend": backend}
    if backend == "postgresql":
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        admin = make_url(os.environ.get("RELEVANCE_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "bassin_relevance" WITH (FORCE)'))
            connection.execute(text('CREATE DATABASE "bassin_relevance"'))
        engine.dispose()
        settings["sqlalchemy__url"] = admin.set(database="bassin_relevance").render_as_string(hide_password=False)
    from bassin_cms.cli.setup import site_ini

    ini = Path(site_ini(ROOT / "development.ini", var, 0))
    set_options(ini, **settings)
    cli(ini, "initdb")
    cli(ini, "load-demo")
    (var / "ready").write_text("")
    return ini


def score(ini, out=sys.stdout):
    """(MRR, hit@1, hit@3, n) of the judged set on the site of ``ini``."""
    import webtest
    from pyramid.paster import get_appsettings
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from bassin_cms import main
    from bassin_cms.content.models import Resource

    settings = dict(get_appsettings(str(ini)), **{"bassin.worker": "off", "bassin.page_cache": "false"})
    app = main({"here": str(ROOT)}, **settings)
    with Session(bind=app.registry["dbengine"]) as session:
        titles = dict(session.execute(select(Resource.legacy_id, Resource.title)).all())
    visitor = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    reciprocal, hit1, hit3, queries = 0.0, 0, 0, judged()
    for query, expected in queries:
        wanted = {titles[e] for e in expected if e in titles}
        results = visitor.get("/search.json", {"q": query}).json["results"][:DEPTH]
        rank = next((i + 1 for i, r in enumerate(results) if r["title"] in wanted), None)
        reciprocal += 1 / rank if rank else 0
        hit1 += rank == 1
        hit3 += bool(rank and rank <= 3)
        first = results[0]["title"][:60] if results else "—"
        print(f"{rank or '-':>3}  {query}  →  {first}", file=out)
    n = len(queries)
    mrr = reciprocal / n
    print(f"MRR {mrr:.3f} hit@1 {hit1}/{n} hit@3 {hit3}/{n}", file=out)
    return mrr, hit1, hit3, n


if __name__ == "__main__":
    backend = os.environ.get("RELEVANCE_BACKEND", "whoosh")
    print(f"backend: {backend}")
    score(demo_site(backend, ROOT / "var" / f"relevance-{backend}"))
