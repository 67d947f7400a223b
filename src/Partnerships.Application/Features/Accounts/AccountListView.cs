using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Partnerships.Application.Features.Accounts;

/// <summary>One page of the platform's accounts, newest first.</summary>
public sealed record AccountListView(
    [property: JsonPropertyName("items"), Description("The accounts of this page, newest first; each as GET /v1/partnership/accounts/{account_id} returns it.")]
    IReadOnlyList<AccountView> Items,
    [property: JsonPropertyName("has_more"), Description("Whether more accounts follow: ask again with starting_after set to the last item's account_id.")]
    bool HasMore);
