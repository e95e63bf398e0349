"""GDPR Art. 15 and 17 end to end: a person with data in every table that can hold it is exported,
erased through the API, and then no text, JSON or stored response in the database names them."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.access import Caller, Role, Scope
from app.domain.availability import WeeklyWindow
from app.domain.preference import Choice
from app.domain.signin import LoginCode, SignIn
from app.domain.user import User
from app.domain.values import MeetingFormat, Topic
from app.services import matching_runs, partner_mentors, partners, people, preferences, programs, sessions, tandems
from tests.factories import PLATFORM_ADMIN, UowFactory, enroll, member, new_org, new_person, new_program, past


class _NoQueue:
    async def run_matching(self, run_id: uuid.UUID) -> None:
        """The test runs the job itself (execute_run), as a worker would."""


async def _person_everywhere(uow: UowFactory, client: Any, bearer: Any) -> dict[str, Any]:
    """A partner-pool mentor with an account, a sign-in, an enrollment, a like, a matching run, a
    paused tandem with a goal (posted with an Idempotency-Key), a held session with notes and
    feedback, and availability: each holding a marker that names no one else."""
    tag = uuid.uuid4().hex[:8]
    mark = {k: f"zq{k}{tag}" for k in ("bio", "need", "question", "goal", "agenda", "place", "notes")}
    mark |= {k: f"zq{k}{tag}" for k in ("learned", "comment", "reason", "subject", "city", "goaltext", "external")}
    name, email = f"Ottilie Quastenberg {tag}", f"ottilie.{tag}@example.org"
    org, manager = await new_org(uow)
    admin = Caller(uuid.uuid4(), Role.ORG_ADMIN, org_id=org.id)
    partner = (await partners.create_partner(uow(), PLATFORM_ADMIN, name=f"Pool {tag}")).partner
    await partners.grant_partner_access(uow(), admin, org.id, partner.id)
    pool = Caller(partner.id, Role.PARTNER, partner_id=partner.id, scopes=frozenset({Scope.MENTORS_SYNC}))
    row = {"external_id": mark["external"], "display_name": name, "email": email, "birth_year": 1996}
    row |= {"bio": mark["bio"], "city": mark["city"], "interests": ["Reels"]}
    await partner_mentors.sync_partner_mentors(uow(), pool, partner.id, [row])
    async with uow() as tx:
        person = await tx.people.get_by_email(org.id, email)
        assert person is not None
        user = User(email=email, role=Role.MEMBER, org_id=org.id, person_id=person.id, display_name=name)
        user.sso_subject, user.sso_issuer = mark["subject"], "https://idp.example.org/"
        await tx.users.add(user)
        signin = SignIn(user_id=user.id, expires_at=past(-1), org_id=org.id)
        await tx.signins.add(signin)
        await tx.signins.add_login_code(LoginCode(code_digest=uuid.uuid4().hex, user_id=user.id, expires_at=past(-1)))
        await tx.commit()
    await people.set_availability(uow(), manager, person.id, (WeeklyWindow(1, time(17), time(19)),))
    mentee = await new_person(uow, manager, birth_year=1964, interests=["Reels"])
    start = date.today() - timedelta(days=60)
    program = await new_program(uow, manager, starts_on=start, ends_on=start + timedelta(days=300))
    mentor_e = await enroll(
        uow,
        manager,
        program,
        person,
        "mentor",
        offers=(Topic("Reels"),),
        needs=(Topic(mark["need"]),),
        key_questions=(mark["question"],),
    )
    mentee_e = await enroll(uow, manager, program, mentee, "mentee", needs=(Topic("Reels", 5),))
    me = Caller(user.id, Role.MEMBER, org_id=org.id, person_id=person.id)
    await preferences.set_preference(uow(), me, program.id, mentor_e.id, mentee_e.id, Choice.LIKE)
    await programs.start_matching(uow(), manager, program.id)
    run = await matching_runs.start_run(uow(), _NoQueue(), manager, program.id)
    await matching_runs.execute_run(uow, run.id)
    await programs.launch_program(uow(), manager, program.id)
    tandem = await tandems.propose_tandem(
        uow(), manager, program.id, mentor_enrollment_id=mentor_e.id, mentee_enrollment_id=mentee_e.id
    )
    await tandems.accept_tandem(uow(), me, tandem.id)
    await tandems.accept_tandem(uow(), member(mentee), tandem.id)
    body = {"title": mark["goal"], "description": mark["goaltext"]}
    headers = bearer(me) | {"Idempotency-Key": f"goal-{tag}"}
    posted = await client.post(f"/v1/tandems/{tandem.id}/goals", json=body, headers=headers)
    assert posted.status_code == 201, posted.text
    session = await sessions.schedule_session(
        uow(),
        me,
        tandem.id,
        starts_at=past(2),
        duration_minutes=60,
        format=MeetingFormat.ON_SITE,
        location=mark["place"],
        agenda=mark["agenda"],
    )
    await sessions.hold_session(uow(), me, session.id, notes=mark["notes"])
    await sessions.give_feedback(uow(), me, session.id, rating=4, learned=mark["learned"], comment=mark["comment"])
    await sessions.give_feedback(uow(), member(mentee), session.id, rating=5, learned="the other side's own words")
    await tandems.pause_tandem(uow(), me, tandem.id, reason=mark["reason"])
    link = await client.post(f"/v1/people/{person.id}/calendar-links", headers=bearer(me))
    assert link.status_code == 201, link.text
    return {
        "calendar_token": link.json()["token"],
        "org": org,
        "manager": manager,
        "person": person,
        "user": user,
        "signin": signin,
        "mark": mark,
        "name": name,
        "email": email,
        "run": run,
        "program": program,
        "session": session,
        "tandem": tandem,
        "partner": partner,
    }


async def _hits(engine: AsyncEngine, needles: list[str]) -> set[tuple[str, str]]:
    """(table, needle) for every needle held in any text, JSON or bytea column of a table."""
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND data_type IN "
                    "('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')"
                )
            )
        ).all()
        columns: dict[str, list[str]] = {}
        for table, column, data_type in rows:
            value = f"encode(\"{column}\", 'escape')" if data_type == "bytea" else f'"{column}"::text'
            columns.setdefault(table, []).append(value)
        assert {"users", "people", "outbox", "idempotency_keys", "partner_mentors", "feedback"} <= set(columns)
        found = set()
        for table, values in columns.items():
            row_text = f"concat_ws(' ', {', '.join(values)})"
            sql = (
                f"SELECT n FROM unnest(CAST(:needles AS text[])) AS n "
                f"WHERE EXISTS (SELECT 1 FROM \"{table}\" WHERE {row_text} ILIKE '%' || n || '%')"
            )
            found |= {(table, n) for n in (await conn.execute(text(sql), {"needles": needles})).scalars()}
        return found


async def test_the_export_returns_everything_erasure_will_reach(client, bearer, uow_factory) -> None:
    world = await _person_everywhere(uow_factory, client, bearer)
    person, mark = world["person"], world["mark"]
    response = await client.get(f"/v1/people/{person.id}/export", headers=bearer(world["manager"]))
    assert response.status_code == 200, response.text
    export = response.json()
    assert (export["person"]["display_name"], export["person"]["email"]) == (world["name"], world["email"])
    assert export["person"]["bio"] == mark["bio"] and export["availability"]["windows"]
    [account] = export["accounts"]
    assert (account["email"], account["sso_subject"], account["display_name"]) == (
        world["email"],
        mark["subject"],
        world["name"],
    )
    assert set(account) >= {"id", "role", "sso_issuer", "last_login_at"} and "password" not in account
    [enrollment] = export["enrollments"]
    assert enrollment["key_questions"] == [mark["question"]] and mark["need"] in str(enrollment["needs"])
    [tandem] = export["tandems"]
    assert mark["reason"] in [h["reason"] for h in tandem["history"]]
    [session] = export["sessions"]
    assert (session["agenda"], session["notes"], session["location"]) == (mark["agenda"], mark["notes"], mark["place"])
    [feedback] = session["feedback"]  # the person's own; the other side's is theirs
    assert (feedback["learned"], feedback["comment"], feedback["rating"]) == (mark["learned"], mark["comment"], 4)
    [goal] = export["goals"]
    assert (goal["title"], goal["description"]) == (mark["goal"], mark["goaltext"])
    [like] = export["preferences"]
    assert like["choice"] == "like"


async def test_erasure_leaves_no_trace_of_the_person_in_any_table(client, bearer, uow_factory, engine) -> None:
    world = await _person_everywhere(uow_factory, client, bearer)
    person, mark = world["person"], world["mark"]
    needles = [world["name"], world["email"], *mark.values()]
    assert {n for _, n in await _hits(engine, needles)} == set(needles)  # the scan sees each one first
    async with engine.begin() as conn:  # no event carries personal data today; one that did must lose it
        await conn.execute(
            text(
                "INSERT INTO outbox (id, org_id, type, subject_id, data, occurred_at) "
                "VALUES (:id, :org, 'person.renamed', :subject, CAST(:data AS jsonb), now())"
            ),
            {
                "id": uuid.uuid4(),
                "org": world["org"].id,
                "subject": person.id,
                "data": f'{{"name": "{world["name"]}"}}',
            },
        )

    erased = await client.delete(f"/v1/people/{person.id}", headers=bearer(world["manager"]))
    assert erased.status_code == 200, erased.text

    assert await _hits(engine, needles) == set()
    # a calendar app holding the person's feed link gets nothing more
    feed = await client.get(f"/v1/people/{person.id}/calendar.ics", params={"token": world["calendar_token"]})
    assert feed.status_code == 404, feed.text
    async with uow_factory() as tx:
        signin = await tx.signins.get(world["signin"].id)
        assert signin is not None and signin.revoked_at is not None
        user = await tx.users.get(world["user"].id)
        assert user is not None and user.person_id is None and user.sso_subject is None
        run = await tx.matching_runs.get(world["org"].id, world["run"].id)
        assert run is not None and run.proposals and all(p.explanation == "" for p in run.proposals)
        session = await tx.sessions.get(world["org"].id, world["session"].id)
        tandem = await tx.tandems.get(world["org"].id, world["tandem"].id)
        assert await tx.preferences.involving(world["org"].id, run.proposals[0].mentor_enrollment_id) == []
    # anonymous statistics stay: statuses, ratings, the history's steps
    assert (
        session is not None and session.status.value == "held" and sorted(f.rating for f in session.feedback) == [4, 5]
    )
    assert "the other side's own words" in [f.learned for f in session.feedback]
    assert tandem is not None and [h.to_status.value for h in tandem.history] == [
        "proposed",
        "active",
        "paused",
        "dissolved",
    ]
    again = await client.delete(f"/v1/people/{person.id}", headers=bearer(world["manager"]))
    assert again.status_code == 200 and again.headers["etag"] == erased.headers["etag"]
