"""`tandem token` never changes who someone is behind the operator's back: it says when it
creates a user, and it changes an existing user's role only when told to (``--force-role``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.cli import main
from app.domain.access import Role
from app.domain.errors import Conflict
from app.services import identity
from tests.factories import new_org, new_person

pytestmark = pytest.mark.db


async def test_an_existing_users_role_changes_only_when_forced(uow_factory) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1990, email="ines@acme.example")

    first = await identity.operator_user(uow_factory(), role=Role.MEMBER, org_slug=org.slug, email=person.email)
    assert first.created and first.user.role is Role.MEMBER and first.user.person_id == person.id
    again = await identity.operator_user(uow_factory(), role=Role.MEMBER, org_slug=org.slug, email=person.email)
    assert (again.created, again.previous_role, again.user.id) == (False, None, first.user.id)

    with pytest.raises(Conflict) as refused:
        await identity.operator_user(uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email=person.email)
    assert refused.value.code == "role_change_refused" and "--force-role" in refused.value.detail
    async with uow_factory() as uow:
        stored = await uow.users.get(first.user.id)
    assert stored is not None and stored.role is Role.MEMBER

    forced = await identity.operator_user(
        uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email=person.email, force_role=True
    )
    assert (forced.created, forced.previous_role, forced.user.role) == (False, Role.MEMBER, Role.ORG_ADMIN)
    async with uow_factory() as uow:
        stored = await uow.users.get(first.user.id)
    assert stored is not None and stored.role is Role.ORG_ADMIN and stored.person_id == person.id


async def test_the_command_says_what_it_did_on_stderr_and_prints_only_the_token(
    uow_factory, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    org, manager = await new_org(uow_factory)
    person = await new_person(uow_factory, manager, birth_year=1985, email="jo@acme.example")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tmp_path))

    async def tandem_token(*args: str) -> tuple[int, str, str]:
        code = await asyncio.to_thread(main, ["token", "--org", org.slug, "--email", person.email, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, err = await tandem_token("--role", "program_manager")
    assert code == 0 and out.count(".") == 2 and len(out.split()) == 1  # one JWT, nothing else
    assert err == f"tandem token: created user jo@acme.example (program_manager in {org.slug})\n"

    code, out, err = await tandem_token("--role", "program_manager")
    assert code == 0 and err == ""

    code, out, err = await tandem_token("--role", "member")
    assert code == 2 and out == ""
    assert "jo@acme.example is a program_manager; pass --force-role to make them a member" in err

    code, out, err = await tandem_token("--role", "member", "--force-role")
    assert code == 0 and out.count(".") == 2
    assert err == "tandem token: changed the role of jo@acme.example from program_manager to member\n"
