using System.Text.Json;
using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
using Partnerships.Api.Hosting.OpenApi;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Core.Json;
using Partnerships.Core.Taxonomy;
using Partnerships.Core.Validation;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.Features;

/// <summary>
/// The operators' surface under /admin/v1 (plus the published admin-only POST /v1/partnership/vertical-mappings),
/// guarded by an admin key. Every action is the same operator use case the CLI calls, and answers the same view. Network ids appear here only.
/// </summary>
public static class AdminEndpoints
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").AllowAnonymous().AddEndpointFilter<AdminAuthFilter>().WithTags(AdminAuthFilter.Tag);

        admin.MapPost("/platforms", async (HttpContext http, PlatformAdmin platforms) =>
        {
            var fields = JsonFields.Root(await WriteEndpoint.ReadJsonBodyAsync(http), "name");
            var name = fields.RequiredText("name");
            fields.ThrowIfAny();
            return Created(http, await platforms.CreateAsync(AdminAuthFilter.ActorOf(http), name));
        }).WithMetadata(new WriteEndpoint.RequestBodyMetadata(typeof(CreatePlatformBody)))
            .WithName("CreatePlatform").WithSummary("Create a platform").Produces<PlatformView>(201);
        admin.MapGet("/platforms", async (HttpContext http, PlatformAdmin platforms) =>
            EnvelopeResult.Ok(http, await platforms.ListAsync()))
            .WithName("ListPlatforms").WithSummary("List the platforms").Produces<List<PlatformView>>();

        admin.MapPost("/platforms/{platform_id}/credentials", async (HttpContext http, CredentialAdmin credentials, string platform_id) =>
            Created(http, await credentials.IssueAsync(AdminAuthFilter.ActorOf(http), platform_id, http.Request.Query["label"].FirstOrDefault())))
            .CarriesSecrets().WithName("IssueCredential").WithSummary("Issue a client credential (the secret is shown once)").Produces<IssuedCredentialView>(201)
            .WithMetadata(new QueryParameters(QueryParameter.Label));
        admin.MapGet("/platforms/{platform_id}/credentials", async (HttpContext http, CredentialAdmin credentials, string platform_id) =>
            EnvelopeResult.Ok(http, await credentials.ListAsync(platform_id)))
            .WithName("ListCredentials").WithSummary("List a platform's credentials (never their secrets)").Produces<List<CredentialView>>();
        admin.MapPost("/credentials/{credential_id}/rotate", async (HttpContext http, CredentialAdmin credentials, string credential_id) =>
            EnvelopeResult.Ok(http, await credentials.RotateAsync(AdminAuthFilter.ActorOf(http), credential_id, RotationGrace(http))))
            .CarriesSecrets().WithName("RotateCredential").WithSummary("Rotate a credential's secret, with an overlap").Produces<IssuedCredentialView>()
            .WithMetadata(new QueryParameters(new QueryParameter("grace_seconds",
                "How many seconds the old secret keeps working (default Auth:SecretRotationGraceSeconds); 0 cuts it and its tokens at once.",
                Type: QueryParameterType.Integer)));
        admin.MapPost("/credentials/{credential_id}/revoke", async (HttpContext http, CredentialAdmin credentials, string credential_id) =>
            EnvelopeResult.Ok(http, await credentials.RevokeAsync(AdminAuthFilter.ActorOf(http), credential_id))).WithName("RevokeCredential").WithSummary("Revoke a credential and every token it issued").Produces<CredentialRevokedView>();

        admin.MapPost("/platforms/{platform_id}/vertical-mappings", (HttpContext http, MappingAdmin mappings, string platform_id) =>
            LoadMappingsAsync(http, mappings, platform_id)).WithMetadata(new BulkBodyMetadata(), new BulkBodyDescription(BulkBodyKind.VerticalMappings))
            .WithName("LoadPlatformVerticalMappings").WithSummary("Load vertical mappings for a platform (JSON row, JSON list or CSV)").Produces<MappingLoadView>();
        admin.MapGet("/platforms/{platform_id}/vertical-mappings", async (HttpContext http, MappingAdmin mappings, string platform_id) =>
            EnvelopeResult.Ok(http, await mappings.ListAsync(platform_id)))
            .WithName("ListPlatformVerticalMappings").WithSummary("List a platform's vertical mappings with network ids").Produces<List<AdminMappingView>>();

        admin.MapGet("/network-taxonomy", async (HttpContext http, TaxonomyAdmin taxonomy) =>
            EnvelopeResult.Ok(http, await taxonomy.ListAsync()))
            .WithName("GetNetworkTaxonomy").WithSummary("List the network taxonomy").Produces<List<NetworkCategoryView>>();
        admin.MapPut("/network-taxonomy", async (HttpContext http, TaxonomyAdmin taxonomy) =>
        {
            var text = Utf8Text.Decode(await RequestBodies.ReadAsync(http), "taxonomy file");
            var categories = NetworkTaxonomyParser.ParseIabTsv(new StringReader(text));
            CheckRows(http, categories.Count);
            return EnvelopeResult.Ok(http, await taxonomy.LoadAsync(AdminAuthFilter.ActorOf(http), categories));
        }).WithMetadata(new BulkBodyMetadata(), new BulkBodyDescription(BulkBodyKind.NetworkTaxonomy))
            .WithName("LoadNetworkTaxonomy").WithSummary("Replace the network taxonomy (an IAB-format TSV)").Produces<TaxonomyLoadView>();

        admin.MapPost("/accounts/{account_id}/relationship/revoke", async (HttpContext http, RelationshipAdmin relationships, string account_id) =>
            EnvelopeResult.Ok(http, await relationships.RevokeAsync(AdminAuthFilter.ActorOf(http), account_id)))
            .WithName("RevokeRelationship").WithSummary("Revoke the relationship between an account and its platform").Produces<RelationshipView>();
        admin.MapPost("/accounts/{account_id}/relationship/restore", async (HttpContext http, RelationshipAdmin relationships, string account_id) =>
            EnvelopeResult.Ok(http, await relationships.RestoreAsync(AdminAuthFilter.ActorOf(http), account_id)))
            .WithName("RestoreRelationship").WithSummary("Restore a revoked relationship").Produces<RelationshipView>();

        admin.MapGet("/platforms/{platform_id}/rate-limits", async (HttpContext http, RateLimitSettings limits, string platform_id) =>
            EnvelopeResult.Ok(http, await limits.ListAsync(platform_id)))
            .WithName("GetPlatformRateLimits").WithSummary("A platform's rate limits, policy by policy").Produces<PlatformRateLimitsView>();
        admin.MapPut("/platforms/{platform_id}/rate-limits/{policy}", async (HttpContext http, RateLimitSettings limits, string platform_id, string policy) =>
        {
            var fields = JsonFields.Root(await WriteEndpoint.ReadJsonBodyAsync(http), "per_minute");
            var perMinute = fields.RequiredPositiveLong("per_minute");
            fields.ThrowIfAny();
            return EnvelopeResult.Ok(http, await limits.SetAsync(AdminAuthFilter.ActorOf(http), platform_id, policy, perMinute));
        }).WithMetadata(new WriteEndpoint.RequestBodyMetadata(typeof(RateLimitBody)))
            .WithName("SetPlatformRateLimit").WithSummary("Raise or lower one of a platform's rate limits (every process applies it within seconds)")
            .Produces<RateLimitView>();
        admin.MapDelete("/platforms/{platform_id}/rate-limits/{policy}", async (HttpContext http, RateLimitSettings limits, string platform_id, string policy) =>
            EnvelopeResult.Ok(http, await limits.ResetAsync(AdminAuthFilter.ActorOf(http), platform_id, policy)))
            .WithName("ResetPlatformRateLimit").WithSummary("Return one of a platform's rate limits to the default").Produces<RateLimitView>();

        admin.MapPut("/platforms/{platform_id}/webhook", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
        {
            var fields = JsonFields.Root(await WriteEndpoint.ReadJsonBodyAsync(http), "url");
            var url = fields.RequiredString("url", max: 2048);
            fields.ThrowIfAny();
            return EnvelopeResult.Ok(http, await hooks.SetUrlAsync(AdminAuthFilter.ActorOf(http), platform_id, url));
        }).WithMetadata(new WriteEndpoint.RequestBodyMetadata(typeof(WebhookUrlBody)))
            .CarriesSecrets().WithName("SetWebhook").WithSummary("Set a platform's webhook URL").Produces<WebhookView>();
        admin.MapGet("/platforms/{platform_id}/webhook", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
            EnvelopeResult.Ok(http, await hooks.GetAsync(platform_id)))
            .CarriesSecrets().WithName("GetWebhook").WithSummary("Get a platform's webhook endpoint").Produces<WebhookView>();
        admin.MapPost("/platforms/{platform_id}/webhook/rotate-secret", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
            EnvelopeResult.Ok(http, await hooks.RotateSecretAsync(AdminAuthFilter.ActorOf(http), platform_id)))
            .CarriesSecrets().WithName("RotateWebhookSecret").WithSummary("Rotate a webhook signing secret (both sign during the overlap)").Produces<WebhookView>();
        admin.MapPost("/platforms/{platform_id}/webhook/enable", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
            EnvelopeResult.Ok(http, await hooks.EnableAsync(AdminAuthFilter.ActorOf(http), platform_id)))
            .CarriesSecrets().WithName("EnableWebhook").WithSummary("Re-enable a disabled webhook endpoint").Produces<WebhookView>();

        admin.MapGet("/outbox", async (HttpContext http, Partnerships.Delivery.DeliveryAdmin deliveries) =>
        {
            var q = http.Request.Query;
            return EnvelopeResult.Ok(http, await deliveries.OutboxAsync(q["status"].FirstOrDefault(), Long(q, "after"), Limit(q)));
        }).WithName("ListOutbox").WithSummary("List outbox messages").Produces<List<OutboxMessageView>>()
            .WithMetadata(new QueryParameters(
                new("status", "pending, delivered, dead or cancelled (withdrawn: its recipient was erased)", ["pending", "delivered", "dead", "cancelled"]),
                QueryParameter.Cursor("after", "Only messages with an id above this one."), QueryParameter.Limit));
        admin.MapPost("/outbox/{id:long}/replay", async (HttpContext http, Partnerships.Delivery.DeliveryAdmin deliveries, long id) =>
            EnvelopeResult.Ok(http, await deliveries.ReplayAsync(AdminAuthFilter.ActorOf(http), id))).WithName("ReplayOutboxMessage").WithSummary("Queue a dead message for delivery again").Produces<OutboxReplayView>();
        admin.MapGet("/events", async (HttpContext http, Partnerships.Delivery.DeliveryAdmin deliveries) =>
        {
            var q = http.Request.Query;
            return EnvelopeResult.Ok(http, await deliveries.EventsAsync(Long(q, "after") ?? 0, Limit(q)));
        }).WithName("ListEvents").WithSummary("Read the ordered event feed").Produces<EventPageView>()
            .WithMetadata(new QueryParameters(QueryParameter.Cursor("after", "The next_cursor of the previous page."), QueryParameter.Limit));

        admin.MapGet("/privacy-requests", async (HttpContext http, PrivacyRequestAdmin requests) =>
        {
            var q = http.Request.Query;
            return EnvelopeResult.Ok(http, await requests.ListAsync(q["platform_id"].FirstOrDefault(), q["status"].FirstOrDefault(), Limit(q)));
        }).WithName("ListPrivacyRequests").WithSummary("List network privacy requests, newest first (hashes and states, never identifiers)")
            .Produces<List<PrivacyRequestAdminView>>()
            .WithMetadata(new QueryParameters(new("platform_id", "A platform id."), new("status", "A status.", [.. PrivacyRequestAdmin.Statuses]), QueryParameter.Limit));
        admin.MapGet("/privacy-requests/{request_id}", async (HttpContext http, PrivacyRequestAdmin requests, string request_id) =>
            EnvelopeResult.Ok(http, await requests.GetAsync(request_id)))
            .WithName("GetPrivacyRequest").WithSummary("Get a network privacy request").Produces<PrivacyRequestAdminView>();
        admin.MapPost("/privacy-requests/{request_id}/acknowledge", async (HttpContext http, PrivacyRequestAdmin requests, string request_id) =>
            EnvelopeResult.Ok(http, await requests.AcknowledgeAsync(AdminAuthFilter.ActorOf(http), request_id)))
            .WithName("AcknowledgePrivacyRequest").WithSummary("Record that the privacy pipeline has taken a request; its sealed identifier is erased")
            .Produces<PrivacyRequestAdminView>();

        admin.MapPost("/admin-keys", async (HttpContext http, AdminKeys keys) =>
            Created(http, await keys.CreateAsync(AdminAuthFilter.ActorOf(http), http.Request.Query["label"].FirstOrDefault())))
            .CarriesSecrets().WithName("CreateAdminKey").WithSummary("Create an admin key (shown once)").Produces<IssuedAdminKeyView>(201)
            .WithMetadata(new QueryParameters(QueryParameter.Label));
        admin.MapGet("/admin-keys", async (HttpContext http, AdminKeys keys) =>
            EnvelopeResult.Ok(http, await keys.ListAsync()))
            .WithName("ListAdminKeys").WithSummary("List the admin keys (never the keys themselves)").Produces<List<AdminKeyView>>();
        admin.MapPost("/admin-keys/{id}/rotate", async (HttpContext http, AdminKeys keys, string id) =>
            EnvelopeResult.Ok(http, await keys.RotateAsync(AdminAuthFilter.ActorOf(http), id)))
            .CarriesSecrets().WithName("RotateAdminKey").WithSummary("Give an admin key a new secret (the old one stops at once)").Produces<IssuedAdminKeyView>();
        admin.MapPost("/admin-keys/{id}/revoke", async (HttpContext http, AdminKeys keys, string id) =>
            EnvelopeResult.Ok(http, await keys.RevokeAsync(AdminAuthFilter.ActorOf(http), id)))
            .WithName("RevokeAdminKey").WithSummary("Revoke an admin key").Produces<AdminKeyView>();

        admin.MapGet("/audit", async (HttpContext http, AuditAdmin audit) =>
            EnvelopeResult.Ok(http, await audit.QueryAsync(AuditQueryFrom(http.Request.Query))))
            .WithName("ListAudit").WithSummary("Search the audit log").Produces<List<AuditEntryView>>()
            .WithMetadata(new QueryParameters(
                new("actor", "The actor, exactly."), new("action", "The action, e.g. credential.rotate."), new("account_id", "An account id."),
                new("platform_id", "A platform id."), new("path", "The request path, exactly."),
                new("outcome", "The outcome.", [.. AuditOutcomes.All]), new("request_id", "A request id."),
                new("dry_run", "Only dry-runs (true) or only real requests (false).", ["true", "false"]),
                new("from", "From this time, inclusive (ISO 8601).", Format: "date-time"), new("to", "Before this time (ISO 8601).", Format: "date-time"),
                QueryParameter.Cursor("after", "Only entries with an id above this one."), QueryParameter.Limit));

        admin.MapGet("/audit/export", (HttpContext http, AuditAdmin audit) =>
        {
            var q = http.Request.Query;
            var filter = new AuditExportFilter(Time(q, "from"), Time(q, "to"), q["platform_id"].FirstOrDefault(), q["action"].FirstOrDefault());
            return new AuditExportResult(audit.ExportAsync(AdminAuthFilter.ActorOf(http), filter, http.RequestAborted));
        }).WithName("ExportAudit").WithSummary("Export audit entries as NDJSON, oldest first (before the retention purge removes them)")
            .Produces<AuditEntryView>(200, AuditNdjson.ContentType)
            .WithMetadata(new QueryParameters(
                new("from", "From this time, inclusive (ISO 8601).", Format: "date-time"), new("to", "Before this time (ISO 8601).", Format: "date-time"),
                new("platform_id", "Only this platform's entries."), new("action", "Only this operator action, e.g. credential.rotate.")));

        // The published admin-only mapping route lives beside the partner GET; a partner token here is refused (403).
        app.MapPost("/v1/partnership/vertical-mappings", (HttpContext http, MappingAdmin mappings) =>
                LoadMappingsAsync(http, mappings, http.Request.Query["platform_parent_account_id"].FirstOrDefault()))
            .WithMetadata(new BulkBodyMetadata(), new BulkBodyDescription(BulkBodyKind.VerticalMappings)).AllowAnonymous().AddEndpointFilter<AdminAuthFilter>().WithTags(AdminAuthFilter.Tag)
            .WithName("LoadVerticalMappings").WithSummary("Load vertical mappings for the platform named in the query").Produces<MappingLoadView>()
            .WithMetadata(new QueryParameters(new QueryParameter("platform_parent_account_id", "The platform the rows are for.", Required: true)));
    }

    /// <summary>One row (JSON object), a bulk list (JSON array) or a whole partner taxonomy (text/csv); atomic either way.</summary>
    private static async Task<IResult> LoadMappingsAsync(HttpContext http, MappingAdmin mappings, string? platformId)
    {
        MappingLoad load;
        if (http.Request.ContentType?.Split(';')[0].Trim().Equals("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            load = MappingImport.ReadCsv(new StringReader(Utf8Text.Decode(await RequestBodies.ReadAsync(http), "CSV body")));
        }
        else
        {
            var body = await WriteEndpoint.ReadJsonBodyAsync(http);
            // Counted before the rows are read, so an oversized list costs no validation work.
            if (body.ValueKind == JsonValueKind.Array) CheckRows(http, body.GetArrayLength());
            load = new MappingLoad(MappingImport.ParseJson(body), []);
        }
        CheckRows(http, load.Rows.Count + load.Issues.Count);
        return EnvelopeResult.Ok(http, await mappings.LoadAsync(AdminAuthFilter.ActorOf(http), platformId, load.Rows, load.Issues));
    }

    /// <summary>?grace_seconds= overrides Auth:SecretRotationGraceSeconds for one rotation (0: cut the old secret at once).</summary>
    private static TimeSpan RotationGrace(HttpContext http) => Long(http.Request.Query, "grace_seconds") is { } seconds
        ? TimeSpan.FromSeconds(Math.Min(seconds, (long)CredentialRotation.MaxGrace.TotalSeconds + 1))
        : http.RequestServices.GetRequiredService<HostSettings>().SecretRotationGrace;

    /// <summary>A bulk load holds at most Http:MaxBulkRows rows (a whole partner taxonomy fits many times over).</summary>
    private static void CheckRows(HttpContext http, int rows)
    {
        var max = http.RequestServices.GetRequiredService<HostSettings>().MaxBulkRows;
        if (rows > max) throw ApiError.BadRequestAsWhole($"The load has {rows} rows; at most {max} are accepted in one load", new FieldIssue("", $"must have at most {max} rows"));
    }

    private static int Limit(IQueryCollection q) =>
        q["limit"].FirstOrDefault() is not { } l ? 100 : int.TryParse(l, out var n) && n is >= 1 and <= 1000 ? n : throw ApiError.Field("limit", "must be an integer from 1 to 1000");

    private static long? Long(IQueryCollection q, string name) =>
        q[name].FirstOrDefault() is not { } v ? null : long.TryParse(v, out var n) && n >= 0 ? n : throw ApiError.Field(name, "must be a non-negative integer");

    private static AuditQuery AuditQueryFrom(IQueryCollection q)
    {
        bool? dryRun = q["dry_run"].FirstOrDefault() switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw ApiError.Field("dry_run", "must be true or false"),
        };
        var outcome = q["outcome"].FirstOrDefault();
        if (outcome is not null && !AuditOutcomes.All.Contains(outcome))
        {
            throw ApiError.Field("outcome", $"must be one of {string.Join(", ", AuditOutcomes.All)}");
        }
        return new AuditQuery(q["account_id"].FirstOrDefault(), q["platform_id"].FirstOrDefault(), q["request_id"].FirstOrDefault(), dryRun,
            Time(q, "from"), Time(q, "to"), Long(q, "after"), Limit(q),
            q["actor"].FirstOrDefault(), q["path"].FirstOrDefault(), outcome, q["action"].FirstOrDefault());
    }

    private static string? Time(IQueryCollection q, string name) => q[name].FirstOrDefault() is { } value
        ? DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? Database.Timestamp(t)
            : throw ApiError.Field(name, "must be an ISO 8601 time")
        : null;

    private static IResult Created(HttpContext http, object data) =>
        new EnvelopeResult(201, Partnerships.Application.Pipeline.Envelope.Success(201, RequestIds.Of(http), data), null);
}
