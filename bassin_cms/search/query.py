"""What a typed query means, for every backend: clauses, synonyms, weights.

A query is a list of **clauses**, one per typed word or "quoted phrase". A
result need not hold every clause: results are ranked first by how many
clauses they hold (coordination, ranking.py), then by score. A clause is
*required* when quoted or written ``+word``.

Each clause is two trees of Whoosh query nodes (``Term``, ``And``, ``Or``,
``AndMaybe``, each with its boost), which the backends evaluate:

- ``notice``: over the notice's fields, which whoever may open a resource's
  page may search (title, summary, body, term names, people);
- ``full``: over the full text (its files' pages, chapters, articles), which
  only who may read it in full may search.

What the clause counts as: the word as typed (stemmed, and exactly in the
title), plus the other names of any vocabulary term it names (label,
acronym, English label, search synonyms), with a lower weight: a synonym
widens, it never replaces. A run of typed words that is itself a name
("plan local d'urbanisme", "porter a connaissance") adds that name's other
names to each of its words. Two typed words side by side in a resource add a
proximity bonus (word pairs).

The weights were tuned on the judged query set (tests/relevance), not by hand
on one query: ``make relevance``.
"""

import re
from dataclasses import dataclass, field, replace

from whoosh.query import And, AndMaybe, Or, Term

from bassin_cms.content.text import fold

from .analysis import exact_analyzer, french_analyzer, pairs_analyzer, strip_elision, tokens

MAX_WORDS = 20
MAX_PHRASES = 5
MAX_SPAN = 6  # words of the longest name looked up in the thesaurus

_FR, _EXACT, _PAIRS = french_analyzer(), exact_analyzer(), pairs_analyzer()

NOTICE_FIELDS = ("title", "title_exact", "title_pairs", "text", "pairs", "people")
FULL_FIELDS = ("full", "full_pairs")


@dataclass(frozen=True)
class Weights:
    """Relative weights of where a word is found (the notice's text is 1)."""

    title: float = 3.0  # the stemmed word in the title
    title_exact: float = 3.0  # the word exactly as typed, in the title
    title_pairs: float = 6.0  # a phrase, or two typed words side by side, in the title
    pairs: float = 2.0  # a phrase, or two typed words side by side, in the notice
    people: float = 0.15  # creators, contributors, partners, publisher
    full: float = 0.35  # files' pages, chapters, articles
    # How much a word counts for coordination (ranking.py) when a resource
    # holds it only among its people, or only in its full text (1 in its notice).
    people_hold: float = 0.5
    full_hold: float = 0.5
    # Two typed words found side by side in the full text count as held there
    # with this strength: words close together, not scattered over 200 pages.
    near_hold: float = 1.0
    synonym: float = 0.5  # another name of what was typed
    correction: float = 0.8  # the spelling correction of a word that matches nothing
    proximity: float = 1.0  # two typed words side by side (pairs bonus)


WEIGHTS = Weights()


@dataclass
class Clause:
    text: str  # as typed: what "Manque : …" names
    parts: "Parts"
    required: bool = False
    phrase: bool = False

    @property
    def words(self):
        """The stems it looks for (snippets, highlighting)."""
        return self.parts.stems


@dataclass
class ParsedQuery:
    clauses: list
    proximity: list = field(default_factory=list)  # [Parts]: a bonus only
    weights: Weights = WEIGHTS

    def stems(self):
        """Every stem the query looks for (literal and synonyms): pages holding
        them make the snippets, and they are highlighted."""
        out = set()
        for clause in self.clauses:
            out.update(clause.words)
        return sorted(out)

    def without(self, indexes):
        """The query without the clauses at ``indexes`` (words that turned out
        to be nothing: "jai" for j'ai)."""
        kept = [c for i, c in enumerate(self.clauses) if i not in set(indexes)]
        return replace(self, clauses=kept) if kept else None


class Thesaurus:
    """Equivalent names at search time, from the vocabularies (editable by
    administrators): every term's label, acronym, English label and search
    synonyms. The import aliases are not here (see content.models.Term)."""

    def __init__(self, terms):
        self.groups = {}
        self.longest = 1
        for term in terms:
            names = term.search_names()
            for name in names:
                key = name_key(name)
                if key:
                    self.groups.setdefault(key, set()).update(names)
                    self.longest = max(self.longest, min(MAX_SPAN, len(key.split())))

    def alternatives(self, text):
        """The other names of ``text``, if it is a name."""
        key = name_key(text)
        return {n for n in self.groups.get(key, set()) if name_key(n) != key}


def name_key(text):
    """Folded words, elisions and punctuation aside: "Porter à connaissance",
    "porter a connaissance" and "porter-à-connaissance" are one key."""
    return " ".join(fold(strip_elision(w)) for w in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text or ""))


DIGIT_GROUPS = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)")


def split_query(text):
    """(words, phrases, required words): quoted parts are phrases (required); a
    word written +word is required; an unbalanced quote is text; a number in
    groups of three ("23 000") is one word."""
    text = DIGIT_GROUPS.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]+"', " ", text).replace('"', " ")
    words, required = [], set()
    for raw in rest.split():
        word = raw.lstrip("+")
        if not word:
            continue
        if raw.startswith("+"):
            required.add(len(words))
        words.append(word)
    return words[:MAX_WORDS], phrases[:MAX_PHRASES], {i for i in required if i < MAX_WORDS}


def _boosted(query, boost):
    """``query`` with its terms' boosts multiplied by ``boost``. Pushed down to
    the terms: Whoosh's matchers and engine.py agree on a term's boost,
    while Whoosh ignores some compound queries' own (AndMaybe)."""
    if query is None or boost == 1.0:
        return query
    if isinstance(query, Term):
        return Term(query.fieldname, query.text, boost=query.boost * boost)
    if isinstance(query, AndMaybe):
        return AndMaybe(_boosted(query.a, boost), _boosted(query.b, boost))
    return type(query)([_boosted(q, boost) for q in query.subqueries])


def _either(queries):
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else Or(queries)


@dataclass
class Parts:
    """A word's or a phrase's query on each reach of a resource: its notice
    (title, summary, body, term names), its people, its full text."""

    notice: object = None
    people: object = None
    full: object = None
    stems: tuple = ()
    between: tuple = ()  # a proximity bonus: the two clauses it joins

    def __bool__(self):
        return self.notice is not None or self.people is not None

    def widened(self, other, weight):
        """These parts or ``other``'s, scaled by ``weight``."""
        return Parts(
            _either([self.notice, _boosted(other.notice, weight)]),
            _either([self.people, _boosted(other.people, weight)]),
            _either([self.full, _boosted(other.full, weight)]),
            tuple(sorted(set(self.stems) | set(other.stems))),
        )


def word_parts(word, weights=WEIGHTS):
    """A word: matched on the notice's text (which holds the title); the title
    fields only add to the score of what already matched (AndMaybe), so each
    word walks few long lists."""
    stems, exact = tokens(_FR, word), tokens(_EXACT, word)
    if not stems:
        return Parts()
    title = [Term("title", s, boost=weights.title) for s in stems]
    title += [Term("title_exact", e, boost=weights.title_exact) for e in exact]
    return Parts(
        AndMaybe(_either([Term("text", s) for s in stems]), Or(title)),
        _either([Term("people", s, boost=weights.people) for s in stems]),
        _either([Term("full", s, boost=weights.full) for s in stems]),
        tuple(stems),
    )


def phrase_parts(text, weights=WEIGHTS):
    """A phrase: its consecutive word pairs, all of them."""
    exact = tokens(_EXACT, text)
    if not exact:
        return Parts()
    if len(exact) == 1:
        return word_parts(text, weights)
    pairs = tokens(_PAIRS, text)
    notice = Or(
        [
            And([Term("pairs", p, boost=weights.pairs) for p in pairs]),
            And([Term("title_pairs", p, boost=weights.title_pairs) for p in pairs]),
        ]
    )
    full = And([Term("full_pairs", p, boost=weights.full) for p in pairs])
    return Parts(notice, None, full, tuple(tokens(_FR, text)))


def _with_alternatives(parts, names, weight, weights):
    """``parts`` or any of ``names``, those scaled by ``weight``; a name of
    several words weighs as one word (its pairs share the weight), so that
    another name never outweighs the word typed."""
    for name in sorted(names):
        other = phrase_parts(name, weights)
        if other:
            pairs = max(1, len(tokens(_PAIRS, name)))
            parts = parts.widened(other, weight / pairs)
    return parts


def _spans(words, thesaurus):
    """{word index: set of other names} of runs of two or more consecutive
    words that are a name, longest first, not overlapping."""
    out, start = {}, 0
    while start < len(words):
        for end in range(min(len(words), start + thesaurus.longest), start + 1, -1):
            names = thesaurus.alternatives(" ".join(words[start:end]))
            if names:
                for i in range(start, end):
                    out[i] = (names, end - start)
                start = end
                break
        else:
            start += 1
    return out


def build_query(text, thesaurus, weights=WEIGHTS, extra=None, skip=()):
    """The ParsedQuery of ``text``, or None when it holds no meaningful word.
    ``extra``: {typed word: [(other form, weight)]} added to that word's clause
    (the service's second pass: the elision read in "jai", a spelling
    correction); ``skip``: typed words to leave out ("jai": j'ai)."""
    words, phrases, required = split_query(text)
    kept = [i for i, w in enumerate(words) if w not in skip]
    required = {kept.index(i) for i in required if i in kept}
    words = [words[i] for i in kept]
    spans = _spans(words, thesaurus)
    clauses, literal = [], []  # literal: (clause index, word) of plain words, for proximity
    for position, word in enumerate(words):
        parts = literal_parts = word_parts(word, weights)
        for form, weight in (extra or {}).get(word, []):
            parts = _with_alternatives(parts, [form], weight, weights)
        if not parts:
            continue  # a stop word alone
        parts = _with_alternatives(parts, thesaurus.alternatives(word), weights.synonym, weights)
        if position in spans:
            names, size = spans[position]
            parts = _with_alternatives(parts, names, weights.synonym / size, weights)
        if literal_parts:
            literal.append((len(clauses), word))
        clauses.append(Clause(word, parts, required=position in required))
    for phrase in phrases:
        parts = phrase_parts(phrase, weights)
        if parts:
            parts = _with_alternatives(parts, thesaurus.alternatives(phrase), weights.synonym, weights)
            clauses.append(Clause(f"« {phrase} »", parts, required=True, phrase=True))
    if not clauses:
        return None
    return ParsedQuery(clauses, _proximity(literal, weights), weights)


def _proximity(literal, weights):
    """Bonus queries for consecutive typed words found side by side."""
    out = []
    for (i, first), (j, second) in zip(literal, literal[1:], strict=False):
        if j != i + 1:
            continue
        pairs = tokens(_PAIRS, f"{first} {second}")
        if not pairs:
            continue
        notice = Or(
            [Term("pairs", p, boost=weights.proximity) for p in pairs]
            + [Term("title_pairs", p, boost=weights.proximity * weights.title_pairs / weights.pairs) for p in pairs]
        )
        full = Or([Term("full_pairs", p, boost=weights.proximity * weights.full) for p in pairs])
        out.append(Parts(notice, None, full, between=(i, j)))
    return out


def elided(word):
    """The word an elision typed without its apostrophe hides ("jai" → "ai",
    "lharmonie" → "harmonie", "quil" → "il"), or None."""
    folded = fold(word)
    for head in sorted(ELISION_HEADS, key=len, reverse=True):
        if folded.startswith(head) and len(folded) > len(head) + 1:
            return word[len(head) :]
    return None


ELISION_HEADS = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu")
