"""Controlled vocabularies: listing, editing, seeding, and mapping free text."""

import re

from sqlalchemy import func, select

from bassin_cms.i18n import Refusal, _

from .models import Term, resource_terms
from .text import fold, folded_words
from .vocabulary_seed import VOCABULARIES, seed_entries

_SPLIT_RE = re.compile(r"\s+[–—-]\s+|;|,|\s+et\s+|\s+/\s+")
_PARENS_RE = re.compile(r"\(([^()]*)\)")


def _key(text):
    return re.sub(r"\s+", " ", fold(text)).strip(" .")


def _lines(text):
    """One name a line, blank lines and surrounding spaces dropped."""
    return "\n".join(a.strip() for a in (text or "").splitlines() if a.strip())


def _split_outside_parentheses(text):
    """Split on dashes, commas, semicolons, " et " and " / ", never inside (...)."""
    kept = []

    def hide(match):
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    hidden = _PARENS_RE.sub(hide, text)
    parts = [p.strip() for p in _SPLIT_RE.split(hidden) if p.strip()]
    return [re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], p) for p in parts]


class VocabularyError(Refusal):
    """A rule of the vocabularies was broken; ``field`` names the form field."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class VocabularyService:
    def __init__(self, dbsession):
        self.dbsession = dbsession
        self._matchers = {}

    @staticmethod
    def vocabularies():
        return VOCABULARIES

    def get(self, term_id):
        return self.dbsession.get(Term, term_id) if term_id is not None else None

    def by_code(self, vocabulary, code):
        return self.dbsession.scalar(select(Term).where(Term.vocabulary == vocabulary, Term.code == code))

    def tree(self, vocabulary):
        """[(term, depth)] in display order: parents before their children."""
        terms = list(
            self.dbsession.scalars(
                select(Term).where(Term.vocabulary == vocabulary).order_by(Term.position, Term.label)
            )
        )
        by_parent = {}
        for term in terms:
            by_parent.setdefault(term.parent_id, []).append(term)
        out = []

        def walk(parent_id, depth):
            for term in by_parent.get(parent_id, []):
                out.append((term, depth))
                walk(term.id, depth + 1)

        walk(None, 0)
        return out

    def choices(self, vocabulary):
        """(id, label) pairs for a select, children indented under parents."""
        return [
            (str(term.id), "\u00a0\u00a0" * depth + ("– " if depth else "") + term.display())
            for term, depth in self.tree(vocabulary)
        ]

    def names_within(self, term):
        """Every name of ``term`` and of the terms below it (an EPCI: its label,
        acronym, former names and its communes), to find it in free text."""
        names, stack = [], [term]
        while stack:
            current = stack.pop()
            names += [current.label, current.acronym, *current.alias_list]
            stack += list(self.dbsession.scalars(select(Term).where(Term.parent_id == current.id)))
        return [n for n in dict.fromkeys(names) if n]

    def usage_counts(self, vocabulary):
        rows = self.dbsession.execute(
            select(resource_terms.c.term_id, func.count())
            .join(Term, Term.id == resource_terms.c.term_id)
            .where(Term.vocabulary == vocabulary)
            .group_by(resource_terms.c.term_id)
        )
        return dict(rows.all())

    # --- editing -----------------------------------------------------------------
    def save(self, vocabulary, data, term=None):
        if vocabulary not in VOCABULARIES:
            raise VocabularyError(_("Vocabulaire inconnu : ${name}", mapping={"name": vocabulary}))
        code = data["code"].strip()
        clash = self.by_code(vocabulary, code)
        if clash is not None and clash is not term:
            raise VocabularyError(
                _("Le code « ${code} » est déjà utilisé dans ce vocabulaire.", mapping={"code": code}), "code"
            )
        parent = self.get(data["parent"]) if data.get("parent") else None
        if parent is not None:
            if parent.vocabulary != vocabulary:
                raise VocabularyError(_("Le terme parent doit appartenir au même vocabulaire."), "parent")
            ancestor = parent
            while ancestor is not None:
                if term is not None and ancestor.id == term.id:
                    raise VocabularyError(_("Un terme ne peut pas être placé sous lui-même."), "parent")
                ancestor = ancestor.parent
        if term is None:
            term = Term(vocabulary=vocabulary)
            self.dbsession.add(term)
        term.code = code
        term.label = data["label"].strip()
        term.label_en = (data.get("label_en") or "").strip()
        term.acronym = (data.get("acronym") or "").strip()
        term.aliases = _lines(data.get("aliases"))
        term.synonyms = _lines(data.get("synonyms"))
        term.parent = parent
        term.position = data.get("position") or 0
        self.dbsession.flush()
        self._matchers.pop(vocabulary, None)
        return term

    def delete(self, term):
        self.dbsession.delete(term)
        self.dbsession.flush()
        self._matchers.pop(term.vocabulary, None)

    def seed(self):
        """Add the starting vocabularies; terms already there are left as edited."""
        added = 0
        codes = {(v, c): t for v, c, t in self.dbsession.execute(select(Term.vocabulary, Term.code, Term))}
        for position, (vocabulary, code, label, extra, parent_code) in enumerate(seed_entries()):
            if (vocabulary, code) in codes:
                continue
            term = Term(
                vocabulary=vocabulary,
                code=code,
                label=label,
                label_en=extra.get("label_en", ""),
                acronym=extra.get("acronym", ""),
                aliases=extra.get("aliases", ""),
                synonyms=extra.get("synonyms", ""),
                parent=codes.get((vocabulary, parent_code)) if parent_code else None,
                position=position,
            )
            self.dbsession.add(term)
            codes[(vocabulary, code)] = term
            added += 1
        self.dbsession.flush()
        self._matchers.clear()
        return added

    # --- free text -> terms --------------------------------------------------------
    def _matcher(self, vocabulary):
        if vocabulary not in self._matchers:
            index = {}
            for term in self.dbsession.scalars(select(Term).where(Term.vocabulary == vocabulary)):
                for text in [term.label, term.acronym, term.code, *term.alias_list]:
                    if text:
                        index.setdefault(_key(text), term)
            self._matchers[vocabulary] = index
        return self._matchers[vocabulary]

    def named_in(self, vocabulary, text):
        """The terms of ``vocabulary`` that ``text`` names word for word (by
        label, acronym or an alias): "spécialité HGGSP (Terminale…)" names
        the subject HGGSP and the level Lycée."""
        words = f" {_key(text)} "
        found = []
        for key, term in self._matcher(vocabulary).items():
            if key and f" {key} " in words and term not in found:
                found.append(term)
        return found

    def lookup(self, vocabulary, text):
        return self._matcher(vocabulary).get(_key(text))

    def _candidates(self, text):
        text = text.strip()
        base = _PARENS_RE.sub("", text).strip()
        inner = [m.strip() for m in _PARENS_RE.findall(text) if m.strip()]
        return [c for c in [text, base, *inner] if c]

    def map_text(self, vocabulary, text):
        """Map a free-text value onto terms: ([terms], [parts it could not map]).

        The whole value is tried first ("Nord et Pas-de-Calais" is one alias), then
        each part of it ("CALL – Loos-en-Gohelle", "CAVM et CAPH"); a part matches
        by its label, acronym, code or an alias, with or without its parenthesis.
        """
        if not text or not text.strip():
            return [], []
        for candidate in self._candidates(text):
            term = self.lookup(vocabulary, candidate)
            if term is not None:
                return [term], []
        terms, unmapped = [], []
        for part in _split_outside_parentheses(text):
            found = None
            for candidate in self._candidates(part):
                found = self.lookup(vocabulary, candidate)
                if found is None:
                    # "Lycées Darchicourt (Hénin-Beaumont)": the place in parentheses
                    for inner in _SPLIT_RE.split(candidate):
                        found = self.lookup(vocabulary, inner)
                        if found is not None:
                            break
                if found is not None:
                    break
            if found is None:
                unmapped.append(part.strip())
            elif found not in terms:
                terms.append(found)
        return terms, unmapped


def name_finder(tree, label=lambda term: term.display()):
    """A function from a name typed (its label as shown, its label alone, its
    acronym or its English label; accents and case aside) to the term's id,
    as a string; None when no term or several have that name."""
    ids = {}
    for term, _depth in tree:
        for name in {label(term), term.label, term.acronym, term.label_en}:
            if name:
                ids.setdefault(" ".join(folded_words(name)), set()).add(str(term.id))

    def find(typed):
        found = ids.get(" ".join(folded_words(typed)), ())
        return next(iter(found)) if len(found) == 1 else None

    return find


def grouped_choices(tree, label=lambda term: term.display()):
    """[(group title or None, [(term id, label)])] for checkboxes grouped by
    parent (``tree``: VocabularyService.tree's (term, depth) pairs): a term
    with children opens a group of itself and its leaf children; terms that
    would be alone in their group (a région, a département) gather in a first
    group with the top terms; a flat vocabulary is one group without title."""
    terms = [term for term, _depth in tree]
    children = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    if len(children) == 1:  # no hierarchy
        return [(None, [(str(t.id), label(t)) for t in terms])]
    general, groups = [], []
    for term in terms:
        own = children.get(term.id, [])
        leaves = [c for c in own if c.id not in children]
        if leaves:
            groups.append((label(term), [(str(term.id), label(term))] + [(str(c.id), label(c)) for c in leaves]))
        elif own or term.parent_id is None:
            general.append((str(term.id), label(term)))
    return ([(None, general)] if general else []) + groups
