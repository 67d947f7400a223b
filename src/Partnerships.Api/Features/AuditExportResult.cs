using Partnerships.Application.Operators;

namespace Partnerships.Api.Features;

/// <summary>
/// An audit export streamed as NDJSON: nothing is read before the answer starts, so a refused filter was already answered
/// in the envelope, and a long log is sent as it is read (memory stays flat). A failure once lines have gone out ends the
/// body early; the export's own audit entry then says it did not complete.
/// </summary>
public sealed class AuditExportResult(IAsyncEnumerable<AuditEntryView> entries) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = AuditNdjson.ContentType + "; charset=utf-8";
        await AuditNdjson.WriteAsync(context.Response.Body, entries, context.RequestAborted);
    }
}
