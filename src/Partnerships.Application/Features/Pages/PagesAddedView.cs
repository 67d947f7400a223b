using System.Text.Json.Serialization;

namespace Partnerships.Application.Features.Pages;

/// <summary>The answer to POST …/pages: the pages just created.</summary>
public sealed record PagesAddedView(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("pages")] IReadOnlyList<PageView> Pages);
