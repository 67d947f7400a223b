using System.Text.Json;
using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
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
/// guarded by an admin key. Every action is the same OperatorService call the CLI makes. Network ids appear here only.
/// </summary>
public static class AdminEndpoints
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").AllowAnonymous().AddEndpointFilter<AdminAuthFilter>().WithTags(AdminAuthFilter.Tag);

        admin.MapPost("/platforms", async (HttpContext http, OperatorService ops) =>
        {
            var fields = JsonFields.Root(await WriteEndpoint.ReadJsonBodyAsync(http), "name");
            var name = fields.RequiredText("name");
            fields.ThrowIfAny();
            var row = await ops.CreatePlatformAsync(AdminAuthFilter.ActorOf(http), name);
            return Created(http, PlatformView(row));
        }).WithMetadata(new WriteEndpoint.RequestBodyMetadata(typeof(JsonElement)));
        admin.MapGet("/platforms", async (HttpContext http, OperatorService ops) =>
            EnvelopeResult.Ok(http, (await ops.ListPlatformsAsync()).Select(PlatformView).ToList()));

        admin.MapPost("/platforms/{platform_id}/credentials", async (HttpContext http, OperatorService ops, string platform_id) =>
            Created(http, CredentialView(await ops.IssueCredentialAsync(AdminAuthFilter.ActorOf(http), platform_id, http.Request.Query["label"].FirstOrDefault()))));
        admin.MapGet("/platforms/{platform_id}/credentials", async (HttpContext http, OperatorService ops, string platform_id) =>
            EnvelopeResult.Ok(http, (await ops.ListCredentialsAsync(platform_id)).Select(c => new
            {
                credential_id = c.Id, client_id = c.ClientId, label = c.Label, created_at = c.CreatedAt, revoked_at = c.RevokedAt,
            }).ToList()));
        admin.MapPost("/credentials/{credential_id}/rotate", async (HttpContext http, OperatorService ops, string credential_id) =>
            EnvelopeResult.Ok(http, CredentialView(await ops.RotateCredentialAsync(AdminAuthFilter.ActorOf(http), credential_id, RotationGrace(http)))));
        admin.MapPost("/credentials/{credential_id}/revoke", async (HttpContext http, OperatorService ops, string credential_id) =>
        {
            await ops.RevokeCredentialAsync(AdminAuthFilter.ActorOf(http), credential_id);
            return EnvelopeResult.Ok(http, new { credential_id, revoked = true });
        });

        admin.MapPost("/platforms/{platform_id}/vertical-mappings", (HttpContext http, OperatorService ops, string platform_id) =>
            LoadMappingsAsync(http, ops, platform_id)).WithMetadata(new BulkBodyMetadata());
        admin.MapGet("/platforms/{platform_id}/vertical-mappings", async (HttpContext http, OperatorService ops, string platform_id) =>
            EnvelopeResult.Ok(http, (await ops.MappingsAsync(platform_id)).Select(MappingView).ToList()));

        admin.MapGet("/network-taxonomy", async (HttpContext http, OperatorService ops) =>
            EnvelopeResult.Ok(http, (await ops.NetworkTaxonomyAsync()).Select(c => new
            {
                id = c.Id, parent_id = c.ParentId, name = c.Name, tier = c.Tier, vertical_id = c.VerticalId, sub_vertical_id = c.SubVerticalId,
            }).ToList()));
        admin.MapPut("/network-taxonomy", async (HttpContext http, OperatorService ops) =>
        {
            var text = Utf8Text.Decode(await RequestBodies.ReadAsync(http), "taxonomy file");
            var categories = NetworkTaxonomyParser.ParseIabTsv(new StringReader(text));
            CheckRows(http, categories.Count);
            return EnvelopeResult.Ok(http, new { loaded = await ops.LoadTaxonomyAsync(AdminAuthFilter.ActorOf(http), categories) });
        }).WithMetadata(new BulkBodyMetadata());

        admin.MapPost("/accounts/{account_id}/relationship/revoke", async (HttpContext http, OperatorService ops, string account_id) =>
            EnvelopeResult.Ok(http, RelationshipView(await ops.SetRelationshipAsync(AdminAuthFilter.ActorOf(http), account_id, active: false))));
        admin.MapPost("/accounts/{account_id}/relationship/restore", async (HttpContext http, OperatorService ops, string account_id) =>
            EnvelopeResult.Ok(http, RelationshipView(await ops.SetRelationshipAsync(AdminAuthFilter.ActorOf(http), account_id, active: true))));

        admin.MapPut("/platforms/{platform_id}/webhook", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
        {
            var fields = JsonFields.Root(await WriteEndpoint.ReadJsonBodyAsync(http), "url");
            var url = fields.RequiredString("url", max: 2048);
            fields.ThrowIfAny();
            return EnvelopeResult.Ok(http, WebhookView(await hooks.SetUrlAsync(AdminAuthFilter.ActorOf(http), platform_id, url)));
        }).WithMetadata(new WriteEndpoint.RequestBodyMetadata(typeof(JsonElement)));
        admin.MapGet("/platforms/{platform_id}/webhook", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
            EnvelopeResult.Ok(http, WebhookView(await hooks.GetAsync(platform_id))));
        admin.MapPost("/platforms/{platform_id}/webhook/rotate-secret", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
            EnvelopeResult.Ok(http, WebhookView(await hooks.RotateSecretAsync(AdminAuthFilter.ActorOf(http), platform_id))));
        admin.MapPost("/platforms/{platform_id}/webhook/enable", async (HttpContext http, Partnerships.Delivery.WebhookAdmin hooks, string platform_id) =>
            EnvelopeResult.Ok(http, WebhookView(await hooks.EnableAsync(AdminAuthFilter.ActorOf(http), platform_id))));

        admin.MapGet("/outbox", async (HttpContext http, Partnerships.Delivery.DeliveryAdmin deliveries) =>
        {
            var q = http.Request.Query;
            var rows = await deliveries.OutboxAsync(q["status"].FirstOrDefault(), Long(q, "after"), Limit(q));
            return EnvelopeResult.Ok(http, rows.Select(Partnerships.Delivery.DeliveryAdmin.View).ToList());
        });
        admin.MapPost("/outbox/{id:long}/replay", async (HttpContext http, Partnerships.Delivery.DeliveryAdmin deliveries, long id) =>
        {
            await deliveries.ReplayAsync(AdminAuthFilter.ActorOf(http), id);
            return EnvelopeResult.Ok(http, new { id, status = "pending" });
        });
        admin.MapGet("/events", async (HttpContext http, Partnerships.Delivery.DeliveryAdmin deliveries) =>
        {
            var q = http.Request.Query;
            var after = Long(q, "after") ?? 0;
            var rows = await deliveries.EventsAsync(after, Limit(q));
            return EnvelopeResult.Ok(http, new
            {
                events = rows.Select(Partnerships.Delivery.DeliveryAdmin.View).ToList(),
                next_cursor = rows.Count > 0 ? rows[^1].Seq : after,
            });
        });

        admin.MapPost("/admin-keys", async (HttpContext http, OperatorService ops) =>
            Created(http, AdminKeyView(await ops.CreateAdminKeyAsync(AdminAuthFilter.ActorOf(http), http.Request.Query["label"].FirstOrDefault()))));
        admin.MapGet("/admin-keys", async (HttpContext http, OperatorService ops) =>
            EnvelopeResult.Ok(http, (await ops.ListAdminKeysAsync()).Select(AdminKeyView).ToList()));
        admin.MapPost("/admin-keys/{id}/rotate", async (HttpContext http, OperatorService ops, string id) =>
            EnvelopeResult.Ok(http, AdminKeyView(await ops.RotateAdminKeyAsync(AdminAuthFilter.ActorOf(http), id))));
        admin.MapPost("/admin-keys/{id}/revoke", async (HttpContext http, OperatorService ops, string id) =>
            EnvelopeResult.Ok(http, AdminKeyView(await ops.RevokeAdminKeyAsync(AdminAuthFilter.ActorOf(http), id))));

        admin.MapGet("/audit", async (HttpContext http, OperatorService ops) =>
            EnvelopeResult.Ok(http, (await ops.AuditAsync(AuditQueryFrom(http.Request.Query))).Select(AuditView).ToList()));

        // The published admin-only mapping route lives beside the partner GET; a partner token here is refused (403).
        app.MapPost("/v1/partnership/vertical-mappings", (HttpContext http, OperatorService ops) =>
                LoadMappingsAsync(http, ops, http.Request.Query["platform_parent_account_id"].FirstOrDefault()))
            .WithMetadata(new BulkBodyMetadata()).AllowAnonymous().AddEndpointFilter<AdminAuthFilter>().WithTags(AdminAuthFilter.Tag);
    }

    /// <summary>One row (JSON object), a bulk list (JSON array) or a whole partner taxonomy (text/csv); atomic either way.</summary>
    private static async Task<IResult> LoadMappingsAsync(HttpContext http, OperatorService ops, string? platformId)
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
        var result = await ops.LoadMappingsAsync(AdminAuthFilter.ActorOf(http), platformId, load.Rows, load.Issues);
        return EnvelopeResult.Ok(http, new
        {
            platform_parent_account_id = result.PlatformId, loaded = result.Loaded, inserted = result.Inserted, updated = result.Updated,
        });
    }

    /// <summary>?grace_seconds= overrides Auth:SecretRotationGraceSeconds for one rotation (0: cut the old secret at once).</summary>
    private static TimeSpan RotationGrace(HttpContext http) => Long(http.Request.Query, "grace_seconds") is { } seconds
        ? TimeSpan.FromSeconds(Math.Min(seconds, (long)CredentialRotation.MaxGrace.TotalSeconds + 1))
        : http.RequestServices.GetRequiredService<HostSettings>().SecretRotationGrace;

    /// <summary>A bulk load holds at most Http:MaxBulkRows rows (a whole partner taxonomy fits many times over).</summary>
    private static void CheckRows(HttpContext http, int rows)
    {
        var max = http.RequestServices.GetRequiredService<HostSettings>().MaxBulkRows;
        if (rows > max) throw ApiError.BadRequest($"The load has {rows} rows; at most {max} are accepted in one load", new FieldIssue("", $"must have at most {max} rows"));
    }

    private static int Limit(IQueryCollection q) =>
        q["limit"].FirstOrDefault() is not { } l ? 100 : int.TryParse(l, out var n) && n is >= 1 and <= 1000 ? n : throw ApiError.Field("limit", "must be an integer from 1 to 1000");

    private static long? Long(IQueryCollection q, string name) =>
        q[name].FirstOrDefault() is not { } v ? null : long.TryParse(v, out var n) && n >= 0 ? n : throw ApiError.Field(name, "must be a non-negative integer");

    private static object WebhookView(Partnerships.Delivery.WebhookEndpointView v) => Partnerships.Delivery.DeliveryAdmin.View(v);

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
        if (outcome is not (null or "committed" or "dry_run" or "replayed" or "rejected"))
        {
            throw ApiError.Field("outcome", "must be committed, dry_run, replayed or rejected");
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

    private static object PlatformView(PlatformRow p) => new { platform_parent_account_id = p.Id, name = p.Name, created_at = p.CreatedAt };

    private static object CredentialView(IssuedCredential c) => new
    {
        credential_id = c.CredentialId, platform_parent_account_id = c.PlatformId, client_id = c.ClientId, client_secret = c.ClientSecret,
        previous_secret_expires_at = c.PreviousSecretExpiresAt,
        note = "The client_secret is shown once; store it now.",
    };

    private static object RelationshipView(AccountRow a) => new { account_id = a.Id, platform_parent_account_id = a.PlatformId, relationship_status = a.RelationshipStatus };

    private static object AuditView(AuditRow a) => new
    {
        id = a.Id, at = a.At, request_id = a.RequestId, platform_id = a.PlatformId, credential_id = a.CredentialId, account_id = a.AccountId,
        method = a.Method, path = a.Path, status = a.StatusCode, outcome = a.Outcome, dry_run = a.DryRun == 1, idempotency_key = a.IdemKey,
        hash_before = a.HashBefore, hash_after = a.HashAfter, summary = a.Summary,
        actor = a.Actor, action = a.Action, target = a.Target, before = Summary(a.BeforeSummary), after = Summary(a.AfterSummary),
    };

    /// <summary>Before/after summaries are stored as JSON text and shown as JSON.</summary>
    private static object? Summary(string? stored)
    {
        if (stored is null) return null;
        try { return JsonDocument.Parse(stored).RootElement.Clone(); }
        catch (JsonException) { return stored; }
    }

    private static object AdminKeyView(IssuedAdminKey k) => new { id = k.Id, admin_key = k.Key, note = "The admin_key is shown once; store it now." };

    private static object AdminKeyView(AdminKeyInfo k) => new
    {
        id = k.Id, label = k.Label, created_at = k.CreatedAt, rotated_at = k.RotatedAt, revoked_at = k.RevokedAt,
    };

    public static object MappingView(MappingRowData m) => new
    {
        partner_vertical_id = m.PartnerVerticalId, partner_sub_vertical_id = m.PartnerSubVerticalId,
        partner_vertical_name = m.PartnerVerticalName, partner_sub_vertical_name = m.PartnerSubVerticalName,
        network_category_id = m.NetworkCategoryId, network_sub_vertical_id = m.NetworkSubVerticalId, updated_at = m.UpdatedAt,
    };
}
