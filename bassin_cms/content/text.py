"""Small text rules of the content domain: names, partial dates, safe HTML, agents."""

import re
import unicodedata

import nh3

from bassin_cms.i18n import _

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def fold(text):
    """Lower case without accents: the key used to compare free text."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("œ", "oe").replace("æ", "ae").lower().strip()


def folded_words(text):
    """["loos", "en", "gohelle"] for "Loos-En-Gohelle": the words of a text,
    punctuation, accents and case aside (names compared as people type them)."""
    return re.findall(r"[^\W_]+", fold(text))


def shorten(text, limit):
    """``text`` cut at the last word boundary before ``limit`` characters, with
    "…" when anything was cut (a summary in a list of results)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


def slugify(text, max_length=80):
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "sans-titre"


def unique_anchor(title, taken, prefix):
    """An id for a part of a page ("chapitre-le-bien"), not in ``taken``
    (which it joins): a second part of the same title gets "-2"."""
    base = prefix + slugify(title, max_length=90)
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def check_name(name, code=False):
    """A message if ``name`` (a vocabulary ``code``) cannot be used in a URL path, else None."""
    if NAME_RE.match(name or ""):
        return None
    if code:
        return _(
            "Le code ne peut contenir que des lettres minuscules sans accent, "
            "des chiffres, « - », « _ » et « . » (100 caractères au plus)."
        )
    return _(
        "Le nom court ne peut contenir que des lettres minuscules sans accent, "
        "des chiffres, « - », « _ » et « . » (100 caractères au plus)."
    )


# --- partial dates: a year, a month or a day --------------------------------

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})$"), ("y",)),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
]


# Month names as the site writes them, as people abbreviate them, and in English.
_MONTH_NAMES = {}
for _number, _names in enumerate(
    [
        ("janvier", "janv", "jan", "january"),
        ("fevrier", "fevr", "fev", "february", "feb"),
        ("mars", "mar", "march"),
        ("avril", "avr", "april", "apr"),
        ("mai", "may"),
        ("juin", "june", "jun"),
        ("juillet", "juil", "july", "jul"),
        ("aout", "august", "aug"),
        ("septembre", "sept", "sep", "september"),
        ("octobre", "oct", "october"),
        ("novembre", "nov", "november"),
        ("decembre", "dec", "december"),
    ],
    start=1,
):
    _MONTH_NAMES.update(dict.fromkeys(_names, _number))
_WRITTEN_DATE = re.compile(r"^(?:(\d{1,2})(?:er)?\s+)?([^\W\d_]+)\.?\s+(\d{4})$")


def _written_date(text):
    """ "mars 2024", "5 mars 2024", "1er juin 2024", "sept. 2021", "March 2024"
    -> "2024-03"-like text the patterns read, or None."""
    match = _WRITTEN_DATE.match(fold(text))
    if not match or match.group(2) not in _MONTH_NAMES:
        return None
    day, month, year = match.group(1), _MONTH_NAMES[match.group(2)], match.group(3)
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"


def parse_partial_date(text):
    """'2023', '2023-12', '12/2023', 'décembre 2023', '2022-02-21',
    '21/02/2022' or '21 février 2022' -> (y, m, d): dates are typed as the
    site shows them too.

    Raises ValueError with a French message on anything else.
    """
    import datetime as dt

    text = (text or "").strip()
    text = _written_date(text) or text
    for pattern, parts in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            values = dict(zip(parts, (int(g) for g in match.groups()), strict=False))
            y, m, d = values.get("y"), values.get("m"), values.get("d")
            if not 1000 <= y <= 2999:
                break
            if m is not None and not 1 <= m <= 12:
                raise ValueError(_("Le mois doit être compris entre 1 et 12."))
            if d is not None:
                try:
                    dt.date(y, m, d)
                except ValueError:
                    raise ValueError(_("Ce jour n'existe pas dans ce mois.")) from None
            return y, m, d
    raise ValueError(
        _(
            "Date non reconnue : indiquez une année (2023), un mois (mars 2023, 2023-03 ou 03/2023) "
            "ou un jour (5 mars 2023, 2023-03-05 ou 05/03/2023)."
        )
    )


def format_partial_date(year, month=None, day=None):
    if not year:
        return ""
    if month and day:
        return f"{day} {MONTHS_FR[month - 1]} {year}"
    if month:
        return f"{MONTHS_FR[month - 1]} {year}"
    return str(year)


def partial_date_iso(year, month=None, day=None):
    if not year:
        return ""
    if month and day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


# --- rich text ----------------------------------------------------------------

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "q",
    "cite",
    "abbr",
    "sup",
    "sub",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "figure",
    "figcaption",
}
_BLOCK_TAG_RE = re.compile(r"<(p|ul|ol|h[1-6]|table|blockquote|figure|div)[\s>/]", re.I)
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}}


def sanitise_html(text):
    """Keep a small, safe subset of HTML; plain text becomes paragraphs."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _BLOCK_TAG_RE.search(text):
        # Text typed as paragraphs (maybe with inline tags): blank lines separate
        # paragraphs; nh3 below escapes or drops whatever is not allowed.
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def strip_tags(html):
    """The words of some HTML, for search and plain-text uses."""
    return re.sub(r"<[^>]+>", " ", html or "")


# --- creators and contributors, one per line: "Name (role)" -------------------

_AGENT_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)\s*$")


def parse_agents(text):
    agents = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = _AGENT_RE.match(line)
        if match and match.group("name"):
            agents.append((match.group("name").strip(), match.group("role").strip()))
        else:
            agents.append((line, ""))
    return agents


def format_agents(agents):
    return "\n".join(a.display() for a in agents)


# OWASP's CSV injection: a cell that starts with one of these is a formula
# to a spreadsheet ("=HYPERLINK(…)"), run when the file is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell a spreadsheet shows as text: a leading formula
    character is preceded by an apostrophe (which ``from_csv_cell`` removes)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def from_csv_cell(text):
    """The value of a cell that ``csv_cell`` wrote: exported files import back."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2] else text


LINK_SCHEMES = ("http", "https")


def safe_href(url, schemes=LINK_SCHEMES):
    """``url`` when it may be a link's target (http or https, or one of
    ``schemes``), else None: a "javascript:" address typed in a form, or one
    left by an older version, is shown as text, never as a link."""
    from urllib.parse import urlsplit

    text = (url or "").strip()
    if not text or any(ord(c) < 33 for c in text):
        return None
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return text if scheme in schemes and (scheme == "mailto" or text.lower().startswith(scheme + "://")) else None


def citation(resource, url, consulted):
    """The reference of ``resource`` as French libraries write it (ISO 690,
    NF Z44-005 practice): (authors, title, medium, kind, publisher and date,
    consulted on, address), each part plain text; the title is returned apart
    so that a page or a PDF can set it in italics."""
    people = [a.name for a in resource.creators]
    authors = "; ".join(people) if people else (resource.publisher or "").upper()
    date = format_partial_date(resource.date_year, resource.date_month, resource.date_day) or "s. d."
    kind = resource.kind.label if resource.kind is not None else ""
    published = ", ".join(x for x in (resource.publisher, date) if x)
    seen = f"{consulted.day} {MONTHS_FR[consulted.month - 1]} {consulted.year}"
    return {
        "authors": authors,
        "title": resource.title,
        "after_title": " ".join(
            x
            for x in (
                "[en ligne].",
                f"{kind}." if kind else "",
                f"{published}." if published else "",
                f"[Consulté le {seen}].",
                f"Disponible à l'adresse : {url}",
            )
            if x
        ),
    }
