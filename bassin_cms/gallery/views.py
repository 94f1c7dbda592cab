"""The press gallery's pages: an image, its web sizes and original, the
gallery with its facets and ZIP, time-limited links, journalists' requests,
the press desk's pages (requests, links, download log), and the batch upload
and table of a folder's images."""

import datetime as dt

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from bassin_cms.content.models import Folder
from bassin_cms.content.views import kind_macro, resource_view
from bassin_cms.files.extraction import IMAGE_WIDTHS
from bassin_cms.files.responses import stored_response
from bassin_cms.files.views import MissingFile, content_disposition, derived_response
from bassin_cms.forms import handle_form_submission, make_form
from bassin_cms.i18n import _, flash, translate
from bassin_cms.params import id_param
from bassin_cms.selection.services import archive_names, zip_stream
from bassin_cms.workflow.visibility import principal_tokens, sees_press_only

from .batch import BatchError, image_rows, row_values, save_rows, upload_images
from .models import ImageResource
from .schemas import (
    AcceptSchema,
    AccessRequestSchema,
    ImageRowSchema,
    LinkSchema,
    PasswordSchema,
    access_end_default,
)
from .services import MAX_ZIP_IMAGES, GalleryError, terms_ended


# --- an image ---------------------------------------------------------------------
def _web_key(request, image, width):
    """(key, main file) of the web size closest to ``width`` that the store
    holds (an image narrower than 1200 px has only the small one), or (None,
    main file) while the worker has not made them. Asks the store: for
    serving a web size, not for listing (``previewed``)."""
    attached = request.file_service.main_file(image)
    if attached is None or not attached.blob.has_preview:
        return None, attached
    store = request.registry["blob_storage"]
    for candidate in sorted((w for w in IMAGE_WIDTHS if w <= width), reverse=True) or [IMAGE_WIDTHS[0]]:
        key = request.file_service.preview_key(attached, candidate)
        if store.size(key) is not None:
            return key, attached
    return None, attached


def previewed(request, images):
    """{image id: whether the worker made its web sizes}, in one query and
    without asking the store (the smallest size always exists once it has)."""
    found = request.file_service.thumbnails_for(images)
    return {i.id: i.id in found and found[i.id].is_main and found[i.id].blob.has_preview for i in images}


def _width(request):
    value = request.subpath[0] if request.subpath else str(IMAGE_WIDTHS[-1])
    value = value.removesuffix(".jpg")
    return int(value) if value.isdigit() and int(value) in IMAGE_WIDTHS else None


@view_config(context=ImageResource, renderer="resource.pt", permission="view")
def image_view(context, request):
    page = resource_view(context, request)
    gallery = request.gallery_service
    page.update(
        kind_macro=kind_macro("image_content.pt"),
        image=context,
        web_key=previewed(request, [context])[context.id],
        may_take_original=gallery.may_take_original(context),
        terms_ended=terms_ended(context),
        terms=gallery.terms_text(context),
    )
    return page


@view_config(context=ImageResource, name="web.jpg", permission="view")
def image_web_view(context, request):
    width = _width(request)
    if width is None:
        raise HTTPNotFound()
    key, attached = _web_key(request, context, width)
    if key is None:
        raise HTTPNotFound()
    return derived_response(request, key, f"w{width}-", attached)


def _original_response(request, image, link=None):
    gallery = request.gallery_service
    if terms_ended(image):
        request.response.status = 410
        return None
    found = gallery.original(image)
    if found is None:
        raise MissingFile(image.title)
    key, size, attached = found
    response = stored_response(
        request,
        request.registry["blob_storage"],
        key,
        size,
        attached.blob.mime_type,
        key.rsplit("/", 1)[-1],
        attached.blob.created,
        disposition=content_disposition("attachment", attached.filename),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.status_int != 304 and (request.range is None or request.range.start in (0, None)):
        gallery.log([image], "original", link=link)
    return response


def _ended_page(request, image):
    request.response.status = 410
    request.response.cache_control = "no-store"
    return {
        "message": _(
            "Les droits d'utilisation de « ${title} » ont pris fin le ${date} : l'original n'est plus téléchargeable.",
            mapping={"title": image.title, "date": f"{image.usage_ends:%d/%m/%Y}"},
        )
    }


@view_config(context=ImageResource, name="original", permission="view_full", renderer="404.pt")
@view_config(context=ImageResource, name="download", permission="view_full", renderer="404.pt")
@view_config(context=ImageResource, name="display-file", permission="view_full", renderer="404.pt")
def image_original_view(context, request):
    """The original, with its caption and credit written in; logged. Every
    address that gives a resource's file gives this for an image."""
    response = _original_response(request, context)
    return response if response is not None else _ended_page(request, context)


# --- the gallery --------------------------------------------------------------------
@view_config(route_name="gallery", renderer="gallery.pt")
def gallery_view(request):
    from bassin_cms.search.views import facet_page

    request.response.cache_control = "private, no-store" if request.user else "no-cache"
    if not sees_press_only(principal_tokens(request)):
        return {"open": False}
    page = facet_page(request, fixed={"kind": "image"}, refine=("theme", "territory", "year"))
    gallery = request.gallery_service
    images = {h["node"].id: h["node"] for h in page["hits"]}
    page.update(
        open=True,
        ended=gallery.ended_terms() if request.has_permission("edit", request.root) else [],
        downloadable={i: gallery.may_take_original(image) for i, image in images.items()},
        web_keys=previewed(request, list(images.values())),
    )
    return page


def _zip(request, images, link=None):
    gallery = request.gallery_service
    originals = [(image, gallery.original(image)) for image in images]
    originals = [(image, found) for image, found in originals if found is not None]
    items = [(image, [found[2]]) for image, found in originals]
    names = {image.id: name for image, _f, name in archive_names(items)}
    store = request.registry["blob_storage"]
    entries = [
        (names[image.id], (lambda key=found[0], size=found[1]: store.open_range(key, 0, size)), found[1])
        for image, found in originals
    ]
    gallery.log([image for image, _found in originals], "zip", link=link)
    response = Response(content_type="application/zip")
    response.app_iter = zip_stream(
        gallery.credits_text([image for image, _f in originals], names), entries, readme_name="CREDITS.txt"
    )
    response.content_disposition = 'attachment; filename="images-mission-bassin-minier.zip"'
    response.cache_control = "no-store"
    return response


def _chosen_ids(request):
    ids = [id_param(v) for v in request.GET.getall("image")]
    return list(dict.fromkeys(i for i in ids if i))[:MAX_ZIP_IMAGES]


@view_config(route_name="gallery_zip")
def gallery_zip_view(request):
    gallery = request.gallery_service
    ids = _chosen_ids(request)
    images = [i for i in gallery.visible_images(ids) if gallery.may_take_original(i)] if ids else []
    if not images:
        if not sees_press_only(principal_tokens(request)):
            raise HTTPForbidden()
        flash(request, _("Cochez au moins une image téléchargeable pour recevoir un ZIP."))
        return HTTPSeeOther(request.route_url("gallery"))
    return _zip(request, images)


# --- time-limited links --------------------------------------------------------------
def _link_or_page(request):
    link, why = request.gallery_service.link_of(request.matchdict["token"])
    if link is None:
        request.response.status = 410
        request.response.cache_control = "no-store"
        return None, {"message": why}
    return link, None


def _link_image(request, link):
    image_id = id_param(request.matchdict["image_id"])
    found = {i.id: i for i in request.gallery_service.link_images(link)}
    if image_id not in found:
        raise HTTPNotFound()
    return found[image_id]


@view_config(route_name="press_link", renderer="press_link.pt")
def press_link_view(request):
    link, page = _link_or_page(request)
    if link is None:
        return dict(page, link=None)
    gallery = request.gallery_service
    gallery.used(link)
    request.response.cache_control = "no-store"
    request.response.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    images = gallery.link_images(link)
    return {
        "link": link,
        "token": request.matchdict["token"],
        "images": images,
        "ended": {i.id: terms_ended(i) for i in images},
        "about": {i.id: gallery.described(i) for i in images},
        "message": None,
    }


@view_config(route_name="press_link_web")
def press_link_web_view(request):
    link, _page = _link_or_page(request)
    if link is None:
        raise HTTPNotFound()
    image = _link_image(request, link)
    key, attached = _web_key(request, image, IMAGE_WIDTHS[0])
    if key is None:
        raise HTTPNotFound()
    response = derived_response(request, key, f"w{IMAGE_WIDTHS[0]}-", attached)
    response.cache_control = "private, no-cache"
    return response


@view_config(route_name="press_link_original", renderer="404.pt")
def press_link_original_view(request):
    link, page = _link_or_page(request)
    if link is None:
        return page
    image = _link_image(request, link)
    response = _original_response(request, image, link=link)
    return response if response is not None else _ended_page(request, image)


@view_config(route_name="press_link_zip", renderer="404.pt")
def press_link_zip_view(request):
    link, page = _link_or_page(request)
    if link is None:
        return page
    images = [i for i in request.gallery_service.link_images(link) if not terms_ended(i)]
    if not images:
        request.response.status = 410
        return {"message": _("Aucune image de ce lien n'est plus téléchargeable.")}
    return _zip(request, images, link=link)


# --- journalists' requests and password -----------------------------------------------
@view_config(route_name="press_access", renderer="form.pt")
def access_request_view(request):
    form = make_form(request, AccessRequestSchema(), buttons=(_button("send", _("Envoyer la demande")),))

    def send(appstruct):
        request.gallery_service.ask_access(appstruct)
        flash(
            request,
            _(
                "Votre demande est enregistrée : le service presse l'examine et vous répond par courriel à ${email}.",
                mapping={"email": appstruct["email"]},
            ),
            "success",
        )
        return HTTPSeeOther(request.route_url("press"))

    if "send" in request.POST:
        response, html = handle_form_submission(request, form, send, field_name="email")
        if response is not None:
            return response
    else:
        html = form.render()
    return {
        "page_title": _("Demander l'accès à la photothèque presse"),
        "form": html,
        "context": None,
        "cancel_url": request.route_url("press"),
        "intro": _(
            "La photothèque est réservée aux journalistes. Le service presse vérifie chaque demande et répond par "
            "courriel ; l'accès est donné pour une durée limitée."
        ),
    }


def _button(name, title):
    return deform.Button(name, title)


@view_config(route_name="press_password", renderer="form.pt")
def press_password_view(request):
    gallery = request.gallery_service
    user = gallery.user_of_password_token(request.matchdict["token"])
    if user is None:
        request.response.status = 410
        return {
            "page_title": _("Lien expiré ou déjà utilisé"),
            "form": "",
            "context": None,
            "cancel_url": request.route_url("press"),
            "intro": _("Ce lien ne sert qu'une fois et pendant 7 jours. Demandez-en un autre au service presse."),
        }
    form = make_form(request, PasswordSchema(), buttons=(_button("save", _("Enregistrer")),))

    def save(appstruct):
        request.user_service.set_password(user, appstruct["password"])
        flash(request, _("Mot de passe enregistré : connectez-vous pour ouvrir la photothèque."), "success")
        return HTTPSeeOther(request.route_url("login", _query={"came_from": request.route_path("gallery")}))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save, field_name="password")
        if response is not None:
            return response
    else:
        html = form.render()
    return {
        "page_title": _("Choisir votre mot de passe"),
        "form": html,
        "context": None,
        "cancel_url": request.route_url("press"),
        "intro": _("Compte : ${email}", mapping={"email": user.email}),
    }


# --- the press desk --------------------------------------------------------------------
@view_config(route_name="press_requests", renderer="admin/press_requests.pt", permission="manage_press")
def press_requests_view(request):
    gallery = request.gallery_service
    return {
        "pending": gallery.access_requests("pending"),
        "decided": [r for r in gallery.access_requests(None) if r.status != "pending"][:50],
        "default_until": access_end_default(),
        "journalists": [u for u in request.user_service.all() if u.role == "journalist"],
    }


@view_config(route_name="press_request", request_method="POST", permission="manage_press")
def press_request_decision_view(request):
    gallery = request.gallery_service
    access = gallery.access_request(id_param(request.matchdict["request_id"]))
    if access is None:
        raise HTTPNotFound()
    try:
        if "accept" in request.POST:
            until = AcceptSchema().bind(request=request)["until"].deserialize(request.POST.get("until") or "")
            gallery.accept(access, until)
            flash(
                request,
                _(
                    "Accès accordé à ${name} jusqu'au ${date} ; un courriel lui a été envoyé.",
                    mapping={"name": access.name, "date": f"{until:%d/%m/%Y}"},
                ),
                "success",
            )
        elif "refuse" in request.POST:
            gallery.refuse(access, request.POST.get("reason", ""))
            flash(
                request, _("Demande de ${name} refusée ; un courriel lui a été envoyé.", mapping={"name": access.name})
            )
        else:
            raise HTTPNotFound()
    except colander.Invalid:
        request.tm.doom()
        flash(request, _("Date de fin d'accès non reconnue (AAAA-MM-JJ)."))
    except GalleryError as refusal:
        request.tm.doom()
        flash(request, refusal.message)
    return HTTPSeeOther(request.route_url("press_requests"))


@view_config(route_name="press_links", renderer="admin/press_links.pt", permission="manage_press")
def press_links_view(request):
    gallery = request.gallery_service
    form = make_form(request, LinkSchema().bind(request=request), buttons=(_button("create", _("Créer le lien")),))
    created = None

    def create(appstruct):
        nonlocal created
        link, token = gallery.create_link(
            appstruct["recipient"], appstruct["email"], list(appstruct["images"]), appstruct["days"]
        )
        created = {"link": link, "url": request.route_url("press_link", token=token)}
        return None

    html = None
    if "create" in request.POST:
        _response, html = handle_form_submission(request, form, create)
    if html is None:
        html = form.render()
    request.response.cache_control = "no-store"  # the new address is shown once
    return {"form": html, "created": created, "links": gallery.links(), "now": dt.datetime.now(dt.UTC)}


@view_config(route_name="press_link_revoke", request_method="POST", permission="manage_press")
def press_link_revoke_view(request):
    gallery = request.gallery_service
    link = gallery.link(id_param(request.matchdict["link_id"]))
    if link is None:
        raise HTTPNotFound()
    gallery.revoke(link)
    flash(request, _("Lien pour ${who} révoqué.", mapping={"who": link.recipient}), "success")
    return HTTPSeeOther(request.route_url("press_links"))


@view_config(route_name="press_downloads", renderer="admin/press_downloads.pt", permission="manage_press")
def press_downloads_view(request):
    return {"rows": request.gallery_service.downloads()}


@view_config(route_name="press_downloads_csv", permission="manage_press")
def press_downloads_csv_view(request):
    gallery = request.gallery_service
    response = Response(gallery.downloads_csv(gallery.downloads(limit=None)), content_type="text/csv", charset="utf-8")
    response.content_disposition = 'attachment; filename="telechargements-presse.csv"'
    response.cache_control = "no-store"
    return response


# --- a folder's images: batch upload and table ------------------------------------------
@view_config(context=Folder, name="televerser-images", permission="add", renderer="image_upload.pt")
def image_upload_view(context, request):
    if request.method == "POST":
        created, refused = upload_images(request, context, request.POST.getall("images"))
        for name, why in refused:
            flash(
                request, _("« ${name} » non ajoutée : ${why}", mapping={"name": name, "why": translate(request, why)})
            )
        if created:
            flash(
                request,
                _(
                    "${count} image(s) ajoutée(s) en brouillon : complétez-les ci-dessous.",
                    mapping={"count": len(created)},
                ),
                "success",
            )
            return HTTPSeeOther(
                request.resource_url(context, "@@tableau-images", query=[("id", i.id) for i in created])
            )
        request.response.status = 400 if refused else 200
        if not refused:
            flash(request, _("Choisissez au moins une image."))
    return {"folder": context, "max_size": request.file_service.max_size_label()}


@view_config(context=Folder, name="tableau-images", permission="add", renderer="image_table.pt")
def image_table_view(context, request):
    ids = [id_param(v) for v in request.params.getall("id")]
    images = image_rows(request, context, [i for i in ids if i])
    errors, values = {}, None
    if request.method == "POST":
        try:
            save_rows(request, images, request.POST)
            flash(request, _("${count} image(s) enregistrée(s).", mapping={"count": len(images)}), "success")
            return HTTPSeeOther(request.resource_url(context, "@@tableau-images", query=[("id", i.id) for i in images]))
        except BatchError as failure:
            request.tm.doom()
            request.response.status = 400
            errors, values = failure.errors, failure.values
    gallery = request.gallery_service
    return {
        "folder": context,
        "images": images,
        "errors": errors,
        "values": values,
        "row_values": row_values,
        "labels": {node.name: request.localizer.translate(node.title) for node in ImageRowSchema().children},
        "thumbs": previewed(request, images),
        "territories": request.vocabulary_service.choices("territory"),
        "themes": request.vocabulary_service.choices("theme"),
        "missing_credit": [i for i in images if not (i.credit or "").strip()],
        "ended": {i.id: terms_ended(i) for i in images},
        "terms": {i.id: gallery.terms_text(i) for i in images},
    }
