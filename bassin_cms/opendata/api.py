"""The read-only JSON API (documented in the README): /api/resources takes
the search page's parameters, /api/resources/<id> gives one resource. It
answers what an anonymous visitor may see, whoever asks."""

from pyramid.view import view_config

from bassin_cms.search.backend import PAGE_SIZE
from bassin_cms.search.views import json_hit, labelled_facets, run_search
from bassin_cms.workflow.security import aware, visible_to_public

API_VERSION = 1


def _cors(request):
    # Open data: any site may read it from a browser.
    request.response.headers["Access-Control-Allow-Origin"] = "*"


@view_config(route_name="api_resources", renderer="json")
def api_resources(request):
    _cors(request)
    params, results, error = run_search(request, public=True)
    if results is None:
        return {"error": error}
    pages = max(1, -(-results.total // PAGE_SIZE))
    return {
        "api_version": API_VERSION,
        "total": results.total,
        "page": results.page,
        "pages": pages,
        "next": request.current_route_url(_query=dict(request.params, page=results.page + 1))
        if results.page < pages
        else None,
        "results": [
            dict(
                json_hit(request, hit),
                id=hit.node.shortid,
                api_url=request.route_url("api_resource", shortid=hit.node.shortid),
            )
            for hit in results.hits
        ],
        "facets": labelled_facets(request, results.facets),
        "suggestion": results.suggestion,
        "messages": results.messages,
    }


@view_config(route_name="api_resource", renderer="json")
def api_resource(request):
    _cors(request)
    resource = request.public_catalogue.by_shortid(request.matchdict["shortid"])
    if resource is None:
        request.response.status = 404
        return {"error": "Aucune ressource publique avec cet identifiant."}
    catalogue = request.public_catalogue
    full = visible_to_public(resource, "view_full")
    files = request.file_service.listed(request.file_service.files_of(resource)) if full else []
    return {
        "api_version": API_VERSION,
        "id": resource.shortid,
        "url": request.resource_url(resource),
        "permalink": request.route_url("shortlink", shortid=resource.shortid, rest=()),
        "title": resource.title,
        "kind": {"code": resource.kind.code, "label": resource.kind.label} if resource.kind else None,
        "summary": resource.summary,
        "restricted": not full,
        "modified": aware(resource.modified).isoformat() if resource.modified else None,
        "terms": {
            vocabulary: [{"code": t.code, "label": t.label} for t in resource.terms_of(vocabulary)]
            for vocabulary in ("theme", "territory", "audience", "level", "subject")
        },
        "dublin_core": catalogue.dublin_core(resource),
        "files": [
            {
                "filename": f.filename,
                "role": f.role,
                "format": f.blob.mime_type,
                "size": f.blob.size,
                "pages": f.blob.page_count,
                "url": request.resource_url(resource, "@@download", str(f.id), f.filename),
            }
            for f in files
        ],
        "sheet_pdf": request.resource_url(resource, "@@fiche.pdf"),
    }


@view_config(route_name="api_resources", request_method="OPTIONS")
@view_config(route_name="api_resource", request_method="OPTIONS")
def api_preflight(request):
    _cors(request)
    request.response.headers["Access-Control-Allow-Methods"] = "GET"
    return request.response
