using Partnerships.Core.Errors;

/// <summary>
/// The operator CLI's exit codes (docs/operations.md lists them): scripts can tell a mistake in what they sent from a
/// missing target, a conflict, or a store that is not there to answer.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it said.</summary>
    public const int Ok = 0;
    /// <summary>Something the CLI did not expect; the line says what, and the command changed nothing it could not finish.</summary>
    public const int Unexpected = 1;
    /// <summary>Bad arguments or input: an unknown option, a missing or unreadable file, a CSV line or field that is wrong, a bad setting.</summary>
    public const int BadInput = 2;
    /// <summary>The command names something the store does not have: a platform, credential, account, key or message.</summary>
    public const int NotFound = 3;
    /// <summary>The target's state refuses the change: a revoked credential or key, a name already taken.</summary>
    public const int Conflict = 4;
    /// <summary>No store to work on: the embedded database file is absent, PostgreSQL cannot be reached, the connection string is wrong, or migrations are pending.</summary>
    public const int StoreUnavailable = 5;

    /// <summary>A use case's refusal, by its HTTP status (the same refusal the admin routes answer).</summary>
    public static int For(ApiError error) => error.Status switch
    {
        404 => NotFound,
        409 => Conflict,
        _ => BadInput,
    };
}
