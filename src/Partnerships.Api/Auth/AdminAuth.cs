using Partnerships.Api.Hosting;
using Partnerships.Application;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.Auth;

/// <summary>
/// The operator surface's own credential: an admin key (<c>padm_…</c>) sent as a bearer token. A partner access
/// token is never accepted here: it is recognised and refused with 403. Every refusal on this surface — a missing,
/// unknown or revoked key, bad input, an unknown target — leaves an audit entry; actions that succeed write theirs in
/// the use case.
/// </summary>
public sealed class AdminAuthFilter(Database db, TimeProvider clock) : IEndpointFilter
{
    private const string ActorItem = "partnerships.operator-actor";

    /// <summary>The OpenAPI tag every admin route carries.</summary>
    public const string Tag = "Admin";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var (actor, refusal) = await AuthenticateAsync(context.HttpContext);
        if (refusal is not null) return refusal;
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is ApiError or BadHttpRequestException && !actor!.Recorded && EnvelopeErrors.Translate(e) is { Status: < 500 } error)
        {
            // Refused before reaching a use case (malformed body, bad query): the use case could not record it.
            await RecordAsync(actor, error);
            throw;
        }
    }

    /// <summary>The caller's actor, or the (already audited) refusal to answer with.</summary>
    public async Task<(OperatorActor? Actor, IResult? Refusal)> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return (null, await RefuseAsync(http, null, ApiError.Unauthorized("Admin key required: send Authorization: Bearer padm_…")));
        }
        var presented = header[7..].Trim();
        if (!presented.StartsWith(Secrets.AdminKeyPrefix, StringComparison.Ordinal))
        {
            return (null, await RefuseAsync(http, null, ApiError.Forbidden("Partner credentials cannot use the operator surface")));
        }
        AdminKeyRow? key;
        await using (var s = await DbSession.ReadAsync(db))
        {
            key = await AdminKeyStore.FindByHashAsync(s, Secrets.Hash(presented));
        }
        if (key is null || key.RevokedAt is not null)
        {
            // A revoked key is named (someone still holds it); an unknown one is not anyone's.
            return (null, await RefuseAsync(http, key?.Id, ApiError.Unauthorized("Admin key is invalid or revoked")));
        }
        var actor = Actor(http, key.Id);
        http.Items[ActorItem] = actor;
        return (actor, null);
    }

    /// <summary>
    /// Requests under /admin/ that match no admin route (404, 405) are refused operator attempts too: the key is checked
    /// as on any admin route, and the framework's answer is recorded. So is a wrong method sent with an admin key to a
    /// path outside /admin/ that holds an admin route (POST /v1/partnership/vertical-mappings).
    /// </summary>
    public static async Task AuditUnmatchedAsync(HttpContext http, RequestDelegate next)
    {
        var endpoint = http.GetEndpoint();
        var adminMethodNotAllowed = endpoint?.Metadata.GetMetadata<MethodNotAllowedMetadata>() is { Admin: true };
        if (!adminMethodNotAllowed && (!http.Request.Path.StartsWithSegments("/admin")
            || endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>()?.Tags.Contains(Tag) == true))
        {
            await next(http);
            return;
        }
        var self = http.RequestServices.GetRequiredService<AdminAuthFilter>();
        var (actor, refusal) = await self.AuthenticateAsync(http);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(http);
            return;
        }
        await next(http);
        var status = http.Response.StatusCode;
        if (status is >= 400 and < 500)
        {
            await self.RecordAsync(actor!, new ApiError(status, ErrorCodes.ForStatus(status), $"No admin route answers {http.Request.Method} {http.Request.Path}"));
        }
    }

    private Task RecordAsync(OperatorActor actor, ApiError error) => OperatorAudit.RecordRefusalAsync(db, clock, actor, "admin.request", null, error);

    /// <summary>The actor of an authenticated admin request (set by this filter).</summary>
    public static OperatorActor ActorOf(HttpContext http) =>
        http.Items[ActorItem] as OperatorActor ?? throw new InvalidOperationException("Not an authenticated admin request");

    private async Task<IResult> RefuseAsync(HttpContext http, string? keyId, ApiError error)
    {
        // Past the address's budget for refused credentials the answer is 429 and nothing is written: a flood of bad keys
        // must not fill the audit log.
        if (http.RequestServices.GetRequiredService<RateLimiting.AnonymousRateLimiter>().Check(http) is { } limited)
        {
            return EnvelopeErrors.Result(http, limited);
        }
        await OperatorAudit.RecordRefusalAsync(db, clock, Actor(http, keyId), "admin.auth", null, error);
        return EnvelopeErrors.Result(http, error);
    }

    private static OperatorActor Actor(HttpContext http, string? keyId) =>
        new(keyId, RequestIds.Of(http), http.Request.Method, http.Request.Path.Value ?? "");
}
