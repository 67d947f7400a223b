const envelope = await getMcl(accountId); // GET above
const current = envelope.data; // unwrap the envelope
const next = {
name: current.name,
blockedVerticals: [
...current.translatedVerticals.map(v => ({
partnerVerticalId: v.partner_vertical_id,
partnerSubVerticalId: v.partner_sub_vertical_id,
policy: "Block",
position1Policy: "Block",
})),
// append the new one
{ partnerVerticalId: 1500, partnerSubVerticalId: 1612, policy: "Block", position1Policy: "Block" },
],
domains: current.domains,
contentHash: current.contentHash, // pass back for optimistic concurrency
};
