namespace Partnerships.Core.Errors;

/// <summary>
/// One offending input: <c>field</c> is a JSON path into the request (e.g. <c>blockedVerticals[1].partnerSubVerticalId</c>).
/// <c>Reason</c> is the machine-readable cause a client branches on (<see cref="ErrorReasons"/>); every 409 has one, other
/// statuses none, and the envelope omits it when absent.
/// </summary>
public sealed record FieldIssue(string Field, string Issue, string? Reason = null)
{
    /// <summary>
    /// The issue as one sentence naming its field: the issue itself when it already starts with the field (the published
    /// <c>store_identifier https://acme is not a valid URL</c>) or names no field, else <c>field: issue</c>.
    /// </summary>
    public string Text() => Field.Length == 0 || Issue.StartsWith(Field + " ", StringComparison.Ordinal) ? Issue : $"{Field}: {Issue}";
}

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

    /// <summary>An error whose message is given: a status other than a field's 400, or a 400 about the request as a whole.</summary>
    public ApiError(int status, string code, string message, IReadOnlyList<FieldIssue>? details = null)
        : this(status, code, message, Bound(details), details?.Count ?? 0)
    {
    }

    private ApiError(int status, string code, string? message, IReadOnlyList<FieldIssue> bounded, int issueCount)
        : base(message is null ? FieldMessage(bounded, issueCount) : SummaryMessage(PersonalData.Redact(message), issueCount))
    {
        Status = status;
        Code = code;
        Details = bounded;
    }

    /// <summary>
    /// Echoed input (field names, values) is cut so that a rejection costs a few KB whatever the request's size, and an
    /// e-mail address or phone number in it is replaced by what it is, so no rejection (stored in operations and the audit
    /// log) holds a personal value.
    /// </summary>
    private static List<FieldIssue> Bound(IReadOnlyList<FieldIssue>? details) => details is null ? [] : details.Take(MaxDetails)
        .Select(d => d with { Field = Truncate(PersonalData.Redact(d.Field), MaxFieldLength), Issue = Truncate(PersonalData.Redact(d.Issue), MaxIssueLength) })
        .ToList();

    /// <summary>A field's 400: the first issue's text, and how many more there are (the published example's form).</summary>
    private static string FieldMessage(IReadOnlyList<FieldIssue> details, int issueCount)
    {
        var first = details[0].Text();
        var more = issueCount - 1;
        return more switch
        {
            0 => first,
            1 => first + " (and 1 more issue)",
            _ when issueCount > MaxDetails => $"{first} (and {more} more issues; details lists the first {MaxDetails})",
            _ => $"{first} (and {more} more issues)",
        };
    }

    private static string SummaryMessage(string message, int issueCount)
    {
        var bounded = Truncate(message, MaxMessageLength);
        return issueCount > MaxDetails ? $"{bounded} ({issueCount} issues; the first {MaxDetails} are listed, {issueCount - MaxDetails} more not shown)" : bounded;
    }

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1)] + "…";

    public int Status { get; }
    public string Code { get; }
    public IReadOnlyList<FieldIssue> Details { get; }

    /// <summary>
    /// A 400 caused by fields: the message is the first issue's <see cref="FieldIssue.Text"/> and says how many more there
    /// are, so a partner reads what to fix without opening <c>details</c>. Every field's 400 is built here.
    /// </summary>
    public static ApiError BadRequest(params FieldIssue[] issues) => BadRequest((IReadOnlyList<FieldIssue>)issues);
    public static ApiError BadRequest(IReadOnlyList<FieldIssue> issues) => issues.Count == 0
        ? throw new ArgumentException("a field's 400 names at least one field", nameof(issues))
        : new(400, ErrorCodes.BadRequest, null, Bound(issues), issues.Count);
    public static ApiError Field(string field, string issue) => BadRequest(new FieldIssue(field, issue));

    /// <summary>
    /// A 400 about the request as a whole, with its own message: a body that cannot be read as JSON, a file load summarised
    /// by its bad rows, or a message the contract gives verbatim (seed 004's unmapped vertical). Not for one field's fault.
    /// </summary>
    public static ApiError BadRequestAsWhole(string message, params FieldIssue[] details) => new(400, ErrorCodes.BadRequest, message, details);
    public static ApiError BadRequestAsWhole(string message, IReadOnlyList<FieldIssue> details) => new(400, ErrorCodes.BadRequest, message, details);
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
