import requests, uuid
resp = requests.put(
f"https://accounts.rokt.com/v1/partnership/accounts/{account_id}/marketplacecontrolslists",
params={"dry_run": "true"},
headers={
"Authorization": f"Bearer {token}",
"Idempotency-Key": str(uuid.uuid4()),
},
json={
"name": "Acme Network Controls",
"blockedVerticals": [
{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"},
{"partnerVerticalId": 1500, "partnerSubVerticalId": 1611, "policy": "Block"},
],
"domains": [],
"contentHash": "h_abc123",
},
)
assert resp.status_code == 200, resp.json()
