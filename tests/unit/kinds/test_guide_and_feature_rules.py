"""The rules of guides and dossiers on their own: chapters typed as one text,
anchors, the current edition, pictures that must be readable, the credit
needed to publish, and the booklet PDF parsed back with pypdfium2."""

import io
import re

import pytest
from PIL import Image

from bassin_cms.content.text import unique_anchor
from bassin_cms.features.models import FeatureArticle, FeatureImage, FeatureResource
from bassin_cms.features.schemas import publish_check
from bassin_cms.features.services import FeatureRuleError, check_image
from bassin_cms.files.models import ResourceFile
from bassin_cms.guides.models import GuideEdition, GuideResource
from bassin_cms.guides.services import GuideRuleError, parse_chapters
from bassin_cms.i18n import french
from bassin_cms.pdf.booklet import booklet, html_blocks
from tests.conftest import pdf_pages


def test_chapters_start_at_each_hash_line_and_keep_their_paragraphs():
    text = "# Le Bien\n\nPremier paragraphe.\n\nSecond.\n#Construire\r\nAux abords des cités.\n# C#, pas un titre ?\n"
    assert parse_chapters(text) == [
        ("Le Bien", "Premier paragraphe.\n\nSecond."),
        ("Construire", "Aux abords des cités."),
        ("C#, pas un titre ?", ""),
    ]
    assert parse_chapters("") == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("Introduction sans titre\n# Chapitre", "ligne 1 : ce texte précède le premier titre"),
        ("# Un\n\ntexte\n#   \nencore", "ligne 4 : titre de chapitre vide"),
    ],
)
def test_chapters_refuse_text_that_belongs_to_no_chapter(text, message):
    with pytest.raises(GuideRuleError, match=message):
        parse_chapters(text)


def test_anchors_are_unique_within_a_page():
    taken = set()
    assert [unique_anchor(t, taken, "chapitre-") for t in ("Le Bien", "Le bien", "Le Bien")] == [
        "chapitre-le-bien",
        "chapitre-le-bien-2",
        "chapitre-le-bien-3",
    ]


def test_the_current_edition_is_the_most_recent_by_date_not_the_last_added():
    guide = GuideResource(title="Guide VUE")
    guide.editions = [
        GuideEdition(number=1, label="Synthèse", date_year=2023, date_month=12),
        GuideEdition(number=2, label="Cahier technique", date_year=2021, date_month=9),
        GuideEdition(number=3, label="Réimpression", date_year=2023),
    ]
    assert guide.current_edition().label == "Synthèse"
    guide.editions.append(GuideEdition(number=4, label="Mise à jour", date_year=2023, date_month=12, date_day=5))
    assert guide.current_edition().label == "Mise à jour"
    assert GuideResource(title="Sans édition").current_edition() is None


def picture(kind):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, kind)
    out.seek(0)
    return out


def test_only_readable_jpeg_and_png_pictures_are_accepted():
    check_image(picture("PNG"))
    check_image(picture("JPEG"))
    for bad in (picture("GIF"), io.BytesIO(b"\x89PNG\r\n\x1a\nbroken"), io.BytesIO(b"%PDF-1.4 not a picture")):
        with pytest.raises(FeatureRuleError, match="JPEG ou PNG lisible"):
            check_image(bad)


def test_a_dossier_with_an_uncredited_image_cannot_be_published():
    feature = FeatureResource(title="D'A n°312")
    article = FeatureArticle(title="L'héritage comme ressource", anchor="article-x")
    article.images = [
        FeatureImage(caption="La cité des Électriciens", credit="  ", file=ResourceFile(filename="a.png")),
        FeatureImage(caption="", credit="MBM", file=ResourceFile(filename="b.png")),
    ]
    feature.articles = [article]
    assert [french(m) for m in publish_check(None, feature)] == [
        "l'image « La cité des Électriciens » de l'article « L'héritage comme ressource » n'a pas de crédit"
    ]
    article.images[0].credit = "Guillaume Theys"
    assert publish_check(None, feature) == []


def test_html_becomes_paragraphs_headings_and_items():
    assert html_blocks("<h2>Titre</h2><p>Un &amp; <em>deux</em></p><ul><li>point</li></ul>") == [
        ("heading", "Titre"),
        ("text", "Un & deux"),
        ("item", "point"),
    ]


def test_the_booklet_has_a_cover_contents_with_page_numbers_sections_and_credited_images(tmp_path):
    image = tmp_path / "photo.png"
    Image.new("RGB", (600, 400), (31, 95, 122)).save(image)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    long_text = "".join(
        f"<p>Paragraphe {n} du premier article, assez long pour remplir la page.</p>" for n in range(80)
    )
    pages = pdf_pages(
        booklet(
            {
                "title": "L'héritage comme ressource",
                "kind": "Dossier de revue",
                "subtitle": "D'A n°312 — novembre 2023",
                "facts": ["Mission Bassin Minier"],
                "summary": "Le dossier.",
                "notice": "© D'A",
                "permalink": "https://example.com/r/abc",
                "section_break": True,
                "sections": [
                    {
                        "title": "Premier article",
                        "byline": "MBM",
                        "summary": "Résumé un",
                        "html": long_text,
                        "quotes": [{"text": "Le patrimoine est une ressource.", "speaker": "Une élue, maire"}],
                    },
                    {
                        "title": "Second article",
                        "html": "<p>Court.</p>",
                        "images": [
                            {"path": str(image), "caption": "Les terrils jumeaux", "credit": "MBM"},
                            {"path": str(broken), "caption": "Image illisible", "credit": "X"},
                        ],
                    },
                ],
                "appendices": [
                    {"title": "Organismes à contacter", "entries": [["UDAP du Nord", "Lille"]]},
                    {"title": "Vide", "entries": []},
                ],
            }
        )
    )
    assert "D'A n°312 — novembre 2023" in pages[0] and "https://example.com/r/abc" in pages[0]
    contents = pages[1]
    second_at = int(re.search(r"Second article\s+(\d+)", contents).group(1))
    assert "Premier article 3" in contents.replace("\r\n", " ")
    assert pages[second_at - 1].count("Second article") >= 1 and "Court." in pages[second_at - 1]
    assert "Les terrils jumeaux © MBM" in pages[second_at - 1]
    assert "Image illisible © X" in "".join(pages)  # a broken picture leaves its caption, not a crash
    assert "« Le patrimoine est une ressource. »" in "".join(pages[2 : second_at - 1])
    assert "UDAP du Nord" in pages[-1] and "Vide" not in pages[-1]
    assert all(f"Page {n}" in page for n, page in enumerate(pages, start=1))
