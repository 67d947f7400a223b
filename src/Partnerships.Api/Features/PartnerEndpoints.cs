using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
using Partnerships.Api.Hosting.OpenApi;
using Partnerships.Application.Features.Accounts;
using Partnerships.Application.Features.Controls;
using Partnerships.Application.ReferenceData;
using Partnerships.Application.Features.DataDeletion;
using Partnerships.Application.Features.Layouts;
using Partnerships.Application.Features.Operations;
using Partnerships.Application.Features.Pages;
using Partnerships.Application.Features.PayoutSetup;
using Partnerships.Application.Features.PrivacyRequests;
using Partnerships.Application.Features.Registration;
using Partnerships.Application.Features.Status;
using Partnerships.Application.Features.VerticalMappings;
using Partnerships.Core.Accounts;
using Partnerships.Core.Errors;
using Partnerships.Storage;

namespace Partnerships.Api.Features;

/// <summary>
/// The partner route table. Every route needs a partner access token; writes run through the write pipeline. Each
/// capability lives in its feature folder (src/Partnerships.Application/Features/*): body record, parser, handler, view.
/// </summary>
public static class PartnerEndpoints
{
    public static void MapPartnerApi(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("").RequireAuthorization().WithMetadata(new RateLimiting.PartnerRateLimitMetadata())
            .AddEndpointFilter<PlatformHeaderFilter>().WithTags("Partner");

        root.MapWrite<RegistrationBody>("POST", "/v1/accounts/register/partnership", RegisterAccount.Route, _ => RegisterAccount.HandleAsync)
            .WithName("RegisterAccount").WithSummary("Register a merchant")
            .Produces<RegistrationView>(StatusCodes.Status201Created).Produces<RegistrationView>(StatusCodes.Status200OK);

        root.MapGet("/v1/partnership/accounts", async (HttpContext http, Database db) =>
                EnvelopeResult.Ok(http, await ListAccounts.HandleAsync(db, Partner.From(http).PlatformId,
                    AccountListQuery.Parse(http.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToArray()))))))
            .WithName("ListAccounts").WithSummary("List the platform's merchant accounts, newest first").Produces<AccountListView>()
            .WithMetadata(new QueryParameters(
                new QueryParameter("limit", $"At most this many accounts (default {AccountListQuery.DefaultLimit}).", Type: QueryParameterType.Integer,
                    Minimum: 1, Maximum: AccountListQuery.MaxLimit),
                new QueryParameter("starting_after", "The account_id of the last account of the previous page: this page starts after it."),
                new QueryParameter("external_account_id", "Only the account with this external_account_id (exact match)."),
                new QueryParameter("status", "Only accounts with this status.", Enum: [.. SurfaceNames.Statuses.Keys])));

        var accounts = root.MapGroup("/v1/partnership/accounts/{account_id}");
        accounts.MapGet("", async (HttpContext http, Database db, string account_id) =>
                EnvelopeResult.Ok(http, await GetAccount.HandleAsync(db, Partner.From(http).PlatformId, account_id)))
            .WithName("GetAccount").WithSummary("Get a merchant account").Produces<AccountView>();

        accounts.MapGet("/marketplacecontrolslists", async (HttpContext http, Database db, MappingTableCache mappings, string account_id) =>
            {
                var view = await GetMarketplaceControls.HandleAsync(db, mappings, Partner.From(http).PlatformId, account_id);
                return EnvelopeResult.Ok(http, view, new Dictionary<string, string> { ["ETag"] = ControlsState.ETag(view.ContentHash) });
            })
            .WithName("GetMarketplaceControls").WithSummary("Get the marketplace controls").Produces<MarketplaceControlsView>();
        accounts.MapWrite<MarketplaceControlsBody>("PUT", "/marketplacecontrolslists", PutMarketplaceControls.Route,
                http => PutMarketplaceControls.Handler(http.RequestServices.GetRequiredService<MappingTableCache>()))
            .WithName("PutMarketplaceControls").WithSummary("Replace the marketplace controls").Produces<MarketplaceControlsView>();

        accounts.MapGet("/status", async (HttpContext http, Database db, string account_id) =>
                EnvelopeResult.Ok(http, await GetStatus.HandleAsync(db, Partner.From(http).PlatformId, account_id)))
            .WithName("GetStatus").WithSummary("Get the account status").Produces<StatusView>();
        accounts.MapWrite<StatusBody>("PUT", "/status", PutStatus.Route, _ => PutStatus.HandleAsync)
            .WithName("PutStatus").WithSummary("Set the account status").Produces<StatusView>();

        accounts.MapWrite<PagesBody>("POST", "/pages", AddPages.Route, _ => AddPages.HandleAsync)
            .WithName("AddPages").WithSummary("Add pages to an account").Produces<PagesAddedView>(StatusCodes.Status201Created);
        accounts.MapGet("/pages/{page_id}", async (HttpContext http, Database db, string account_id, string page_id) =>
                EnvelopeResult.Ok(http, await GetPage.HandleAsync(db, Partner.From(http).PlatformId, account_id, page_id)))
            .WithName("GetPage").WithSummary("Get a page and its layouts").Produces<PageDetailView>();
        accounts.MapWrite<PageLayoutBody>("PUT", "/pages/{page_id}", SwitchPageLayout.Route,
                http => ctx => SwitchPageLayout.HandleAsync(ctx, http.GetRouteValue("page_id")!.ToString()!))
            .WithName("SwitchPageLayout").WithSummary("Switch a page to a layout type").Produces<PageDetailView>();

        accounts.MapPhasedWrite<PayoutSetupBody>("POST", "/payout-setup", CreatePayoutSetup.Route,
                (http, request) => http.RequestServices.GetRequiredService<PayoutSetupExecutor>().ExecuteAsync(request))
            .WithName("CreatePayoutSetup").WithSummary("Open the merchant's payout account")
            .Produces<PayoutSetupView>(StatusCodes.Status201Created).Produces<PayoutSetupView>(StatusCodes.Status200OK);

        accounts.MapWrite<DataDeletionBody>("POST", "/data-deletion-requests", RequestDataDeletion.Route, _ => RequestDataDeletion.HandleAsync)
            .WithName("RequestDataDeletion").WithSummary("Erase the merchant's personal data")
            .Produces<DataDeletionView>(StatusCodes.Status202Accepted);

        accounts.MapGet("/layouts/{layout_id}", async (HttpContext http, Database db, string account_id, string layout_id) =>
                EnvelopeResult.Ok(http, await GetLayout.HandleAsync(db, Partner.From(http).PlatformId, account_id, layout_id)))
            .WithName("GetLayout").WithSummary("Get a page layout").Produces<LayoutView>();
        accounts.MapWrite<LayoutPatchBody>("PATCH", "/layouts/{layout_id}", PatchLayout.Route,
                http => ctx => PatchLayout.HandleAsync(ctx, http.GetRouteValue("layout_id")!.ToString()!))
            .WithName("PatchLayout").WithSummary("Change a page layout").Produces<LayoutView>();

        root.MapGet("/v1/partnership/operations/{operation_id}", async (HttpContext http, Database db, string operation_id) =>
                EnvelopeResult.Ok(http, await GetOperation.HandleAsync(db, Partner.From(http).PlatformId, operation_id)))
            .WithName("GetOperation").WithSummary("Get an operation and its side effects").Produces<OperationView>();

        root.MapGet("/v1/partnership/vertical-mappings", async (HttpContext http, Database db, MappingTableCache mappings) =>
                EnvelopeResult.Ok(http, await ListVerticalMappings.HandleAsync(db, mappings, Partner.From(http).PlatformId)))
            .WithName("ListVerticalMappings").WithSummary("List the platform's vertical mapping pairs").Produces<IReadOnlyList<PartnerMappingView>>();

        root.MapPost("/v1/partnership/network-privacy-requests", PrivacyRequestEndpoint.SubmitAsync)
            .WithMetadata(new WriteEndpoint.RequestBodyMetadata(typeof(NetworkPrivacyRequestBody), NetworkPrivacyRequestBody.Example),
                new QueryParameters(new QueryParameter(SubmitNetworkPrivacyRequest.ParentAccountIdParameter,
                    "Your platform's id (its platform_parent_account_id); required, and it must be the access token's platform (403 otherwise).", Required: true)))
            .WithName(PrivacyRequestEndpoint.OperationId).WithSummary("Submit a consumer's network privacy request")
            .Produces<NetworkPrivacyRequestView>(StatusCodes.Status202Accepted);
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
                return EnvelopeErrors.Result(http, ApiError.BadRequest(
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
