"""/v1/programs/{program_id}/report.csv and report.json: one row per tandem, for export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.responses import COMMON
from app.api.schemas.reports import REPORT_COLUMNS, ReportOut, ReportRowOut
from app.services import reports

router = APIRouter(prefix="/v1/programs", tags=["reports"], responses=COMMON)

# a spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[ReportRowOut]) -> Iterator[bytes]:
    """RFC 4180: comma separated, CRLF line ends, quotes doubled inside quoted fields; UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: Iterable[Any]) -> bytes:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    yield line(REPORT_COLUMNS)
    for row in rows:
        values = row.model_dump(mode="json")
        yield line(neutralised("" if values[c] is None else values[c]) for c in REPORT_COLUMNS)


@router.get(
    "/{program_id}/report.csv",
    operation_id="get_program_report_csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "RFC 4180 CSV"}},
)
async def get_program_report_csv(program_id: UUID, caller: CurrentCaller, uow: RequestUow) -> StreamingResponse:
    """One row per tandem (the columns of report.json), UTF-8 CSV; cells that a spreadsheet would
    run as a formula start with an apostrophe (program managers, org admins)."""
    rows = [ReportRowOut.of(r) for r in await reports.program_report(uow, caller, program_id)]
    return StreamingResponse(
        csv_lines(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="program-{program_id}-report.csv"'},
    )


@router.get("/{program_id}/report.json", operation_id="get_program_report")
async def get_program_report(program_id: UUID, caller: CurrentCaller, uow: RequestUow) -> ReportOut:
    """The report's rows as JSON: one per tandem, with its health and reason (program managers, org admins)."""
    rows = await reports.program_report(uow, caller, program_id)
    return ReportOut(program_id=program_id, rows=[ReportRowOut.of(r) for r in rows])
