using System.Text.Json.Serialization;

namespace Partnerships.Api.Auth;

/// <summary>The token endpoint's RFC 6749 §5.1 answer, outside the envelope.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
