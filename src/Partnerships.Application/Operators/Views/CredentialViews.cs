using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

/// <summary>A credential just issued or rotated: the only time its secret is shown.</summary>
public sealed record IssuedCredentialView(
    [property: JsonPropertyName("credential_id")] string CredentialId,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret,
    [property: JsonPropertyName("previous_secret_expires_at")] string? PreviousSecretExpiresAt,
    [property: JsonPropertyName("note")] string Note)
{
    public const string ShownOnce = "The client_secret is shown once; store it now.";
}

/// <summary>A credential as listed: never its secret.</summary>
public sealed record CredentialView(
    [property: JsonPropertyName("credential_id")] string CredentialId,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("revoked_at")] string? RevokedAt);

public sealed record CredentialRevokedView(
    [property: JsonPropertyName("credential_id")] string CredentialId,
    [property: JsonPropertyName("revoked")] bool Revoked);
