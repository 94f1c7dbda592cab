"""The rules of a feature's articles: order, anchors, verbatims, images that
must be readable pictures."""

from PIL import Image, UnidentifiedImageError

from bassin_cms.content.models import utcnow
from bassin_cms.content.text import unique_anchor
from bassin_cms.i18n import Refusal, _

from .models import FeatureArticle, FeatureImage, FeatureVerbatim

IMAGE_FORMATS = {"JPEG", "PNG"}  # what browsers and ReportLab both show


class FeatureRuleError(Refusal):
    """The message is for the editor, in French."""


def check_image(fp):
    """Refuse anything but a readable JPEG or PNG (a broken file must not
    break the page or the PDF later)."""
    fp.seek(0)
    try:
        with Image.open(fp) as picture:
            picture.verify()
            kind = picture.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    finally:
        fp.seek(0)
    if kind not in IMAGE_FORMATS:
        raise FeatureRuleError(
            _(
                "Ce fichier n'est pas une image JPEG ou PNG lisible : enregistrez-la dans l'un de "
                "ces formats et envoyez-la à nouveau."
            )
        )


class FeatureService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession

    def article(self, feature, article_id):
        return next((a for a in feature.articles if str(a.id) == str(article_id)), None)

    def save_article(self, feature, article, data):
        """Create (article None) or update an article from the form's data."""
        new_image = data.get("new_image") or {}
        if new_image.get("image"):
            check_image(new_image["image"]["fp"])
        if article is None:
            article = FeatureArticle(position=max((a.position for a in feature.articles), default=-1) + 1)
            feature.articles.append(article)
        title = data["title"].strip()
        if article.title != title or not article.anchor:
            taken = {a.anchor for a in feature.articles if a is not article and a.anchor}
            article.anchor = unique_anchor(title, taken, prefix="article-")
        article.title = title
        for key in ("authors", "summary", "body"):
            setattr(article, key, (data.get(key) or "").strip())
        article.verbatims[:] = [
            FeatureVerbatim(
                position=i,
                quotation=v["quotation"].strip(),
                speaker=v["speaker"].strip(),
                role=(v.get("role") or "").strip(),
            )
            for i, v in enumerate(v for v in data.get("verbatims") or [] if v.get("quotation"))
        ]
        by_id = {image.id: image for image in article.images}
        for row in data.get("images") or []:
            image = by_id.get(row.get("image_id"))
            if image is None:
                continue
            if row.get("remove"):
                article.images.remove(image)
                self.request.file_service.remove(image.file)
                continue
            image.caption, image.credit, image.alt = (row.get(k, "").strip() for k in ("caption", "credit", "alt"))
        if new_image.get("image"):
            upload = new_image["image"]
            attached = self.request.file_service.attach(feature, upload["fp"], upload["filename"], role="image")
            article.images.append(
                FeatureImage(
                    file=attached,
                    position=max((i.position for i in article.images), default=-1) + 1,
                    caption=new_image.get("caption", "").strip(),
                    credit=new_image.get("credit", "").strip(),
                    alt=new_image.get("alt", "").strip(),
                )
            )
        feature.note_change("feature_article", title=article.title)
        self._touch(feature)
        self.dbsession.flush()
        return article

    def move(self, feature, article, delta):
        articles = list(feature.articles)
        index = articles.index(article)
        target = min(max(index + delta, 0), len(articles) - 1)
        articles.insert(target, articles.pop(index))
        for position, item in enumerate(articles):
            item.position = position
        feature.articles.sort(key=lambda a: a.position)
        feature.note_change("feature_article_moved", title=article.title, position=target + 1)
        self._touch(feature)

    def delete(self, feature, article):
        feature.note_change("feature_article_removed", title=article.title)
        feature.articles.remove(article)
        self._touch(feature)

    def _touch(self, feature):
        # The articles are the feature's content: its version and the search
        # index follow them.
        feature.modified = utcnow()
