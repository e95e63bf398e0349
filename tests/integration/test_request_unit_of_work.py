"""A request's one unit of work: its blocks share a transaction, take turns, and never let one
block's uncommitted or failed writes be committed by another."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.errors import Conflict
from app.domain.organization import Organization
from app.infra.db.unit_of_work import SqlUnitOfWork


def _org() -> Organization:
    slug = f"uow-{uuid.uuid4().hex[:12]}"
    return Organization(name=slug, slug=slug)


async def _exists(uow_factory: Any, org: Organization) -> bool:
    async with uow_factory() as uow:
        return await uow.organizations.get_by_slug(org.slug) is not None


async def _transaction_started(uow: SqlUnitOfWork) -> Any:
    async with uow:
        return (await uow.organizations.db.execute(select(func.now()))).scalar_one()


async def test_reads_of_several_blocks_share_one_transaction(uow_factory) -> None:
    async with uow_factory().kept_open() as uow:
        first = await _transaction_started(uow)
        await asyncio.sleep(0.01)
        assert await _transaction_started(uow) == first  # now() is the transaction's start
    async with uow_factory().kept_open() as other:
        assert await _transaction_started(other) != first


async def test_a_block_that_raises_takes_its_writes_with_it(uow_factory) -> None:
    failed, kept = _org(), _org()
    async with uow_factory().kept_open() as uow:
        with pytest.raises(Conflict):
            async with uow:
                await uow.organizations.add(failed)
                raise Conflict("a rule said no", code="test_refusal")
        async with uow:
            await uow.organizations.add(kept)
            await uow.commit()
    assert not await _exists(uow_factory, failed)
    assert await _exists(uow_factory, kept)


async def test_a_block_that_wrote_without_committing_is_rolled_back_before_the_next(uow_factory) -> None:
    forgotten, kept = _org(), _org()
    async with uow_factory().kept_open() as uow:
        async with uow:
            await uow.organizations.add(forgotten)  # a use case that forgot to commit
        async with uow:
            await uow.organizations.add(kept)
            await uow.commit()
    assert not await _exists(uow_factory, forgotten)
    assert await _exists(uow_factory, kept)


async def test_concurrent_blocks_take_turns_on_the_one_database_handle(uow_factory) -> None:
    """GraphQL resolves sibling fields in concurrent tasks; without turns the database handle refuses."""
    orgs = [_org() for _ in range(5)]
    async with uow_factory() as setup:
        for org in orgs:
            await setup.organizations.add(org)
        await setup.commit()

    async def read(uow: SqlUnitOfWork, org: Organization) -> str | None:
        async with uow:
            await asyncio.sleep(0)  # let the other tasks try to get in meanwhile
            found = await uow.organizations.get_by_slug(org.slug)
            return found.slug if found else None

    async with uow_factory().kept_open() as uow:
        found = await asyncio.gather(*(read(uow, org) for org in orgs * 4))
    assert found == [org.slug for org in orgs * 4]


async def test_a_use_case_block_inside_another_of_the_same_task_does_not_wait_for_itself(uow_factory) -> None:
    org = _org()
    async with uow_factory().kept_open() as uow, uow:
        async with uow:  # a use case calling another: the lock is the task's already
            await uow.organizations.add(org)
        await uow.commit()
    assert await _exists(uow_factory, org)
