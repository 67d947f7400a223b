using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>The overlap a client-secret rotation gives (Auth:SecretRotationGraceSeconds), and which secrets a credential accepts now.</summary>
public static class CredentialRotation
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(30);

    public static TimeSpan CheckGrace(TimeSpan grace) => grace >= TimeSpan.Zero && grace <= MaxGrace
        ? grace
        : throw ApiError.Field("grace_seconds", $"must be from 0 to {(long)MaxGrace.TotalSeconds} seconds");

    /// <summary>Auth:SecretRotationGraceSeconds, checked at start-up with a one-line error.</summary>
    public static TimeSpan CheckGraceSetting(long seconds) => seconds >= 0 && seconds <= (long)MaxGrace.TotalSeconds
        ? TimeSpan.FromSeconds(seconds)
        : throw new InvalidOperationException($"Auth:SecretRotationGraceSeconds must be from 0 to {(long)MaxGrace.TotalSeconds}.");

    /// <summary>The presented secret matches the current one, or the previous one while its overlap lasts.</summary>
    public static bool Accepts(CredentialRow credential, string presented, DateTimeOffset now)
    {
        // Both comparisons always run (constant time each), so timing does not say which secret matched.
        var current = Secrets.Verify(presented, credential.SecretHash);
        var previous = credential.PreviousSecretHash is not null && Secrets.Verify(presented, credential.PreviousSecretHash);
        return current || (previous && credential.PreviousSecretExpiresAt is { } until && Database.ParseTimestamp(until) > now);
    }
}
