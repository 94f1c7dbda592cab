"""A page's snippet: its best fragment around the query's words, with the
words in <mark>.

The fragments are those of Whoosh's ``ContextFragmenter`` and their score
its ``BasicFragmentScorer``'s (the oracle test in
tests/unit/search/test_highlighting.py compares them), computed here over
plain lists of token offsets: Whoosh's highlighter passes every word of the
text through three generators as a Token object, the largest single cost of
a search page (3 ms of 13 on the demo, measured with pairs of words).
"""

import html
from collections import deque

MAXCHARS = 220  # a fragment's most characters of words
SURROUND = 60  # characters of context around its matched words
AFTER_FIRST_MATCH = 520  # characters read after the first matched word, for a better fragment


def snippet(text, terms, analyzer, maxchars=MAXCHARS, surround=SURROUND):
    """The best fragment of ``text`` holding words that give one of
    ``terms`` (stems) through ``analyzer`` (a WordCachedAnalyzer), as HTML,
    or "" when no word does. Of fragments scored alike, the first (Whoosh
    breaks such ties by the fragments' memory addresses: a page's snippet
    changed from one request to the next). "…" says where it was cut."""
    terms = frozenset(terms)
    first = analyzer.first_match(text, terms)
    if first is None:
        return ""
    # Only the text around the first matched word is read: one fragment is
    # shown. A fragment begins at most ``surround`` characters before its
    # first matched word, so the words further back could only be dropped.
    start = text.rfind(" ", 0, max(0, first - 2 * surround)) + 1
    end = text.find(" ", first + AFTER_FIRST_MATCH)
    window = text[start : end if end != -1 else len(text)]
    starts, ends, matched = analyzer.offsets(window, terms)
    best, best_score = None, 0
    for fragment in fragments(starts, ends, matched, maxchars, surround):
        hits = fragment[2]
        score = len(hits) * (len({matched[i] for i in hits}) * 100)
        if score > best_score:
            best, best_score = fragment, score
    if best is None:
        return ""
    return formatted(window, best, starts, ends)


def fragments(starts, ends, matched, maxchars, surround):
    """(first char, end char, [indexes of matched tokens]) of each fragment
    of a text whose tokens have these offsets and, where matched, the term
    they give (else None): ContextFragmenter.fragment_tokens, step for step,
    empty fragments included (they score nothing)."""
    first, firsts, countdown, tks, currentlen, endchar = None, deque(), -1, [], 0, None
    for i, startchar in enumerate(starts):
        endchar = ends[i]
        tlength = endchar - startchar
        hit = matched[i] is not None
        if countdown < 0 and not hit:
            # Not in a fragment: the starts of the words just before one.
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > surround:
                firsts.popleft()
        elif currentlen + tlength > maxchars:
            countdown = 0  # this word would make the fragment too long
        elif hit:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += surround
            tks.append(i)
        if countdown >= 0:
            currentlen += tlength
            countdown -= tlength
            if countdown <= 0:
                yield first, endchar, tks
                first, firsts, tks, currentlen = None, deque(), [], 0
    if tks:
        yield first, endchar, tks


def formatted(text, fragment, starts, ends):
    """The fragment's HTML: its text escaped, its matched words in <mark>,
    "…" where it does not begin or end the text."""
    startchar, endchar, hits = fragment
    if startchar is None:
        startchar = starts[hits[0]] if hits else 0
    out, index = [], startchar
    for i in hits:
        if starts[i] < index:
            continue
        if starts[i] > index:
            out.append(html.escape(text[index : starts[i]], quote=False))
        out.append(f"<mark>{html.escape(text[starts[i] : ends[i]])}</mark>")
        index = ends[i]
    out.append(html.escape(text[index:endchar], quote=False))
    shown = "".join(out).strip()
    if startchar > 0:
        shown = "… " + shown
    if endchar < len(text.rstrip()):
        shown += " …"
    return shown
