"""/scim/v2: SCIM 2.0 provisioning of the organization a SCIM token belongs to (RFC 7644).

Left out of the OpenAPI document: SCIM clients discover the service through its own
ServiceProviderConfig, Schemas and ResourceTypes, which describe it exactly (docs/scim.md).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from scim2_models import Context, ListResponse, PatchOp, ResponseParameters

from app.api.deps import RequestUow
from app.api.scim import convert, discovery, groups
from app.api.scim.errors import MEDIA_TYPE, ScimProblem, ScimRoute, scim_json
from app.api.scim.filters import criteria_of
from app.api.scim.http import (
    PREFIX,
    Organization,
    base_url,
    body_of,
    expected_version,
    id_of,
    int_of,
    parameters_of,
    search_of,
)
from app.api.scim.models import UserResource
from app.api.scim.patching import known_operations
from app.services import scim
from app.services.ports import UnitOfWork

router = APIRouter(prefix=PREFIX, route_class=ScimRoute, include_in_schema=False)


def _user_response(request: Request, found: scim.ProvisionedUser, status: int = 200) -> Response:
    resource = convert.resource_of(found, base_url(request))
    headers = {"ETag": convert.etag_of(found.user.version)}
    if status == 201:
        headers["Location"] = f"{base_url(request)}{convert.USERS}/{found.user.id}"
    return scim_json(convert.dump(resource, parameters_of(request)), status, headers)


def _discovery(body: dict[str, Any]) -> Response:
    return scim_json(body)


@router.get("/ServiceProviderConfig")
async def service_provider_config(_: Organization) -> Response:
    return _discovery(discovery.CONFIG.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@router.get("/ResourceTypes")
async def resource_types(request: Request, _: Organization) -> Response:
    return _listing([t.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for t in discovery.PROVIDER.resource_types])


@router.get("/ResourceTypes/{name}")
async def resource_type(name: str, _: Organization) -> Response:
    for found in discovery.PROVIDER.resource_types:
        if found.id == name:
            return _discovery(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    raise ScimProblem(404, f"no resource type {name!r}")


@router.get("/Schemas")
async def schemas(_: Organization) -> Response:
    return _listing([s.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for s in discovery.PROVIDER.schemas])


@router.get("/Schemas/{schema_id}")
async def schema(schema_id: str, _: Organization) -> Response:
    for found in discovery.PROVIDER.schemas:
        if found.id == schema_id:
            return _discovery(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    raise ScimProblem(404, f"no schema {schema_id!r}")


def _listing(resources: list[dict[str, Any]]) -> Response:
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
    return scim_json(body)


@router.get("/Users")
async def list_users(request: Request, org_id: Organization, uow: RequestUow) -> Response:
    start_index = int_of(request, "startIndex", 1)
    count = int_of(request, "count", scim.MAX_PAGE)
    return await _search(
        uow, org_id, request, request.query_params.get("filter"), start_index, count, parameters_of(request)
    )


@router.post("/.search")
async def search_everything(_: Organization) -> Response:
    """Searching several resource types at once is not supported (RFC 7644 §3.12: 501)."""
    raise ScimProblem(501, "search /Users/.search or /Groups/.search: one resource type at a time")


@router.post("/Users/.search")
async def search(request: Request, org_id: Organization, uow: RequestUow) -> Response:
    asked = await search_of(request)
    return await _search(uow, org_id, request, asked.expression, asked.start_index, asked.count, asked.parameters)


async def _search(
    uow: UnitOfWork,
    org_id: UUID,
    request: Request,
    expression: str | None,
    start_index: int,
    count: int,
    parameters: ResponseParameters[Any] | None,
) -> Response:
    """A page of the organization's provisioned users; startIndex below 1 counts as 1 and a
    negative count as 0 (RFC 7644 §3.4.2.4)."""
    criteria = criteria_of(expression) if expression else None
    start_index, count = max(start_index, 1), max(count, 0)
    page = await scim.list_users(uow, org_id, criteria, start_index=start_index, count=count)
    listing = ListResponse[UserResource](
        total_results=page.total,
        start_index=start_index,
        items_per_page=len(page.items),
        resources=[convert.resource_of(found, base_url(request)) for found in page.items],
    )
    body = listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    body.setdefault("Resources", [])
    return scim_json(body)


@router.post("/Users")
async def create_user(request: Request, org_id: Organization, uow: RequestUow) -> Response:
    resource = UserResource.model_validate(await body_of(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    account, active = convert.account_of(resource)
    return _user_response(request, await scim.create_user(uow, org_id, account, active=active), 201)


@router.get("/Users/{user_id}")
async def get_user(user_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    return _user_response(request, await scim.get_user(uow, org_id, id_of(user_id)))


@router.put("/Users/{user_id}")
async def replace_user(user_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    resource = UserResource.model_validate(await body_of(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    account, active = convert.account_of(resource)
    found = await scim.replace_user(
        uow, org_id, id_of(user_id), account, active=active, expected_version=expected_version(request)
    )
    return _user_response(request, found)


@router.patch("/Users/{user_id}")
async def patch_user(user_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    """The operations apply to the current resource (scim2-models, with the forms Entra ID and
    Okta send: no path with a value object, ``Replace``, ``"False"``); the result replaces it."""
    body = known_operations(await body_of(request))
    expected = expected_version(request)
    current = await scim.get_user(uow, org_id, id_of(user_id))
    resource = convert.resource_of(current, base_url(request))
    if not (isinstance(body, dict) and body.get("Operations") == []):  # all on attributes Tandem ignores
        operations = PatchOp[UserResource].model_validate(body, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        operations.patch(resource)
    resource = UserResource.model_validate(
        resource.model_dump(scim_ctx=Context.DEFAULT), scim_ctx=Context.DEFAULT
    )  # re-validated: a patched value must be as valid as a sent one
    account, active = convert.account_of(resource)
    version = current.user.version if expected is None else expected
    found = await scim.replace_user(uow, org_id, current.user.id, account, active=active, expected_version=version)
    return _user_response(request, found)


@router.delete("/Users/{user_id}")
async def delete_user(user_id: str, request: Request, org_id: Organization, uow: RequestUow) -> Response:
    expected = expected_version(request)
    if expected is not None:
        current = await scim.get_user(uow, org_id, id_of(user_id))
        if current.user.version != expected:
            raise ScimProblem(412, f"the user is at version {current.user.version}, not {expected}")
    await scim.delete_user(uow, org_id, id_of(user_id))
    return Response(status_code=204)


router.include_router(groups.router)  # before the catch-all below


# what each path serves, for a 405 (with Allow) instead of a 404 when the method is the wrong one
SERVED = {
    "ServiceProviderConfig": "GET",
    "ResourceTypes": "GET",
    "Schemas": "GET",
    "Users": "GET, POST",
    "Groups": "GET, POST",
    ".search": "POST",
}


@router.api_route("/{anything:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def unknown(anything: str, request: Request, _: Organization) -> Response:
    """Bulk and anything else this service does not serve."""
    head, _slash, rest = anything.strip("/").partition("/")
    allowed = SERVED.get(head) if not rest else ("GET, PUT, PATCH, DELETE" if head in ("Users", "Groups") else "GET")
    if allowed and head in SERVED and request.method not in allowed:
        raise ScimProblem(405, f"{request.method} is not allowed here", headers={"Allow": allowed})
    raise ScimProblem(404, f"{PREFIX}/{anything} is not served here (see /ServiceProviderConfig)")


__all__ = ["MEDIA_TYPE", "router"]
