"""REST adapter (/v1): routers and their request/response schemas."""

from fastapi import APIRouter

from app.api.rest import me, organizations, programs

ROUTERS: list[APIRouter] = [me.router, organizations.router, programs.router]
