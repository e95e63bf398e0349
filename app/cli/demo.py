"""Load the demo organization through the use cases only, so every rule of the domain applies.

The story: Demo Mobility AG runs a pilot that started three months ago (running, with active
tandems, goals, past sessions and feedback, at least one tandem in each health state, so the
insights show them all) and is enrolling its next cohort. Its webhook
endpoint points at nothing reachable, so the delivery log shows failed tries and retries. Dates
are relative to today; nothing is random, so every fresh database shows the same demo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from app.cli import demo_data as data
from app.cli.demo_data import PersonSeed, SessionPlan, TandemPlan
from app.domain.access import Caller, Role
from app.domain.clock import today
from app.domain.enrollment import ParticipantRole
from app.domain.errors import RuleViolation
from app.domain.goal import GoalStatus
from app.domain.person import Person
from app.domain.program import Program, add_months
from app.domain.session import SessionStatus
from app.domain.values import MeetingFormat
from app.services import enrollments, goals, organizations, people, programs, sessions, tandems, webhooks
from app.services.ports import UnitOfWork, WebhookUrlCheck

UowFactory = Callable[[], UnitOfWork]
PROGRAM_MONTHS = 9
SEEDS = {seed.name: seed for seed in (*data.EXECUTIVES, *data.NATIVES)}


@dataclass(frozen=True, slots=True)
class DemoSummary:
    people: int
    programs: int
    enrollments: int
    tandems: int
    sessions: int
    feedback: int
    webhook_endpoints: int

    def __str__(self) -> str:
        return ", ".join(f"{getattr(self, f.name)} {f.name}" for f in fields(self))


async def demo_exists(uow_factory: UowFactory, slug: str = "demo") -> bool:
    uow = uow_factory()
    async with uow:
        return await uow.organizations.get_by_slug(slug) is not None


async def load_demo(uow_factory: UowFactory, *, webhook_urls: WebhookUrlCheck, slug: str = "demo") -> DemoSummary:
    """Create the demo organization ``slug``; a taken slug is a Conflict (check ``demo_exists``).

    The units of work must seal secrets (the webhook endpoint's). ``webhook_urls`` is the
    deployment's URL guard: where it refuses the unreachable demo URL (production), the demo has
    no endpoint."""
    admin = Caller(user_id=uuid4(), role=Role.PLATFORM_ADMIN)
    org = await organizations.create_organization(uow_factory(), admin, name=data.ORG_NAME, slug=slug)
    loader = _Loader(uow_factory, Caller(user_id=uuid4(), role=Role.PROGRAM_MANAGER, org_id=org.id))
    for seed in SEEDS.values():
        await loader.add_person(seed)
    await loader.pilot()
    await loader.upcoming()
    await loader.webhook_endpoint(webhook_urls)
    counts = loader.counts
    return DemoSummary(
        people=len(loader.people),
        programs=2,
        enrollments=counts["enrollments"],
        tandems=counts["tandems"],
        sessions=counts["sessions"],
        feedback=counts["feedback"],
        webhook_endpoints=counts["webhook_endpoints"],
    )


class _Loader:
    """Builds the demo as the organization's program manager; participants act for themselves."""

    def __init__(self, uow: UowFactory, manager: Caller) -> None:
        self.uow = uow
        self.manager = manager
        self.people: dict[str, Person] = {}
        self.members: dict[str, Caller] = {}
        self.counts: Counter[str] = Counter()

    async def add_person(self, seed: PersonSeed) -> None:
        person = await people.create_person(self.uow(), self.manager, seed.profile())
        self.people[seed.name] = person
        self.members[seed.name] = Caller(uuid4(), Role.MEMBER, org_id=person.org_id, person_id=person.id)

    async def pilot(self) -> None:
        """Enroll, match, launch; then the tandems' first three months."""
        starts_on = add_months(today(), -3)
        program = await self._program(data.PILOT_TITLE, starts_on, "The first cohort: seven tandems, nine months.")
        mentees = [plan.mentee for plan in data.PILOT_TANDEMS] + list(data.PILOT_EXTRA_MENTEES)
        mentors = [plan.mentor for plan in data.PILOT_TANDEMS] + list(data.PILOT_EXTRA_MENTORS)
        ids = await self._enroll(program, mentees, mentors)
        await programs.start_matching(self.uow(), self.manager, program.id)
        tandem_ids = [await self._pair(program, plan, ids) for plan in data.PILOT_TANDEMS]
        await programs.launch_program(self.uow(), self.manager, program.id)
        for plan, tandem_id in zip(data.PILOT_TANDEMS, tandem_ids, strict=True):
            await self._journey(plan, tandem_id)

    async def upcoming(self) -> None:
        """The next cohort enrolls: everyone not paired in the pilot, mentors up to a limit."""
        program = await self._program(
            data.UPCOMING_TITLE, today() + timedelta(days=30), "The second cohort, open to every executive."
        )
        paired = {name for plan in data.PILOT_TANDEMS for name in (plan.mentee, plan.mentor)}
        mentees = [s.name for s in data.EXECUTIVES if s.name not in paired]
        mentors = [s.name for s in data.NATIVES if s.name not in paired][: data.UPCOMING_MENTORS]
        await self._enroll(program, mentees, mentors)

    async def webhook_endpoint(self, urls: WebhookUrlCheck) -> None:
        """Created last, by an org admin; the relay still hands it the story's earlier events of
        its types, as it does for any new endpoint of an organization whose events it has not passed."""
        org_admin = Caller(uuid4(), Role.ORG_ADMIN, org_id=self.manager.org_id)
        try:
            await webhooks.create_endpoint(
                self.uow(),
                urls,
                org_admin,
                url=data.WEBHOOK_URL,
                description=data.WEBHOOK_DESCRIPTION,
                event_types=data.WEBHOOK_EVENT_TYPES,
            )
        except RuleViolation as refused:
            if refused.code != "webhook_url_refused":
                raise
            return
        self.counts["webhook_endpoints"] += 1

    async def _program(self, title: str, starts_on: date, description: str) -> Program:
        ends_on = add_months(starts_on, PROGRAM_MONTHS)
        program = await programs.create_program(
            self.uow(), self.manager, title=title, description=description, starts_on=starts_on, ends_on=ends_on
        )
        return await programs.open_enrollment(self.uow(), self.manager, program.id)

    async def _enroll(self, program: Program, mentees: list[str], mentors: list[str]) -> dict[str, UUID]:
        """Enroll both sides; returns each person's enrollment id by name."""
        ids: dict[str, UUID] = {}
        for role, names in ((ParticipantRole.MENTEE, mentees), (ParticipantRole.MENTOR, mentors)):
            for name in names:
                seed = SEEDS[name]
                mentee = role is ParticipantRole.MENTEE
                questions = tuple(data.KEY_QUESTIONS[t.name] for t in seed.topics if t.priority >= 4)
                enrollment = await enrollments.enroll_person(
                    self.uow(),
                    self.manager,
                    program.id,
                    person_id=self.people[name].id,
                    role=role,
                    needs=seed.topics if mentee else (),
                    offers=() if mentee else seed.topics,
                    key_questions=questions if mentee else (),
                )
                ids[name] = enrollment.id
                self.counts["enrollments"] += 1
        return ids

    async def _pair(self, program: Program, plan: TandemPlan, ids: dict[str, UUID]) -> UUID:
        tandem = await tandems.propose_tandem(
            self.uow(),
            self.manager,
            program.id,
            mentor_enrollment_id=ids[plan.mentor],
            mentee_enrollment_id=ids[plan.mentee],
            reason="paired by the program manager",
        )
        await tandems.accept_tandem(self.uow(), self.members[plan.mentor], tandem.id)
        await tandems.accept_tandem(self.uow(), self.members[plan.mentee], tandem.id)
        self.counts["tandems"] += 1
        return tandem.id

    async def _journey(self, plan: TandemPlan, tandem_id: UUID) -> None:
        """Goals first, then the sessions in time order, each side rating the held ones."""
        goal_ids = []
        for title, status in plan.goals:
            goal = await goals.add_goal(self.uow(), self.members[plan.mentee], tandem_id, title=title)
            if status is not GoalStatus.OPEN:
                await goals.update_goal(self.uow(), self.members[plan.mentee], goal.id, status=status)
            goal_ids.append(goal.id)
        for number, session_plan in enumerate(plan.sessions):
            covered = (goal_ids[number % len(goal_ids)],)
            await self._session(plan, tandem_id, session_plan, covered)

    async def _session(self, plan: TandemPlan, tandem_id: UUID, session: SessionPlan, covered: tuple[UUID]) -> None:
        mentee = SEEDS[plan.mentee]
        start, minutes = data.SLOTS[session.format]
        day = today() + timedelta(days=session.day)
        video = session.format is MeetingFormat.VIDEO_CALL
        scheduled = await sessions.schedule_session(
            self.uow(),
            self.members[plan.mentor],
            tandem_id,
            starts_at=datetime.combine(day, start, tzinfo=ZoneInfo(mentee.timezone)),
            duration_minutes=minutes,
            format=session.format,
            location=None if video or session.format is MeetingFormat.PHONE else f"{data.ORG_NAME}, {mentee.city}",
            video_link=f"https://meet.{data.ORG_DOMAIN}/{tandem_id}" if video else None,
            agenda=session.agenda,
        )
        self.counts["sessions"] += 1
        if session.outcome is SessionStatus.MISSED:
            await sessions.miss_session(self.uow(), self.manager, scheduled.id)
        if session.outcome is not SessionStatus.HELD:
            return
        await sessions.hold_session(
            self.uow(),
            self.members[plan.mentee],
            scheduled.id,
            notes=f"Besprochen: {session.agenda}",
            goals_covered=covered,
        )
        for name, rating in zip((plan.mentee, plan.mentor), session.ratings, strict=True):
            if not rating:
                continue
            await sessions.give_feedback(
                self.uow(),
                self.members[name],
                scheduled.id,
                rating=rating,
                goals_covered=covered,
                comment=data.COMMENTS[rating],
            )
            self.counts["feedback"] += 1
