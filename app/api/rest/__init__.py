"""REST adapter (/v1): routers and their request/response schemas."""

from fastapi import APIRouter

from app.api.rest import (
    audit,
    calendars,
    enrollments,
    events,
    goals,
    insights,
    matching,
    me,
    organizations,
    partners,
    people,
    programs,
    reports,
    scim_tokens,
    sessions,
    tandems,
    webhooks,
)

ROUTERS: list[APIRouter] = [
    me.router,
    organizations.router,
    people.router,
    programs.router,
    enrollments.router,
    matching.router,
    tandems.router,
    goals.router,
    sessions.router,
    partners.router,
    partners.grants,
    events.router,
    insights.router,
    reports.router,
    calendars.router,
    webhooks.router,
    audit.router,
    scim_tokens.router,
]

# routes that authenticate in their own way (a calendar link's secret in the URL)
OWN_AUTH_ROUTERS: list[APIRouter] = [calendars.feed]
