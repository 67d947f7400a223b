using System.Text.Json;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Pipeline;

/// <summary>What a write endpoint declares about itself.</summary>
public sealed record WriteRoute(string OperationType, bool SupportsDryRun, bool RequiresIdempotencyKey, bool AccountScoped)
{
    /// <summary>For a write not scoped to an account: the body field that names the caller's platform, checked with tenancy.</summary>
    public string? BodyPlatformField { get; init; }

    /// <summary>The handler works on the account's marketplace controls: the pipeline reads them (and the mapping table's stamp) with its lock, in the same round trip.</summary>
    public bool ReadsControls { get; init; }
}

/// <summary>One incoming write, already authenticated, stripped of HTTP.</summary>
public sealed record WriteRequest(
    WriteRoute Route,
    string RequestId,
    string PlatformId,
    string? CredentialId,
    string Method,
    string Path,
    string? AccountId,
    string? IdempotencyKey,
    bool DryRun,
    JsonElement Body,
    string? IfMatch)
{
    /// <summary>A problem found while reading the HTTP request (bad media type, malformed JSON, bad dry_run); raised inside the pipeline so it is audited and gets an operation like any rejection.</summary>
    public Partnerships.Core.Errors.ApiError? InputError { get; init; }
}

/// <summary>What a handler sees: the open transaction, the caller, the locked account (for account routes) and a still clock.</summary>
public sealed class WriteContext
{
    public required DbSession Session { get; init; }
    public required WriteRequest Request { get; init; }
    public required DateTimeOffset Now { get; init; }
    public AccountRow? Account { get; init; }
    /// <summary>For a route that <see cref="WriteRoute.ReadsControls"/>: the account's controls and its platform's mapping stamp, read under the lock.</summary>
    public (ControlsRow? Row, long MappingVersion)? Controls { get; init; }
    /// <summary>The operation a real write records; null on a dry-run (which has none).</summary>
    public string? OperationId { get; init; }
    public string PlatformId => Request.PlatformId;
    public JsonElement Body => Request.Body;
    public bool DryRun => Request.DryRun;
    public AccountRow RequiredAccount => Account ?? throw new InvalidOperationException("This route is not account-scoped.");

    private readonly List<SideEffects.DomainEvent> _events = [];
    public IReadOnlyList<SideEffects.DomainEvent> Events => _events;

    /// <summary>Raises an event; the pipeline records it (feed, webhook, emails) only if the write really commits.</summary>
    public void Emit(string type, string? accountId, object data) => _events.Add(new SideEffects.DomainEvent(type, accountId, data));
}

/// <summary>A handler's successful result: the status and data for the envelope, and what the audit log should say.</summary>
public sealed record WriteOutcome(int Status, object Data, string Summary)
{
    public string? ETag { get; init; }
    public string? HashBefore { get; init; }
    public string? HashAfter { get; init; }
    /// <summary>Set by a handler that creates the account (registration), so the operation and audit name it.</summary>
    public string? CreatedAccountId { get; init; }
    /// <summary>The operation's status once committed: <c>completed</c>, or <c>pending</c> for work a background worker finishes.</summary>
    public string OperationStatus { get; init; } = "completed";
}

/// <summary>The complete response the host writes.</summary>
public sealed record WriteResult(int Status, string Body, IReadOnlyDictionary<string, string> Headers);

public delegate Task<WriteOutcome> WriteHandler(WriteContext context);

public static class HeaderNames
{
    public const string OperationId = "X-Operation-Id";
    public const string DryRun = "Dry-Run";
    public const string IdempotentReplayed = "Idempotent-Replayed";
    public const string OriginalRequestId = "Original-Request-Id";
    public const string ETag = "ETag";
}

public sealed record PipelineOptions
{
    public TimeSpan IdempotencyTtl { get; init; } = TimeSpan.FromHours(24);
}
