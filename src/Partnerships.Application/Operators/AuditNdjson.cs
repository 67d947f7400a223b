using System.Text.Json;
using Partnerships.Application.Pipeline;

namespace Partnerships.Application.Operators;

/// <summary>
/// An audit export as NDJSON (<c>application/x-ndjson</c>): one <see cref="AuditEntryView"/> a line, the same JSON the admin
/// routes answer for an entry, written as it is read. The admin route and the CLI both write it here.
/// </summary>
public static class AuditNdjson
{
    public const string ContentType = "application/x-ndjson";

    /// <summary>Entries written between flushes: a reader sees progress, and the writer holds one page at most.</summary>
    private const int FlushEvery = 100;

    private static readonly byte[] NewLine = [(byte)'\n'];

    public static async Task<long> WriteAsync(Stream output, IAsyncEnumerable<AuditEntryView> entries, CancellationToken ct = default)
    {
        long written = 0;
        await foreach (var entry in entries.WithCancellation(ct))
        {
            await output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(entry, Envelope.Json), ct);
            // Asynchronous throughout: a response body refuses synchronous writes.
            await output.WriteAsync(NewLine, ct);
            if (++written % FlushEvery == 0) await output.FlushAsync(ct);
        }
        await output.FlushAsync(ct);
        return written;
    }
}
