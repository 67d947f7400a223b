// Seed 001's GET-modify-PUT recipe, written against the types openapi-typescript generates from docs/openapi/v1.json.
// scripts/lint-openapi generates ./v1.d.ts beside a copy of this file and compiles it with tsc --strict.
import type { paths } from "./v1";

type Controls = paths["/v1/partnership/accounts/{account_id}/marketplacecontrolslists"];
type ControlsEnvelope = Controls["get"]["responses"][200]["content"]["application/json"];
type ControlsPut = Controls["put"]["requestBody"]["content"]["application/json"];
type ControlsPutEnvelope = Controls["put"]["responses"][200]["content"]["application/json"];
type Conflict = Controls["put"]["responses"][409]["content"]["application/json"];

declare function getMcl(accountId: string): Promise<ControlsEnvelope>; // GET above
declare function putMcl(accountId: string, body: ControlsPut, idempotencyKey: string): Promise<ControlsPutEnvelope | Conflict>;

export async function addBlockedVertical(accountId: string): Promise<string> {
  const envelope = await getMcl(accountId);
  const current = envelope.data; // unwrap the envelope
  const next: ControlsPut = {
    name: current.name,
    blockedVerticals: [
      // `as const`: TypeScript widens a literal a callback returns to string, and policy is "Block" | "Allow".
      ...current.translatedVerticals.map(v => ({
        partnerVerticalId: v.partner_vertical_id,
        partnerSubVerticalId: v.partner_sub_vertical_id,
        policy: "Block" as const,
        position1Policy: "Block" as const,
      })),
      // append the new one
      { partnerVerticalId: 1500, partnerSubVerticalId: 1612, policy: "Block", position1Policy: "Block" },
    ],
    domains: current.domains,
    contentHash: current.contentHash, // pass back for optimistic concurrency
  };
  const answer = await putMcl(accountId, next, crypto.randomUUID());
  if (answer.error === null) return answer.data.contentHash;
  // A stale contentHash: re-GET, re-apply, retry (the reason says which 409 this is).
  const stale = answer.details.some(d => d.reason === "content_hash_stale");
  throw new Error(stale ? "stale: re-GET and retry" : answer.message);
}
