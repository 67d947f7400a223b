namespace Partnerships.Core.Errors;

/// <summary>
/// One offending input: <c>field</c> is a JSON path into the request (e.g. <c>blockedVerticals[1].partnerSubVerticalId</c>).
/// <c>Reason</c> is the machine-readable cause a client branches on (<see cref="ErrorReasons"/>); every 409 has one, other
/// statuses none, and the envelope omits it when absent.
/// </summary>
public sealed record FieldIssue(string Field, string Issue, string? Reason = null);

/// <summary>
/// A rejection the caller can act on. Carries the HTTP status, the stable envelope <c>error</c> code,
/// a human message and the fields at fault. Thrown by the domain, rendered by the host as the envelope.
/// </summary>
public sealed class ApiError : Exception
{
    /// <summary>At most this many issues are listed; the message says how many more there were.</summary>
    public const int MaxDetails = 50;
    public const int MaxMessageLength = 500;
    public const int MaxFieldLength = 120;
    public const int MaxIssueLength = 200;

    public ApiError(int status, string code, string message, IReadOnlyList<FieldIssue>? details = null)
        : base(BoundMessage(message, details?.Count ?? 0))
    {
        Status = status;
        Code = code;
        // Echoed input (field names, values) is cut so that a rejection costs a few KB whatever the request's size.
        Details = details is null ? [] : details.Take(MaxDetails).Select(d => d with { Field = Truncate(d.Field, MaxFieldLength), Issue = Truncate(d.Issue, MaxIssueLength) }).ToList();
    }

    private static string BoundMessage(string message, int detailCount)
    {
        var bounded = Truncate(message, MaxMessageLength);
        return detailCount > MaxDetails ? $"{bounded} ({detailCount} issues; the first {MaxDetails} are listed, {detailCount - MaxDetails} more not shown)" : bounded;
    }

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1)] + "…";

    public int Status { get; }
    public string Code { get; }
    public IReadOnlyList<FieldIssue> Details { get; }

    public static ApiError BadRequest(string message, params FieldIssue[] details) => new(400, ErrorCodes.BadRequest, message, details);
    public static ApiError BadRequest(string message, IReadOnlyList<FieldIssue> details) => new(400, ErrorCodes.BadRequest, message, details);
    public static ApiError Field(string field, string issue) => new(400, ErrorCodes.BadRequest, $"{field}: {issue}", [new FieldIssue(field, issue)]);
    public static ApiError Unauthorized(string message) => new(401, ErrorCodes.Unauthorized, message);
    public static ApiError Forbidden(string message) => new(403, ErrorCodes.Forbidden, message);
    public static ApiError NotFound(string message) => new(404, ErrorCodes.NotFound, message);
    /// <summary>
    /// A 409 always says why, machine-readably: <paramref name="reason"/> (one of <see cref="ErrorReasons"/>) goes on every
    /// detail, so a client tells a stale hash from a key in flight without reading the message.
    /// </summary>
    public static ApiError Conflict(string message, string reason, params FieldIssue[] details) => new(409, ErrorCodes.Conflict, message,
        details.Length == 0 ? [new FieldIssue("", message, reason)] : details.Select(d => d with { Reason = d.Reason ?? reason }).ToArray());
    public static ApiError Validation(string message, params FieldIssue[] details) => new(422, ErrorCodes.ValidationFailed, message, details);
    public static ApiError PreconditionFailed(string message, params FieldIssue[] details) => new(412, ErrorCodes.PreconditionFailed, message, details);
    public static ApiError Unavailable(string message) => new(503, ErrorCodes.ServiceUnavailable, message);
}

/// <summary>The envelope's stable <c>error</c> codes (SPEC: Response envelope).</summary>
public static class ErrorCodes
{
    /// <summary>Every code, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = StringConstants.Of(typeof(ErrorCodes));

    public const string BadRequest = "BadRequest";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string NotFound = "NotFound";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string Conflict = "Conflict";
    public const string PreconditionFailed = "PreconditionFailed";
    public const string PayloadTooLarge = "PayloadTooLarge";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string ValidationFailed = "ValidationFailed";
    public const string RateLimitExceeded = "RateLimitExceeded";
    public const string InternalServerError = "InternalServerError";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string BadGateway = "BadGateway";
    public const string GatewayTimeout = "GatewayTimeout";

    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => ValidationFailed,
        429 => RateLimitExceeded,
        502 => BadGateway,
        503 => ServiceUnavailable,
        504 => GatewayTimeout,
        _ => status >= 500 ? InternalServerError : BadRequest,
    };
}
