using System.Text.Json.Serialization;
using Partnerships.Application.Features.Pages;

namespace Partnerships.Application.Features.Registration;

/// <summary>The answer to a registration: the account and the pages created with it.</summary>
public sealed record RegistrationView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("external_account_id")] string ExternalAccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("pages")] IReadOnlyList<PageView> Pages);
