using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Partnerships.Application;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Core.Json;
using Partnerships.Core.Taxonomy;
using Partnerships.Delivery;
using Partnerships.Storage;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

// The operator CLI: the same operator use cases the admin HTTP surface calls, straight against the store.
// Store selection uses the server's keys: --provider/--connection or Store__Provider / Store__ConnectionString,
// defaulting to the embedded SQLite file under ./data (Store__DataDirectory).

// Whatever the CLI creates (the embedded database, key files) is for its user only, as the server's files are.
PrivateFiles.RestrictUmask();

var provider = new Option<string?>("--provider") { Description = "sqlite | postgres (default: Store__Provider or sqlite)", Recursive = true };
var connection = new Option<string?>("--connection") { Description = "Store connection string (default: Store__ConnectionString or the embedded data/partnerships.db)", Recursive = true };
var dataDir = new Option<string?>("--data-dir") { Description = "Data folder of the embedded default (default: Store__DataDirectory or ./data)", Recursive = true };

var root = new RootCommand("Partnerships operator CLI") { provider, connection, dataDir };

// The command being run, as the audit log names it: cli:<OS user>, with the command path (never its arguments).
OperatorActor actor = OperatorActor.Cli("");

Command Cmd(string name, string description, Func<ParseResult, Task<object?>> action, params Option[] options)
{
    var command = new Command(name, description);
    foreach (var option in options) command.Options.Add(option);
    command.SetAction(async parse =>
    {
        actor = OperatorActor.Cli(CommandPath(parse));
        try
        {
            var result = await action(parse);
            if (result is not null) Console.WriteLine(JsonSerializer.Serialize(result, Output));
            return 0;
        }
        catch (ApiError e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            foreach (var d in e.Details) Console.Error.WriteLine($"  {d.Field}: {d.Issue}");
            await RecordRefusalAsync(parse, e);
            return 2;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    });
    return command;
}

(Database Db, string DataDirectory, StoreProvider Provider) Open(ParseResult p)
{
    var data = Path.GetFullPath(p.GetValue(dataDir) ?? Environment.GetEnvironmentVariable("Store__DataDirectory") ?? "data");
    var kind = StoreOptions.ParseProvider(p.GetValue(provider) ?? Environment.GetEnvironmentVariable("Store__Provider"));
    var cs = p.GetValue(connection) ?? Environment.GetEnvironmentVariable("Store__ConnectionString");
    if (string.IsNullOrWhiteSpace(cs))
    {
        if (kind == StoreProvider.Postgres) throw new InvalidOperationException("--connection (or Store__ConnectionString) is required for postgres");
        cs = $"Data Source={Path.Combine(data, "partnerships.db")}";
    }
    var db = new Database(new StoreOptions(kind, cs));
    return (db, data, kind);
}

// A refusal the use case did not see (a file that does not parse, say) is recorded here, on a store that is ready for it.
async Task RecordRefusalAsync(ParseResult p, ApiError error)
{
    if (actor.Recorded) return;
    try
    {
        var db = Open(p).Db;
        if ((await new Migrator(db).PendingAsync()).Count == 0)
        {
            await OperatorAudit.RecordRefusalAsync(db, TimeProvider.System, actor, "cli.command", null, error);
        }
    }
    catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
    {
        Console.Error.WriteLine($"warning: the refusal could not be recorded in the audit log: {e.Message}");
    }
}

async Task<Database> Ready(ParseResult p)
{
    var db = Open(p).Db;
    if ((await new Migrator(db).PendingAsync()).Count > 0)
    {
        throw new InvalidOperationException("The store has pending migrations: run `partnerships migrate` first.");
    }
    return db;
}

var name = new Option<string>("--name") { Description = "Platform name", Required = true };
var platform = new Option<string>("--platform") { Description = "platform_parent_account_id", Required = true };
var label = new Option<string?>("--label") { Description = "A note on what the credential or key is for" };
var credential = new Option<string>("--credential") { Description = "Credential id", Required = true };
var account = new Option<string>("--account") { Description = "Account id", Required = true };
var file = new Option<FileInfo>("--file") { Description = "Input file", Required = true };
var optionalFile = new Option<FileInfo?>("--file") { Description = "IAB-format TSV (default: the shipped IAB Ad Product Taxonomy 2.0)" };
var keyId = new Option<string>("--id") { Description = "Admin key id", Required = true };
var auditAccount = new Option<string?>("--account") { Description = "Filter by account id" };
var auditPlatform = new Option<string?>("--platform") { Description = "Filter by platform" };
var auditRequest = new Option<string?>("--request-id") { Description = "Filter by request id" };
var auditDryRun = new Option<bool?>("--dry-run") { Description = "Only dry-runs (true) or only real writes (false)" };
var auditFrom = new Option<DateTimeOffset?>("--from") { Description = "From this time (inclusive)" };
var auditTo = new Option<DateTimeOffset?>("--to") { Description = "Up to this time (exclusive)" };
var auditLimit = new Option<int>("--limit") { Description = "At most this many entries", DefaultValueFactory = _ => 100 };
var auditActor = new Option<string?>("--actor") { Description = "Filter by actor (an admin key id, cli:<user>, system:startup)" };
var auditPath = new Option<string?>("--path") { Description = "Filter by path (exact: /admin/v1/…, or the CLI's \"partnerships <command>\")" };
var auditOutcome = new Option<string?>("--outcome") { Description = "Filter by outcome" };
auditOutcome.AcceptOnlyFromAmong("committed", "dry_run", "replayed", "rejected");
var auditAction = new Option<string?>("--action") { Description = "Filter by operator action (platform.create, admin_key.rotate, …)" };
var auditAfter = new Option<long?>("--after") { Description = "Continue after this entry id" };

root.Subcommands.Add(Cmd("migrate", "Apply pending schema migrations", async p =>
{
    var (db, data, kind) = Open(p);
    var applied = await new Migrator(db, CliSecrets.MigrationContext(data, kind)).MigrateAsync();
    return new { applied = applied.Select(m => $"{m.Version:D4}_{m.Name}") };
}));

var taxonomy = new Command("taxonomy", "The network taxonomy");
taxonomy.Subcommands.Add(Cmd("load", "Load the network taxonomy from a file (replaces the current one)", async p =>
{
    var taxonomyAdmin = new TaxonomyAdmin(await Ready(p), TimeProvider.System);
    var path = p.GetValue(optionalFile);
    var categories = path is null ? NetworkTaxonomyParser.LoadDefault() : NetworkTaxonomyParser.ParseIabTsv(new StringReader(Utf8Text.Decode(await File.ReadAllBytesAsync(path.FullName), "taxonomy file")));
    return await taxonomyAdmin.LoadAsync(actor, categories);
}, optionalFile));
taxonomy.Subcommands.Add(Cmd("show", "Show the network taxonomy with its ids", async p => await new TaxonomyAdmin(await Ready(p), TimeProvider.System).ListAsync()));
root.Subcommands.Add(taxonomy);

var platforms = new Command("platforms", "Integration partners");
platforms.Subcommands.Add(Cmd("create", "Create a platform", async p =>
    await new PlatformAdmin(await Ready(p), TimeProvider.System).CreateAsync(actor, p.GetValue(name)), name));
platforms.Subcommands.Add(Cmd("list", "List platforms", async p =>
    await new PlatformAdmin(await Ready(p), TimeProvider.System).ListAsync()));
root.Subcommands.Add(platforms);

// A CLI process is its own: no in-process credential cache to tell; servers see the change through the store version.
async Task<CredentialAdmin> Credentials(ParseResult p) => new(await Ready(p), TimeProvider.System);

var credentials = new Command("credentials", "OAuth client credentials of a platform (the secret is shown once)");
credentials.Subcommands.Add(Cmd("issue", "Issue a client id and secret", async p =>
    await (await Credentials(p)).IssueAsync(actor, p.GetValue(platform)!, p.GetValue(label)), platform, label));
var graceSeconds = new Option<long?>("--grace-seconds") { Description = "How long the old secret keeps working (default Auth__SecretRotationGraceSeconds or 24 h; 0 cuts it and its tokens at once)" };
credentials.Subcommands.Add(Cmd("rotate", "Replace a credential's secret; the old one keeps working for the grace period", async p =>
    await (await Credentials(p)).RotateAsync(actor, p.GetValue(credential)!, CliSecrets.Grace(p.GetValue(graceSeconds))), credential, graceSeconds));
credentials.Subcommands.Add(Cmd("revoke", "Revoke a credential and its outstanding tokens", async p =>
    await (await Credentials(p)).RevokeAsync(actor, p.GetValue(credential)!), credential));
credentials.Subcommands.Add(Cmd("list", "List a platform's credentials (never their secrets)", async p =>
    await (await Credentials(p)).ListAsync(p.GetValue(platform)!), platform));
root.Subcommands.Add(credentials);

var mappings = new Command("mappings", "A platform's vertical mapping table");
mappings.Subcommands.Add(Cmd("load", "Load mappings from a CSV (whole partner taxonomy) or JSON file; atomic", async p =>
{
    var path = p.GetValue(file)!;
    var load = path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)
        ? MappingImport.ReadCsv(new StringReader(Utf8Text.Decode(await File.ReadAllBytesAsync(path.FullName), "CSV file")))
        : new MappingLoad(MappingImport.ParseJson(StrictJson.Parse(await File.ReadAllBytesAsync(path.FullName))), []);
    return await new MappingAdmin(await Ready(p), TimeProvider.System).LoadAsync(actor, p.GetValue(platform), load.Rows, load.Issues);
}, platform, file));
mappings.Subcommands.Add(Cmd("list", "List a platform's mappings with network ids", async p =>
    await new MappingAdmin(await Ready(p), TimeProvider.System).ListAsync(p.GetValue(platform)!), platform));
root.Subcommands.Add(mappings);

var relationship = new Command("relationship", "A platform's relationship to one of its accounts");
relationship.Subcommands.Add(Cmd("revoke", "Revoke (the partner's calls on the account answer 403)", async p =>
    await new RelationshipAdmin(await Ready(p), TimeProvider.System).RevokeAsync(actor, p.GetValue(account)!), account));
relationship.Subcommands.Add(Cmd("restore", "Restore a revoked relationship", async p =>
    await new RelationshipAdmin(await Ready(p), TimeProvider.System).RestoreAsync(actor, p.GetValue(account)!), account));
root.Subcommands.Add(relationship);

root.Subcommands.Add(Cmd("audit", "Query the audit log", async p => await new AuditAdmin(await Ready(p), TimeProvider.System).QueryAsync(new AuditQuery(
    p.GetValue(auditAccount), p.GetValue(auditPlatform), p.GetValue(auditRequest), p.GetValue(auditDryRun),
    p.GetValue(auditFrom) is { } f ? Database.Timestamp(f) : null, p.GetValue(auditTo) is { } t ? Database.Timestamp(t) : null, p.GetValue(auditAfter),
    Math.Clamp(p.GetValue(auditLimit), 1, 1000), p.GetValue(auditActor), p.GetValue(auditPath), p.GetValue(auditOutcome), p.GetValue(auditAction))),
    auditAccount, auditPlatform, auditRequest, auditDryRun, auditFrom, auditTo, auditLimit, auditActor, auditPath, auditOutcome, auditAction, auditAfter));

var adminKeys = new Command("admin-keys", "Operator keys for the admin HTTP surface (shown once)");
adminKeys.Subcommands.Add(Cmd("create", "Create an admin key", async p =>
    await new AdminKeys(await Ready(p), TimeProvider.System).CreateAsync(actor, p.GetValue(label)), label));
adminKeys.Subcommands.Add(Cmd("list", "List admin keys (never the keys themselves)", async p =>
    await new AdminKeys(await Ready(p), TimeProvider.System).ListAsync()));
adminKeys.Subcommands.Add(Cmd("rotate", "Replace an admin key's secret under the same id (the old one stops working at once)", async p =>
    await new AdminKeys(await Ready(p), TimeProvider.System).RotateAsync(actor, p.GetValue(keyId)!), keyId));
adminKeys.Subcommands.Add(Cmd("revoke", "Revoke an admin key", async p =>
    await new AdminKeys(await Ready(p), TimeProvider.System).RevokeAsync(actor, p.GetValue(keyId)!), keyId));
root.Subcommands.Add(adminKeys);

var url = new Option<string>("--url") { Description = "The platform's webhook URL", Required = true };
var allowPrivate = new Option<bool>("--allow-private") { Description = "Allow loopback/private targets (as Webhooks:AllowPrivateTargets)" };
var outboxStatus = new Option<string?>("--status") { Description = "pending | delivered | dead" };
var after = new Option<long?>("--after") { Description = "Continue after this id (outbox) or cursor (events)" };
var messageId = new Option<long>("--id") { Description = "Outbox message id", Required = true };

WebhookAdmin Hooks(ParseResult p)
{
    var (db, data, kind) = Open(p);
    return new(db, new WebhookOptions { AllowPrivateTargets = p.GetValue(allowPrivate) }, new SystemWebhookResolver(), TimeProvider.System, CliSecrets.Box(data, kind));
}

var policyName = new Option<string>("--policy") { Description = "Rate limit policy (register, payout-setup, pages, reads, …; `rate-limits list` shows them)", Required = true };
var perMinute = new Option<long>("--per-minute") { Description = "Requests allowed in any 60 seconds", Required = true };

// The deployment's defaults come from the same keys the server reads (RateLimits__PerMinute__<policy>), so both print the same limits.
RateLimitSettings Limits(ParseResult p) => new(Open(p).Db, TimeProvider.System, new Partnerships.Application.RateLimits.RateLimitOptions
{
    PerMinute = Environment.GetEnvironmentVariables().Keys.Cast<string>()
        .Where(k => k.StartsWith("RateLimits__PerMinute__", StringComparison.Ordinal) && int.TryParse(Environment.GetEnvironmentVariable(k), out _))
        .ToDictionary(k => k["RateLimits__PerMinute__".Length..], k => int.Parse(Environment.GetEnvironmentVariable(k)!, System.Globalization.CultureInfo.InvariantCulture)),
});

var rateLimits = new Command("rate-limits", "A platform's rate limits; every server process applies a change within seconds");
rateLimits.Subcommands.Add(Cmd("list", "Show every policy's limit for the platform", async p => { await Ready(p); return await Limits(p).ListAsync(p.GetValue(platform)!); }, platform));
rateLimits.Subcommands.Add(Cmd("set", "Raise or lower one policy's limit for the platform", async p =>
{
    await Ready(p);
    return await Limits(p).SetAsync(actor, p.GetValue(platform)!, p.GetValue(policyName)!, p.GetValue(perMinute));
}, platform, policyName, perMinute));
rateLimits.Subcommands.Add(Cmd("reset", "Return one policy to the default limit", async p =>
{
    await Ready(p);
    return await Limits(p).ResetAsync(actor, p.GetValue(platform)!, p.GetValue(policyName)!);
}, platform, policyName));
root.Subcommands.Add(rateLimits);

var webhooks = new Command("webhooks", "A platform's webhook endpoint (the whsec_ secret is shown when created or rotated)");
webhooks.Subcommands.Add(Cmd("set", "Set the endpoint URL", async p => { await Ready(p); return await Hooks(p).SetUrlAsync(actor, p.GetValue(platform)!, p.GetValue(url)); }, platform, url, allowPrivate));
webhooks.Subcommands.Add(Cmd("show", "Show the endpoint and its health", async p => { await Ready(p); return await Hooks(p).GetAsync(p.GetValue(platform)!); }, platform));
webhooks.Subcommands.Add(Cmd("rotate-secret", "New signing secret; the old one keeps signing for 24 hours", async p => { await Ready(p); return await Hooks(p).RotateSecretAsync(actor, p.GetValue(platform)!); }, platform));
webhooks.Subcommands.Add(Cmd("enable", "Re-enable a disabled endpoint", async p => { await Ready(p); return await Hooks(p).EnableAsync(actor, p.GetValue(platform)!); }, platform));
root.Subcommands.Add(webhooks);

var outbox = new Command("outbox", "Side effects waiting, delivered or dead");
outbox.Subcommands.Add(Cmd("list", "List outbox messages", async p =>
{
    await Ready(p);
    return await new DeliveryAdmin(Open(p).Db, TimeProvider.System).OutboxAsync(p.GetValue(outboxStatus), p.GetValue(after), Math.Clamp(p.GetValue(auditLimit), 1, 1000));
}, outboxStatus, after, auditLimit));
outbox.Subcommands.Add(Cmd("replay", "Queue a dead message again", async p =>
{
    await Ready(p);
    return await new DeliveryAdmin(Open(p).Db, TimeProvider.System).ReplayAsync(actor, p.GetValue(messageId));
}, messageId));
root.Subcommands.Add(outbox);

root.Subcommands.Add(Cmd("events", "Read the ordered downstream event feed after a cursor", async p =>
{
    await Ready(p);
    return await new DeliveryAdmin(Open(p).Db, TimeProvider.System).EventsAsync(p.GetValue(after) ?? 0, Math.Clamp(p.GetValue(auditLimit), 1, 1000));
}, after, auditLimit));

var privacyRequestId = new Option<string>("--id") { Description = "The privacy request's id (its requestId)", Required = true };
var privacyStatus = new Option<string?>("--status") { Description = "Filter by status" };
privacyStatus.AcceptOnlyFromAmong([.. PrivacyRequestAdmin.Statuses]);
var privacyRequests = new Command("privacy-requests", "Network privacy requests: hashes and states, never the identifiers");
PrivacyRequestAdmin Privacy(ParseResult p) => new(Open(p).Db, TimeProvider.System);
privacyRequests.Subcommands.Add(Cmd("list", "List requests, newest first", async p =>
{
    await Ready(p);
    return (await Privacy(p).ListAsync(p.GetValue(auditPlatform), p.GetValue(privacyStatus), Math.Clamp(p.GetValue(auditLimit), 1, 1000)));
}, auditPlatform, privacyStatus, auditLimit));
privacyRequests.Subcommands.Add(Cmd("show", "Show one request", async p =>
{
    await Ready(p);
    return await Privacy(p).GetAsync(p.GetValue(privacyRequestId)!);
}, privacyRequestId));
privacyRequests.Subcommands.Add(Cmd("acknowledge", "Record that the privacy pipeline has taken a request; its sealed identifier is erased", async p =>
{
    await Ready(p);
    return await Privacy(p).AcknowledgeAsync(actor, p.GetValue(privacyRequestId)!);
}, privacyRequestId));
privacyRequests.Subcommands.Add(Cmd("purge", "Erase now the sealed identifiers of requests past their retention window", async p =>
{
    await Ready(p);
    return await Privacy(p).PurgeAsync(actor);
}));
root.Subcommands.Add(privacyRequests);

var signingKeys = new Command("signing-keys", "Token-signing keys shared by every server process of the store (never shown)");
signingKeys.Subcommands.Add(Cmd("list", "List the keys: current, and retired ones with the time they stop verifying", async p =>
{
    await Ready(p);
    var (db, data, kind) = Open(p);
    var ring = CliSecrets.Ring(db, data, kind);
    return (await ring.ListAsync()).Select(r => SigningKeyView.From(ring, r)).ToList();
}));
signingKeys.Subcommands.Add(Cmd("rotate", "Make a new key current; the old one keeps verifying for one token lifetime", async p =>
{
    await Ready(p);
    var (db, data, kind) = Open(p);
    var ring = CliSecrets.Ring(db, data, kind);
    return SigningKeyView.From(ring, await ring.RotateAsync(actor));
}));
root.Subcommands.Add(signingKeys);

root.Subcommands.Add(Cmd("seed-demo", "Create the two demo platforms if absent; their credentials are printed by the run that creates them, never again", async p =>
    await new DemoSeed(await Ready(p), TimeProvider.System).SeedAsync(actor)));

return await root.Parse(args).InvokeAsync();

// "credentials issue": the subcommand names from the root down, without the root's own name.
static string CommandPath(ParseResult parse)
{
    var names = new List<string>();
    for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
    {
        names.Insert(0, result.Command.Name);
    }
    return string.Join(' ', names);
}

public partial class Program
{
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
