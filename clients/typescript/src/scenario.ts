// A whole program through a client typed from our OpenAPI document. CI only type-checks it:
// a renamed field, path or operation in the API breaks this file before it breaks a customer.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Program = components["schemas"]["ProgramOut"];

export async function runProgram(baseUrl: string, adminToken: string, managerToken: string): Promise<Program> {
  const admin = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${adminToken}` } });
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${managerToken}` } });

  const org = await admin.POST("/v1/organizations", { body: { name: "Acme AG", slug: "acme" } });
  if (!org.data) throw failed("org", org.response);

  const mentee = await api.POST("/v1/people", {
    body: { display_name: "Karin Schäfer", email: "karin@acme.example", birth_year: 1962, languages: ["de"] },
  });
  const mentor = await api.POST("/v1/people", {
    body: { display_name: "Lena Vogt", email: "lena@acme.example", birth_year: 1999, languages: ["de", "en"] },
  });
  if (!mentee.data || !mentor.data) throw new Error("people");

  const created = await api.POST("/v1/programs", {
    body: { title: "Reverse Mentoring 2027", starts_on: "2027-01-01", ends_on: "2027-09-30" },
    headers: { "Idempotency-Key": "program-2027" },
  });
  if (!created.data) throw failed("created", created.response);
  const programId = created.data.id;
  const path = { program_id: programId };
  await api.POST("/v1/programs/{program_id}/open-enrollment", { params: { path } });

  const menteeEnrollment = await api.POST("/v1/programs/{program_id}/enrollments", {
    params: { path },
    body: { person_id: mentee.data.id, role: "mentee", needs: [{ name: "TikTok", priority: 5 }] },
  });
  const mentorEnrollment = await api.POST("/v1/programs/{program_id}/enrollments", {
    params: { path },
    body: { person_id: mentor.data.id, role: "mentor", offers: [{ name: "TikTok", priority: 3 }], capacity: 1 },
  });
  if (!menteeEnrollment.data || !mentorEnrollment.data) throw new Error("enrollments");

  await api.POST("/v1/programs/{program_id}/start-matching", { params: { path } });
  const tandem = await api.POST("/v1/programs/{program_id}/tandems", {
    params: { path },
    body: { mentor_enrollment_id: mentorEnrollment.data.id, mentee_enrollment_id: menteeEnrollment.data.id },
  });
  if (!tandem.data) throw failed("tandem", tandem.response);
  const tandemPath = { tandem_id: tandem.data.id };

  const goal = await api.POST("/v1/tandems/{tandem_id}/goals", {
    params: { path: tandemPath },
    body: { title: "How does TikTok work?" },
  });
  const session = await api.POST("/v1/tandems/{tandem_id}/sessions", {
    params: { path: tandemPath },
    body: { starts_at: "2027-02-01T16:00:00+01:00", duration_minutes: 90, format: "video_call" },
  });
  // the answer is JSON unless the client asks for the .ics invitation (Accept: text/calendar)
  if (!goal.data || !session.data || typeof session.data === "string") throw new Error("journey");
  await api.POST("/v1/sessions/{session_id}/hold", { params: { path: { session_id: session.data.id } } });
  await api.PUT("/v1/sessions/{session_id}/feedback", {
    params: { path: { session_id: session.data.id } },
    body: { rating: 5, learned: "How the For You feed works" },
  });
  await api.PUT("/v1/tandems/{tandem_id}/fit-check", { params: { path: tandemPath }, body: { fits: true } });
  await api.POST("/v1/tandems/{tandem_id}/dissolve", {
    params: { path: tandemPath },
    body: { reason: "moved abroad", never_pair_again: false },
  });

  const done = await api.POST("/v1/programs/{program_id}/complete", {
    params: { path },
    headers: { "If-Match": '"5"' },
  });
  if (!done.data) throw failed("done", done.response);
  return done.data;
}

// openapi-fetch types only `*/json` error bodies; ours are RFC 9457 `application/problem+json`,
// so the scenario narrows on `data` and reads the problem from the raw response.
function failed(step: string, response: Response): Error {
  return new Error(`${step}: HTTP ${response.status}`);
}
