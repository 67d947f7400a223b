import { randomUUID } from "node:crypto";
const resp = await fetch(
`https://accounts.rokt.com/v1/partnership/accounts/${accountId}/marketplacecontrolslists?dry_run=true`,
{
method: "PUT",
headers: {
Authorization: `Bearer ${token}`,
"Idempotency-Key": randomUUID(),
"Content-Type": "application/json",
},
body: JSON.stringify({
name: "Acme Network Controls",
blockedVerticals: [
{ partnerVerticalId: 1500, partnerSubVerticalId: 1610, policy: "Block" },
{ partnerVerticalId: 1500, partnerSubVerticalId: 1611, policy: "Block" },
],
domains: [],
contentHash: "h_abc123",
}),
}
);
