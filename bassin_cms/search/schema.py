"""What the index holds, and how a node becomes index documents.

One document per resource (ranking, facets) and one per page of each of its files
(so that a hit can say which page it comes from). Who may find a document is
stored as the tokens of workflow/visibility.py (``index_tokens``): its staff
in ``allowed``, who may find it by its notice while it is open in ``notice``,
who may find it by its full text in ``public`` (its publication dates are
checked at query time against ``effective``/``expires``, so a scheduled
resource appears by itself at its date).

A resource document's words are in fields by where they come from, so that
each weighs what it should (query.Weights, applied at query time; no field
boost is written into the index): the notice (title, summary, body, the names
of its terms) in ``text``, its people in ``people``, its files' pages and its
parts (chapters, entries, articles) in ``full``. Only ``full`` and
``full_pairs`` need the right to read the resource in full.
"""

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import exact_analyzer, french_analyzer, pairs_analyzer

# 5: theme and territory facets hold the terms above the resource's own.
# 6: the visibility tokens of workflow/visibility.py (no creator token).
# 7: notice, people and full text apart; notice tokens; digit groups; spellings.
SCHEMA_VERSION = 7
FOREVER = 2**62


def build_schema():
    french, exact, pairs = french_analyzer(), exact_analyzer(), pairs_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        node=ID(),  # str(node id): to delete all of a node's documents
        doctype=ID(stored=True),  # "resource" or "page"
        node_id=NUMERIC(stored=True, bits=64),
        # No positions anywhere (phrase=False): phrases are matched as word
        # pairs, and positions made every posting block several times slower to
        # read (measured: unpickling them was most of a query's cost).
        title=TEXT(analyzer=french, stored=True, phrase=False),
        title_exact=TEXT(analyzer=exact, phrase=False),
        title_pairs=TEXT(analyzer=pairs, phrase=False),
        text=TEXT(analyzer=french, phrase=False),  # the notice: title, summary, body, term names
        pairs=TEXT(analyzer=pairs, phrase=False),  # the notice's word pairs: phrases, see analysis
        people=TEXT(analyzer=french, phrase=False),  # creators, contributors, publisher
        full=TEXT(analyzer=french, phrase=False),  # files' pages and parts
        full_pairs=TEXT(analyzer=pairs, phrase=False),
        spell=TEXT(analyzer=exact, spelling=True, phrase=False),  # public words only: "did you mean"
        # "folded=spelling" of the public words: a correction is shown with its accents.
        spelling=KEYWORD(commas=True, lowercase=False),
        file_id=NUMERIC(stored=True, bits=64),
        page=NUMERIC(stored=True),
        page_text=TEXT(analyzer=french, stored=True, phrase=False),
        kind=ID(stored=True),
        theme=KEYWORD(commas=True, stored=True),
        territory=KEYWORD(commas=True, stored=True),
        audience=KEYWORD(commas=True, stored=True),
        level=KEYWORD(commas=True, stored=True),
        subject=KEYWORD(commas=True, stored=True),
        year=NUMERIC(stored=True),
        sort_date=NUMERIC(stored=True, bits=64, sortable=True),
        sort_title=ID(stored=True, sortable=True),
        allowed=KEYWORD(commas=True),
        public=KEYWORD(commas=True),  # who may find it by its full text while open
        notice=KEYWORD(commas=True),  # who may find it by its notice while open
        effective=NUMERIC(bits=64),
        expires=NUMERIC(bits=64),
        meta=STORED(),
    )
