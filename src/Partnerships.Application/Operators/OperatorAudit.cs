using System.Text.Json;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>
/// Who performs an operator action and through which door: one instance per admin request or CLI command. The id is
/// the admin key's id on the HTTP surface, <c>cli:&lt;OS user&gt;</c> for the CLI, <c>system:&lt;what&gt;</c> for the
/// service itself (the embedded default's first start), and null when the caller could not be identified.
/// </summary>
public sealed class OperatorActor(string? id, string requestId, string method, string path)
{
    public const string CliMethod = "CLI";
    public const string SystemMethod = "SYSTEM";

    public string? Id { get; } = id;
    public string RequestId { get; } = requestId;
    public string Method { get; } = method;
    public string Path { get; } = path;

    /// <summary>An audit entry was written for this call, so the surface does not write a second one for the same refusal.</summary>
    public bool Recorded { get; internal set; }

    public static OperatorActor Cli(string command) =>
        new("cli:" + Environment.UserName, Guid.NewGuid().ToString(), CliMethod, "partnerships " + command);

    public static OperatorActor System(string what) => new("system:" + what, Guid.NewGuid().ToString(), SystemMethod, what);
}

/// <summary>
/// One operator action's audit entry, filled in by the use case as it learns the target's state. A committed action
/// writes it in its own transaction (the change and its entry commit together); a refused one gets it afterwards.
/// Summaries hold ids, names, counts and states, never a secret or a hash.
/// </summary>
public sealed class OperatorAuditEntry
{
    private readonly OperatorActor _actor;
    private readonly TimeProvider _clock;

    internal OperatorAuditEntry(OperatorActor actor, string action, string? target, TimeProvider clock)
    {
        _actor = actor;
        _clock = clock;
        Action = action;
        Target = target;
    }

    public string Action { get; }
    public string? Target { get; set; }
    public string? PlatformId { get; set; }
    public string? AccountId { get; set; }
    public object? Before { get; set; }
    public object? After { get; set; }
    public string? Summary { get; set; }
    /// <summary>The status the surface answers with on success (201 for a creation).</summary>
    public int Status { get; set; } = 200;
    internal bool Committed { get; private set; }

    /// <summary>Inserts the entry in the action's transaction and commits both.</summary>
    public async Task CommitAsync(DbSession session)
    {
        await AuditStore.InsertAsync(session, OperatorAudit.Row(_actor, _clock.GetUtcNow(), Action, Target, PlatformId, AccountId, Status,
            "committed", Summary, OperatorAudit.Json(Before), OperatorAudit.Json(After)));
        await session.CommitAsync();
        Committed = true;
        _actor.Recorded = true;
    }
}

public static class OperatorAudit
{
    /// <summary>Stored summaries stay small whatever the input: a rejection's message can quote what was sent.</summary>
    private const int MaxSummary = 1000;

    /// <summary>
    /// Runs an operator use case. The use case commits through <see cref="OperatorAuditEntry.CommitAsync"/>; if it
    /// refuses (an <see cref="ApiError"/>), the refusal is recorded in a transaction of its own and rethrown. A use case
    /// that returns without committing changed nothing and leaves no entry.
    /// </summary>
    public static async Task<T> RunAsync<T>(Database db, TimeProvider clock, OperatorActor actor, string action, string? target,
        Func<OperatorAuditEntry, Task<T>> work)
    {
        var entry = new OperatorAuditEntry(actor, action, target, clock);
        try
        {
            return await work(entry);
        }
        catch (ApiError error) when (!entry.Committed)
        {
            await RecordRefusalAsync(db, clock, actor, action, entry.Target, error, entry.PlatformId, entry.AccountId);
            throw;
        }
    }

    /// <summary>An operator event that changes no stored state but belongs in the log: a console sign-in or sign-out.</summary>
    public static async Task RecordAsync(Database db, TimeProvider clock, OperatorActor actor, string action, string? target, int status)
    {
        await using var s = await DbSession.WriteAsync(db);
        await AuditStore.InsertAsync(s, Row(actor, clock.GetUtcNow(), action, target, null, null, status, "committed", null, null, null));
        await s.CommitAsync();
        actor.Recorded = true;
    }

    /// <summary>A refused operator attempt: bad or revoked admin key, bad input, unknown target.</summary>
    public static async Task RecordRefusalAsync(Database db, TimeProvider clock, OperatorActor actor, string? action, string? target, ApiError error,
        string? platformId = null, string? accountId = null)
    {
        await using var s = await DbSession.WriteAsync(db);
        await AuditStore.InsertAsync(s, Row(actor, clock.GetUtcNow(), action, target, platformId, accountId, error.Status, "rejected",
            $"{error.Code}: {error.Message}", null, null));
        await s.CommitAsync();
        actor.Recorded = true;
    }

    internal static AuditRow Row(OperatorActor actor, DateTimeOffset now, string? action, string? target, string? platformId, string? accountId,
        int status, string outcome, string? summary, string? before, string? after) => new()
    {
        At = Database.Timestamp(now), RequestId = actor.RequestId, PlatformId = platformId, AccountId = accountId,
        Method = actor.Method, Path = Bound(actor.Path)!, StatusCode = status, Outcome = outcome, DryRun = 0, Summary = Bound(summary),
        Actor = actor.Id, Action = action, Target = Bound(target), BeforeSummary = Bound(before), AfterSummary = Bound(after),
    };

    internal static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value);

    private static string? Bound(string? text) => text is { Length: > MaxSummary } ? text[..MaxSummary] + "…" : text;
}
