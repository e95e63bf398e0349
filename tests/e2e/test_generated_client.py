"""A Python client generated from the committed OpenAPI document drives a whole program
against a real ``tandem serve`` process: what a front-end team or partner would do."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.api.openapi import DOCUMENT
from tests.e2e.server import environment, serving, token

GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """Generate ``tandem_client`` from openapi/openapi.json, as a user would, and import it."""
    out = tmp_path_factory.mktemp("generated")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [GENERATOR, "generate", "--path", str(DOCUMENT), "--meta", "none", "--output-path", "tandem_client"],
        cwd=out,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("tandem_client")
    finally:
        sys.path.remove(str(out))


class Api:
    """Tiny sugar over the generated modules: ``api.call("programs", "launch_program", ...)``."""

    def __init__(self, package: ModuleType, base_url: str, bearer: str) -> None:
        self.package = package
        self.client = package.AuthenticatedClient(base_url=base_url, token=bearer, raise_on_unexpected_status=True)

    def call(self, tag: str, operation: str, *args: Any, expect: int = 200, **kwargs: Any) -> Any:
        module = importlib.import_module(f"tandem_client.api.{tag}.{operation}")
        response = module.sync_detailed(*args, client=self.client, **kwargs)
        assert response.status_code == expect, (operation, response.status_code, response.content)
        return response.parsed

    def model(self, model_name: str, /, **fields: Any) -> Any:
        return getattr(importlib.import_module("tandem_client.models"), model_name)(**fields)


def test_a_generated_client_runs_a_whole_program(client_package: ModuleType, tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url)
    slug = f"acme-{uuid.uuid4().hex[:8]}"
    with serving(env) as base:
        admin = Api(client_package, base, token(env, "--role", "platform_admin"))
        org = admin.call(
            "organizations",
            "create_organization",
            body=admin.model("OrganizationIn", name="Acme AG", slug=slug),
            expect=201,
        )
        assert org.slug == slug

        api = Api(client_package, base, token(env, "--org", slug, "--role", "program_manager"))
        mentee = api.call(
            "people",
            "create_person",
            expect=201,
            body=api.model(
                "PersonIn",
                display_name="Karin Schäfer",
                birth_year=1962,
                email=f"karin@{slug}.example",
                languages=["de", "en"],
                department="Board",
                city="München",
                timezone="Europe/Berlin",
            ),
        )
        mentor = api.call(
            "people",
            "create_person",
            expect=201,
            body=api.model(
                "PersonIn",
                display_name="Lena Vogt",
                birth_year=1999,
                email=f"lena@{slug}.example",
                languages=["de", "en"],
                department="Digital",
                city="Berlin",
                timezone="Europe/Berlin",
            ),
        )
        assert mentee.digital_native is False and mentor.digital_native is True

        starts = date.today() - timedelta(days=30)
        program = api.call(
            "programs",
            "create_program",
            expect=201,
            body=api.model(
                "ProgramIn",
                title="Reverse Mentoring Pilot",
                starts_on=starts,
                ends_on=starts + timedelta(days=270),
            ),
            idempotency_key="pilot-1",
        )
        api.call("programs", "open_enrollment", program.id)
        topic = api.model("TopicModel", name="TikTok verstehen", priority=5)
        mentee_e = api.call(
            "enrollments",
            "enroll_person",
            program.id,
            expect=201,
            body=api.model(
                "EnrollmentIn",
                person_id=mentee.id,
                role=client_package.models.ParticipantRole.MENTEE,
                needs=[topic],
            ),
        )
        mentor_e = api.call(
            "enrollments",
            "enroll_person",
            program.id,
            expect=201,
            body=api.model(
                "EnrollmentIn",
                person_id=mentor.id,
                role=client_package.models.ParticipantRole.MENTOR,
                offers=[topic],
            ),
        )
        api.call("programs", "start_matching", program.id)
        tandem = api.call(
            "tandems",
            "propose_tandem",
            program.id,
            expect=201,
            body=api.model(
                "TandemIn",
                mentor_enrollment_id=mentor_e.id,
                mentee_enrollment_id=mentee_e.id,
            ),
        )
        assert str(tandem.status) == "proposed"

        as_mentee = Api(
            client_package, base, token(env, "--org", slug, "--role", "member", "--email", f"karin@{slug}.example")
        )
        as_mentor = Api(
            client_package, base, token(env, "--org", slug, "--role", "member", "--email", f"lena@{slug}.example")
        )
        as_mentor.call("tandems", "accept_tandem", tandem.id)
        assert str(as_mentee.call("tandems", "accept_tandem", tandem.id).status) == "active"
        api.call("programs", "launch_program", program.id)

        goal = as_mentee.call(
            "goals", "add_goal", tandem.id, expect=201, body=api.model("GoalIn", title="How does TikTok work?")
        )
        session = as_mentor.call(
            "sessions",
            "schedule_session",
            tandem.id,
            expect=201,
            body=api.model(
                "SessionIn",
                starts_at=datetime.now(UTC) - timedelta(days=2),
                duration_minutes=90,
                format_=client_package.models.MeetingFormat.SHADOWING_DAY,
            ),
        )
        held = as_mentor.call("sessions", "hold_session", session.id, body=api.model("HoldIn", goals_covered=[goal.id]))
        assert str(held.status) == "held"
        for side, learned in ((as_mentee, "the For You feed"), (as_mentor, "how a board decides")):
            side.call("sessions", "give_feedback", session.id, body=api.model("FeedbackIn", rating=5, learned=learned))
        for side in (as_mentee, as_mentor):
            side.call("tandems", "answer_fit_check", tandem.id, body=api.model("FitCheckIn", fits=True))

        completed = api.call("programs", "complete_program", program.id)
        assert str(completed.status) == "completed"

        # cross-check what the reads say
        final = api.call("tandems", "get_tandem", tandem.id)
        assert str(final.status) == "completed"
        history = api.call("tandems", "get_tandem_history", tandem.id)
        assert [str(t.to_status) for t in history.items] == ["proposed", "active", "completed"]
        stored = api.call("sessions", "get_session", session.id)
        assert sorted(f.rating for f in stored.feedback) == [5, 5]
        other_tenant = Api(client_package, base, token(env, "--role", "platform_admin"))
        other_tenant.call("tandems", "get_tandem", tandem.id, expect=404)


def test_a_partner_network_syncs_its_pool_with_the_generated_client(
    client_package: ModuleType, tmp_path: Path, database_url: str
) -> None:
    """Machine to machine: credentials once, a client-credentials token, a sync, the pool read back."""
    env = environment(tmp_path, database_url)
    slug = f"acme-{uuid.uuid4().hex[:8]}"
    with serving(env) as base:
        admin = Api(client_package, base, token(env, "--role", "platform_admin"))
        org = admin.call(
            "organizations", "create_organization", body=admin.model("OrganizationIn", name=slug, slug=slug), expect=201
        )
        partner = admin.call(
            "partners", "create_partner", body=admin.model("PartnerIn", name=f"NextGen {slug}"), expect=201
        )
        org_admin = Api(client_package, base, token(env, "--org", slug, "--role", "org_admin"))
        org_admin.call("partners", "grant_partner_access", org.id, partner.id, expect=201)

        from tandem_client import Client
        from tandem_client.api.identity import issue_token

        grant = client_package.models.BodyIssueTokenGrantType.CLIENT_CREDENTIALS
        body = admin.model(
            "BodyIssueToken", grant_type=grant, client_id=partner.client_id, client_secret=partner.client_secret
        )
        issued = issue_token.sync_detailed(client=Client(base_url=base), body=body)
        assert issued.status_code == 200, issued.content
        assert issued.parsed.scope == "mentors:read mentors:sync webhooks:manage"  # every scope by default

        machine = Api(client_package, base, issued.parsed.access_token)
        rows = [
            machine.model("PartnerMentorIn", external_id="ngt-1", display_name="Mia Kaya", birth_year=2001),
            machine.model("PartnerMentorIn", external_id="ngt-2", display_name="Too Old", birth_year=1960),
        ]
        report = machine.call(
            "partners", "sync_partner_mentors", partner.id, body=machine.model("PartnerMentorBatchIn", items=rows)
        )
        assert [(r.external_id, str(r.status)) for r in report.items] == [("ngt-1", "created"), ("ngt-2", "error")]
        pool = machine.call("partners", "list_partner_mentors", partner.id)
        assert [m.external_id for m in pool.items] == ["ngt-1"]
        people = org_admin.call("people", "list_people")
        assert [(p.display_name, p.source) for p in people.items] == [("Mia Kaya", "partner")]
