"""Search benchmark: prints figures, asserts nothing (run with `make bench`).

Builds a synthetic catalogue of N resources (default 10,000) whose titles,
summaries and file pages are drawn from the agency's reports (../shared/seeds),
about 300 words each, spread over the vocabularies, 5 % of them drafts; indexes
it with `Indexer.rebuild` (as `bassin-cms reindex` does); then runs 50 fixed
French queries through the search service as an anonymous visitor, with facets
and snippets, and times a publish until the resource is findable.
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyramid.paster import get_appsettings
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bassin_cms import main  # noqa: E402
from bassin_cms.cli import script_request  # noqa: E402
from bassin_cms.cli.setup import migrate, seed  # noqa: E402
from bassin_cms.content.models import Document, Folder, Node, Resource, Term, resource_terms  # noqa: E402
from bassin_cms.content.services import ContentService  # noqa: E402
from bassin_cms.db import get_engine  # noqa: E402
from bassin_cms.files.models import Blob, BlobPage, ResourceFile  # noqa: E402
from bassin_cms.search.engine import postings_cache  # noqa: E402
from bassin_cms.search.indexing import Indexer  # noqa: E402
from bassin_cms.search.services import SearchParams  # noqa: E402

QUERIES = [
    "patrimoine mondial",
    "cite des electriciens",
    "forum euralens",
    "porte a connaissance",
    "SCOT lens lievin",
    "chaine des terrils",
    "ERBM",
    "renouveau du bassin minier",
    "valeur universelle exceptionnelle",
    "VUE",
    "zone tampon",
    "plan de gestion",
    "cites minieres renovation",
    "logement social bailleurs",
    "trame verte et bleue",
    "terril 74a",
    "Loos-en-Gohelle",
    "Artois Comm",
    "Wallers Arenberg",
    "Douaisis Agglo",
    "communaute d'agglomeration",
    "mission interministerielle",
    "contrat partenarial",
    "rapport d'activite",
    "conseil communautaire",
    "financeurs",
    "mobilite douce velo",
    "sports de nature",
    "tourisme itinerance",
    "mediation jeune public",
    "enseignants",
    "education artistique",
    "paysage",
    "espaces naturels",
    "biodiversite",
    "energies renouvelables photovoltaique",
    "transition ecologique",
    "sante observation sociale",
    "emploi formation",
    "gouvernance conference des territoires",
    "comite technique",
    "UNESCO",
    "DREAL DRAC",
    "architecte des batiments de France",
    '"bassin minier"',
    '"patrimoine mondial" terrils',
    "electricens",
    "renovaton thermique",
    "les",
    "2015",
]


def seed_words():
    text = " ".join(p.read_text(encoding="utf-8") for p in (ROOT.parent / "shared" / "seeds").glob("*.txt"))
    text = re.sub(r"[#*\t]+", " ", text)
    return text.split()


def build_catalogue(session, count, rng):
    words = seed_words()
    content = ContentService(session)
    root = content.root()
    folders = [content.create(root, Folder, title=f"Dossier {i}") for i in range(20)]
    terms = {
        v: list(session.scalars(select(Term.id).where(Term.vocabulary == v)))
        for v in ("theme", "territory", "audience", "kind")
    }
    session.flush()
    next_id = (session.scalar(select(Node.id).order_by(Node.id.desc()).limit(1)) or 0) + 1
    now = dt.datetime.now(dt.UTC)
    batch = 2000
    for start in range(0, count, batch):
        nodes, resources, documents, links, blobs, pages, files = [], [], [], [], [], [], []
        for i in range(start, min(count, start + batch)):
            node_id = next_id + i
            offset = rng.randrange(0, len(words) - 400)
            chunk = words[offset : offset + 300]
            title = " ".join(words[rng.randrange(0, len(words) - 8) :][: rng.randint(3, 8)])
            nodes.append(
                {
                    "id": node_id,
                    "type": "document",
                    "parent_id": rng.choice(folders).id,
                    "name": f"r{node_id}",
                    "title": title[:300],
                    "summary": " ".join(chunk[:40]),
                    "position": i,
                    "shortid": f"b{node_id}",
                    "created": now,
                    "modified": now,
                    "state": "draft" if rng.random() < 0.05 else "published",
                    "restricted": False,
                    "public_when_archived": False,
                    "version": 1,
                }
            )
            resources.append(
                {
                    "id": node_id,
                    "body": "",
                    "publisher": "Mission Bassin Minier",
                    "language": "fr",
                    "rights": "",
                    "date_year": rng.randint(2010, 2025),
                    "kind_id": rng.choice(terms["kind"]),
                }
            )
            documents.append({"id": node_id, "external_url": ""})
            for vocabulary, how_many in (("theme", 2), ("territory", 2), ("audience", 1)):
                for term_id in set(rng.sample(terms[vocabulary], how_many)):
                    links.append({"resource_id": node_id, "term_id": term_id})
            sha = hashlib.sha256(str(node_id).encode()).hexdigest()
            blobs.append(
                {
                    "sha256": sha,
                    "size": 1000,
                    "mime_type": "application/pdf",
                    "page_count": 3,
                    "extraction": "ok",
                    "has_thumbnail": False,
                    "created": now,
                }
            )
            for number in range(3):
                pages.append(
                    {
                        "sha256": sha,
                        "page": number + 1,
                        "text": " ".join(chunk[40 + number * 86 : 40 + (number + 1) * 86]),
                    }
                )
            files.append(
                {
                    "node_id": node_id,
                    "sha256": sha,
                    "filename": "document.pdf",
                    "role": "main",
                    "title": "",
                    "position": 0,
                    "created": now,
                }
            )
        for model, rows in (
            (Node, nodes),
            (Resource, resources),
            (Document, documents),
            (Blob, blobs),
            (BlobPage, pages),
            (ResourceFile, files),
        ):
            session.execute(insert(model.__table__), rows)
        session.execute(insert(resource_terms), links)
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        # Rows inserted with their ids: move the sequences past them.
        for table in ("nodes", "resource_files"):
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
    session.commit()


def anonymous_request(app, session):
    request = script_request(app.registry, thread_local=False)
    request.environ.update({"app.dbsession": session, "tm.active": True})
    return request


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def directory_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def index_size(app, work):
    if BACKEND == "postgresql":
        from sqlalchemy import text

        with app.registry["dbengine"].connect() as connection:
            return connection.scalar(
                text("SELECT pg_total_relation_size('search_documents') + pg_total_relation_size('search_words')")
            )
    return directory_size(work / "index")


BACKEND = os.environ.get("BENCH_BACKEND", "whoosh")
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def bench_database(count, fresh):
    """The URL of the benchmark's PostgreSQL database (made anew unless reused)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(POSTGRES)
    name = f"bassin_bench_{count}"
    if fresh:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False)


def bench_engine(work, count=0, fresh=True):
    """(engine on a SQLite file in ``work``, or on a PostgreSQL database with
    BENCH_BACKEND=postgresql; the app settings that go with it)."""
    settings = dict(get_appsettings(str(ROOT / "development.ini")))
    url = bench_database(count, fresh) if BACKEND == "postgresql" else f"sqlite:///{work}/bench.sqlite"
    settings.update(
        {
            "sqlalchemy.url": url,
            "bassin.var_dir": str(work),
            "bassin.search_backend": BACKEND,
            "bassin.files_dir": str(work / "files"),
            "bassin.index_dir": str(work / "index"),
            "bassin.mailer": "testing",
            "bassin.worker": "off",
            **(
                {"bassin.search_warm_words": os.environ["BENCH_WARM_WORDS"]} if "BENCH_WARM_WORDS" in os.environ else {}
            ),
        }
    )
    os.environ.pop("BASSIN_DATABASE_URL", None)
    return get_engine(settings), settings


def run(count, reuse=None):
    rng = random.Random(20261121)
    work = Path(reuse) if reuse else Path(tempfile.mkdtemp(prefix=f"bassin-bench-{count}-"))
    engine, settings = bench_engine(work, count, fresh=not reuse)
    print(f"backend: {BACKEND}")
    if reuse:
        # Another run's catalogue and index: only the queries are measured again.
        app = main({"here": str(ROOT)}, **settings, **{"bassin.engine": engine})
        app.registry["search_backend"].ensure()  # tables a newer version added
        measure_queries(app, engine)
        measure_publish(app, engine, Indexer(app.registry))
        measure_after_edits(app, engine)
        return
    with engine.connect() as connection:
        migrate(str(ROOT / "development.ini"), connection=connection)
    app = main({"here": str(ROOT)}, **settings, **{"bassin.engine": engine})
    app.registry["search_backend"].ensure()
    with Session(bind=engine) as session:
        seed(session)
        session.commit()
        started = time.perf_counter()
        build_catalogue(session, count, rng)
        print(f"catalogue: {count} resources written to the database in {time.perf_counter() - started:.1f} s")

    indexer = Indexer(app.registry)
    started = time.perf_counter()
    documents = indexer.rebuild()
    elapsed = time.perf_counter() - started
    print(
        f"reindex: {count} resources ({documents} documents with pages) in {elapsed:.1f} s "
        f"= {count / elapsed:.0f} resources/s; index size {index_size(app, work) / 2**20:.1f} MiB"
    )
    measure_queries(app, engine)
    measure_publish(app, engine, indexer)
    measure_after_edits(app, engine)
    print(f"work directory: {work} (measure the queries again with --reuse {work})")


def measure_queries(app, engine):
    with Session(bind=engine) as session:
        request = anonymous_request(app, session)
        service = request.search_service
        started = time.perf_counter()
        service.search(SearchParams(q="patrimoine"))
        print(
            "first query of the process (cold searcher and facet caches): "
            f"{1000 * (time.perf_counter() - started):.0f} ms"
        )
        backend = app.registry["search_backend"]
        if hasattr(backend, "facet_table"):
            started = time.perf_counter()
            with engine.connect() as connection:
                ready = backend.facet_table(connection, wait=True) is not None
            print(
                f"facet table{' and broad words' if getattr(backend, 'warm_words', False) else ''} read "
                f"(by a thread of its own, the first queries counting in SQL): "
                f"{1000 * (time.perf_counter() - started):.0f} ms more ({'ready' if ready else 'off'})"
            )
        postings_cache.clear()
        rounds, totals = [[], [], []], []
        for round_ in range(3):
            for q in QUERIES:
                started = time.perf_counter()
                results = service.search(SearchParams(q=q))
                rounds[round_].append(1000 * (time.perf_counter() - started))
                if round_ == 0:
                    totals.append(results.total)
        print(
            f"queries: {len(QUERIES)} French queries, top 10 with facets and snippets; "
            f"matches per query median {statistics.median(totals):.0f}, max {max(totals)}"
        )
        for label, timings in (
            ("first round (posting cache empty)", rounds[0]),
            ("rounds 2-3 (posting cache warm)", rounds[1] + rounds[2]),
            ("all 3 rounds", sum(rounds, [])),
        ):
            print(
                f"  {label}: median {statistics.median(timings):.1f} ms, "
                f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms"
            )
        print(f"  posting cache: {postings_cache.size / 2**20:.1f} MiB")


def measure_publish(app, engine, indexer):
    """Commit a new published resource and find it: from the commit for the
    PostgreSQL backend (it indexes in the transaction), from the commit
    through the worker's pass for Whoosh."""
    started = time.perf_counter()
    with Session(bind=engine, info={"registry": app.registry}) as session:
        content = ContentService(session)
        folder = session.scalar(select(Folder).where(Folder.name == "dossier-0"))
        content.create(folder, Document, title="Guide zorglubien des terrils", state="published")
        session.commit()
    app.registry["outbox_worker"].drain()
    with Session(bind=engine) as session:
        found = anonymous_request(app, session).search_service.search(SearchParams(q="zorglubien")).total
    print(f"publish: committed resource findable in {1000 * (time.perf_counter() - started):.0f} ms (found: {found})")


def measure_after_edits(app, engine, edits=20):
    """A site being edited: each query follows a committed edit of another
    resource (the PostgreSQL backend's facet table catches up first)."""
    rng = random.Random(20261207)
    # Each run's titles its own: a run on a reused index would otherwise
    # write the titles the last one wrote, which changes nothing.
    run = time.strftime("%H:%M:%S")
    with Session(bind=engine, info={"registry": app.registry}) as session:
        ids = session.scalars(select(Resource.id).where(Resource.state == "published")).all()
    timings = []
    for n in range(edits):
        with Session(bind=engine, info={"registry": app.registry}) as session:
            resource = session.get(Resource, rng.choice(ids))
            resource.title = f"{resource.title.split(' (révisé')[0]} (révisé {n}, {run})"
            session.commit()
        app.registry["outbox_worker"].drain()
        with Session(bind=engine) as session:
            service = anonymous_request(app, session).search_service
            started = time.perf_counter()
            service.search(SearchParams(q=QUERIES[n % len(QUERIES)]))
            timings.append(1000 * (time.perf_counter() - started))
    print(
        f"queries each after a committed edit ({edits}): median {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=int(os.environ.get("BENCH_DOCS", 10000)))
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        default=os.environ.get("BENCH_REUSE"),
        help="the work directory of an earlier run: measure its queries again",
    )
    arguments = parser.parse_args()
    run(arguments.docs, arguments.reuse)
