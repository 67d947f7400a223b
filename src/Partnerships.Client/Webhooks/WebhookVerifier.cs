using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Partnerships.Client.Webhooks;

/// <summary>Why a delivery failed verification.</summary>
public enum WebhookVerificationFailure
{
    /// <summary>It did not fail.</summary>
    None,
    /// <summary>A <c>webhook-id</c>, <c>webhook-timestamp</c> or <c>webhook-signature</c> header is missing or empty.</summary>
    MissingHeader,
    /// <summary><c>webhook-timestamp</c> is not a whole number of Unix seconds.</summary>
    InvalidTimestamp,
    /// <summary>The timestamp is older than the tolerance allows (a replay, or a very late delivery).</summary>
    TimestampTooOld,
    /// <summary>The timestamp is further in the future than the tolerance allows.</summary>
    TimestampTooNew,
    /// <summary>No <c>v1</c> signature of the header matches the body under the secret.</summary>
    NoMatchingSignature,
}

/// <summary>The outcome of verifying one delivery.</summary>
/// <param name="Failure">Why it failed; <see cref="WebhookVerificationFailure.None"/> when valid.</param>
/// <param name="Message">A sentence saying what was wrong (or "valid").</param>
public sealed record WebhookVerificationResult(WebhookVerificationFailure Failure, string Message)
{
    /// <summary>True when the delivery is authentic and fresh.</summary>
    public bool IsValid => Failure == WebhookVerificationFailure.None;
}

/// <summary>A delivery failed verification: do not act on it (answer 400 or 401).</summary>
public sealed class WebhookVerificationException(WebhookVerificationResult result) : Exception(result.Message)
{
    /// <summary>Why it failed.</summary>
    public WebhookVerificationFailure Failure => result.Failure;
}

/// <summary>
/// Verifies webhook deliveries signed per Standard Webhooks: <c>webhook-signature</c> holds one or more space-separated
/// <c>v1,&lt;base64 HMAC-SHA256&gt;</c> over <c>{webhook-id}.{webhook-timestamp}.{body}</c> keyed with the secret's bytes
/// (the base64 after <c>whsec_</c>). Any one matching signature is enough (during a secret rotation two are sent); the
/// comparison is constant-time; the timestamp must be within the tolerance of now, so a captured delivery cannot be replayed later.
/// De-duplicate on <c>webhook-id</c>: it is stable across retries.
/// </summary>
public sealed class WebhookVerifier
{
    /// <summary>The Standard Webhooks prefix of a secret.</summary>
    public const string SecretPrefix = "whsec_";
    /// <summary>The default timestamp tolerance, either way: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private readonly byte[] _key;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _clock;

    /// <summary>A verifier for one endpoint secret.</summary>
    /// <param name="secret">The endpoint's secret, <c>whsec_</c> followed by base64 (the prefix may be left off).</param>
    /// <param name="tolerance">How far the timestamp may be from now, either way; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="clock">The clock (tests pass a fixed one); the system clock when null.</param>
    public WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            _key = Convert.FromBase64String(encoded);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The webhook secret must be whsec_ followed by base64", nameof(secret), e);
        }
        if (_key.Length == 0) throw new ArgumentException("The webhook secret is empty", nameof(secret));
        _tolerance = tolerance ?? DefaultTolerance;
        if (_tolerance < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(tolerance));
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Verifies a delivery whose body was read as text (UTF-8).</summary>
    public WebhookVerificationResult Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, string body) =>
        Verify(webhookId, webhookTimestamp, webhookSignature, Encoding.UTF8.GetBytes(body ?? ""));

    /// <summary>Verifies a delivery from its three headers and the raw body bytes, exactly as received.</summary>
    public WebhookVerificationResult Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(webhookId)) return Fail(WebhookVerificationFailure.MissingHeader, "the webhook-id header is missing");
        if (string.IsNullOrEmpty(webhookTimestamp)) return Fail(WebhookVerificationFailure.MissingHeader, "the webhook-timestamp header is missing");
        if (string.IsNullOrWhiteSpace(webhookSignature)) return Fail(WebhookVerificationFailure.MissingHeader, "the webhook-signature header is missing");
        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return Fail(WebhookVerificationFailure.InvalidTimestamp, $"webhook-timestamp '{Shorten(webhookTimestamp)}' is not Unix seconds");
        }
        var skew = _clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (skew > _tolerance) return Fail(WebhookVerificationFailure.TimestampTooOld, $"webhook-timestamp is {skew.TotalSeconds:0} s old, more than the {_tolerance.TotalSeconds:0} s tolerated");
        if (-skew > _tolerance) return Fail(WebhookVerificationFailure.TimestampTooNew, $"webhook-timestamp is {(-skew).TotalSeconds:0} s in the future, more than the {_tolerance.TotalSeconds:0} s tolerated");

        var expected = Sign(webhookId, seconds, body);
        Span<byte> candidate = stackalloc byte[32];
        var matched = false;
        foreach (var part in webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Unknown versions (a future v2, or v1a for asymmetric keys) are skipped, not failures.
            if (!part.StartsWith("v1,", StringComparison.Ordinal)) continue;
            if (!Convert.TryFromBase64String(part[3..], candidate, out var written) || written != expected.Length) continue;
            // Every candidate is compared, so the time taken does not say which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(candidate[..written], expected);
        }
        return matched
            ? new WebhookVerificationResult(WebhookVerificationFailure.None, "valid")
            : Fail(WebhookVerificationFailure.NoMatchingSignature, "no v1 signature in webhook-signature matches the body under this secret");
    }

    /// <summary>Like <see cref="Verify(string?, string?, string?, string)"/>, but throws <see cref="WebhookVerificationException"/> on failure.</summary>
    public void EnsureValid(string? webhookId, string? webhookTimestamp, string? webhookSignature, string body)
    {
        var result = Verify(webhookId, webhookTimestamp, webhookSignature, body);
        if (!result.IsValid) throw new WebhookVerificationException(result);
    }

    /// <summary>The <c>v1,…</c> signature of a delivery under this secret (for a test sender).</summary>
    public string Signature(string webhookId, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(Sign(webhookId, timestamp, Encoding.UTF8.GetBytes(body)));

    private byte[] Sign(string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(_key, signed);
    }

    private static WebhookVerificationResult Fail(WebhookVerificationFailure failure, string message) => new(failure, message);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
