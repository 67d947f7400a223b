namespace Partnerships.Core.Errors;

/// <summary>
/// The machine-readable <c>reason</c> on each <c>details</c> item of a 409 (snake_case, stable: clients branch on it).
/// docs/api.md lists when each is given and what a client does about it.
/// </summary>
public static class ConflictReasons
{
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
}
