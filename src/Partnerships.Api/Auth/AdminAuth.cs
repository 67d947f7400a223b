using Partnerships.Api.Hosting;
using Partnerships.Application;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.Auth;

/// <summary>
/// The operator surface's own credential: an admin key (<c>padm_…</c>) sent as a bearer token. A partner access
/// token is never accepted here: it is recognised and refused with 403.
/// </summary>
public sealed class AdminAuthFilter(Database db) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return EnvelopeErrors.Result(context.HttpContext, ApiError.Unauthorized("Admin key required: send Authorization: Bearer padm_…"));
        }
        var presented = header[7..].Trim();
        if (!presented.StartsWith(Secrets.AdminKeyPrefix, StringComparison.Ordinal))
        {
            return EnvelopeErrors.Result(context.HttpContext, ApiError.Forbidden("Partner credentials cannot use the operator surface"));
        }
        await using var s = await DbSession.ReadAsync(db);
        if (await AdminKeyStore.FindActiveIdAsync(s, Secrets.Hash(presented)) is null)
        {
            return EnvelopeErrors.Result(context.HttpContext, ApiError.Unauthorized("Admin key is invalid or revoked"));
        }
        return await next(context);
    }
}
