namespace Partnerships.Api.Hosting;

/// <summary>Why the service could not start; the value is the process's exit code (docs/operations.md).</summary>
public enum StartupFailure
{
    /// <summary>A setting is missing, malformed, or does not fit the store (a secrets key that does not open its secrets).</summary>
    Configuration = 2,
    /// <summary>The store cannot be reached, or refuses the connection (login, unknown database, unreadable file).</summary>
    StoreUnavailable = 3,
    /// <summary>The store has migrations still to apply, and this process is not to apply them.</summary>
    StoreNotMigrated = 4,
    /// <summary>The service cannot listen on its address (in use, not permitted, malformed).</summary>
    CannotListen = 5,
}

/// <summary>
/// A start-up failure an operator fixes: its message is one line saying what is wrong, which setting, and what to do.
/// <c>Program.cs</c> prints it on stderr, without a stack trace, and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class StartupException(StartupFailure failure, string message, Exception? inner = null)
    : Exception(string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), inner)
{
    public StartupFailure Failure { get; } = failure;
    public int ExitCode => (int)Failure;
}
