"""Turn a resource into index documents (one for it, one per page of its files)."""

import datetime as dt

from bassin_cms.content.models import Resource
from bassin_cms.content.text import strip_tags
from bassin_cms.workflow.security import ARCHIVED, aware
from bassin_cms.workflow.visibility import EVERYONE, index_tokens

from .schema import FOREVER


def _ts(value, default):
    value = aware(value)
    return int(value.timestamp()) if value is not None else default


def access_tokens(node):
    """(staff tokens, public tokens) for a resource: visibility.index_tokens."""
    return index_tokens(node)


def _terms_text(resource):
    """Labels, acronyms and other names of the resource's terms, and each
    commune's EPCI and département: "Artois Comm" or "CALL" find a commune."""
    words = []
    for term in resource.terms:
        seen = term
        while seen is not None:
            words += [seen.label, seen.acronym, *seen.alias_list]
            seen = seen.parent if term.vocabulary == "territory" else None
    if resource.kind is not None:
        words += [resource.kind.label, *resource.kind.alias_list]
    return " ".join(w for w in words if w)


def _with_ancestors(terms):
    """The codes of ``terms`` and of the terms above them: a resource about a
    commune is found (and counted) under its EPCI and département, one about
    "Cités minières" under "Urbanisme et habitat"."""
    codes = []
    for term in terms:
        while term is not None:
            codes.append(term.code)
            term = term.parent
    return list(dict.fromkeys(codes))


def resource_documents(resource, files, pages_of, at=None):
    """[documents] for ``resource``; ``files`` its ResourceFiles, ``pages_of``
    a function sha256 -> [BlobPage]."""
    if not isinstance(resource, Resource):
        return []
    at = at or dt.datetime.now(dt.UTC)
    staff, public = access_tokens(resource)
    effective = _ts(resource.effective, 0)
    expires = _ts(resource.expires, FOREVER)
    if resource.state == ARCHIVED:
        effective, expires = 0, FOREVER
    agents = " ".join(a.display() for a in resource.agents)
    terms_text = _terms_text(resource)
    facets = {
        "theme": ",".join(_with_ancestors(resource.terms_of("theme"))),
        "territory": ",".join(_with_ancestors(resource.terms_of("territory"))),
        "audience": ",".join(t.code for t in resource.terms_of("audience")),
        "level": ",".join(t.code for t in resource.terms_of("level")),
        "subject": ",".join(t.code for t in resource.terms_of("subject")),
    }
    kind = resource.kind.code if resource.kind else ""
    pages = [(f, page) for f in files for page in pages_of(f.sha256) if page.text.strip()]
    parts = resource.search_parts()
    file_text = " ".join([page.text for _f, page in pages] + [f"{p['title']} {p['text']}" for p in parts])
    body = " ".join(
        x
        for x in (
            resource.summary,
            strip_tags(resource.body),
            agents,
            terms_text,
            resource.publisher,
            str(resource.date_year or ""),
        )
        if x
    )
    common = {
        "node": str(resource.id),
        "node_id": resource.id,
        "allowed": ",".join(staff),
        "public": ",".join(public),
        "effective": effective,
        "expires": expires,
    }
    is_public_now = public == [EVERYONE] and effective <= at.timestamp() < expires
    documents = [
        dict(
            common,
            id=f"r{resource.id}",
            doctype="resource",
            title=resource.title,
            title_exact=resource.title,
            title_pairs=resource.title,
            text=f"{resource.title} {body} {file_text}",
            pairs=f"{resource.title} {body} {file_text}",
            spell=f"{resource.title} {body}" if is_public_now else "",
            kind=kind,
            year=resource.date_year or 0,
            sort_date=(resource.date_year or 0) * 10000 + (resource.date_month or 0) * 100 + (resource.date_day or 0),
            sort_title=resource.title.lower()[:200],
            meta={"title": resource.title, "kind": kind, "year": resource.date_year, "version": resource.version},
            **facets,
        )
    ]
    for attached, page in pages:
        documents.append(
            dict(
                common,
                id=f"p{resource.id}-{attached.id}-{page.page}",
                doctype="page",
                file_id=attached.id,
                page=page.page,
                page_text=page.text,
                meta={"filename": attached.filename},
            )
        )
    for part in parts:
        # Found like a page (page_text), shown as a link to its anchor.
        documents.append(
            dict(
                common,
                id=f"a{resource.id}-{part['anchor']}",
                doctype="page",
                page_text=f"{part['title']} {part['text']}",
                meta={"anchor": part["anchor"], "title": part["title"], "key": part.get("key", "")},
            )
        )
    return documents
