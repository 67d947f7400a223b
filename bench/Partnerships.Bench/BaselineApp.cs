using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Bench;

/// <summary>
/// The bare baseline, run as its own process (<c>Partnerships.Bench baseline --urls=… --Store:…</c>): plain Kestrel on the
/// same store and data, with the service's own <see cref="Database"/> (so the same pool, per-connection PRAGMAs and
/// SQLite synchronous setting), no authentication, no pipeline.
/// </summary>
public static class BaselineApp
{
    public const string Verb = "baseline";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var config = builder.Configuration;
        var db = new Database(new StoreOptions(StoreOptions.ParseProvider(config["Store:Provider"]),
            config["Store:ConnectionString"] ?? throw new InvalidOperationException("Store:ConnectionString is required"))
        {
            Synchronous = StoreOptions.ParseSynchronous(config["Store:SqliteSynchronous"]),
        });
        // As the service compresses JSON for clients that accept it; only the wide read is sent with Accept-Encoding.
        builder.Services.AddResponseCompression();
        var app = builder.Build();
        app.UseResponseCompression();
        app.MapGet("/healthz", () => Results.Text("ok"));

        // One read: the controls row.
        app.MapGet("/controls/{accountId}", async (string accountId) =>
        {
            await using var c = await db.OpenAsync();
            var state = await c.QuerySingleOrDefaultAsync<string>("SELECT state_json FROM marketplace_controls WHERE account_id = @accountId", new { accountId });
            return state is null ? Results.NotFound() : Results.Text(state, "application/json");
        });

        // One write transaction of one statement, committed per request with the store's durability setting. The body is
        // already in the stored form, so the service reads whatever the baseline wrote.
        app.MapPut("/controls/{accountId}", async (string accountId, HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var state = body.RootElement.GetRawText();
            await using var c = await db.OpenAsync();
            await using var tx = await db.BeginWriteAsync(c);
            var updated = await c.ExecuteAsync("UPDATE marketplace_controls SET state_json = @state, updated_at = @at WHERE account_id = @accountId",
                new { accountId, state, at = Database.Timestamp(DateTimeOffset.UtcNow) }, tx);
            await tx.CommitAsync();
            return updated == 1 ? Results.Text(state, "application/json") : Results.NotFound();
        });

        // The wide read: the same rows the service's GET reads (account, controls, every mapping row of the platform),
        // written as one JSON document of about the same size, compressed as the service compresses.
        app.MapGet("/wide/{accountId}", async (string accountId) =>
        {
            await using var c = await db.OpenAsync();
            var account = await c.QuerySingleOrDefaultAsync<AccountRow>("SELECT * FROM accounts WHERE id = @accountId", new { accountId });
            if (account is null) return Results.NotFound();
            var controls = await c.QuerySingleAsync<ControlsRow>("SELECT * FROM marketplace_controls WHERE account_id = @accountId", new { accountId });
            var mappings = await c.QueryAsync<MappingRowData>(
                "SELECT * FROM vertical_mappings WHERE platform_id = @platformId ORDER BY partner_vertical_id, partner_sub_vertical_id",
                new { platformId = account.PlatformId });
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
            using (var json = new Utf8JsonWriter(buffer)) WideDocument.Write(json, account, controls, mappings);
            return Results.Bytes(buffer.WrittenMemory, "application/json");
        });

        await app.RunAsync();
        return 0;
    }
}
