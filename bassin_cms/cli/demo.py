"""``bassin-cms load-demo``: the agency's catalogue and reports as demo content.

Reads ``bassin.demo_dir`` (../shared by default): catalogue/legacy_catalogue.json,
and seeds/*.txt described by seeds/manifest.json, each laid out as a PDF with
ReportLab and attached to its catalogue entry (by legacy_id). The PDFs are written
under var/demo and their bytes copied into the file store, so the site does not
need ../shared once loaded. Loaded once: a marker in site_state says so.
"""
import json
import os
from pathlib import Path


from bassin_cms.content.legacy import CatalogueError, LegacyImporter, load_catalogue
from bassin_cms.content.models import SiteState
from bassin_cms.content.services import ContentService
from bassin_cms.content.text import parse_partial_date
from bassin_cms.files.services import file_service
from bassin_cms.pdf.text_document import text_to_pdf

MARKER = "demo_loaded"


class DemoError(RuntimeError):
    pass


def _manifest(seeds_dir):
    try:
        return json.loads((seeds_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoError(f"Manifeste des rapports illisible : {exc}") from None


def build_seed_pdfs(seeds_dir, out_dir):
    """Lay out each report of the manifest as a PDF; [(entry, pdf path)]."""
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for entry in _manifest(seeds_dir):
        source = seeds_dir / entry["file"]
        target = out_dir / (Path(entry["file"]).stem + ".pdf")
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            text_to_pdf(
                source.read_text(encoding="utf-8"), target, title=entry["title"],
                subtitle=" — ".join(x for x in (entry.get("publisher"), entry.get("date")) if x),
                author=entry.get("publisher") or "",
            )
        built.append((entry, target))
    return built


def load(environment, force=False):
    settings = environment.settings
    demo_dir = Path(settings.get("bassin.demo_dir") or "../shared").resolve()
    catalogue_path = demo_dir / "catalogue" / "legacy_catalogue.json"
    seeds_dir = demo_dir / "seeds"

    with environment.transaction() as request:
        if not force and request.dbsession.get(SiteState, MARKER) is not None:
            yield "Contenu de démonstration déjà chargé (--force pour recharger)."
            return
        if ContentService(request.dbsession).root() is None:
            raise DemoError("Base non initialisée : lancez d'abord `bassin-cms initdb`.")

    if not catalogue_path.exists():
        raise DemoError(f"Catalogue introuvable : {catalogue_path} (réglage bassin.demo_dir).")
    try:
        entries = load_catalogue(catalogue_path)
    except CatalogueError as exc:
        raise DemoError(str(exc)) from None
    yield f"Mise en page des rapports de {seeds_dir} en PDF…"
    pdfs = build_seed_pdfs(seeds_dir, Path(settings["bassin.var_dir"]) / "demo")

    with environment.transaction() as request:
        report = LegacyImporter(request.dbsession).run(entries)
        yield from report.lines()
        content = ContentService(request.dbsession)
        files = file_service(request)
        for entry, pdf in pdfs:
            resource = content.by_legacy_id(entry["legacy_id"])
            if resource is None:
                yield f"  rapport {entry['file']} : aucune entrée {entry['legacy_id']} dans le catalogue"
                continue
            resource.title = entry["title"]
            resource.publisher = entry.get("publisher") or resource.publisher
            if entry.get("date"):
                resource.date_year, resource.date_month, resource.date_day = parse_partial_date(entry["date"])
            if files.main_file(resource) is None or force:
                attached = files.attach_path(resource, pdf, role="main", filename=os.path.basename(pdf))
                yield f"  {pdf.name} → {resource.path} ({attached.blob.page_count} pages)"
        yield from load_kinds(request)
        state = request.dbsession.get(SiteState, MARKER) or SiteState(key=MARKER)
        state.value = str(len(entries))
        request.dbsession.add(state)
    yield "Contenu de démonstration chargé."


# The entries of the terrils index that the agency's reports state (the full
# list of 78 is imported from CSV by the editors: @@import).
TERRIL_ENTRIES = (
    "N°;Nom;Communes;EPCI;Statut;Source\n"
    "74;Terril 74 (site du 11/19);Loos-en-Gohelle;CALL;classé (Chaîne des terrils);"
    "Rapport d'activité 2015 (embrasement des terrils, 27 juin 2015)\n"
    "74a;Pointe du terril 74a (site du 11/19);Loos-en-Gohelle;CALL;classé (Chaîne des terrils);"
    "Rapport d'activité 2023 (projet d'aménagement de la pointe)\n"
    "101;Terril T101;Loos-en-Gohelle;CALL;classé (Chaîne des terrils);"
    "Rapport d'activité 2015 (sortie terrain avec la DREAL et le CPIE)\n"
)


def load_kinds(request):
    """The catalogue's terrils index (mbm-0032) becomes an Index with the
    entries the reports state, and a poster is generated from it for the CALL."""
    from bassin_cms.indexes.models import IndexResource
    from bassin_cms.indexes.services import merge_columns, parse_columns

    content = request.content_service
    legacy = content.by_legacy_id("mbm-0032")
    if legacy is None or isinstance(legacy, IndexResource):
        return
    # The import made it a Document; an Index takes its place, metadata and
    # legacy id (so /r/mbm-0032 and a re-import still find it).
    folder, data = legacy.parent, {
        "summary": legacy.summary + " Démonstration : seules les 3 entrées citées dans les rapports de la Mission "
                                    "sont saisies ; la liste complète s'importe en CSV.",
        "date": (legacy.date_year, legacy.date_month, legacy.date_day) if legacy.date_year else None,
        "kind": legacy.kind_id, "publisher": legacy.publisher, "rights": legacy.rights,
        "themes": [t.id for t in legacy.terms_of("theme")], "territories": [t.id for t in legacy.terms_of("territory")],
        "audiences": [t.id for t in legacy.terms_of("audience")],
        "creators": [(a.name, a.role) for a in legacy.creators],
        "contributors": [(a.name, a.role) for a in legacy.contributors],
        "legacy_data": legacy.legacy_data,
    }
    title, name, shortid, state = legacy.title, legacy.name, legacy.shortid, legacy.state
    content.delete(legacy)
    request.dbsession.flush()
    index = content.create(folder, IndexResource, title=title, name=name, shortid=shortid, state=state,
                           columns=merge_columns([], parse_columns("N°\nNom\nCommunes\nEPCI\nStatut\nSource")),
                           entry_label="Terril")
    content.apply_metadata(index, dict(data, legacy_id="mbm-0032"))
    report = request.index_service.import_csv(index, TERRIL_ENTRIES.encode())
    yield f"  index {index.path} : {report.accepted} entrées"
    call = request.vocabulary_service.by_code("territory", "call")
    poster, count = request.poster_service.generate(index, call, folder, title="Les terrils classés de la CALL",
                                                    paper="A2")
    yield f"  affiche {poster.path} ({count} entrées, brouillon à soumettre à validation)"
