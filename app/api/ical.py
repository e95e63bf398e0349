"""Sessions as iCalendar (RFC 5545), built with the icalendar library.

Each session is one VEVENT whose UID never changes; SEQUENCE follows the session's version, so a
calendar client replaces its copy after a reschedule; a cancelled session stays in the feed with
STATUS:CANCELLED, which removes it from the subscriber's calendar. Times are shown in the
person's time zone, with its VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from app.domain.session import Session, SessionStatus
from app.services.calendars import CalendarEntry

PRODID = "-//Tandem//Reverse mentoring//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"


def uid_of(session: Session) -> str:
    return f"{session.id}@tandem"


def calendar_of(entries: Iterable[CalendarEntry], timezone: str, *, method: str = "PUBLISH") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", "Tandem")
    zone = ZoneInfo(timezone)
    for entry in entries:
        calendar.add_component(_event(entry, zone))
    calendar.add_missing_timezones()
    body: bytes = calendar.to_ical()
    return body


def _event(entry: CalendarEntry, zone: ZoneInfo) -> Event:
    s = entry.session
    event = Event()
    event.add("uid", uid_of(s))
    event.add("sequence", s.version - 1)
    event.add("dtstamp", s.updated_at)
    event.add("dtstart", _in(zone, s.starts_at))
    event.add("dtend", _in(zone, s.ends_at))
    names = " & ".join(n for n in (entry.mentor, entry.mentee) if n)
    event.add("summary", f"Tandem: {names}" if names else "Tandem session")
    event.add("status", "CANCELLED" if s.status is SessionStatus.CANCELLED else "CONFIRMED")
    event.add("categories", [s.format.value])
    if s.location or s.video_link:
        event.add("location", s.location or s.video_link)
    if s.video_link:
        event.add("url", s.video_link)
    if s.agenda:
        event.add("description", s.agenda)
    return event


def _in(zone: ZoneInfo, moment: datetime) -> datetime:
    return moment.astimezone(zone)
