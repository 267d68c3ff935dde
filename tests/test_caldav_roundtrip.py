"""The calendar against a real CalDAV server (Radicale, started here on 127.0.0.1 and stopped after): import a plan,
revise the campaign (move the start, save it under another file name, drop a product and an owned channel), import
again the way calendar clients do (update by UID, add what is new), read everything back: no duplicates, no stale
live events, every event at its instant, read by both icalendar and vobject.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
import radicale  # noqa: F401 - a test extra: the server must be installed, never silently skipped
import vobject

from flashgroup_cli.outputs.ics_output import render_ics
from flashgroup_cli.pipeline import plan_document

from .conftest import campaign_dict, campaign_yaml

UTC = timezone.utc
CALENDAR = "/flashgroup/plan/"
NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav"}


@dataclass
class Server:
    port: int

    def request(self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body.encode("utf-8"), {"Content-Type": "text/xml; charset=utf-8", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def caldav(tmp_path: Path) -> Iterator[Server]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(tmp_path / "collections"),
        "--auth-type",
        "none",
        "--rights-type",
        "authenticated",
        "--logging-level",
        "warning",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Server(port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                server.request("OPTIONS", "/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Radicale did not start: {process.stderr.read().decode() if process.stderr else ''}") from None
                time.sleep(0.1)
        status, body = server.request("MKCOL", "/flashgroup/")
        assert status == 201, body
        status, body = server.request("MKCALENDAR", CALENDAR)
        assert status == 201, body
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


QUERY = """<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter>
</c:calendar-query>"""


def read_back(server: Server) -> dict[str, str]:
    """href → the calendar object stored there."""
    status, body = server.request("REPORT", CALENDAR, QUERY, {"Depth": "1"})
    assert status == 207, body
    out = {}
    for response in ET.fromstring(body).findall("d:response", NS):
        data = response.find(".//c:calendar-data", NS)
        if data is not None and data.text:
            out[response.findtext("d:href", namespaces=NS) or ""] = data.text
    return out


def import_plan(server: Server, text: str) -> None:
    """What a calendar client does with an .ics: each event on its own, with the zone; an event whose UID the
    calendar already has replaces it there, a new UID is stored under a new name."""
    calendar = icalendar.Calendar.from_ical(text)
    zones = list(calendar.walk("VTIMEZONE"))
    known = {str(icalendar.Calendar.from_ical(obj).walk("VEVENT")[0]["UID"]): href for href, obj in read_back(server).items()}
    for event in calendar.walk("VEVENT"):
        one = icalendar.Calendar()
        for key in ("PRODID", "VERSION", "CALSCALE"):
            one.add(key, calendar[key])
        for zone in zones:
            one.add_component(zone)
        one.add_component(event)
        href = known.get(str(event["UID"])) or f"{CALENDAR}{uuid.uuid4()}.ics"
        status, body = server.request("PUT", href, one.to_ical().decode("utf-8"), {"Content-Type": "text/calendar; charset=utf-8"})
        assert status in (201, 204), (status, body)


def stored_events(server: Server) -> list[tuple[str, str, datetime, datetime]]:
    """(UID, STATUS, start read by icalendar, start read by vobject) of every stored event."""
    out = []
    for obj in read_back(server).values():
        (a,) = icalendar.Calendar.from_ical(obj).walk("VEVENT")
        b = vobject.readOne(obj).vevent
        assert str(a["UID"]) == b.uid.value
        status = str(a.get("STATUS", "CONFIRMED"))
        alarms = a.walk("VALARM")
        # alarms survive the server: one per live event, at or before it; none on a cancelled placeholder
        assert len(alarms) == (0 if status == "CANCELLED" else 1)
        assert all(alarm["TRIGGER"].dt <= timedelta(0) for alarm in alarms)
        out.append((str(a["UID"]), status, a.start.astimezone(UTC), b.dtstart.value.astimezone(UTC)))
    return out


def expected(text: str) -> dict[str, datetime]:
    """UID → instant of every live event of a plan."""
    calendar = icalendar.Calendar.from_ical(text)
    return {str(e["UID"]): e.start.astimezone(UTC) for e in calendar.walk("VEVENT") if e.get("STATUS") != "CANCELLED"}


def check_calendar(server: Server, plan: str, earlier: list[str]) -> None:
    stored = stored_events(server)
    uids = [uid for uid, *_ in stored]
    assert len(uids) == len(set(uids)), "a UID stored twice: the revision duplicated events"
    live = {uid: (a, b) for uid, status, a, b in stored if status != "CANCELLED"}
    want = expected(plan)
    assert set(live) == set(want), f"stale: {sorted(set(live) - set(want))}; missing: {sorted(set(want) - set(live))}"
    mismatches = [uid for uid, (a, b) in live.items() if not a == b == want[uid]]
    assert not mismatches, mismatches
    stale = {uid for plan_text in earlier for uid in expected(plan_text)} - set(want)
    assert stale <= set(uids) - set(live)  # every action of an earlier revision that is gone is stored as cancelled


def two_products() -> list[dict[str, object]]:
    products = campaign_dict()["products"] * 2
    products[1] = {**products[1], "name": "四川丑橘 5斤装", "price": 25.9, "market_price": 45.9}
    return products


REVISIONS = {
    "moved, renamed, a product and a channel dropped": (
        {},
        {"start": "2026-12-12 19:30", "name": "赣南脐橙年终快闪·修订版"},
    ),
    "with an id, moved to another day": ({"id": "oranges-2026"}, {"start": "2026-12-14 20:30"}),
}


@pytest.mark.parametrize("revision", list(REVISIONS))
def test_revised_plan_reimported_into_radicale_updates_and_cancels(caldav, write_campaign, revision):
    base, change = REVISIONS[revision]
    first = {**base, "products": two_products(), "channels": ["official_account", "member_group"]}
    path = write_campaign(campaign_yaml(**first), name="campaign.yml")
    plan_1 = render_ics(plan_document(path))
    import_plan(caldav, plan_1)
    check_calendar(caldav, plan_1, [])
    assert len(stored_events(caldav)) == len(icalendar.Calendar.from_ical(plan_1).walk("VEVENT"))

    second = {**first, **change, "products": two_products()[:1], "channels": ["official_account"]}
    path_2 = write_campaign(campaign_yaml(**second), name="campaign-v2.yml")  # the revision saved under a new name
    plan_2 = render_ics(plan_document(path_2))
    import_plan(caldav, plan_2)
    check_calendar(caldav, plan_2, [plan_1])
    cancelled = {uid for uid, status, *_ in stored_events(caldav) if status == "CANCELLED"}
    assert any(u.endswith("-group.product_intro-2@flashgroup") for u in cancelled)
    assert any(u.endswith("-channels.announcement-member-group@flashgroup") for u in cancelled)

    # Back to two products: the cancelled introduction comes back to life at its new time.
    path_3 = write_campaign(campaign_yaml(**{**second, "products": two_products()}), name="campaign-v3.yml")
    plan_3 = render_ics(plan_document(path_3))
    import_plan(caldav, plan_3)
    check_calendar(caldav, plan_3, [plan_1, plan_2])
