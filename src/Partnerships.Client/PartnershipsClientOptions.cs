namespace Partnerships.Client;

/// <summary>Where the service is, the platform's credential, and how hard the client tries.</summary>
public sealed record PartnershipsClientOptions
{
    /// <summary>The service's base address, e.g. <c>https://partnerships.example.com/</c>.</summary>
    public required Uri BaseAddress { get; init; }
    /// <summary>The platform credential's client id.</summary>
    public required string ClientId { get; init; }
    /// <summary>The platform credential's client secret.</summary>
    public required string ClientSecret { get; init; }
    /// <summary>When set, sent as <c>X-Platform-Parent-Account-Id</c> on every call (required on writes by some deployments).</summary>
    public string? PlatformParentAccountId { get; init; }

    /// <summary>Attempts per call, the first included, for retryable failures (network errors, time-outs, 5xx, 429, a 409 for work still in flight). Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;
    /// <summary>The first retry waits up to this long; each further one up to twice as long (full jitter). Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>No backoff wait exceeds this. Default 10 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the error is thrown instead. Default 60 s.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long one attempt may take before it counts as timed out (and is retried). Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// GET-modify-PUT rounds <c>UpdateControlsAsync</c> makes before giving up on a stale <c>contentHash</c>. With N
    /// writers on one account none needs more than N rounds (each lost round is another writer's commit, and each commits
    /// once), so the default, 16, lets 16 concurrent callers all succeed.
    /// </summary>
    public int MaxControlsUpdateAttempts { get; init; } = 16;
    /// <summary>The first stale-hash retry of <c>UpdateControlsAsync</c> waits up to this long, doubling per round (full jitter). Default 50 ms.</summary>
    public TimeSpan ControlsRetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A cached access token is replaced this long before it expires (at most half its lifetime). Default 30 s.</summary>
    public TimeSpan TokenRefreshMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first poll of <c>WaitForOperationAsync</c> waits this long, doubling up to <see cref="OperationPollMaxInterval"/>. Default 250 ms.</summary>
    public TimeSpan OperationPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>The longest wait between two polls of <c>WaitForOperationAsync</c>. Default 5 s.</summary>
    public TimeSpan OperationPollMaxInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long <c>WaitForOperationAsync</c> waits by default for a terminal status. Default 2 min.</summary>
    public TimeSpan OperationWaitTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
