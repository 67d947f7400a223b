/// <summary>An operator mistake or a missing store, told in one line with its exit code (<see cref="ExitCodes"/>).</summary>
internal sealed class CliError(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
