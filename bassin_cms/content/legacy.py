"""Import of the old site's catalogue (legacy_catalogue.json).

Free-text kinds, territories, themes and audiences are mapped onto the vocabularies;
every value that could not be mapped is reported, and the whole legacy record is
kept on the resource (``legacy_data``) so nothing is lost. Importing again updates
the resources, keyed by legacy_id; a resource an editor has moved stays where it is.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from .models import Document, Folder
from .services import ContentService
from .text import parse_agents
from .vocabularies import VocabularyService

# Where imported resources are filed, by the code of their kind.
FOLDERS = [
    (
        "etudes-et-rapports",
        "Études et rapports",
        {"etude", "rapport", "synthese", "plan-schema", "convention", "presentation"},
    ),
    ("guides-et-index", "Guides, cahiers techniques et index", {"guide", "index"}),
    (
        "mediation",
        "Médiation, pédagogie et expositions",
        {"pedagogique", "exposition", "video-audio", "signaletique", "poster"},
    ),
    ("communication", "Communication et presse", {"presse", "communication", "dossier-revue"}),
    ("donnees-et-outils", "Cartes, données et outils numériques", {"carte-donnees", "outil-numerique"}),
]
UNFILED = ("a-classer", "À classer")
RESOURCES_FOLDER = ("ressources", "Ressources")


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: list = field(default_factory=list)  # (position, legacy_id or None, reason)
    unmapped: dict = field(default_factory=dict)  # field -> Counter of values

    def note_unmapped(self, field_name, values):
        for value in values:
            self.unmapped.setdefault(field_name, Counter())[value] += 1

    def lines(self):
        yield (
            f"{self.total} entrées lues : {self.created} créées, {self.updated} mises à jour, "
            f"{len(self.skipped)} ignorées."
        )
        for position, legacy_id, reason in self.skipped:
            yield f"  ignorée : entrée n°{position}" + (f" ({legacy_id})" if legacy_id else "") + f" : {reason}"
        for field_name, counter in sorted(self.unmapped.items()):
            yield f"Valeurs de « {field_name} » non rattachées à un vocabulaire ({sum(counter.values())}) :"
            for value, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
                yield f"  {count} × {value}"


class CatalogueError(ValueError):
    pass


def load_catalogue(path):
    try:
        with open(path, encoding="utf-8") as fp:
            data = json.load(fp)
    except FileNotFoundError:
        raise CatalogueError(f"Fichier introuvable : {path}") from None
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path} n'est pas en UTF-8 ({exc})") from None
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"{path} n'est pas du JSON valide : ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}"
        ) from None
    if not isinstance(data, list):
        raise CatalogueError(f"{path} doit contenir une liste d'entrées, pas {type(data).__name__}.")
    return data


def _text(entry, key):
    value = entry.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)):
        raise ValueError(f"« {key} » devrait être un texte, pas {type(value).__name__}")
    return str(value).strip()


def _list(entry, key):
    value = entry.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"« {key} » devrait être une liste de textes")
    return [v.strip() for v in value if v.strip()]


def _year(entry):
    value = entry.get("year")
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError("« year » devrait être une année")
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ValueError(f"« year » devrait être une année, pas {value!r}") from None
    if not 1800 <= year <= 2200:
        raise ValueError(f"année hors limites : {year}")
    return year


class LegacyImporter:
    def __init__(self, dbsession):
        self.dbsession = dbsession
        self.content = ContentService(dbsession)
        self.vocabularies = VocabularyService(dbsession)
        self._folders = {}

    def folder_for(self, kind_code):
        root = self.content.root()
        resources = self._child_folder(root, *RESOURCES_FOLDER)
        for name, title, codes in FOLDERS:
            if kind_code in codes:
                return self._child_folder(resources, name, title)
        return self._child_folder(resources, *UNFILED)

    def _child_folder(self, parent, name, title):
        key = (parent.id, name)
        if key not in self._folders:
            try:
                folder = parent[name]
            except KeyError:
                folder = self.content.create(parent, Folder, title=title, name=name)
            self._folders[key] = folder
        return self._folders[key]

    def parse(self, entry, report):
        """The resource data of one entry; ValueError says why it is unusable."""
        if not isinstance(entry, dict):
            raise ValueError(f"une entrée doit être un objet JSON, pas {type(entry).__name__}")
        legacy_id = _text(entry, "legacy_id")
        if not legacy_id:
            raise ValueError("« legacy_id » manquant")
        title = _text(entry, "title")
        if not title:
            raise ValueError("« title » manquant ou vide")
        year = _year(entry)
        kind_text = _text(entry, "kind")
        territory_text = _text(entry, "territory")
        themes, audiences, partners = _list(entry, "themes"), _list(entry, "audiences"), _list(entry, "partners")
        description = _text(entry, "description")

        unmapped = {}
        kind = None
        if kind_text:
            kinds, rest = self.vocabularies.map_text("kind", kind_text)
            kind = kinds[0] if kinds else None
            if kind is None:
                unmapped["kind"] = [kind_text]
        territories, rest = self.vocabularies.map_text("territory", territory_text)
        if rest:
            unmapped["territory"] = rest
        term_ids = {"territories": [t.id for t in territories], "themes": [], "audiences": []}
        for key, vocabulary, values in (("themes", "theme", themes), ("audiences", "audience", audiences)):
            for value in values:
                term = self.vocabularies.lookup(vocabulary, value)
                if term is None:
                    unmapped.setdefault(key[:-1] if key == "themes" else "audience", []).append(value)
                elif term.id not in term_ids[key]:
                    term_ids[key].append(term.id)
        # School levels and subjects: the catalogue has no field for them. Its
        # audiences and titles name levels ("collèges", "Terminale"); for what
        # is meant for class (a level, the teachers' audience, a teaching
        # kind), the title and description name subjects ("spécialité
        # HGGSP"); elsewhere "français" is not a subject.
        levels = self.vocabularies.named_in("level", f"{title} {' '.join(audiences)}")
        teachers = self.vocabularies.by_code("audience", "enseignants")
        for_class = bool(levels) or (teachers is not None and teachers.id in term_ids["audiences"])
        for_class = for_class or (kind is not None and kind.code == "pedagogique")
        subjects = self.vocabularies.named_in("subject", f"{title} {description}") if for_class else []
        term_ids["levels"] = [t.id for t in levels]
        term_ids["subjects"] = [t.id for t in subjects]
        contributors = [(name, role or "partenaire") for name, role in parse_agents("\n".join(partners))]
        data = {
            "title": title[:500],
            "summary": description,
            "date": (year, None, None) if year else None,
            "kind": kind.id if kind else None,
            "contributors": contributors,
            "legacy_id": legacy_id,
            "legacy_data": entry,
            **term_ids,
        }
        return data, kind, unmapped

    def run(self, entries, dry_run=False, progress=None, state="published"):
        report = ImportReport(total=len(entries))
        seen = set()
        for position, entry in enumerate(entries, start=1):
            legacy_id = entry.get("legacy_id") if isinstance(entry, dict) else None
            try:
                data, kind, unmapped = self.parse(entry, report)
                if data["legacy_id"] in seen:
                    raise ValueError(f"« legacy_id » en double dans le fichier : {data['legacy_id']}")
            except ValueError as exc:
                report.skipped.append((position, legacy_id if isinstance(legacy_id, str) else None, str(exc)))
            else:
                seen.add(data["legacy_id"])
                for field_name, values in unmapped.items():
                    report.note_unmapped(field_name, values)
                if not dry_run:
                    self._save(data, kind, report, state)
                else:
                    existing = self.content.by_legacy_id(data["legacy_id"])
                    if existing is None:
                        report.created += 1
                    else:
                        report.updated += 1
            if progress is not None:
                progress(1)
        if not dry_run:
            self.dbsession.flush()
        return report

    def _save(self, data, kind, report, state):
        resource = self.content.by_legacy_id(data["legacy_id"])
        if resource is None:
            folder = self.folder_for(kind.code if kind else None)
            # Legacy resources were public on the old site: they arrive published
            # unless told otherwise; an existing one keeps its state.
            resource = self.content.create(folder, Document, title=data["title"], state=state)
            report.created += 1
        else:
            report.updated += 1
        self.content.apply_metadata(resource, data)
        return resource
