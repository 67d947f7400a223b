namespace Partnerships.Api.WebConsole;

/// <summary>The web console's settings (<c>Console:*</c>), with production defaults.</summary>
public sealed record ConsoleOptions
{
    public const string Section = "Console";

    /// <summary><c>Console:Enabled</c>: serve the console at /console (the API is the same either way).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>Console:OperatorIdleMinutes</c>: an operator session ends after this long without a request.</summary>
    public TimeSpan OperatorIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary><c>Console:OperatorMaxHours</c>: an operator session ends this long after sign-in, however busy.</summary>
    public TimeSpan OperatorMaxLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary><c>Console:PageSize</c>: rows per page of the console's long tables.</summary>
    public int PageSize { get; init; } = 50;

    public static ConsoleOptions From(IConfiguration config) => new()
    {
        Enabled = config.GetValue($"{Section}:Enabled", true),
        OperatorIdleTimeout = TimeSpan.FromMinutes(Positive(config.GetValue($"{Section}:OperatorIdleMinutes", 30), "OperatorIdleMinutes")),
        OperatorMaxLifetime = TimeSpan.FromHours(Positive(config.GetValue($"{Section}:OperatorMaxHours", 8), "OperatorMaxHours")),
        PageSize = Positive(config.GetValue($"{Section}:PageSize", 50), "PageSize"),
    };

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new InvalidOperationException($"{Section}:{name} must be a positive number (it is {value}).");
}
