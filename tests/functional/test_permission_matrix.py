"""Every view of every kind in every state and visibility, for every kind of user.

The expectations are written from the issue's rules, not from the ACL code:
- a draft, pending, scheduled, expired or archived (not public) resource is seen by
  its author, the editors of its folder, the reviewers and the administrators;
- a live published resource (and an archived one marked public) by everyone;
- a restricted one shows its notice to everyone who may see it, but its body,
  files and thumbnail only to partners and staff.
"""

import datetime as dt
import io
import json

import pytest

from bassin_cms.auth.services import LocalRoleService
from bassin_cms.content.models import Document, Folder, NodeRedirect
from bassin_cms.content.services import ContentService
from bassin_cms.files.services import FileService
from tests.conftest import login, make_pdf

NOW = dt.datetime.now(dt.UTC)
STATES = {
    # name: (state, effective, expires, public_when_archived)
    "draft": ("draft", None, None, False),
    "pending": ("pending", None, None, False),
    "published": ("published", None, None, False),
    "scheduled": ("published", NOW + dt.timedelta(days=3), None, False),
    "expired": ("published", NOW - dt.timedelta(days=10), NOW - dt.timedelta(days=1), False),
    "archived": ("archived", None, None, False),
    "archived_public": ("archived", None, None, True),
}
PUBLIC_STATES = {"published", "archived_public"}
USERS = ["anonymous", "partner", "author", "other_editor", "folder_editor", "reviewer", "administrator"]
STAFF_OF_FOLDER = {"author", "folder_editor", "reviewer", "administrator"}
PARTNERS_AND_UP = {"partner", "author", "other_editor", "folder_editor", "reviewer", "administrator"}


def expected_page(state, user):
    return state in PUBLIC_STATES or user in STAFF_OF_FOLDER


def expected_full(state, restricted, user):
    if not expected_page(state, user):
        return False
    if state in PUBLIC_STATES and restricted:
        return user in PARTNERS_AND_UP
    return True


def expected_edit(state, user):
    if user in ("administrator", "reviewer"):
        return True
    if user in ("author", "folder_editor"):
        return state not in ("archived", "archived_public")
    return False


@pytest.fixture
def site(app, dbsession, make_user):
    content = ContentService(dbsession)
    files = FileService(dbsession, app.registry["blob_storage"])
    users = {
        "partner": make_user("partner", email="partner@example.org"),
        "author": make_user("editor", email="author@example.org"),
        "other_editor": make_user("partner", email="other@example.org"),
        "folder_editor": make_user("partner", email="folder@example.org"),
        "reviewer": make_user("reviewer", email="reviewer@example.org"),
        "administrator": make_user("administrator", email="admin@example.org"),
    }
    root = content.root()
    zone = content.create(root, Folder, title="Zone")
    elsewhere = content.create(root, Folder, title="Ailleurs")
    private_folder = content.create(root, Folder, title="Presse", restricted=True)
    roles = LocalRoleService(dbsession)
    roles.grant(zone.id, f"user:{users['folder_editor'].id}", "editor")
    roles.grant(private_folder.id, f"user:{users['folder_editor'].id}", "editor")
    roles.grant(elsewhere.id, f"user:{users['other_editor'].id}", "editor")
    pdf = make_pdf("Matrice des permissions")
    resources = {}
    for folder, via_folder in ((zone, False), (private_folder, True)):
        for name, (state, effective, expires, public) in STATES.items():
            for restricted in (False, True) if not via_folder else (False,):
                key = (name, restricted or via_folder, via_folder)
                node = content.create(
                    folder,
                    Document,
                    title=f"Doc {name} {restricted} {via_folder}",
                    creator_id=users["author"].id,
                    state=state,
                    effective=effective,
                    expires=expires,
                    public_when_archived=public,
                    restricted=restricted,
                )
                node.body = "<p>Texte intégral réservé</p>"
                attached = files.attach(node, io.BytesIO(pdf), "doc.pdf", role="main")
                resources[key] = (node, attached)
    dbsession.flush()
    for node, _attached in resources.values():  # an old address of each, as after a rename
        dbsession.add(NodeRedirect(path=f"/ancienne-adresse-{node.id}", node_id=node.id))
    dbsession.flush()
    return users, resources


def status_ok(response):
    return response.status_int == 200


@pytest.mark.parametrize("user", USERS)
def test_permission_matrix(testapp, site, user):
    users, resources = site
    if user != "anonymous":
        login(testapp, users[user].email)
    failures = []
    # The open formats give the public view, whoever asks.
    harvested = testapp.get("/oai?verb=ListRecords&metadataPrefix=oai_dc").text
    for (name, restricted, via_folder), (node, attached) in resources.items():
        page_url = node.path + "/"
        want_page = expected_page(name, user)
        want_full = expected_full(name, restricted, user)
        want_edit = expected_edit(name, user)
        page = testapp.get(page_url, expect_errors=True)
        checks = {
            "page": (status_ok(page), want_page),
            "body": (status_ok(page) and "Texte intégral réservé" in page.text, want_full),
            "download": (
                status_ok(testapp.get(f"{page_url}@@download/{attached.id}/doc.pdf", expect_errors=True)),
                want_full,
            ),
            "display": (
                status_ok(testapp.get(f"{page_url}@@display-file/{attached.id}/doc.pdf", expect_errors=True)),
                want_full,
            ),
            "thumbnail": (status_ok(testapp.get(f"{page_url}@@thumbnail", expect_errors=True)), want_full),
            "shortlink": (testapp.get(f"/r/{node.shortid}", expect_errors=True).status_int == 302, want_page),
            "listing": (node.title in testapp.get(node.parent.path + "/").text, want_page),
            "edit": (status_ok(testapp.get(f"{page_url}@@edit", expect_errors=True)), want_edit),
            "sheet": (status_ok(testapp.get(f"{page_url}@@fiche.pdf", expect_errors=True)), want_page),
            "old address": (
                testapp.get(f"/ancienne-adresse-{node.id}", expect_errors=True).status_int == 301,
                want_page,
            ),
        }
        public_page, public_full = expected_page(name, "anonymous"), expected_full(name, restricted, "anonymous")
        api = testapp.get(f"/api/resources/{node.shortid}", expect_errors=True)
        record = testapp.get(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:example.com:{node.shortid}")
        checks.update(
            {
                "api": (status_ok(api), public_page),
                "api text": (
                    status_ok(api) and "Texte intégral réservé" in json.dumps(api.json, ensure_ascii=False),
                    public_full,
                ),
                "oai record": ("<dc:title>" in record.text and node.title in record.text, public_page),
                "oai text": ("Texte intégral réservé" in record.text, public_full),
                "oai list": (f">{node.title}<" in harvested, public_page),
            }
        )
        for view, (got, want) in checks.items():
            if got != want:
                failures.append(
                    f"{user} {view} {name} restricted={restricted} via_folder={via_folder}: got {got}, want {want}"
                )
        # What is refused is refused the right way: login for visitors, 403 otherwise.
        if not want_page:
            assert page.status_int == (303 if user == "anonymous" else 403), (user, name)
    assert not failures, "\n".join(failures)


IMAGE_USERS = USERS + ["journalist"]


def expected_image(state, user):
    """An image is for the press: journalists see it while it is public,
    the staff of its folder in every state; nobody else, partners included."""
    return user in STAFF_OF_FOLDER or (state in PUBLIC_STATES and user == "journalist")


@pytest.fixture
def images(app, dbsession, make_user, site):
    from PIL import Image

    from bassin_cms.gallery.models import ImageResource

    users, _resources = site
    journalist = make_user("journalist", email="journaliste@example.org")
    journalist.role_ends = dt.date.today() + dt.timedelta(days=10)
    users["journalist"] = journalist
    content = ContentService(dbsession)
    files = FileService(dbsession, app.registry["blob_storage"])
    zone = next(n for n in content.root().children if n.title == "Zone")
    out = {}
    for name, (state, effective, expires, public) in STATES.items():
        image = content.create(
            zone,
            ImageResource,
            title=f"Image {name}",
            creator_id=users["author"].id,
            state=state,
            effective=effective,
            expires=expires,
            public_when_archived=public,
            credit="Matrice",
        )
        picture = io.BytesIO()
        Image.new("RGB", (640, 400), (20, 90, 160)).save(picture, "JPEG")
        picture.seek(0)
        files.attach(image, picture, f"image-{name}.jpg", role="main")
        out[name] = image
    dbsession.flush()
    return users, out


@pytest.mark.parametrize("user", IMAGE_USERS)
def test_permission_matrix_for_images(testapp, images, user):
    users, made = images
    if user != "anonymous":
        login(testapp, users[user].email)
    testapp.get("/")  # the file work of the new images is done after a request
    failures = []
    harvested = testapp.get("/oai?verb=ListRecords&metadataPrefix=oai_dc").text
    for name, image in made.items():
        url = image.path + "/"
        want = expected_image(name, user)
        checks = {
            "page": status_ok(testapp.get(url, expect_errors=True)),
            "preview": status_ok(testapp.get(url + "@@web.jpg/480", expect_errors=True)),
            "hd": status_ok(testapp.get(url + "@@original", expect_errors=True)),
            "download address": status_ok(testapp.get(url + "@@download/1/x.jpg", expect_errors=True)),
            "zip": testapp.get(f"/presse/phototheque/images.zip?image={image.id}", expect_errors=True).content_type
            == "application/zip",
            "listing": f">{image.title}<" in testapp.get(image.parent.path + "/").text,
        }
        for view, got in checks.items():
            if got != want:
                failures.append(f"{user} {view} {name}: got {got}, want {want}")
        # Never in what is harvested, whoever asks.
        if f">{image.title}<" in harvested or status_ok(testapp.get(f"/api/resources/{image.shortid}", status="*")):
            failures.append(f"{user} open formats {name}: an image was given")
    assert not failures, "\n".join(failures)
