"""/scim/v2/Groups: the identity provider's groups, their members, and through the
organization's role mapping the members' roles (app.services.scim_groups)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from scim2_models import Context, ListResponse, Meta, PatchOp, ResponseParameters

from app.api.deps import RequestUow
from app.api.scim.convert import USERS, etag_of
from app.api.scim.errors import ScimProblem, ScimRoute, scim_json
from app.api.scim.filters import criteria_of
from app.api.scim.http import Organization, base_url, body_of, expected_version, id_of, int_of, parameters_of, search_of
from app.api.scim.models import Group, GroupMember
from app.domain.provisioned_group import ProvisionedGroup
from app.services import scim, scim_groups

GROUPS = "/Groups"
router = APIRouter(route_class=ScimRoute, include_in_schema=False)  # included by app.api.scim.router


def resource_of(group: ProvisionedGroup, base: str) -> Group[Any]:
    members = [GroupMember(value=str(m), ref=f"{base}{USERS}/{m}", type="User") for m in group.member_ids]
    return Group(
        id=str(group.id),
        external_id=group.external_id,
        display_name=group.display_name,
        members=members or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base}{GROUPS}/{group.id}",
            version=etag_of(group.version),
        ),
    )


def state_of(group: Group[Any]) -> scim_groups.GroupState:
    """Members by their ``value`` (a user id); one that is no id is no user of the organization."""
    ids = []
    for member in group.members or ():
        try:
            ids.append(UUID(str(member.value)))
        except ValueError:
            raise ScimProblem(
                400, f"members: {member.value!r} is no user of this organization", "invalidValue"
            ) from None
    return scim_groups.GroupState(group.display_name or "", group.external_id, tuple(ids))


def _answer(request: Request, group: ProvisionedGroup, status: int = 200) -> Response:
    base = base_url(request)
    body = resource_of(group, base).model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters_of(request)
    )
    headers = {"ETag": etag_of(group.version)}
    if status == 201:
        headers["Location"] = f"{base}{GROUPS}/{group.id}"
    return scim_json(body, status, headers)


@router.get(GROUPS)
async def list_groups(request: Request, org_id: Organization, uow: RequestUow) -> Response:
    start, count = int_of(request, "startIndex", 1), int_of(request, "count", scim.MAX_PAGE)
    return await _search(uow, org_id, request, request.query_params.get("filter"), start, count, parameters_of(request))


@router.post(f"{GROUPS}/.search")
async def search_groups(request: Request, org_id: Organization, uow: RequestUow) -> Response:
    asked = await search_of(request)
    return await _search(uow, org_id, request, asked.expression, asked.start_index, asked.count, asked.parameters)


async def _search(
    uow: Any,
    org_id: UUID,
    request: Request,
    expression: str | None,
    start_index: int,
    count: int,
    parameters: ResponseParameters[Any] | None,
) -> Response:
    criteria = criteria_of(expression, "Group") if expression else None
    start_index, count = max(start_index, 1), max(count, 0)
    page = await scim_groups.list_groups(uow, org_id, criteria, start_index=start_index, count=count)
    listing = ListResponse[Group[Any]](
        total_results=page.total,
        start_index=start_index,
        items_per_page=len(page.items),
        resources=[resource_of(g, base_url(request)) for g in page.items],
    )
    body = listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    body.setdefault("Resources", [])
    return scim_json(body)


@router.post(GROUPS)
async def create_group(request: Request, org_id: Organization, uow: RequestUow) -> Response:
    group: Group[Any] = Group.model_validate(await body_of(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    return _answer(request, await scim_groups.create_group(uow, org_id, state_of(group)), 201)


@router.get(f"{GROUPS}/{{group_id}}")
async def get_group(group_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    return _answer(request, await scim_groups.get_group(uow, org_id, id_of(group_id, "group")))


@router.put(f"{GROUPS}/{{group_id}}")
async def replace_group(group_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    group: Group[Any] = Group.model_validate(await body_of(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    found = await scim_groups.replace_group(
        uow, org_id, id_of(group_id, "group"), state_of(group), expected_version=expected_version(request)
    )
    return _answer(request, found)


@router.patch(f"{GROUPS}/{{group_id}}")
async def patch_group(group_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    """Entra ID adds and removes members one PATCH at a time (``members[value eq "…"]``), Okta
    replaces the list or adds and removes: scim2-models applies either to the current group."""
    operations = PatchOp[Group[Any]].model_validate(await body_of(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    expected = expected_version(request)
    current = await scim_groups.get_group(uow, org_id, id_of(group_id, "group"))
    resource = resource_of(current, base_url(request))
    operations.patch(resource)
    version = current.version if expected is None else expected
    found = await scim_groups.replace_group(uow, org_id, current.id, state_of(resource), expected_version=version)
    return _answer(request, found)


@router.delete(f"{GROUPS}/{{group_id}}")
async def delete_group(group_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    expected = expected_version(request)
    if expected is not None:
        current = await scim_groups.get_group(uow, org_id, id_of(group_id, "group"))
        if current.version != expected:
            raise ScimProblem(412, f"the group is at version {current.version}, not {expected}")
    await scim_groups.delete_group(uow, org_id, id_of(group_id, "group"))
    return Response(status_code=204)
