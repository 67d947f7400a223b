using System.Text.Json.Serialization;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>A token-signing key as operators see it: never the key material.</summary>
public sealed record SigningKeyView(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("retired_at")] string? RetiredAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("verifies_until")] string? VerifiesUntil)
{
    public static SigningKeyView From(SigningKeyRing ring, SigningKeyRow r) => new(r.Kid, r.CreatedAt, r.RetiredAt,
        r.RetiredAt is null ? "current" : "retired", ring.VerifiesUntil(r) is { } until ? Database.Timestamp(until) : null);
}
