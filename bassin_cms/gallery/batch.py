"""Several images at once: upload them as drafts, then fill or correct their
fields in one table (a plain form: no JavaScript needed). The table is saved
whole or not at all; a row with an error is shown again with what was typed."""

import colander
from sqlalchemy import select

from bassin_cms.content.models import Term
from bassin_cms.content.text import partial_date_iso
from bassin_cms.i18n import Refusal, _

from .models import ImageResource
from .schemas import ROW_FIELDS, ImageRowSchema, apply_image

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/tiff")
MAX_BATCH = 50


class BatchError(Refusal):
    def __init__(self, errors, values):
        super().__init__(_("Le tableau n'a pas été enregistré : corrigez les cases signalées."))
        self.errors = errors  # {image id: {field: message}}
        self.values = values  # {image id: {field: what was typed}}


def _title_of(filename):
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return " ".join(stem.replace("_", " ").replace("-", " ").split())[:500] or _("Image sans titre")


def upload_images(request, folder, uploads):
    """Create one draft image per uploaded file: ([image], [(file name, why)])."""
    created, refused = [], []
    uploads = [u for u in uploads if getattr(u, "file", None) is not None and getattr(u, "filename", "")]
    for upload in uploads[MAX_BATCH:]:
        refused.append((upload.filename, _("plus de ${max} images à la fois.", mapping={"max": MAX_BATCH})))
    files = request.file_service
    for upload in uploads[:MAX_BATCH]:
        why = files.refusal(upload.file, upload.filename)
        if why is None:
            upload.file.seek(0)
            _size, mime_type = files.check(upload.file, upload.filename)
            if mime_type not in IMAGE_TYPES:
                why = _("ce n'est pas une photographie (JPEG, PNG, WebP ou TIFF).")
        if why is not None:
            refused.append((upload.filename, why))
            continue
        upload.file.seek(0)
        image = request.content_service.create(
            folder,
            ImageResource,
            title=_title_of(upload.filename),
            creator_id=request.user.id if request.user else None,
        )
        apply_image(request, image, {})
        files.attach(image, upload.file, upload.filename, role="main")
        created.append(image)
    return created, refused


def image_rows(request, folder, ids):
    """The images of the table: those asked for, else the folder's drafts;
    only those this person may edit."""
    query = select(ImageResource).where(ImageResource.parent_id == folder.id)
    query = query.where(ImageResource.id.in_(ids)) if ids else query.where(ImageResource.state == "draft")
    images = list(request.dbsession.scalars(query.order_by(ImageResource.id)))
    return [i for i in images if request.has_permission("edit", i)]


def row_values(image):
    """What a row shows for an image (as typed in the form)."""
    territory = next(iter(image.terms_of("territory")), None)
    theme = next(iter(image.terms_of("theme")), None)
    return {
        "title": image.title,
        "caption": image.caption,
        "credit": image.credit,
        "alt_text": image.alt_text,
        # One line in the table: several authors separated by ";".
        "creators": " ; ".join(a.display() for a in image.creators),
        "date": partial_date_iso(image.date_year, image.date_month, image.date_day),
        "territory": str(territory.id) if territory else "",
        "theme": str(theme.id) if theme else "",
        "usage_terms": image.usage_terms,
        "usage_ends": image.usage_ends.isoformat() if image.usage_ends else "",
    }


def save_rows(request, images, post):
    schema = ImageRowSchema()
    errors, values, valid = {}, {}, {}
    for image in images:
        typed = {name: post.get(f"{image.id}-{name}", "") for name in ROW_FIELDS}
        values[image.id] = typed
        try:
            valid[image.id] = schema.deserialize({k: v if v.strip() else colander.null for k, v in typed.items()})
        except colander.Invalid as invalid:
            errors[image.id] = {k: v for k, v in invalid.asdict(translate=request.localizer.translate).items()}
            continue
        for vocabulary in ("territory", "theme"):
            term_id = valid[image.id][vocabulary]
            term = request.dbsession.get(Term, term_id) if term_id else None
            if term_id and (term is None or term.vocabulary != vocabulary):
                errors.setdefault(image.id, {})[vocabulary] = request.localizer.translate(
                    _("Choisissez dans la liste.")
                )
    if errors:
        raise BatchError(errors, values)
    content = request.content_service
    for image in images:
        row = valid[image.id]
        # The table shows one territory and one theme: the others an image
        # has (given in its full form) are kept.
        others = {v: [t.id for t in image.terms_of(v)[1:]] for v in ("territory", "theme")}
        content.apply_metadata(
            image,
            {
                "title": row["title"],
                "date": row["date"],
                "creators": "\n".join(part.strip() for part in row["creators"].split(";")),
                "territories": ([row["territory"]] if row["territory"] else []) + others["territory"],
                "themes": ([row["theme"]] if row["theme"] else []) + others["theme"],
            },
        )
        apply_image(request, image, row)
