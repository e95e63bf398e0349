"""GET /v1/programs/{program_id}/insights and GraphQL's insights: every figure of a hand-built program."""

from __future__ import annotations

from typing import Any

from tests.api.graphql.helpers import data
from tests.api.graphql.test_statement_count import program_with_tandems
from tests.api.helpers import problem
from tests.api.program_world import program_world
from tests.api.test_request_budget import counting, signed_in
from tests.factories import PLATFORM_ADMIN, member, new_org

EXPECTED: dict[str, Any] = {
    "participants": [  # Hans withdrew: not counted
        {"role": "mentee", "generation": "baby_boomers", "count": 3},
        {"role": "mentee", "generation": "gen_x", "count": 2},
        {"role": "mentor", "generation": "millennials", "count": 1},
        {"role": "mentor", "generation": "gen_z", "count": 2},
    ],
    "tandems_by_status": {"active": 3, "dissolved": 1, "proposed": 2},
    "tandems_by_health": {"too_early": 2, "on_track": 1, "needs_check_in": 1, "at_risk": 1},
    # started tandems t1, t2, t4, t5 held 2, 0, 0 and 1 sessions
    "sessions_per_tandem": {"mean": 0.75, "distribution": {"0": 2, "1": 1, "2": 1}},
    "formats": {"on_site": 1, "phone": 1, "video_call": 1},
    "ratings": [{"side": "mentee", "mean": 5.0, "ratings": 2}, {"side": "mentor", "mean": 3.0, "ratings": 3}],
    "goals_by_status": {"achieved": 1, "in_progress": 1, "open": 2},
    "learned": [  # top five per side; "Reels", " reels " and "Reels" are one topic; Podcasts is sixth
        {"side": "mentee", "topic": "TikTok", "mentions": 2},
        {"side": "mentee", "topic": "Discord", "mentions": 1},
        {"side": "mentee", "topic": "Hybrid work", "mentions": 1},
        {"side": "mentee", "topic": "Memes", "mentions": 1},
        {"side": "mentee", "topic": "Patience", "mentions": 1},
        {"side": "mentor", "topic": "Reels", "mentions": 3},
        {"side": "mentor", "topic": "Leadership", "mentions": 1},
        {"side": "mentor", "topic": "TikTok", "mentions": 1},
    ],
    "proposals": {"pending": 2, "expiring_soon": 1, "overdue": 1},
    "fit_checks": {"mentor_yes": 2, "mentor_no": 0, "mentee_yes": 1, "mentee_no": 1, "failed": 1},
    "rematches": {"flagged": 1, "dissolved": 1, "rematched": 1},
}


async def test_a_manager_reads_every_figure_of_the_program(client, bearer, uow_factory) -> None:
    world = await program_world(uow_factory)
    response = await client.get(f"/v1/programs/{world['program'].id}/insights", headers=bearer(world["manager"]))
    assert response.status_code == 200, response.text
    assert response.json() == EXPECTED


async def test_an_empty_program_has_zero_figures(client, bearer, uow_factory) -> None:
    _, manager = await new_org(uow_factory)
    program = await program_with_tandems(uow_factory, manager, 0)
    body = (await client.get(f"/v1/programs/{program.id}/insights", headers=bearer(manager))).json()
    assert body["sessions_per_tandem"] == {"mean": 0.0, "distribution": {}}
    assert body["tandems_by_health"] == {"too_early": 0, "on_track": 0, "needs_check_in": 0, "at_risk": 0}
    assert (body["participants"], body["ratings"], body["learned"]) == ([], [], [])
    assert body["proposals"] == {"pending": 0, "expiring_soon": 0, "overdue": 0}


async def test_insights_cost_the_same_few_statements_for_a_small_and_a_large_program(
    app, client, bearer, uow_factory
) -> None:
    world = await program_world(uow_factory)
    headers = await signed_in(uow_factory, bearer, world["manager"])
    large = await program_with_tandems(uow_factory, world["manager"], 60)
    counts = []
    for program in (world["program"], large):
        with counting(app) as use:
            response = await client.get(f"/v1/programs/{program.id}/insights", headers=headers)
        assert response.status_code == 200
        counts.append((len(use.statements), use.transactions))
    assert response.json()["tandems_by_health"]["on_track"] == 60
    # the sign-in check, the program and its figures (which count the stored health)
    assert counts == [(3, 1), (3, 1)], counts


async def test_only_the_programs_managers_read_its_insights(client, bearer, uow_factory) -> None:
    world = await program_world(uow_factory)
    url = f"/v1/programs/{world['program'].id}/insights"
    problem(await client.get(url, headers=bearer(member(world["people"]["juergen"]))), 403, "manager_required")
    _, other_manager = await new_org(uow_factory)
    problem(await client.get(url, headers=bearer(other_manager)), 404, "program_not_found")
    problem(await client.get(url, headers=bearer(PLATFORM_ADMIN)), 404)


INSIGHTS = """query($id: UUID!) {
  programInsights(programId: $id) {
    tandemsByHealth { key count } sessionsPerTandem { mean distribution { key count } }
    learned { side topic mentions } proposals { pending expiringSoon overdue }
    rematches { flagged dissolved rematched } participants { role generation count }
  }
  program(id: $id) { insights { fitChecks { mentorYes menteeNo failed } goalsByStatus { key count } } }
}"""


async def test_graphql_reads_the_same_insights(client, bearer, uow_factory) -> None:
    world = await program_world(uow_factory)
    result = await data(client, bearer(world["manager"]), INSIGHTS, id=str(world["program"].id))
    insights = result["programInsights"]
    assert {t["key"]: t["count"] for t in insights["tandemsByHealth"]} == EXPECTED["tandems_by_health"]
    spread = insights["sessionsPerTandem"]
    assert {t["key"]: t["count"] for t in spread["distribution"]} == EXPECTED["sessions_per_tandem"]["distribution"]
    assert spread["mean"] == 0.75 and insights["learned"] == EXPECTED["learned"]
    assert insights["proposals"] == {"pending": 2, "expiringSoon": 1, "overdue": 1}
    assert insights["rematches"] == EXPECTED["rematches"] and insights["participants"] == EXPECTED["participants"]
    nested = result["program"]["insights"]
    assert nested["fitChecks"] == {"mentorYes": 2, "menteeNo": 1, "failed": 1}
    assert {t["key"]: t["count"] for t in nested["goalsByStatus"]} == EXPECTED["goals_by_status"]

    member_view = await data(client, bearer(member(world["people"]["lena"])), INSIGHTS, id=str(world["program"].id))
    assert member_view["programInsights"] is None and member_view["program"]["insights"] is None
