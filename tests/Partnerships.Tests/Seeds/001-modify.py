envelope = get_mcl(account_id) # GET above
current = envelope["data"] # unwrap the envelope
next_body = {
"name": current["name"],
"blockedVerticals": [
{
"partnerVerticalId": v["partner_vertical_id"],
"partnerSubVerticalId": v["partner_sub_vertical_id"],
"policy": "Block",
"position1Policy": "Block",
}
for v in current["translatedVerticals"]
] + [
{"partnerVerticalId": 1500, "partnerSubVerticalId": 1612, "policy": "Block", "position1Policy": "Block"}
],
"domains": current["domains"],
"contentHash": current["contentHash"],
}
