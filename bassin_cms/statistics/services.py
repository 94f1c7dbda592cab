"""Counting views and downloads without cookies and without keeping addresses.

A hit is counted when it is not a robot's and not the staff's own (editors and
above check their pages all day). Before anything is counted the address is
truncated (IPv4 /24, IPv6 /48) and hashed with the browser name under a key
that changes every day (HMAC of the server secret and the date); that hash lives
in ``recent_hits`` for 30 seconds only, to count a repeated download once. What
stays is one number per resource, day and action.
"""

import csv
import datetime as dt
import hashlib
import hmac
import io
import ipaddress
import re
import time
from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from bassin_cms.content.text import csv_cell

from .models import DailyCount, RecentHit

ACTIONS = ("view", "download")
WINDOW = dt.timedelta(seconds=30)
# The usual robots and link previewers; a browser driven by a test or a person
# ("HeadlessChrome" included) is counted.
ROBOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|indexer|facebookexternalhit|embedly|bingpreview|"
    r"curl/|wget/|python-requests|python-urllib|go-http-client|java/|libwww|httpclient|okhttp|"
    r"monitor|uptime|pingdom|lighthouse|scrapy|ahrefs|semrush|mj12|yandex|baidu|petalbot|seznam",
    re.IGNORECASE,
)
_downloads_cache = {}
DOWNLOADS_TTL = 60


def is_robot(user_agent):
    return not user_agent or bool(ROBOTS.search(user_agent))


def truncated_address(address):
    """The network, not the machine: 192.0.2.17 → 192.0.2.0."""
    try:
        ip = ipaddress.ip_address((address or "").split(",")[0].strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def fingerprint(secret, day, address):
    """The visitor, for the window: the network of the address alone. The
    browser's name is the client's to write, so rotating it from one address
    inflated the counts (40 requests, +40 views, first of "most consulted")."""
    key = hmac.new(secret.encode(), day.isoformat().encode(), hashlib.sha256).digest()
    message = truncated_address(address).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _insert(session):
    """The dialect's INSERT, which knows ON CONFLICT."""
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]


def _upsert(session, node_id, day, action):
    values = {"node_id": node_id, "day": day, "action": action, "count": 1}
    statement = _insert(session)(DailyCount).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["node_id", "day", "action"], set_={"count": DailyCount.count + 1}
    )
    session.execute(statement)


class StatisticsService:
    def __init__(self, dbsession, secret):
        self.dbsession = dbsession
        self.secret = secret

    # --- counting ----------------------------------------------------------------
    def record(self, node_id, action, address, user_agent, now=None):
        """Count one hit; False when it was not counted (robot, or the same
        visitor within 30 seconds)."""
        if action not in ACTIONS or is_robot(user_agent):
            return False
        now = now or dt.datetime.now(dt.UTC)
        session = self.dbsession
        session.execute(delete(RecentHit).where(RecentHit.at < now - WINDOW))
        print_ = fingerprint(self.secret, now.date(), address)
        # Insert-or-nothing in one statement: simultaneous first views from one
        # network (a school) count once, with no check-then-insert race.
        seen = _insert(session)(RecentHit).values(fingerprint=print_, node_id=node_id, action=action, at=now)
        if session.execute(seen.on_conflict_do_nothing().returning(RecentHit.fingerprint)).first() is None:
            return False
        _upsert(session, node_id, now.date(), action)
        return True

    # --- reading -----------------------------------------------------------------
    def _counts(self, start, end):
        return (
            select(DailyCount.node_id, DailyCount.action, func.sum(DailyCount.count))
            .where(DailyCount.day >= start, DailyCount.day <= end)
            .group_by(DailyCount.node_id, DailyCount.action)
        )

    def per_resource(self, start, end):
        """{node id: {"view": n, "download": n}} over the period (days included)."""
        out = defaultdict(lambda: {"view": 0, "download": 0})
        for node_id, action, total in self.dbsession.execute(self._counts(start, end)):
            out[node_id][action] = int(total)
        return dict(out)

    def per_day(self, start, end):
        rows = self.dbsession.execute(
            select(DailyCount.day, DailyCount.action, func.sum(DailyCount.count))
            .where(DailyCount.day >= start, DailyCount.day <= end)
            .group_by(DailyCount.day, DailyCount.action)
        )
        out = defaultdict(lambda: {"view": 0, "download": 0})
        for day, action, total in rows:
            out[day][action] = int(total)
        return dict(out)

    def totals(self, start, end):
        rows = self.dbsession.execute(
            select(DailyCount.action, func.sum(DailyCount.count))
            .where(DailyCount.day >= start, DailyCount.day <= end)
            .group_by(DailyCount.action)
        )
        out = {"view": 0, "download": 0}
        out.update({action: int(total) for action, total in rows})
        return out

    def most_consulted(self, days=90, limit=20, among=None):
        """[(node id, views + downloads)] over the last ``days`` days, most
        first; ``among``: a select of the node ids to rank (those a visitor
        may see), so that the limit counts only those."""
        start = dt.date.today() - dt.timedelta(days=days - 1)
        total = func.sum(DailyCount.count)
        statement = select(DailyCount.node_id, total).where(DailyCount.day >= start)
        if among is not None:
            statement = statement.where(DailyCount.node_id.in_(among))
        rows = self.dbsession.execute(
            statement.group_by(DailyCount.node_id).order_by(total.desc(), DailyCount.node_id).limit(limit)
        )
        return [(node_id, int(count)) for node_id, count in rows]

    def downloads_by_node(self, days=365):
        """{node id: downloads over the last ``days`` days}, for sorting search
        results; computed at most once a minute per process."""
        cached = _downloads_cache.get(days)
        if cached is not None and time.monotonic() - cached[0] < DOWNLOADS_TTL:
            return cached[1]
        today = dt.date.today()
        counts = {
            node_id: c["download"]
            for node_id, c in self.per_resource(today - dt.timedelta(days=days - 1), today).items()
        }
        _downloads_cache[days] = (time.monotonic(), counts)
        return counts


def forget_downloads():
    _downloads_cache.clear()


def report(counts, describe, limit=None):
    """The figures of a period, ready to show: the most consulted resources and
    the totals per kind, theme and audience.

    ``counts`` is per_resource(); ``describe`` maps node ids to
    {"title", "url", "kind", "theme": [..], "audience": [..]} (the content domain
    tells what a resource is)."""
    described = describe(list(counts))
    rows = []
    groups = {
        "kind": defaultdict(lambda: [0, 0]),
        "theme": defaultdict(lambda: [0, 0]),
        "audience": defaultdict(lambda: [0, 0]),
    }
    for node_id, c in counts.items():
        info = described.get(node_id)
        if info is None:
            continue
        rows.append(
            {
                "node_id": node_id,
                "title": info["title"],
                "url": info["url"],
                "kind": info["kind"],
                "views": c["view"],
                "downloads": c["download"],
            }
        )
        for name in groups:
            labels = info[name] if isinstance(info[name], list) else [info[name]]
            for label in labels or ["(non renseigné)"]:
                groups[name][label][0] += c["view"]
                groups[name][label][1] += c["download"]
    rows.sort(key=lambda r: (-(r["views"] + r["downloads"]), -r["downloads"], r["title"]))
    grouped = {
        name: sorted(
            ({"label": label, "views": v, "downloads": d} for label, (v, d) in values.items()),
            key=lambda r: (-(r["views"] + r["downloads"]), r["label"]),
        )
        for name, values in groups.items()
    }
    return {"resources": rows[:limit] if limit else rows, "groups": grouped}


def to_csv(rows):
    """CSV (UTF-8 with BOM so that a spreadsheet opens the accents right)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["ressource", "identifiant", "adresse", "type", "consultations", "telechargements"])
    for row in rows:
        writer.writerow([csv_cell(row[key]) for key in ("title", "node_id", "url", "kind", "views", "downloads")])
    return "\ufeff" + out.getvalue()
