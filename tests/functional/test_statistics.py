"""Views and downloads are counted without cookies or addresses; administrators
read them as charts and tables, CSV and a yearly PDF."""

import datetime as dt
import io

import pypdfium2
import pytest
import webtest
from sqlalchemy import select

from bassin_cms.content.models import Document
from bassin_cms.content.services import ContentService
from bassin_cms.files.services import FileService
from bassin_cms.statistics.models import DailyCount, RecentHit
from bassin_cms.statistics.services import StatisticsService, fingerprint, truncated_address
from tests.conftest import login, make_pdf

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture
def published(app, dbsession):
    content = ContentService(dbsession)
    node = content.create(content.root(), Document, title="Guide des cités minières", state="published")
    FileService(dbsession, app.registry["blob_storage"]).attach(
        node, io.BytesIO(make_pdf("Cités minières", pages=2)), "guide.pdf", role="main"
    )
    dbsession.flush()
    return node


def visitor(testapp, address, agent=BROWSER):
    return webtest.TestApp(
        testapp.app, extra_environ=dict(testapp.extra_environ, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    )


def counts(dbsession, node):
    rows = dbsession.execute(select(DailyCount.action, DailyCount.count).where(DailyCount.node_id == node.id))
    return dict(rows.all())


def test_views_and_downloads_are_counted_once_per_visitor_and_not_for_robots(testapp, dbsession, published):
    first = visitor(testapp, "192.0.2.17")
    page = first.get("/guide-des-cites-minieres/")
    link = page.html.select_one("a[href*='@@download']")["href"]
    first.get(link)
    first.get(link)  # again within 30 s: once
    first.get(link, headers={"Range": "bytes=100-"})  # the rest of a file fetched in parts
    visitor(testapp, "198.51.100.4").get(link)  # someone else
    visitor(testapp, "203.0.113.9", "Mozilla/5.0 (compatible; Googlebot/2.1)").get(link)
    visitor(testapp, "203.0.113.9", "").get("/guide-des-cites-minieres/")
    assert counts(dbsession, published) == {"view": 1, "download": 2}
    # Nothing that identifies a visitor is stored: neither the address nor the browser.
    stored = " ".join(str(v) for row in dbsession.execute(select(RecentHit)).all() for v in row[0].__dict__.values())
    assert "192.0.2" not in stored and "Chrome" not in stored


def test_rotating_the_browser_name_from_one_address_counts_once(testapp, dbsession, published):
    for n in range(40):
        visitor(testapp, "192.0.2.17", f"Mozilla/5.0 (X11; Linux) Firefox/{n}").get("/guide-des-cites-minieres/")
    visitor(testapp, "192.0.2.99", "Mozilla/5.0 Chrome/1").get("/guide-des-cites-minieres/")  # the same network
    assert counts(dbsession, published) == {"view": 1}


def test_staff_visits_are_not_counted(testapp, dbsession, published, editor):
    testapp.get("/guide-des-cites-minieres/")
    assert counts(dbsession, published) == {}


def test_same_visitor_counts_again_after_30_seconds(dbsession, published):
    service = StatisticsService(dbsession, "secret")
    now = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
    assert service.record(published.id, "download", "192.0.2.17", BROWSER, now=now)
    assert not service.record(published.id, "download", "192.0.2.200", BROWSER, now=now + dt.timedelta(seconds=29))
    assert service.record(published.id, "download", "192.0.2.17", BROWSER, now=now + dt.timedelta(seconds=31))
    assert service.per_resource(now.date(), now.date())[published.id] == {"view": 0, "download": 2}
    # The window's rows are gone once it has passed.
    service.record(published.id, "view", "198.51.100.1", BROWSER, now=now + dt.timedelta(minutes=5))
    assert [row.action for row in dbsession.scalars(select(RecentHit))] == ["view"]


def test_addresses_are_truncated_and_the_hash_changes_every_day():
    assert truncated_address("192.0.2.17") == "192.0.2.0"
    assert truncated_address("2001:db8:1234:5678::1") == "2001:db8:1234::"
    assert truncated_address("not an address") == ""
    day = dt.date(2026, 11, 21)
    assert fingerprint("k", day, "192.0.2.17") == fingerprint("k", day, "192.0.2.99")
    assert fingerprint("k", day, "192.0.2.17") != fingerprint("k", day + dt.timedelta(days=1), "192.0.2.17")


def test_administrator_sees_charts_exports_csv_and_gets_the_yearly_pdf(testapp, dbsession, published, make_user):
    reader = visitor(testapp, "192.0.2.17")
    page = reader.get("/guide-des-cites-minieres/")
    reader.get(page.html.select_one("a[href*='@@download']")["href"])
    visitor(testapp, "198.51.100.4").get("/guide-des-cites-minieres/")
    admin = make_user("administrator", email="admin@example.org")
    login(testapp, admin.email)
    page = testapp.get("/admin/statistiques")
    row = next(tr for tr in page.html.select("table.data-table tbody tr") if "Guide des cités minières" in tr.text)
    assert [td.get_text(strip=True) for td in row.select("td.number")] == ["2", "1"]  # views, downloads
    # Two series, never added up: a bar each, named by the headings over the figures.
    table = row.find_parent("table")
    assert [th.get_text(strip=True) for th in table.select("thead th.number")] == ["Consultations", "Téléchargements"]
    assert [bar["style"].split(";")[0] for bar in row.select(".bars .bar")] == ["width: 100.0%", "width: 50.0%"]
    days = page.html.select("svg.chart rect")
    assert {rect.title.get_text() for rect in days} == {
        f"{dt.date.today():%d/%m} : 2 consultations",
        f"{dt.date.today():%d/%m} : 1 téléchargements",
    }
    assert "Consultations" in page.html.select_one(".legend").get_text()
    csv = testapp.get("/admin/statistiques.csv", {"since": dt.date.today().isoformat()})
    assert csv.content_type == "text/csv"
    assert "Guide des cités minières" in csv.body.decode("utf-8-sig")
    pdf = testapp.get(f"/admin/statistiques/rapport-{dt.date.today().year}.pdf")
    assert pdf.content_type == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.body)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Guide des cités minières" in text and "Statistiques" in text
    bad = testapp.get("/admin/statistiques", {"since": "hier"})
    assert "Dates non reconnues" in bad.text


def test_statistics_are_for_administrators_only(testapp, editor):
    assert testapp.get("/admin/statistiques", expect_errors=True).status_int in (302, 303, 403)
    assert testapp.get("/admin/statistiques.csv", expect_errors=True).status_int in (302, 303, 403)
