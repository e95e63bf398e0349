"""Which problem codes each operation can answer: the declaration behind ``x-problem-codes``.

``OPERATION_CODES`` names, per operationId, the codes of its own use case (not found, who may,
the rules it checks). ``shape_codes`` adds the ones that follow from the operation's shape, the
same for every route of that shape: a bearer token, parameters, a JSON body, ``If-Match``, a POST
with ``Idempotency-Key``, a write under the rate limit, the database. ``tests/api/conftest.py``
checks every problem the API tests receive against these lists, so a list cannot go stale
without a test failing; ``tests/unit/test_error_catalog.py`` checks each code is in the catalog.
"""

from __future__ import annotations

from typing import Any

from app.api.rate_limit import SAFE_METHODS

# groups that several use cases share (app.services.authz and the aggregates they load)
TENANT = ("organization_token_required",)
MANAGER = ("manager_required", *TENANT)
PROGRAM = ("program_not_found",)
PERSON = ("person_not_found",)
TANDEM = ("tandem_not_found", "not_your_tandem")
SESSION = ("session_not_found", "tandem_not_found", "not_your_tandem")
ENROLLMENT = ("program_not_found", "enrollment_not_found", "not_your_profile")
PARTNER_READER = ("partner_not_found", "partner_token_required", "insufficient_scope")
WEBHOOK_OWNER = ("org_admin_required", "partner_not_found", "insufficient_scope", *TENANT)
WEBHOOK_ENDPOINT = ("webhook_endpoint_not_found", *WEBHOOK_OWNER)
WEBHOOK_FIELDS = ("invalid_webhook_url", "webhook_url_refused", "invalid_event_type", "too_long")
PROFILE = ("invalid_birth_year", "invalid_email", "invalid_timezone", "blank_value", "too_long", "too_many_items")
TOPICS = ("invalid_priority", "invalid_capacity", "too_many_items", "blank_value")
PROGRAM_RULES = ("invalid_period", "invalid_rule", "blank_value")
PAIR_RULES = (
    "pairing_closed",
    "enrollment_not_in_program",
    "wrong_role",
    "enrollment_withdrawn",
    "person_erased",
    "same_person",
    "mentor_not_digital_native",
    "mentee_not_digital_immigrant",
    "generation_gap_too_small",
    "same_department",
    "mentee_already_paired",
    "mentor_capacity_exceeded",
    "pair_excluded",
    "passed",
)
TANDEM_STEP = (*TANDEM, "tandem_invalid_transition", "proposal_expired", "too_long")
SESSION_STEP = (*SESSION, "session_invalid_transition", "session_not_started")
PROVIDER = ("provider_unreachable", "provider_unusable", "provider_url_refused")
SSO_ORG = ("organization_not_found", "sso_not_configured")

OPERATION_CODES: dict[str, tuple[str, ...]] = {
    # operations
    "get_health": (),
    "get_readiness": (),
    "get_metrics": ("invalid_token",),
    "get_jwks": (),
    # identity
    "start_login": (
        *SSO_ORG,
        *PROVIDER,
        "rate_limited",
        "code_challenge_required",
        "invalid_prompt",
        "invalid_login_hint",
    ),
    "finish_login": (
        *SSO_ORG,
        *PROVIDER,
        "rate_limited",
        "invalid_state",
        "missing_code",
        "provider_refused",
        "code_exchange_failed",
        "invalid_id_token",
        "issuer_mismatch",
        "issuer_missing",
        "invalid_claims",
        "email_missing",
        "email_not_verified",
        "email_not_supported",
        "email_domain_not_allowed",
        "email_in_use",
        "user_exists",
        "account_deactivated",
    ),
    "provider_logout": (*SSO_ORG, *PROVIDER, "rate_limited", "invalid_request", "invalid_logout_token"),
    "log_out": ("invalid_token", "no_signin"),
    "issue_token": (
        "rate_limited",
        "invalid_request",
        "unsupported_grant_type",
        "invalid_client",
        "invalid_grant",
        "invalid_scope",
    ),
    "revoke_token": ("rate_limited", "invalid_request"),
    "get_me": (),
    # organizations
    "create_organization": ("platform_admin_required", "invalid_slug", "slug_taken", "blank_value", "too_long"),
    "list_organizations": TENANT,
    "get_organization": ("organization_not_found",),
    "update_organization": ("organization_not_found", "org_admin_required", "blank_value", "too_long"),
    "configure_sso": (
        "organization_not_found",
        "org_admin_required",
        "invalid_issuer",
        "invalid_url",
        "invalid_domain",
        "invalid_role",
        "blank_value",
    ),
    "get_sso": ("organization_not_found", "org_admin_required", "sso_config_not_found"),
    # people
    "create_person": (*MANAGER, *PROFILE, "email_taken", "profile_exists"),
    "list_people": TENANT,
    "get_person": PERSON,
    "update_person": (
        *PERSON,
        *PROFILE,
        "not_your_profile",
        "email_taken",
        "external_id_taken",
        "not_editable",
        "person_erased",
    ),
    "erase_person": (*PERSON, "not_your_profile"),
    "export_person": (*PERSON, "not_your_profile"),
    "get_availability": PERSON,
    "set_availability": (
        *PERSON,
        "not_your_profile",
        "person_erased",
        "invalid_weekday",
        "invalid_window",
        "invalid_timezone",
        "too_many_items",
    ),
    # programs
    "create_program": (*MANAGER, *PROGRAM_RULES, "too_long"),
    "list_programs": TENANT,
    "get_program": PROGRAM,
    "update_program": (*PROGRAM, *MANAGER, *PROGRAM_RULES, "too_long", "program_closed", "rules_break_open_tandems"),
    "open_enrollment": (*PROGRAM, *MANAGER, "program_invalid_transition"),
    "start_matching": (*PROGRAM, *MANAGER, "program_invalid_transition"),
    "launch_program": (*PROGRAM, *MANAGER, "program_invalid_transition"),
    "complete_program": (*PROGRAM, *MANAGER, "program_invalid_transition"),
    "cancel_program": (*PROGRAM, *MANAGER, "program_invalid_transition"),
    "get_matching_policy": PROGRAM,
    "set_matching_policy": (*PROGRAM, *MANAGER, "invalid_policy", "program_closed"),
    # enrollments
    "enroll_person": (
        *PROGRAM,
        *PERSON,
        *TOPICS,
        "not_your_profile",
        "already_enrolled",
        "enrollment_closed",
        "wrong_organization",
        "person_erased",
        "person_deactivated",
        "mentor_not_digital_native",
        "mentee_not_digital_immigrant",
    ),
    "list_enrollments": (*PROGRAM, "not_your_profile"),
    "get_enrollment": ENROLLMENT,
    "update_enrollment": (*ENROLLMENT, *TOPICS, "enrollment_withdrawn", "capacity_below_open_tandems"),
    "withdraw_enrollment": (*ENROLLMENT, "enrollment_withdrawn", "enrollment_has_open_tandem"),
    "suggest_candidates": (*ENROLLMENT, "not_your_enrollment"),
    "set_preference": (
        *ENROLLMENT,
        *PAIR_RULES,
        "not_your_enrollment",
        "person_not_found",
    ),
    # matching runs
    "start_matching_run": (
        *PROGRAM,
        *MANAGER,
        "program_not_matching",
        "pinned_twice",
        "pinned_unknown",
        "job_queue_unavailable",
    ),
    "list_matching_runs": (*PROGRAM, *MANAGER),
    "list_rematch_candidates": (*PROGRAM, *MANAGER),
    "get_matching_run": ("matching_run_not_found", *MANAGER),
    "accept_matching_run": (
        *PROGRAM,
        *MANAGER,
        *PAIR_RULES,
        "matching_run_not_found",
        "matching_run_not_completed",
        "proposal_unknown",
        "enrollment_not_found",
        "person_not_found",
    ),
    # tandems
    "propose_tandem": (*PROGRAM, *MANAGER, *PAIR_RULES, "enrollment_not_found", "person_not_found", "too_long"),
    "list_tandems": PROGRAM,
    "get_tandem": TANDEM,
    "get_tandem_history": TANDEM,
    "accept_tandem": (*TANDEM_STEP, "participant_required"),
    "decline_tandem": (*TANDEM_STEP, "participant_required"),
    "pause_tandem": TANDEM_STEP,
    "resume_tandem": TANDEM_STEP,
    "complete_tandem": TANDEM_STEP,
    "dissolve_tandem": (*TANDEM_STEP, "reason_required"),
    "answer_fit_check": (*TANDEM, "participant_required", "tandem_not_active", "fit_check_too_early"),
    "suggest_slots": (
        *TANDEM,
        "program_not_found",
        "person_not_found",
        "tandem_not_active",
        "invalid_duration",
        "invalid_days",
        "invalid_limit",
    ),
    # sessions
    "schedule_session": (
        *TANDEM,
        "program_not_found",
        "tandem_not_active",
        "program_not_running",
        "invalid_duration",
        "invalid_format",
        "naive_datetime",
        "outside_program_period",
        "too_long",
    ),
    "list_sessions": TANDEM,
    "get_session": SESSION,
    "reschedule_session": (
        *SESSION,
        "program_not_found",
        "session_not_scheduled",
        "invalid_duration",
        "invalid_format",
        "naive_datetime",
        "outside_program_period",
        "too_long",
    ),
    "hold_session": (*SESSION_STEP, "too_long", "goal_not_in_tandem"),
    "cancel_session": SESSION_STEP,
    "miss_session": SESSION_STEP,
    "give_feedback": (
        *SESSION,
        "participant_required",
        "session_not_held",
        "feedback_already_given",
        "invalid_rating",
        "too_long",
        "goal_not_in_tandem",
    ),
    # goals
    "add_goal": (*TANDEM, "tandem_closed", "blank_value", "too_long"),
    "list_goals": TANDEM,
    "get_goal": ("goal_not_found", "not_your_tandem"),
    "update_goal": ("goal_not_found", "not_your_tandem", "goal_invalid_transition", "tandem_closed", "too_long"),
    # insights and reports
    "get_program_insights": (*PROGRAM, *MANAGER),
    "get_program_report": (*PROGRAM, *MANAGER),
    "get_program_report_csv": (*PROGRAM, *MANAGER),
    # SCIM provisioning's bearer tokens: an organization's admins
    "create_scim_token": ("organization_not_found", "org_admin_required", "blank_value", "too_long"),
    "list_scim_tokens": ("organization_not_found", "org_admin_required"),
    "revoke_scim_token": ("organization_not_found", "org_admin_required", "scim_token_not_found"),
    # calendars
    "get_calendar_feed": (*PERSON, *TENANT, "not_your_profile", "calendar_feed_not_found"),
    "create_calendar_link": (*PERSON, *TENANT, "not_your_profile"),
    "list_calendar_links": (*PERSON, *TENANT, "not_your_profile"),
    "revoke_calendar_link": (*PERSON, *TENANT, "not_your_profile", "calendar_link_not_found"),
    # partners
    "create_partner": (
        "platform_admin_required",
        "partner_name_taken",
        "unknown_scope",
        "scopes_required",
        "blank_value",
    ),
    "list_partners": MANAGER,
    "get_partner": ("partner_not_found", *MANAGER),
    "rotate_partner_secret": ("platform_admin_required", "partner_not_found"),
    "sync_partner_mentors": (*PARTNER_READER, "batch_too_large", "external_id_taken"),
    "list_partner_mentors": PARTNER_READER,
    "get_partner_mentor": (*PARTNER_READER, "partner_mentor_not_found", "invalid_external_id"),
    "withdraw_partner_mentor": (*PARTNER_READER, "partner_mentor_not_found", "invalid_external_id"),
    "grant_partner_access": ("organization_not_found", "org_admin_required", "partner_not_found"),
    "get_partner_grant": (
        "organization_not_found",
        "partner_not_found",
        "partner_grant_not_found",
        *MANAGER,
    ),
    "revoke_partner_access": ("organization_not_found", "org_admin_required", "partner_grant_not_found"),
    # events
    "list_events": (*MANAGER, *PARTNER_READER, "invalid_event_type", "invalid_cursor"),  # `after` is a cursor
    # webhook endpoints: an organization's admins or a partner with webhooks:manage
    "create_webhook_endpoint": (*WEBHOOK_OWNER, *WEBHOOK_FIELDS),
    "list_webhook_endpoints": WEBHOOK_OWNER,
    "get_webhook_endpoint": WEBHOOK_ENDPOINT,
    "update_webhook_endpoint": (*WEBHOOK_ENDPOINT, *WEBHOOK_FIELDS, "concurrent_update"),
    "delete_webhook_endpoint": WEBHOOK_ENDPOINT,
    "rotate_webhook_secret": (*WEBHOOK_ENDPOINT, "concurrent_update"),
    "test_webhook_endpoint": WEBHOOK_ENDPOINT,
    "list_webhook_deliveries": WEBHOOK_ENDPOINT,
    "redeliver_webhook": (*WEBHOOK_ENDPOINT, "webhook_delivery_not_found", "delivery_pending"),
    # the audit trail: an organization's admins
    "list_audit_events": ("org_admin_required", *TENANT, "invalid_action", "invalid_target_type", "invalid_time_range"),
}

BEARER_PATHS = ("/v1/",)  # every operation here needs an access token (/v1/me included)
NEEDS_THE_DATABASE = ("/v1/", "/auth/", "/oauth/", "/scim/")


def shape_codes(method: str, path: str, operation: dict[str, Any]) -> set[str]:
    """The codes an operation answers because of its shape, whatever its use case."""
    codes = {"internal_error"}
    parameters = {p["name"].lower() for p in operation.get("parameters", [])}  # header names ignore case
    body = operation.get("requestBody", {}).get("content", {})
    oauth = path.startswith("/oauth/")
    if path.startswith(NEEDS_THE_DATABASE):
        codes.add("database_unavailable")
    if path.startswith(BEARER_PATHS):
        codes |= {"invalid_token"}
    if (parameters or body) and not oauth:
        codes.add("validation_failed")  # OAuth answers RFC 6749's invalid_request instead
    if body:
        codes.add("payload_too_large")
    if "application/json" in body:
        codes.add("malformed_json")
    if "if-match" in parameters:
        codes.add("version_mismatch")
    if "cursor" in parameters:
        codes.add("invalid_cursor")
    if method.upper() not in SAFE_METHODS and path.startswith("/v1/"):
        codes |= {"rate_limited", "concurrent_update", "reference_not_found"}
    if method.upper() == "POST" and path.startswith("/v1/"):
        codes |= {"invalid_idempotency_key", "idempotency_key_reused", "idempotency_request_in_progress"}
    return codes
