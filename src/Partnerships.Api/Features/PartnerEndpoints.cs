using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
using Partnerships.Application.Partner;
using Partnerships.Core.Errors;

namespace Partnerships.Api.Features;

/// <summary>The partner surface: every route needs a partner access token; writes run through the write pipeline.</summary>
public static class PartnerEndpoints
{
    public static void MapPartnerApi(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("").RequireAuthorization().AddEndpointFilter<PlatformHeaderFilter>().WithTags("Partner");

        root.MapWrite<RegistrationBody>("POST", "/v1/accounts/register/partnership", WriteHandlers.RegisterRoute, _ => WriteHandlers.RegisterAsync)
            .WithName("RegisterAccount");

        var accounts = root.MapGroup("/v1/partnership/accounts/{account_id}");
        accounts.MapGet("", async (HttpContext http, Queries q, string account_id) =>
            EnvelopeResult.Ok(http, await q.AccountAsync(Partner.From(http).PlatformId, account_id))).WithName("GetAccount");

        accounts.MapGet("/marketplacecontrolslists", async (HttpContext http, Queries q, string account_id) =>
        {
            var view = await q.ControlsAsync(Partner.From(http).PlatformId, account_id);
            return EnvelopeResult.Ok(http, view, new Dictionary<string, string> { ["ETag"] = ViewMapping.ETag(view.ContentHash) });
        }).WithName("GetMarketplaceControls");
        accounts.MapWrite<MarketplaceControlsBody>("PUT", "/marketplacecontrolslists", WriteHandlers.PutControlsRoute, _ => WriteHandlers.PutControlsAsync)
            .WithName("PutMarketplaceControls");

        accounts.MapGet("/status", async (HttpContext http, Queries q, string account_id) =>
            EnvelopeResult.Ok(http, await q.StatusAsync(Partner.From(http).PlatformId, account_id))).WithName("GetStatus");
        accounts.MapWrite<StatusBody>("PUT", "/status", WriteHandlers.PutStatusRoute, _ => WriteHandlers.PutStatusAsync).WithName("PutStatus");

        accounts.MapWrite<PagesBody>("POST", "/pages", WriteHandlers.AddPagesRoute, _ => WriteHandlers.AddPagesAsync).WithName("AddPages");

        accounts.MapPhasedWrite<PayoutSetupBody>("POST", "/payout-setup", PayoutSetup.Route,
            (http, request) => http.RequestServices.GetRequiredService<PayoutSetupExecutor>().ExecuteAsync(request)).WithName("CreatePayoutSetup");

        accounts.MapGet("/layouts/{layout_id}", async (HttpContext http, Queries q, string account_id, string layout_id) =>
            EnvelopeResult.Ok(http, await q.LayoutAsync(Partner.From(http).PlatformId, account_id, layout_id))).WithName("GetLayout");
        accounts.MapWrite<LayoutPatchBody>("PATCH", "/layouts/{layout_id}", WriteHandlers.PatchLayoutRoute,
            http => ctx => WriteHandlers.PatchLayoutAsync(ctx, http.GetRouteValue("layout_id")!.ToString()!)).WithName("PatchLayout");

        root.MapGet("/v1/partnership/operations/{operation_id}", async (HttpContext http, Queries q, string operation_id) =>
            EnvelopeResult.Ok(http, await q.OperationAsync(Partner.From(http).PlatformId, operation_id))).WithName("GetOperation");

        root.MapGet("/v1/partnership/vertical-mappings", async (HttpContext http, Queries q) =>
            EnvelopeResult.Ok(http, await q.MappingsAsync(Partner.From(http).PlatformId))).WithName("ListVerticalMappings");
    }

    /// <summary>
    /// X-Platform-Parent-Account-Id, when sent, must name the token's platform (403). Optional by default because the
    /// seeds' own writes omit it; Tenancy:RequirePlatformHeaderOnWrites makes it required on writes (422).
    /// </summary>
    private sealed class PlatformHeaderFilter(HostSettings settings) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            var header = http.Request.Headers["X-Platform-Parent-Account-Id"];
            var platformId = Partner.From(http).PlatformId;
            if (header.Count > 1)
            {
                return EnvelopeErrors.Result(http, ApiError.BadRequest("X-Platform-Parent-Account-Id was sent more than once",
                    new FieldIssue("X-Platform-Parent-Account-Id", "must be sent exactly once")));
            }
            if (header.Count > 0 && header.ToString() != platformId)
            {
                return EnvelopeErrors.Result(http, new ApiError(403, ErrorCodes.Forbidden, "X-Platform-Parent-Account-Id does not match your token's platform",
                    [new FieldIssue("X-Platform-Parent-Account-Id", "must equal the platform of the access token")]));
            }
            if (header.Count == 0 && settings.RequirePlatformHeaderOnWrites && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                return EnvelopeErrors.Result(http, ApiError.Validation("X-Platform-Parent-Account-Id is required on writes",
                    new FieldIssue("X-Platform-Parent-Account-Id", "is required")));
            }
            return await next(context);
        }
    }
}
