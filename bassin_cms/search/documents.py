"""Turn a resource into index documents (one for it, one per page of its files)."""

import datetime as dt

from bassin_cms.content.models import Resource
from bassin_cms.content.text import strip_tags
from bassin_cms.workflow.security import ARCHIVED, aware
from bassin_cms.workflow.visibility import EVERYONE, index_tokens

from .analysis import spellings
from .schema import FOREVER


def _ts(value, default):
    value = aware(value)
    return int(value.timestamp()) if value is not None else default


def _terms_text(resource):
    """The names of the resource's terms (label, acronym, English label), and
    each commune's EPCI and département: "CALL" finds a commune. Search
    synonyms widen queries instead (query.Thesaurus), with their lower
    weight; import aliases are never searched: a resource is not about what
    its kind was once called in a legacy catalogue."""
    words = []
    for term in resource.terms:
        seen = term
        while seen is not None:
            words += [seen.label, seen.acronym, seen.label_en]
            seen = seen.parent if term.vocabulary == "territory" else None
    if resource.kind is not None:
        words += [resource.kind.label, resource.kind.label_en]
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
    staff, public, notice = index_tokens(resource)
    effective = _ts(resource.effective, 0)
    expires = _ts(resource.expires, FOREVER)
    if resource.state == ARCHIVED:
        effective, expires = 0, FOREVER
    people = " ".join([a.display() for a in resource.agents] + [resource.publisher or ""])
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
    full = " ".join([page.text for _f, page in pages] + [f"{p['title']} {p['text']}" for p in parts])
    notice_text = " ".join(
        x
        for x in (
            resource.title,
            resource.summary,
            strip_tags(resource.body),
            resource.notice_text(),
            _terms_text(resource),
            str(resource.date_year or ""),
        )
        if x
    )
    common = {
        "node": str(resource.id),
        "node_id": resource.id,
        "allowed": ",".join(staff),
        "public": ",".join(public),
        "notice": ",".join(notice),
        "effective": effective,
        "expires": expires,
    }
    # Words for "did you mean": those of notices everyone may read now.
    is_public_now = notice == [EVERYONE] and effective <= at.timestamp() < expires
    documents = [
        dict(
            common,
            id=f"r{resource.id}",
            doctype="resource",
            title=resource.title,
            title_exact=resource.title,
            title_pairs=resource.title,
            text=notice_text,
            pairs=notice_text,
            people=people,
            full=full,
            full_pairs=full,
            spell=notice_text if is_public_now else "",
            spelling=",".join(f"{k}={v}" for k, v in spellings(notice_text).items()) if is_public_now else "",
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
