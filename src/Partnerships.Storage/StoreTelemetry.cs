using System.Diagnostics;
using SQLitePCL;

namespace Partnerships.Storage;

/// <summary>
/// Spans for SQLite statements, which Microsoft.Data.Sqlite does not emit itself (Npgsql emits its own under the source
/// "Npgsql"). SQLite's profile hook reports each finished statement with its duration; a span is recorded only when the
/// statement runs inside a sampled span and someone listens, so an unsampled or untraced statement costs one check.
/// </summary>
public static class StoreTelemetry
{
    public const string SourceName = "Partnerships.Storage";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Whether <see cref="Database"/> installs the profile hook on its SQLite connections (off when tracing is off).</summary>
    public static bool TraceSqliteStatements { get; set; }

    private static readonly delegate_profile OnStatement = Record;

    internal static void Hook(sqlite3 handle) => raw.sqlite3_profile(handle, OnStatement, null);

    private static void Record(object userData, utf8z statement, long nanoseconds)
    {
        if (Activity.Current is not { Recorded: true } parent || !Source.HasListeners()) return;
        var end = DateTime.UtcNow;
        var activity = Source.StartActivity("sqlite", ActivityKind.Client, parent.Context, startTime: end - TimeSpan.FromTicks(nanoseconds / 100));
        if (activity is null) return;
        activity.SetTag("db.system.name", "sqlite");
        if (activity.IsAllDataRequested) activity.SetTag("db.query.text", statement.utf8_to_string());
        activity.SetEndTime(end);
        activity.Stop();
        // Stop makes the parent current again; the statement ran on it, so nothing else changes.
    }

    /// <summary>A span around one group-committed write, parented to the request that queued it (the writer runs on its own).</summary>
    internal static Activity? StartUnit(ActivityContext parent) =>
        parent == default ? null : Source.StartActivity("store write", ActivityKind.Internal, parent);
}
