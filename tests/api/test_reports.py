"""GET /v1/programs/{program_id}/report.csv and report.json: one row per tandem of a hand-built program."""

from __future__ import annotations

import csv
import io

import pytest

from app.api.rest.reports import neutralised
from tests.api.graphql.helpers import data
from tests.api.helpers import problem
from tests.api.program_world import NAMES, program_world
from tests.api.test_request_budget import counting, signed_in
from tests.factories import PLATFORM_ADMIN, member, new_org

# (mentor, mentee, status, health, held, missed, mentor rating, mentee rating, achieved, total), oldest tandem first
EXPECTED = [
    ("max", "dorothea", "active", "at_risk", 0, 1, None, None, 0, 1),
    ("chris", "gisela", "dissolved", None, 0, 0, None, None, 0, 0),
    ("lena", "gisela", "active", "needs_check_in", 1, 0, 2.0, None, 0, 0),
    ("lena", "juergen", "active", "on_track", 2, 0, 3.5, 5.0, 1, 3),
    ("max", "ingrid", "proposed", "too_early", 0, 0, None, None, 0, 0),
    ("chris", "franz", "proposed", "too_early", 0, 0, None, None, 0, 0),
]


def _shape(row: dict) -> tuple:
    names = {v: k for k, v in NAMES.items()}
    return (
        names[row["mentor"]],
        names[row["mentee"]],
        row["status"],
        row["health"],
        row["sessions_held"],
        row["sessions_missed"],
        row["mentor_rating"],
        row["mentee_rating"],
        row["goals_achieved"],
        row["goals_total"],
    )


async def test_the_json_report_has_one_row_per_tandem_with_its_health(client, bearer, uow_factory) -> None:
    world = await program_world(uow_factory)
    response = await client.get(f"/v1/programs/{world['program'].id}/report.json", headers=bearer(world["manager"]))
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [_shape(r) for r in rows] == EXPECTED
    t1 = next(r for r in rows if r["tandem_id"] == str(world["tandems"]["t1"].id))
    assert t1["last_session_at"] is not None and t1["health_reason"].startswith("2 held session(s)")
    assert rows[0]["health_reason"] == "a participant answered the fit check with no"


async def test_the_csv_report_parses_back_with_names_quotes_commas_and_no_formulas(
    app, client, bearer, uow_factory
) -> None:
    world = await program_world(uow_factory)
    headers = await signed_in(uow_factory, bearer, world["manager"])
    with counting(app) as use:
        response = await client.get(f"/v1/programs/{world['program'].id}/report.csv", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    # the sign-in check, the program, its rows (with their stored health) and the audit entry
    assert (len(use.statements), use.transactions) == (4, 1), use.statements
    body = response.content.decode("utf-8")
    assert body.endswith("\r\n") and '"Weiß, Dorothea"' in body and '"Lena ""Lee"" Koch"' in body

    parsed = list(csv.DictReader(io.StringIO(body, newline="")))
    expected_json = (await client.get(f"/v1/programs/{world['program'].id}/report.json", headers=headers)).json()
    assert [r["tandem_id"] for r in parsed] == [r["tandem_id"] for r in expected_json["rows"]]
    by_tandem = {r["tandem_id"]: r for r in parsed}
    t2, t6 = by_tandem[str(world["tandems"]["t2"].id)], by_tandem[str(world["tandems"]["t6"].id)]
    assert t2["mentor"] == "'" + NAMES["max"]  # a formula is text now
    assert t2["mentee"] == "Weiß, Dorothea" and t2["health"] == "at_risk" and t2["mentor_rating"] == ""
    assert t6["mentee"] == "'+Ingrid Brandt"
    t1 = by_tandem[str(world["tandems"]["t1"].id)]
    assert (t1["mentor"], t1["mentee"], t1["sessions_held"], t1["mentee_rating"]) == (
        'Lena "Lee" Koch',
        "Jürgen Müller",
        "2",
        "5.0",
    )
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in parsed for cell in row.values())


async def test_only_the_programs_managers_download_its_report(client, bearer, uow_factory) -> None:
    world = await program_world(uow_factory)
    _, other_manager = await new_org(uow_factory)
    for suffix in ("csv", "json"):
        url = f"/v1/programs/{world['program'].id}/report.{suffix}"
        problem(await client.get(url, headers=bearer(member(world["people"]["lena"]))), 403, "manager_required")
        problem(await client.get(url, headers=bearer(other_manager)), 404, "program_not_found")
        problem(await client.get(url, headers=bearer(PLATFORM_ADMIN)), 404)


REPORT = """query($id: UUID!) { programReport(programId: $id) {
    tandemId mentor mentee status health healthReason sessionsHeld sessionsMissed lastSessionAt
    mentorRating menteeRating goalsAchieved goalsTotal
} }"""


async def test_graphql_reads_the_same_rows(client, bearer, uow_factory) -> None:
    world = await program_world(uow_factory)
    headers = bearer(world["manager"])
    rest = (await client.get(f"/v1/programs/{world['program'].id}/report.json", headers=headers)).json()["rows"]
    rows = (await data(client, headers, REPORT, id=str(world["program"].id)))["programReport"]
    assert [[r[k] for k in ("tandemId", "mentor", "health", "healthReason", "mentorRating")] for r in rows] == [
        [r[k] for k in ("tandem_id", "mentor", "health", "health_reason", "mentor_rating")] for r in rest
    ]
    other = await data(client, bearer(member(world["people"]["lena"])), REPORT, id=str(world["program"].id))
    assert other["programReport"] is None


@pytest.mark.parametrize("cell", ["=1+1", "+49 30", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(cell: str) -> None:
    assert neutralised(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Jürgen", "a=b", "", 4.5, 3])
def test_other_cells_stay_as_they_are(cell: object) -> None:
    assert neutralised(cell) == cell
