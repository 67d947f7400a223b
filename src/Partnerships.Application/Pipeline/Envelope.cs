using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Partnerships.Core.Errors;

namespace Partnerships.Application.Pipeline;

/// <summary>The seeds' response envelope: <c>{status, error, message, request_id, data}</c>, plus <c>details</c> on errors.</summary>
public static class Envelope
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Success(int status, string requestId, object? data) =>
        JsonSerializer.Serialize(new SuccessBody(status, null, "ok", requestId, data), Json);

    /// <summary>The same envelope as <see cref="Success"/>, in UTF-8: what a read sends, without a string copy of a large body.</summary>
    public static byte[] SuccessUtf8(int status, string requestId, object? data) =>
        JsonSerializer.SerializeToUtf8Bytes(new SuccessBody(status, null, "ok", requestId, data), Json);

    public static string Error(ApiError error, string requestId) => Error(error.Status, error.Code, error.Message, requestId, error.Details);

    public static string Error(int status, string code, string message, string requestId, IReadOnlyList<FieldIssue>? details = null) =>
        JsonSerializer.Serialize(new ErrorBody(status, code, message, requestId, null, Details(details)), Json);

    /// <summary>An operation's stored <c>error</c>: the code, the message and the same details (reasons included) the response carried.</summary>
    public static string StoredError(ApiError error) =>
        JsonSerializer.Serialize(new StoredErrorBody(error.Code, error.Message, Details(error.Details)), Json);

    private static List<DetailBody> Details(IReadOnlyList<FieldIssue>? details) =>
        (details ?? []).Select(d => new DetailBody(d.Field, d.Issue, d.Reason)).ToList();

    private sealed record SuccessBody(
        [property: JsonPropertyName("status")] int Status,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("request_id")] string RequestId,
        [property: JsonPropertyName("data")] object? Data);

    private sealed record ErrorBody(
        [property: JsonPropertyName("status")] int Status,
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("request_id")] string RequestId,
        [property: JsonPropertyName("data")] object? Data,
        [property: JsonPropertyName("details")] IReadOnlyList<DetailBody> Details);

    private sealed record StoredErrorBody(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("details")] IReadOnlyList<DetailBody> Details);

    /// <summary><c>reason</c> is left out, not null, where there is none: only 409s carry one.</summary>
    private sealed record DetailBody(
        [property: JsonPropertyName("field")] string Field,
        [property: JsonPropertyName("issue")] string Issue,
        [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);
}
