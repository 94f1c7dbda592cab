"""The journey of issue 2, as a new editor would do it through the web pages."""

import webtest

from tests.conftest import make_pdf


def add_folder(testapp, parent_url, title):
    page = testapp.get(parent_url + "@@add/folder")
    form = page.forms["deform"]
    form["title"] = title
    return form.submit("save").follow()


def add_document(testapp, folder_url, title, filename="etude.pdf", content=None, **fields):
    page = testapp.get(folder_url + "@@add/document")
    form = page.forms["deform"]
    form["title"] = title
    for key, value in fields.items():
        # index 0: the date/time widgets of "Diffusion" also hold inputs named "date"
        form.set(key, value, index=0)
    if filename:
        form.set("upload", webtest.Upload(filename, content or make_pdf(), "application/pdf"), index=0)
    return form.submit("save")


def test_editor_creates_folder_and_document_then_renames_it(testapp, editor):
    home = testapp.get("/")
    assert "Ajouter : Rubrique" in home.text and "Ajouter : Dossier<" not in home.text  # the D'A kind is apart

    folder = add_folder(testapp, "/", "Guides techniques")
    assert folder.request.path == "/guides-techniques/"
    assert "« Guides techniques » a été créé." in folder.text

    page = add_document(
        testapp,
        "/guides-techniques/",
        "Architecture et VUE",
        filename="cahier-vue.pdf",
        content=make_pdf("Valeur universelle exceptionnelle", pages=3),
        summary="Cahier technique de septembre 2021.",
        date="2021-09",
    ).follow()
    assert page.request.path == "/guides-techniques/architecture-et-vue/"
    assert "<h1>Architecture et VUE</h1>" in page.text
    assert "septembre 2021" in page.text
    assert "3 pages" in page.text

    # The thumbnail of the first page is an image.
    thumb_src = page.html.select_one("img.resource-thumb")["src"]
    thumb = testapp.get(thumb_src)
    assert thumb.content_type == "image/jpeg"
    assert thumb.body[:3] == b"\xff\xd8\xff"

    # The PDF downloads with its name and type.
    link = page.html.select_one("a.file-link")["href"]
    download = testapp.get(link)
    assert download.content_type == "application/pdf"
    assert download.body.startswith(b"%PDF-")
    assert "cahier-vue.pdf" in download.headers["Content-Disposition"]

    permalink = page.html.select_one("a.permalink")["href"]
    assert "/r/" in permalink

    # Rename it; the permanent link and the old address still lead to it.
    form = testapp.get("/guides-techniques/architecture-et-vue/@@rename").forms["deform"]
    form["name"] = "cahier-vue-2021"
    renamed = form.submit("save").follow()
    assert renamed.request.path == "/guides-techniques/cahier-vue-2021/"

    via_permalink = testapp.get(permalink.replace("http://example.com", "")).follow()
    assert via_permalink.request.path == "/guides-techniques/cahier-vue-2021/"
    assert "<h1>Architecture et VUE</h1>" in via_permalink.text

    old = testapp.get("/guides-techniques/architecture-et-vue/", status=301)
    assert old.location.endswith("/guides-techniques/cahier-vue-2021/")
    old_download = testapp.get(link, status=301)
    assert "/guides-techniques/cahier-vue-2021/@@download/" in old_download.location

    # The document is a draft: a visitor is not told its new address.
    visitor = webtest.TestApp(testapp.app, extra_environ=dict(testapp.extra_environ))
    visitor.get("/guides-techniques/architecture-et-vue/", status=404)


def test_move_keeps_old_paths_of_the_folder_and_its_content(testapp, editor):
    add_folder(testapp, "/", "Études")
    add_folder(testapp, "/", "Archives")
    add_document(testapp, "/etudes/", "Étude paysagère", filename=None).follow()

    form = testapp.get("/etudes/@@move").forms["deform"]
    options = {label.strip(): value for value, _selected, label in form["target"].options}
    form["target"] = options["Archives"]
    moved = form.submit("save").follow()
    assert moved.request.path == "/archives/etudes/"

    assert testapp.get("/etudes/etude-paysagere/", status=301).location.endswith("/archives/etudes/etude-paysagere/")
    testapp.get("/archives/etudes/etude-paysagere/", status=200)


def test_folder_cannot_move_into_itself(testapp, editor):
    add_folder(testapp, "/", "Parent")
    add_folder(testapp, "/parent/", "Enfant")
    form = testapp.get("/parent/@@move").forms["deform"]
    options = {label.strip(): value for value, _selected, label in form["target"].options}
    form["target"] = options["Enfant"]
    page = form.submit("save", status=400)  # refused by a rule: the form again, status 400
    assert page.status_int == 400
    assert "ne peut pas être déplacé dans lui-même" in page.text
    testapp.get("/parent/enfant/", status=200)


def test_edit_and_delete(testapp, editor):
    add_folder(testapp, "/", "Presse")
    add_document(testapp, "/presse/", "Communiqué", filename=None)
    form = testapp.get("/presse/communique/@@edit").forms["deform"]
    assert form["title"].value == "Communiqué"
    form["summary"] = "Dossier de presse des 10 ans."
    form["body"] = "Premier paragraphe.\n\nSecond <script>alert(1)</script> paragraphe."
    page = form.submit("save").follow()
    assert "Dossier de presse des 10 ans." in page.text
    assert "<p>Premier paragraphe.</p>" in page.text
    assert "<script>" not in page.html.select_one(".body").decode()

    confirm = testapp.get("/presse/communique/@@delete")
    gone = confirm.forms["delete"].submit("delete").follow()
    assert gone.request.path == "/presse/"
    assert "a été supprimé" in gone.text
    testapp.get("/presse/communique/", status=404)


def test_rename_to_a_taken_name_is_refused_with_a_message(testapp, editor):
    add_folder(testapp, "/", "Cartes")
    add_document(testapp, "/cartes/", "Carte A", filename=None)
    add_document(testapp, "/cartes/", "Carte B", filename=None)
    form = testapp.get("/cartes/carte-b/@@rename").forms["deform"]
    form["name"] = "carte-a"
    page = form.submit("save", status=400)  # refused by a rule: the form again, status 400
    assert "contient déjà un élément nommé « carte-a »" in page.text
    assert page.html.select_one("#deform-errors") is not None


def test_vocabularies_are_chosen_with_grouped_checkboxes_that_keep_what_was_chosen(testapp, editor, dbsession):
    """159 territories in a 10-line multiple select lost every earlier choice
    at a click without Ctrl; now each vocabulary is a fieldset of checkboxes in
    folding groups (an EPCI and its communes), its legend and help first."""
    from bassin_cms.content.vocabularies import VocabularyService
    from tests.conftest import tick

    terms = VocabularyService(dbsession)
    call, loos = terms.by_code("territory", "call"), terms.by_code("territory", "commune-loos-en-gohelle")
    terrils = terms.by_code("theme", "terrils")
    add_folder(testapp, "/", "Études")
    form = testapp.get("/etudes/@@add/document").forms["deform"]
    form["title"] = "Étude des terrils de Loos"
    tick(form, terrils.id)
    tick(form, loos.id)
    page = form.submit("save").follow()
    assert "Terrils" in page.text and "Loos-en-Gohelle" in page.text
    edit = testapp.get("/etudes/etude-des-terrils-de-loos/@@edit")
    fieldsets = {
        fs.select_one("legend").get_text(strip=True): fs for fs in edit.html.select("fieldset.grouped-choices")
    }
    assert {"Thèmes", "Territoires", "Publics"} <= set(fieldsets)
    territories = fieldsets["Territoires"]
    group = next(d for d in territories.select("details") if d.select_one(f'input[value="{loos.id}"]'))
    assert group.has_attr("open") and call.label in group.select_one("summary").get_text()
    assert "Loos-en-Gohelle" in territories.select_one(".chosen").get_text()
    box = territories.select_one(f'input[value="{loos.id}"]')
    assert territories.select_one(f'label[for="{box["id"]}"]').get_text(strip=True) == "Loos-en-Gohelle"
    # Saved as it is, it keeps both terms.
    page = edit.forms["deform"].submit("save").follow()
    assert "Terrils" in page.text and "Loos-en-Gohelle" in page.text


def test_a_vocabulary_choice_can_be_typed_by_name_and_a_wrong_name_keeps_the_form(testapp, editor, dbsession):
    """Among 159 territories, the one wanted is typed: the field offers the
    list's names as one types (a <datalist>, no script), the name is matched
    accents and case aside, an unknown name is refused with the form kept."""
    from bassin_cms.content.vocabularies import VocabularyService
    from tests.conftest import tick

    terrils = VocabularyService(dbsession).by_code("theme", "terrils")
    add_folder(testapp, "/", "Études")
    adding = testapp.get("/etudes/@@add/document")
    territories = next(
        fs for fs in adding.html.select("fieldset.grouped-choices") if fs.legend.get_text(strip=True) == "Territoires"
    )
    typed = territories.select_one(".choice-by-name input")
    names = [o["value"] for o in territories.select(f"datalist#{typed['list']} option")]
    assert "Loos-en-Gohelle" in names and len(names) > 100

    def named(form):
        return next(f for f in form.fields["choice_name"] if f.id == typed["id"])

    form = adding.forms["deform"]
    form["title"] = "Étude des terrils de l'Atlantide"
    tick(form, terrils.id)
    named(form).value = "Atlantide"
    refused = form.submit("save")
    assert "« Atlantide » n'est pas dans la liste" in refused.text
    form = refused.forms["deform"]
    assert form["title"].value == "Étude des terrils de l'Atlantide" and named(form).value == "Atlantide"
    assert any(box.checked for box in form.fields["checkbox"] if box._value == str(terrils.id))
    named(form).value = "loos en gohelle"  # as typed in a hurry
    form["title"] = "Étude des terrils de Loos"
    page = form.submit("save").follow()
    assert "Terrils" in page.text and "Loos-en-Gohelle" in page.text
