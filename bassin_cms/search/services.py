"""Search: query building, permission filter, facets, snippets, suggestions."""

import datetime as dt
import functools
import html
import re
from dataclasses import dataclass, field, replace

from bassin_cms.changes import tracking
from bassin_cms.content.models import Term
from bassin_cms.content.text import fold, shorten
from bassin_cms.i18n import _, current_translate
from bassin_cms.params import page_param
from bassin_cms.workflow.visibility import EVERYONE, may, principal_tokens

from .analysis import WordCachedAnalyzer, exact_analyzer, french_analyzer, tokens
from .backend import PAGE_SIZE, SORTS, Plan
from .highlighting import snippet
from .query import WEIGHTS, Thesaurus, build_query, elided
from .resource_table import FACETS

MAX_QUERY = 500  # characters of a query that are read
ONLY_COMMON_WORDS = _("Votre recherche ne contient que des mots trop courants : précisez-la.")

_FR, _EXACT = french_analyzer(), exact_analyzer()
_FR_BY_WORD = WordCachedAnalyzer(_FR)  # the highlighter's
_thesaurus_cache = {}
SEARCHED_VOCABULARIES = ("theme", "territory", "kind", "audience", "level", "subject", "synonym")


@dataclass(frozen=True)
class TermRecord:
    """A vocabulary term as search shows it, detached from any session (kept
    between requests): what term_label and matched_in read of a Term."""

    id: int
    vocabulary: str
    code: str
    label: str
    label_en: str
    acronym: str
    position: int
    names: tuple  # Term.search_names()

    display = Term.display  # "label (ACRONYM)", as the term itself says it


class VocabularySnapshot:
    """The searched vocabularies' terms by id and by (vocabulary, code)."""

    def __init__(self, terms):
        records = [
            TermRecord(
                t.id,
                t.vocabulary,
                t.code,
                t.label,
                t.label_en or "",
                t.acronym or "",
                t.position or 0,
                tuple(t.search_names()),
            )
            for t in terms
        ]
        self.by_id = {r.id: r for r in records}
        self.by_code = {(r.vocabulary, r.code): r for r in records}


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
    missing: list = field(default_factory=list)  # the typed words it lacks
    reserved: bool = False  # only its notice is open to whoever asks
    matched_in: list = field(default_factory=list)  # where its notice holds the words (no snippet)
    kind_term: object = None  # its kind's TermRecord


@dataclass
class Revision:
    """What a second look at the words that matched nothing found."""

    extra: dict = field(default_factory=dict)  # {typed word: [(other form, weight)]}
    dropped: set = field(default_factory=set)  # typed words that were nothing ("jai": j'ai)
    corrected: dict = field(default_factory=dict)  # {typed word: correction, as spelt}


@dataclass
class SearchResults:
    total: int = 0
    page: int = 1
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False
    messages: list = field(default_factory=list)
    complete: int = 0  # results holding every word
    unmatched: list = field(default_factory=list)  # typed words that no resource holds


class SearchService:
    def __init__(self, request, backend):
        self.request = request
        self.backend = backend

    def thesaurus(self):
        """Built from the vocabularies once per site version (3.6 ms a query
        otherwise, measured): any vocabulary edit moves the version (changes/),
        so it applies at once here and within a second in other processes."""
        return self._vocabularies()[0]

    def vocabulary(self):
        """The searched vocabularies' terms as plain records (TermRecord), kept
        with the thesaurus: facet labels and what a result's notice names
        without loading a term a query (a third of a search's ORM work on the
        demo, measured)."""
        return self._vocabularies()[1]

    def _vocabularies(self):
        from sqlalchemy import select

        # This process's own term edits count at once, even before their commit.
        version = (self.request.registry["site_clock"].version(), tracking.term_edits)
        cached = _thesaurus_cache.get("value")
        if cached is not None and version[0] is not None and cached[0] == version:
            return cached[1]
        terms = list(self.request.dbsession.scalars(select(Term).where(Term.vocabulary.in_(SEARCHED_VOCABULARIES))))
        value = (Thesaurus(terms), VocabularySnapshot(terms))
        _thesaurus_cache["value"] = (version, value)
        return value

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
            results.messages.append(current_translate(ONLY_COMMON_WORDS))
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
        if query is not None:
            found, query = self.second_look(plan, found, params.q, thesaurus, results)
            results.unmatched = [c.text for c, n in zip(query.clauses, found.clause_totals, strict=False) if not n]
        results.total, results.facets, results.complete = found.total, found.facets, found.complete
        if found.hits:
            results.hits = self.hits(found.hits, query, typed=params.q, principals=principals, missing=found.missing)
        return results

    def second_look(self, plan, found, text, thesaurus, results):
        """(found, query) after a second look at the typed words that matched
        nothing (``revise``): searched again with what they hide or with their
        correction, kept when that finds more resources holding every word;
        the correction proposed (results.suggestion) only if it finds
        something for this person now (the words of the index can be older
        than a date that has passed)."""
        query = plan.query
        dead = [c.text for c, n in zip(query.clauses, found.clause_totals, strict=False) if not n and not c.phrase]
        revision = self.revise(dead) if dead else Revision()
        if not (revision.extra or revision.dropped):
            return found, query
        revised = build_query(text, thesaurus, extra=revision.extra, skip=revision.dropped)
        if revised is None:
            results.messages.append(current_translate(ONLY_COMMON_WORDS))
            return found, query
        retried = self.backend.find(replace(plan, query=revised))
        finding = {c.text for c, n in zip(revised.clauses, retried.clause_totals, strict=False) if n}
        corrected = {w: c for w, c in revision.corrected.items() if w in finding}
        if corrected:
            results.suggestion = " ".join(corrected.get(w, w) for w in text.split())
        if retried.total and (retried.complete > found.complete or not found.total):
            results.fuzzy = bool(corrected)
            return retried, revised
        return found, query

    def revise(self, dead):
        """A second look at the typed words that matched nothing: an elision
        typed without its apostrophe ("jai", "lharmonie": the rest is a stop
        word, or a word of the public notices), else the nearest word of the
        public notices (a typo), as it is usually spelt."""
        revision = Revision()
        keys = {word: tokens(_EXACT, word) for word in dead}
        tails = {}
        for word in dead:
            tail = elided(word)
            if tail is not None:
                if not tokens(_FR, tail):
                    revision.dropped.add(word)  # "jai": j'ai, words too common to search
                else:
                    tails[word] = tail
        known = self.backend.known_words({tokens(_EXACT, t)[0] for t in tails.values()}) if tails else set()
        to_correct = {}
        for word in dead:
            if word in revision.dropped:
                continue
            if word in tails and tokens(_EXACT, tails[word])[0] in known:
                revision.extra[word] = [(tails[word], 1.0)]
            elif keys[word]:
                to_correct[word] = keys[word][0]
        found = self.backend.corrections(sorted(set(to_correct.values()))) if to_correct else {}
        for word, key in to_correct.items():
            if key in found:
                revision.extra[word] = [(found[key], WEIGHTS.correction)]
                revision.corrected[word] = found[key]
        return revision

    def hits(self, shown, query, typed="", principals=(EVERYONE,), missing=None):
        """The Hits of what a backend found, checked again against the database
        (an index that lags behind a change never shows what the page would
        refuse) with the one visibility rule in its Python form, for
        ``principals`` (the ACL agrees with it: test_visibility_agrees)."""
        from bassin_cms.content.models import Node
        from bassin_cms.content.services import ContentService

        ids = [fields["node_id"] for fields, _score in shown]
        session = self.request.dbsession
        nodes = {n.id: n for n in session.scalars(_shown_resources(), {"ids": ids})} if ids else {}
        others = [i for i in ids if i not in nodes]
        if others:
            nodes.update({n.id: n for n in session.query(Node).filter(Node.id.in_(others))})
        ContentService(session).load_lineages(nodes.values())
        visible, full = [], set()
        for hit in shown:
            node = nodes.get(hit[0]["node_id"])
            if node is None:
                continue
            if may(node, principals, "view_full"):  # which implies view
                full.add(node.id)
            elif not may(node, principals, "view"):
                continue
            visible.append((hit, node))
        snippets = self.snippets([node for _hit, node in visible if node.id in full], query, typed=typed)
        words = [c.text for c in query.clauses] if query is not None else []
        stems = set(query.stems()) if query is not None else set()
        vocabulary = self.vocabulary()
        # What a result without a snippet says of its notice (its terms and
        # people: matched_in), read as rows for those results only: terms from
        # the vocabulary kept between requests, not loaded as objects.
        unexplained = [node.id for _hit, node in visible if stems and not snippets.get(node.id)]
        terms_of, people_of = {}, {}
        if unexplained:
            rows = session.execute(_terms_and_people(), {"ids": unexplained})
            for node_id, term_id, name in rows:
                if term_id in vocabulary.by_id:
                    terms_of.setdefault(node_id, []).append(vocabulary.by_id[term_id])
                elif name is not None:
                    people_of.setdefault(node_id, []).append(name)
        out = []
        for (_fields, score), node in visible:
            lacking = [words[i] for i in (missing or {}).get(node.id, []) if i < len(words)]
            kind = vocabulary.by_id.get(getattr(node, "kind_id", None))
            out.append(
                Hit(
                    node=node,
                    title=node.title,
                    url=self.request.resource_url(node),
                    kind=kind.code if kind is not None else "",
                    year=getattr(node, "date_year", None),
                    summary=node.summary or "",
                    score=round(score, 3) if score is not None else None,
                    snippets=snippets.get(node.id, []),
                    missing=lacking,
                    reserved=node.id not in full,
                    matched_in=[]
                    if snippets.get(node.id)
                    else matched_in(
                        node.title, node.summary, terms_of.get(node.id, []), kind, people_of.get(node.id, []), stems
                    ),
                    kind_term=kind,
                )
            )
        return out

    def snippets(self, nodes, query, per_node=2, typed=""):
        """{node id: [snippet]} for the results shown: their pages (and parts:
        index entries, chapters, articles) that hold the query's words, best
        first, highlighted from the stored text. A part whose number was typed
        as such ("terril 74a": entry 74a, not 74) comes first: the analyser
        cannot tell them apart, as it drops the lone letter. Of each node,
        the backend may give only the ``per_node`` + 1 best pages and those
        holding a typed number."""
        words = query.stems() if query is not None else []
        numbers = sorted({fold(w) for w in _WORD.findall(typed or "") if any(c.isdigit() for c in w)})
        if not nodes or not words:
            return {}
        best = {}
        # One page more than shown: a page whose window holds no whole word of the query shows nothing.
        pages = self.backend.snippet_pages([n.id for n in nodes], words, best=per_node + 1, numbers=numbers)
        for node_id, score, fields in pages:
            key = fold((fields.get("meta") or {}).get("key") or "")
            named = 0 if key and key in numbers else 1
            best.setdefault(node_id, []).append((named, -score, fields.get("page") or 0, fields))
        out = {}
        for node_id, candidates in best.items():
            for _named, _score, page, fields in sorted(candidates, key=lambda c: c[:3]):
                source = fields.get("page_text") or ""
                part_title = (fields.get("meta") or {}).get("title") or ""
                if part_title and source.startswith(part_title):
                    # A part's title is the snippet's link: not again in its
                    # text, which shows what the title does not say.
                    rest = source[len(part_title) :].strip()
                    text = snippet(rest, words, _FR_BY_WORD) or html.escape(shorten(rest, 200))
                else:
                    text = snippet(source, words, _FR_BY_WORD)
                meta = fields.get("meta") or {}
                if (text or part_title) and meta.get("anchor"):
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


# Built once, values bound at each execution (see content/services.py).
@functools.cache
def _shown_resources():
    """The resources ``ids``, without their body and legacy record: no result
    shows them (a JSON record to parse and a text to copy, ten times)."""
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import defer

    from bassin_cms.content.models import Resource

    ids = bindparam("ids", expanding=True)
    return select(Resource).where(Resource.id.in_(ids)).options(defer(Resource.body), defer(Resource.legacy_data))


@functools.cache
def _terms_and_people():
    """(resource id, term id, None) and (resource id, None, name) rows of the
    resources ``ids``: one statement for both."""
    from sqlalchemy import Integer, String, bindparam, cast, null, select, union_all

    from bassin_cms.content.models import Agent, resource_terms

    ids = bindparam("ids", expanding=True)
    return union_all(
        select(resource_terms.c.resource_id, resource_terms.c.term_id, cast(null(), String).label("name")).where(
            resource_terms.c.resource_id.in_(ids)
        ),
        select(Agent.resource_id, cast(null(), Integer), Agent.name).where(Agent.resource_id.in_(ids)),
    )


@functools.lru_cache(maxsize=8192)
def _stems_of(text):
    """The analysed words of a text: a vocabulary term's names come back in
    every result that carries it (they were analysed ~900 times a search)."""
    return frozenset(tokens(_FR, text))


def matched_in(title, summary, terms, kind, people, stems):
    """Where a resource's notice holds the query's words, for a result that
    has no snippet to show why it was found: [(what, [names])], what a
    message (its title, summary, themes, territories, kind, people). ``terms``
    and ``kind``: TermRecords; ``people``: names."""
    if not stems:
        return []

    def holds(text):
        return bool(stems.intersection(_stems_of(text or "")))

    out = [(what, []) for what, text in ((_("titre"), title), (_("résumé"), summary)) if holds(text)]
    for vocabulary, what in (("theme", _("thèmes")), ("territory", _("territoires")), ("audience", _("publics"))):
        names = [
            t.label
            for t in sorted(terms, key=lambda t: (t.position, t.label))
            if t.vocabulary == vocabulary and holds(" ".join(t.names))
        ]
        if names:
            out.append((what, names))
    if kind is not None and holds(" ".join(kind.names)):
        out.append((_("type"), [kind.label]))
    if holds(" ".join(people)):
        out.append((_("contributeurs"), []))
    return out


_WORD = re.compile(r"\w+")
