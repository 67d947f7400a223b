namespace Partnerships.Core.Errors;

/// <summary>
/// The machine-readable <c>reason</c> on <c>details</c> items (snake_case, stable: clients branch on it). Every 409 has
/// one; so do the few other answers whose retry decision a client cannot take from the status alone (a payout
/// provider's definitive refusal is a 502 that must not be retried with the same key). docs/api.md lists when each is
/// given and what a client does about it.
/// </summary>
public static class ErrorReasons
{
    /// <summary>Every reason, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = StringConstants.Of(typeof(ErrorReasons));

    /// <summary>Controls PUT: <c>contentHash</c> is not the current one, or the controls changed during the write. Re-GET, re-apply, retry.</summary>
    public const string ContentHashStale = "content_hash_stale";

    /// <summary>The first request with this Idempotency-Key has not finished. Retry the same key after Retry-After.</summary>
    public const string IdempotencyKeyInFlight = "idempotency_key_in_flight";

    /// <summary>Another request's operation on the same resource (under another key) has not finished. Wait, then retry.</summary>
    public const string OperationInProgress = "operation_in_progress";

    /// <summary>Pages POST: the account already has a page for that surface.</summary>
    public const string SurfaceExists = "surface_exists";

    /// <summary>Registration: the external_account_id is registered with another store_identifier.</summary>
    public const string ExternalAccountIdTaken = "external_account_id_taken";

    /// <summary>Operators: the credential or admin key is revoked (possibly by a request that raced this one).</summary>
    public const string Revoked = "revoked";

    /// <summary>Operators: another platform already has that name.</summary>
    public const string NameTaken = "name_taken";

    /// <summary>Payout setup (502): the provider refused to create the account and created nothing. Fix the account's data, then send a new Idempotency-Key.</summary>
    public const string ProviderRefused = "provider_refused";

    /// <summary>Payout setup (503): the service has no payment provider configured. Retrying does not help until an operator configures one.</summary>
    public const string PayoutNotConfigured = "payout_not_configured";
}
