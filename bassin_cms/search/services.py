"""Search: query building, permission filter, facets, snippets, suggestions."""

import datetime as dt
import html
import re
from dataclasses import dataclass, field, replace

from whoosh import highlight
from whoosh.query import And, AndMaybe, Or, Term

from bassin_cms.changes import tracking
from bassin_cms.content.text import fold
from bassin_cms.i18n import _, current_translate
from bassin_cms.params import page_param
from bassin_cms.workflow.security import visible_to_public
from bassin_cms.workflow.visibility import EVERYONE, principal_tokens

from .analysis import exact_analyzer, french_analyzer, pairs_analyzer, tokens
from .backend import PAGE_SIZE, SORTS, Plan
from .resource_table import FACETS

MAX_QUERY = 500  # characters of a query that are read
MAX_WORDS = 20

_FR, _EXACT, _PAIRS = french_analyzer(), exact_analyzer(), pairs_analyzer()
_thesaurus_cache = {}


@dataclass
class SearchParams:
    q: str = ""
    kind: str = ""
    theme: str = ""
    territory: str = ""
    audience: str = ""
    level: str = ""
    subject: str = ""
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    errors: list = field(default_factory=list)

    @classmethod
    def from_request(cls, params):
        out = cls()
        raw = params.get("q", "") or ""
        # Control characters go; the query is read up to MAX_QUERY characters.
        out.q = re.sub(r"[\x00-\x1f\x7f]", " ", raw)[:MAX_QUERY].strip()
        if len(raw) > MAX_QUERY:
            out.errors.append(
                current_translate(
                    _(
                        "Votre recherche était très longue : seuls les ${count} premiers caractères ont été lus.",
                        mapping={"count": MAX_QUERY},
                    )
                )
            )
        for name in FACETS:
            setattr(out, name, (params.get(name) or "").strip()[:100])
        for name in ("year_from", "year_to"):
            value = (params.get(name) or "").strip()
            if value:
                if value.isascii() and value.isdigit() and 1000 <= int(value) <= 2999:
                    setattr(out, name, int(value))
                else:
                    out.errors.append(
                        current_translate(
                            _("Année non reconnue : « ${value} » (exemple : 2015).", mapping={"value": value[:20]})
                        )
                    )
        sort = params.get("sort") or "relevance"
        out.sort = sort if sort in SORTS else "relevance"
        out.page = page_param(params.get("page"))
        return out


def split_query(text):
    """(words, phrases): quoted parts are phrases; an unbalanced quote is text."""
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]+"', " ", text).replace('"', " ")
    words = rest.split()
    return words[:MAX_WORDS], phrases[:5]


class Thesaurus:
    """Acronyms and other names, from the vocabularies (editable by administrators):
    every term's label, acronym and aliases are equivalent at query time."""

    def __init__(self, terms):
        self.groups = {}
        for term in terms:
            names = [n for n in [term.label, term.acronym, *term.alias_list] if n]
            for name in names:
                self.groups.setdefault(fold(name).strip(), set()).update(names)

    def alternatives(self, text):
        return self.groups.get(fold(text).strip(), set()) - {text}


def _word_query(word):
    """Matched on "text" alone (which holds the title too); the title fields only
    add to the score of what already matched (AndMaybe), so each word walks one
    long posting list instead of three."""
    stem, exact = tokens(_FR, word), tokens(_EXACT, word)
    if not stem:
        return None
    required = Or([Term("text", t) for t in stem]) if len(stem) > 1 else Term("text", stem[0])
    boosts = [Term("title", t) for t in stem] + [Term("title_exact", t) for t in exact]
    return AndMaybe(required, Or(boosts))


def _phrase_query(text):
    exact = tokens(_EXACT, text)
    if not exact:
        return None
    if len(exact) == 1:
        return _word_query(text)
    pairs = tokens(_PAIRS, text)
    return Or([And([Term("pairs", p) for p in pairs]), And([Term("title_pairs", p) for p in pairs])])


def _alternatives_query(thesaurus, text):
    options = [q for q in (_phrase_query(a) for a in thesaurus.alternatives(text)) if q is not None]
    return options


def build_query(text, thesaurus):
    words, phrases = split_query(text)
    clauses = []
    # The whole query may be a known name ("SCOT lens lievin" is not, "ERBM" is).
    whole = _alternatives_query(thesaurus, text) if len(words) > 1 and not phrases else []
    for word in words:
        query = _word_query(word)
        if query is None:
            continue  # a stop word alone
        alternatives = _alternatives_query(thesaurus, word)
        clauses.append(Or([query, *alternatives]) if alternatives else query)
    for phrase in phrases:
        query = _phrase_query(phrase)
        if query is not None:
            alternatives = _alternatives_query(thesaurus, phrase)
            clauses.append(Or([query, *alternatives]) if alternatives else query)
    if not clauses:
        return None
    main = And(clauses) if len(clauses) > 1 else clauses[0]
    return Or([main, *whole]) if whole else main


@dataclass
class Hit:
    node: object
    title: str
    url: str
    kind: str
    year: int | None
    summary: str
    score: float
    snippets: list


@dataclass
class SearchResults:
    total: int = 0
    page: int = 1
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False
    messages: list = field(default_factory=list)


class SearchService:
    def __init__(self, request, backend):
        self.request = request
        self.backend = backend

    def thesaurus(self):
        """Built from the vocabularies once per site version (3.6 ms a query
        otherwise, measured): any vocabulary edit moves the version (changes/),
        so it applies at once here and within a second in other processes."""
        from sqlalchemy import select

        from bassin_cms.content.models import Term as VocabularyTerm

        # This process's own term edits count at once, even before their commit.
        version = (self.request.registry["site_clock"].version(), tracking.term_edits)
        cached = _thesaurus_cache.get("value")
        if cached is not None and version[0] is not None and cached[0] == version:
            return cached[1]
        thesaurus = Thesaurus(
            self.request.dbsession.scalars(
                select(VocabularyTerm).where(VocabularyTerm.vocabulary.in_(("theme", "territory", "kind", "synonym")))
            )
        )
        _thesaurus_cache["value"] = (version, thesaurus)
        return thesaurus

    def search(self, params, now=None, count_only=False, public=False):
        """``count_only``: the total and facets, no hits (home and browse
        pages); ``public``: what an anonymous visitor would find, whoever asks
        (the open JSON API)."""
        now = now or dt.datetime.now(dt.UTC)
        principals = tuple([EVERYONE] if public else principal_tokens(self.request))
        thesaurus = self.thesaurus()
        results = SearchResults(page=params.page, messages=list(params.errors))
        query = build_query(params.q, thesaurus) if params.q else None
        if params.q and query is None:
            results.messages.append(
                current_translate(_("Votre recherche ne contient que des mots trop courants : précisez-la."))
            )
        sort = params.sort if params.sort in SORTS else "relevance"
        if query is None and sort == "relevance":
            sort = "date"  # no words: newest first
        downloads = self.request.statistics_service.downloads_by_node() if sort == "downloads" else None
        plan = Plan(
            query=query,
            principals=principals,
            now=now,
            filters={name: getattr(params, name) for name in FACETS if getattr(params, name)},
            year_from=params.year_from,
            year_to=params.year_to,
            sort=sort,
            start=(params.page - 1) * PAGE_SIZE,
            stop=params.page * PAGE_SIZE,
            count_only=count_only,
            downloads=downloads,
        )
        found = self.backend.find(plan)
        if not found.total and query is not None:
            # Nothing: retry with the spelling correction (public words only).
            suggestion = self.backend.suggest(params.q)
            fuzzy = build_query(suggestion, thesaurus) if suggestion else None
            if fuzzy is not None:
                # Proposed only if this person would find something with it: the
                # words of the index can be older than a date that has passed.
                retried = self.backend.find(replace(plan, query=fuzzy))
                if retried.total:
                    found, query, results.fuzzy = retried, fuzzy, True
                    results.suggestion = suggestion
        results.total, results.facets = found.total, found.facets
        if found.hits:
            results.hits = self.hits(found.hits, query, typed=params.q, public=public)
        return results

    def hits(self, shown, query, typed="", public=False):
        from bassin_cms.content.models import Node

        if public:

            def allowed(permission, node):
                return visible_to_public(node, permission)
        else:

            def allowed(permission, node):
                return self.request.has_permission(permission, node)

        ids = [fields["node_id"] for fields, _score in shown]
        nodes = {n.id: n for n in self.request.dbsession.query(Node).filter(Node.id.in_(ids))} if ids else {}
        visible = []
        for hit in shown:
            node = nodes.get(hit[0]["node_id"])
            # Checked again against the database for what is shown: an index that
            # lags behind a change never shows what the page would refuse.
            if node is not None and allowed("view", node):
                visible.append((hit, node))
        full = [node for _hit, node in visible if allowed("view_full", node)]
        snippets = self.snippets(full, query, typed=typed)
        out = []
        for (fields, score), node in visible:
            meta = fields.get("meta") or {}
            out.append(
                Hit(
                    node=node,
                    title=node.title,
                    url=self.request.resource_url(node),
                    kind=meta.get("kind") or "",
                    year=meta.get("year"),
                    summary=node.summary or "",
                    score=round(score, 3) if score is not None else None,
                    snippets=snippets.get(node.id, []),
                )
            )
        return out

    def snippets(self, nodes, query, per_node=2, typed=""):
        """{node id: [snippet]} for the results shown: their pages (and parts:
        index entries, chapters, articles) that hold the query's words, best
        first, highlighted from the stored text. A part whose number was typed
        as such ("terril 74a": entry 74a, not 74) comes first: the analyser
        cannot tell them apart, as it drops the lone letter."""
        words = _query_words(query) if query is not None else []
        typed_words = {fold(w) for w in _WORD.findall(typed or "")}
        if not nodes or not words:
            return {}
        best = {}
        for node_id, score, fields in self.backend.snippet_pages([n.id for n in nodes], words):
            key = fold((fields.get("meta") or {}).get("key") or "")
            named = 0 if key and key in typed_words else 1
            best.setdefault(node_id, []).append((named, -score, fields.get("page") or 0, fields))
        fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
        formatter = _EscapingFormatter()
        out = {}
        for node_id, candidates in best.items():
            for _named, _score, page, fields in sorted(candidates, key=lambda c: c[:3]):
                text = highlight.highlight(
                    _around_first_match(fields.get("page_text") or "", words),
                    frozenset(words),
                    _FR,
                    fragmenter,
                    formatter,
                    top=1,
                )
                meta = fields.get("meta") or {}
                if text and meta.get("anchor"):
                    out.setdefault(node_id, []).append(
                        {"text": text, "page": None, "anchor": meta["anchor"], "title": meta.get("title", "")}
                    )
                elif text:
                    out.setdefault(node_id, []).append(
                        {
                            "text": text,
                            "page": page,
                            "file_id": fields.get("file_id"),
                            "filename": meta.get("filename", ""),
                        }
                    )
                if len(out.get(node_id, [])) >= per_node:
                    break
        return out


def suggestion_for(text, nearest):
    """The query with each word replaced by ``nearest(word)`` when that gives
    another word (the backends' spelling correctors); None if nothing changed."""
    words, _ = split_query(text)
    changed, out = False, []
    for word in words:
        key = tokens(_EXACT, word)
        if not key:
            out.append(word)
            continue
        suggestions = nearest(key[0])
        if suggestions and suggestions[0] != key[0]:
            out.append(suggestions[0])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _query_words(query):
    """The stemmed words of a query, for finding and highlighting pages."""
    words = set()
    for field_name, text in query.iter_all_terms():
        if field_name in ("text", "title") and isinstance(text, str):
            words.add(text)
    return sorted(words)


_WORD = re.compile(r"\w+")


def _around_first_match(text, stems, radius=500):
    """The part of a page around the first word that starts like one of the
    query's stems: the highlighter analyses every word it is given (9 ms a
    query on whole pages, measured), and one fragment is shown anyway."""
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if any(word.startswith(stem) for stem in stems):
            start = text.rfind(" ", 0, max(0, match.start() - radius)) + 1
            end = text.find(" ", match.end() + radius)
            return text[start : end if end != -1 else len(text)]
    return text


class _EscapingFormatter(highlight.HtmlFormatter):
    """<mark> around matched words; HtmlFormatter escapes everything else."""

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"
