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
                source.read_text(encoding="utf-8"),
                target,
                title=entry["title"],
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
                yield f"  {pdf.name} → {resource.path} ({attached.blob.size // 1024} Ko)"
        yield from classroom_files(content, files, Path(settings["bassin.var_dir"]) / "demo")
        yield from load_kinds(request)
        state = request.dbsession.get(SiteState, MARKER) or SiteState(key=MARKER)
        state.value = str(len(entries))
        request.dbsession.add(state)
    # The transaction's end drained the outbox: the worker read the files and
    # indexed the resources twice (before and after their text). A rebuild
    # leaves the index without the deleted documents whose statistics
    # (document frequencies) would otherwise weigh on the ranking until merged.
    from bassin_cms.search.indexing import Indexer

    count = Indexer(environment.env["registry"]).rebuild()
    yield f"Index de recherche reconstruit ({count} documents)."
    yield "Contenu de démonstration chargé."


def classroom_files(content, files, out_dir):
    """The teachers' space promises each file's format and size before the
    download: the catalogue's classroom resources came without their files,
    so each gets a one-page PDF of its notice, marked as a placeholder."""
    from sqlalchemy import true

    for resource in content.for_teachers(true()):
        if files.main_file(resource) is not None:
            continue
        target = out_dir / f"fiche-{resource.legacy_id or resource.shortid}.pdf"
        text_to_pdf(
            "[Document de démonstration : l'ancien site n'a pas transmis ce fichier ; "
            "cette fiche reprend la notice de la ressource.]\n\n" + (resource.summary or resource.title),
            target,
            title=resource.title,
            subtitle="Mission Bassin Minier Nord-Pas de Calais — fiche de démonstration",
            author="Mission Bassin Minier Nord-Pas de Calais",
        )
        attached = files.attach_path(resource, target, role="main", filename=target.name)
        yield f"  fiche de démonstration → {resource.path} ({attached.blob.page_count} page)"


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


def _take_place_of(request, legacy_id, cls, summary_note="", **attrs):
    """Replace the Document the import made of catalogue entry ``legacy_id``
    by a resource of kind ``cls`` with the same metadata, name, short id,
    state and legacy id (so /r/<legacy id> and a re-import still find it);
    None when the entry is missing or already converted."""
    content = request.content_service
    legacy = content.by_legacy_id(legacy_id)
    if legacy is None or isinstance(legacy, cls):
        return None
    folder, data = (
        legacy.parent,
        {
            "summary": legacy.summary + summary_note,
            "date": (legacy.date_year, legacy.date_month, legacy.date_day) if legacy.date_year else None,
            "kind": legacy.kind_id,
            "publisher": legacy.publisher,
            "rights": legacy.rights,
            "themes": [t.id for t in legacy.terms_of("theme")],
            "territories": [t.id for t in legacy.terms_of("territory")],
            "audiences": [t.id for t in legacy.terms_of("audience")],
            "creators": [(a.name, a.role) for a in legacy.creators],
            "contributors": [(a.name, a.role) for a in legacy.contributors],
            "legacy_data": legacy.legacy_data,
        },
    )
    title, name, shortid, state = legacy.title, legacy.name, legacy.shortid, legacy.state
    content.delete(legacy)
    request.dbsession.flush()
    resource = content.create(folder, cls, title=title, name=name, shortid=shortid, state=state, **attrs)
    content.apply_metadata(resource, dict(data, legacy_id=legacy_id))
    return resource


def load_kinds(request):
    """The catalogue's own kinds: the terrils index (mbm-0032) with the
    entries the reports state and a poster generated from it for the CALL;
    the VUE guide (mbm-0024); the D'A dossier (mbm-0031)."""
    yield from load_index(request)
    yield from load_guide(request)
    yield from load_feature(request)
    yield from load_gallery(request)


def load_index(request):
    from bassin_cms.indexes.models import IndexResource
    from bassin_cms.indexes.services import merge_columns, parse_columns

    index = _take_place_of(
        request,
        "mbm-0032",
        IndexResource,
        " Démonstration : seules les 3 entrées citées dans les rapports de la Mission sont saisies ; "
        "la liste complète s'importe en CSV.",
        columns=merge_columns([], parse_columns("N°\nNom\nCommunes\nEPCI\nStatut\nSource")),
        entry_label="Terril",
    )
    if index is None:
        return
    folder = index.parent
    report = request.index_service.import_csv(index, TERRIL_ENTRIES.encode())
    yield f"  index {index.path} : {report.accepted} entrées"
    call = request.vocabulary_service.by_code("territory", "call")
    poster, count = request.poster_service.generate(
        index, call, folder, title="Les terrils classés de la CALL", paper="A2"
    )
    yield f"  affiche {poster.path} ({count} entrées, brouillon à soumettre à validation)"


# What the agency's reports say of the VUE guide, as its chapters (the full
# text is in the guide's PDF, which the reports do not carry).
VUE_CHAPTERS = """# Ce que contient le cahier technique

Le cahier technique « Architecture, projets d'aménagement et Valeur Universelle Exceptionnelle (VUE) » \
(septembre 2021) aide à prendre en compte la VUE du Bien dans les projets d'architecture et d'aménagement. \
Sa version PDF interactive, téléchargeable, renvoie vers l'ensemble des ressources mentionnées.

# La synthèse illustrée de décembre 2023

La Mission Bassin Minier a réalisé une synthèse du cahier technique sous forme d'un poster illustré, \
imprimé en 500 exemplaires. Une pastille vidéo accompagnera la sortie de ce document début 2024.

# Qui conseille les porteurs de projet

Les unités départementales de l'architecture et du patrimoine (UDAP), les directions départementales des \
territoires et de la mer (DDTM), les conseils d'architecture, d'urbanisme et de l'environnement (CAUE) du \
Nord et du Pas-de-Calais, et la Mission Bassin Minier.

Démonstration : ces chapitres reprennent ce que disent les rapports d'activité de la Mission."""

# Only what the reports state: the agency's address; the other bodies by name.
VUE_CONTACTS = [
    {
        "name": "Mission Bassin Minier Nord-Pas de Calais",
        "address": "Carreau de Fosse 9-9bis, rue du Tordoir\nBP 16\n62590 Oignies",
        "phone": "03 21 08 72 72",
        "web": "https://www.missionbassinminier.org",
    },
    {"name": "UDAP du Nord"},
    {"name": "UDAP du Pas-de-Calais"},
    {"name": "DDTM du Nord"},
    {"name": "DDTM du Pas-de-Calais"},
    {"name": "CAUE du Nord"},
    {"name": "CAUE du Pas-de-Calais"},
]


def load_guide(request):
    from bassin_cms.guides.models import GuideResource

    guide = _take_place_of(request, "mbm-0024", GuideResource)
    if guide is None:
        return
    service = request.guide_service
    service.set_chapters(guide, VUE_CHAPTERS)
    cited = [
        ("mbm-0001", "les fondamentaux de l'inscription"),
        ("mbm-0027", ""),
        ("mbm-0028", "pour les propriétaires"),
        ("mbm-0025", "la synthèse illustrée (poster)"),
    ]
    service.set_links(
        guide,
        "\n".join(
            f"/r/{legacy_id} — {note}" if note else f"/r/{legacy_id}"
            for legacy_id, note in cited
            if request.content_service.by_legacy_id(legacy_id) is not None
        ),
    )
    contacts = [service.save_contact(None, dict(contact)) for contact in VUE_CONTACTS]
    service.set_contacts(guide, [c.id for c in contacts])
    service.add_edition(
        guide,
        "Cahier technique",
        (2021, 9, None),
        "Première édition, avec une version PDF interactive qui renvoie vers les ressources citées.",
    )
    yield (
        f"  guide {guide.path} : {len(guide.chapters)} chapitres, {len(guide.links)} ressources citées, "
        f"{len(contacts)} organismes à contacter"
    )


PLACEHOLDER = "[Texte de démonstration, à remplacer par l'article publié] "
DOSSIER_ARTICLES = [
    {
        "title": "Réussir sa transition juste : la journée du 24 mai 2022",
        "authors": "Mission Bassin Minier",
        "summary": "Pour les dix ans de l'inscription, une journée d'échanges à la Cité de l'architecture et du "
        "patrimoine, point de départ du dossier.",
        "body": PLACEHOLDER + "Le 24 mai 2022, dans le cadre de l'anniversaire des 10 ans de l'inscription du Bassin "
        "minier sur la Liste du patrimoine mondial, la Mission Bassin Minier a co-organisé une journée "
        "d'échanges à la Cité de l'architecture et du patrimoine : « Le Bassin minier du Nord-Pas de Calais : "
        "réussir sa transition juste, l'héritage comme ressource ».",
        "verbatims": [
            {
                "quotation": "[Verbatim de démonstration] Citation d'un intervenant de la journée.",
                "speaker": "Intervenant de la journée",
                "role": "fonction à compléter",
            }
        ],
    },
    {
        "title": "L'héritage comme ressource",
        "authors": "Mission Bassin Minier ; Atelier d'architecture Philippe Prost ; IPRAUS",
        "summary": "Ce que l'héritage minier apporte aux projets d'architecture et d'aménagement.",
        "body": PLACEHOLDER + "Sur la base des résultats de la journée, la Mission Bassin Minier a rédigé un dossier "
        "édité dans la revue D'A, en partenariat avec l'Atelier d'Architecture Philippe Prost et l'IPRAUS.",
        "image": (
            "Image de démonstration : emplacement d'une photographie du dossier",
            "bassin_cms, image de démonstration",
        ),
    },
]


def _placeholder_png(text):
    import io

    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (800, 450), (223, 233, 238))
    ImageDraw.Draw(picture).text((40, 200), text, fill=(31, 42, 48))
    out = io.BytesIO()
    picture.save(out, "PNG")
    out.seek(0)
    return out


def load_feature(request):
    """The D'A n°312 dossier (mbm-0031): its notice as the reports give it,
    two articles written as clearly marked placeholders."""
    from bassin_cms.features.models import FeatureResource

    feature = _take_place_of(
        request, "mbm-0031", FeatureResource, review_title="D'A — D'Architectures", issue_number="312", pages="54-105"
    )
    if feature is None:
        return
    feature.title = "Le Bassin minier du Nord-Pas de Calais : l'héritage comme ressource"
    feature.date_year, feature.date_month = 2023, 11
    feature.rights = "© D'A — D'Architectures, 2023 : le texte intégral du dossier est réservé aux partenaires."
    feature.restricted = True
    request.content_service.apply_metadata(
        feature,
        {
            "contributors": [
                (
                    "Mission Bassin Minier",
                    "compilation, rédaction, verbatims, relecture, choix iconographique, légendes, crédits",
                ),
                ("Atelier d'architecture Philippe Prost", "partenaire"),
                ("IPRAUS", "partenaire"),
            ]
        },
    )
    for article in DOSSIER_ARTICLES:
        data = {k: article.get(k, "") for k in ("title", "authors", "summary", "body")}
        data["verbatims"] = article.get("verbatims", [])
        if "image" in article:
            caption, credit = article["image"]
            data["new_image"] = {
                "image": {"fp": _placeholder_png(caption), "filename": "image-demonstration.png"},
                "caption": caption,
                "credit": credit,
                "alt": "",
            }
        request.feature_service.save_article(feature, None, data)
    yield (
        f"  dossier {feature.path} : {len(feature.articles)} articles (textes de démonstration), "
        "réservé aux partenaires"
    )


# The seeds hold no photograph: the press gallery gets plain placeholders
# with the caption printed on them. Captions and credits are those the 2023
# activity report prints under its pictures, marked as demonstration.
GALLERY_IMAGES = [
    ("Site du 9-9bis", "Mission Bassin Minier", "commune-oignies", "patrimoine-mondial"),
    ("Fosse 13bis à Bénifontaine", "Florent Burton pour ICEO Magazine", "commune-benifontaine", "patrimoine-mondial"),
    ("Visite de terrain sur la fosse 2 à Anhiers", "Mission Bassin Minier", "commune-anhiers", None),
    ("Animation ATE à Lallaing", "Douaisis Agglo", "commune-lallaing", None),
    ("Atelier TePoP à Sains-en-Gohelle", "Mission Bassin Minier", "commune-sains-en-gohelle", None),
    ("Conférence des territoires, le 3 octobre 2023", "Guillaume Theys - Mission Bassin Minier", None, None),
]
DEMO_CREDIT = "Image de démonstration"


def _placeholder_jpeg(caption, shade):
    import io

    import reportlab
    from PIL import Image, ImageDraw, ImageFont

    # Bitstream Vera, shipped with ReportLab: it has the accents (Bénifontaine).
    vera = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    picture = Image.new("RGB", (1600, 1000), shade)
    draw = ImageDraw.Draw(picture)
    draw.text((80, 420), caption, fill=(255, 255, 255), font=ImageFont.truetype(vera, 56))
    draw.text((80, 510), f"{DEMO_CREDIT} - bassin_cms", fill=(235, 235, 235), font=ImageFont.truetype(vera, 36))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    out.seek(0)
    return out


def load_gallery(request):
    """The press gallery (/phototheque): placeholder images credited "Image
    de démonstration", their captions taken from the 2023 report; one left
    in draft without a credit, one whose usage terms have ended."""
    import datetime as dt

    from bassin_cms.content.models import Folder
    from bassin_cms.gallery.models import ImageResource

    content, vocabularies = request.content_service, request.vocabulary_service
    root = content.root()
    if any(child.name == "phototheque" for child in root.children):
        return
    folder = content.create(root, Folder, title="Photothèque presse", name="phototheque")
    folder.summary = "Les images de la Mission Bassin Minier pour la presse (journalistes accrédités)."
    kind = vocabularies.by_code("kind", "image")
    for n, (caption, cited_credit, commune, theme) in enumerate(GALLERY_IMAGES):
        image = content.create(
            folder,
            ImageResource,
            title=caption,
            state="published",
            kind=kind,
            caption=f"[Légende de démonstration, reprise du rapport d'activité 2023] {caption}.",
            credit=f"{DEMO_CREDIT} (crédit cité par le rapport : © {cited_credit})",
            alt_text=f"Image de démonstration : un aplat de couleur portant la légende « {caption} ».",
            usage_terms="Usage presse, crédit obligatoire. Image de démonstration, à remplacer.",
            date_year=2023,
        )
        image.terms = [
            t
            for t in (
                vocabularies.by_code("territory", commune) if commune else None,
                vocabularies.by_code("theme", theme) if theme else None,
            )
            if t is not None
        ]
        request.file_service.attach(
            image, _placeholder_jpeg(caption, (40 + 25 * n, 70, 90)), f"demo-{n + 1}.jpg", role="main"
        )
    draft = content.create(
        folder,
        ImageResource,
        title="Image sans crédit (brouillon)",
        kind=kind,
        caption="[Démonstration] Sans crédit, cette image ne peut pas être publiée.",
    )
    request.file_service.attach(
        draft, _placeholder_jpeg("Sans crédit", (120, 120, 120)), "sans-credit.jpg", role="main"
    )
    ended = content.create(
        folder,
        ImageResource,
        title="Image aux droits échus",
        state="published",
        kind=kind,
        caption="[Démonstration] Ses droits d'utilisation ont pris fin : elle n'est plus téléchargeable.",
        credit=DEMO_CREDIT,
        usage_terms="Usage presse jusqu'à la date indiquée.",
        usage_ends=dt.date(2024, 12, 31),
        date_year=2022,
    )
    request.file_service.attach(
        ended, _placeholder_jpeg("Droits échus", (140, 60, 60)), "droits-echus.jpg", role="main"
    )
    yield f"  photothèque {folder.path} : {len(GALLERY_IMAGES) + 2} images de démonstration"
