using System.CommandLine;
using System.Text.Json;
using Partnerships.Application.Operators;
using Partnerships.Application.Pipeline;
using Partnerships.Application.RateLimits;
using Partnerships.Core.Errors;
using Partnerships.Core.Json;
using Partnerships.Core.Taxonomy;
using Partnerships.Delivery;
using Partnerships.Storage;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

// The operator CLI: the same operator use cases the admin HTTP surface calls, straight against the store, printing the
// same views (JSON as the admin routes answer it, or a table for a person). The store is found as the service finds it
// (CliStore); mistakes are one line on stderr and an exit code (ExitCodes).

// Whatever the CLI creates (the embedded database, key files) is for its user only, as the server's files are.
PrivateFiles.RestrictUmask();

var provider = new Option<string?>("--provider") { Description = "sqlite | postgres (default: Store__Provider or sqlite)", Recursive = true };
var connection = new Option<string?>("--connection") { Description = "Store connection string (default: Store__ConnectionString or the embedded data/partnerships.db)", Recursive = true };
var dataDir = new Option<string?>("--data-dir") { Description = "Data folder of the embedded default (default: Store__DataDirectory or ./data)", Recursive = true };
var output = new Option<string?>("--output") { Description = "table | json (default: table on a terminal, json when redirected)", Recursive = true };
output.AcceptOnlyFromAmong("table", "json");

var root = new RootCommand("Partnerships operator CLI") { provider, connection, dataDir, output };

// The command being run, as the audit log names it: cli:<OS user>, with the command path (never its arguments).
OperatorActor actor = OperatorActor.Cli("");
CliStore? current = null;

CliStore Store(ParseResult p) => current ??= CliStore.From(p.GetValue(provider), p.GetValue(connection), p.GetValue(dataDir));
Task<Database> Ready(ParseResult p) => Store(p).ReadyAsync();

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
            if (result is not null) Print(parse, result);
            return ExitCodes.Ok;
        }
        catch (ApiError e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            // Field lines name what the message did not already say (a one-field refusal's message is its field line).
            foreach (var d in e.Details.Where(d => !e.Message.Contains(d.Issue, StringComparison.Ordinal))) Console.Error.WriteLine($"  {d.Field}: {d.Issue}");
            await RecordRefusalAsync(parse, e);
            return ExitCodes.For(e);
        }
        catch (CliError e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (InvalidOperationException e)
        {
            // A setting the service would refuse to start with (a key that is not base64, an unknown provider).
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (System.Data.Common.DbException e) when (e is not Npgsql.PostgresException)
        {
            Console.Error.WriteLine($"error: the store cannot be reached ({Where(parse)}): {OneLine(e.Message)}; check Store:ConnectionString (--connection) and that the database is running.");
            return ExitCodes.StoreUnavailable;
        }
        catch (Exception e) when (e is TimeoutException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"error: the store cannot be reached ({Where(parse)}): {OneLine(e.Message)}");
            return ExitCodes.StoreUnavailable;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitCodes.Unexpected;
        }
    });
    return command;
}

string Where(ParseResult p)
{
    try { return Store(p).Settings.Describe(); }
    catch (CliError) { return "the configured store"; }
}

// One renderer for every command: the JSON is the admin route's for the same view; the table is laid out from that JSON.
void Print(ParseResult p, object result)
{
    var json = p.GetValue(output) is { } chosen ? chosen == "json" : Console.IsOutputRedirected;
    if (json)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(result, Envelope.Json));
    }
    else
    {
        TableRenderer.Write(Console.Out, JsonSerializer.SerializeToElement(result, Envelope.Json));
    }
}

// A refusal the use case did not see (a file that does not parse, say) is recorded here, on a store that is ready for it;
// never on one that is absent, which recording would create.
async Task RecordRefusalAsync(ParseResult p, ApiError error)
{
    if (actor.Recorded) return;
    try
    {
        var store = Store(p);
        if (!store.Exists) return;
        var db = store.Open();
        if ((await new Migrator(db).PendingAsync()).Count == 0)
        {
            await OperatorAudit.RecordRefusalAsync(db, TimeProvider.System, actor, "cli.command", null, error);
        }
    }
    catch (Exception e) when (e is CliError or InvalidOperationException or System.Data.Common.DbException)
    {
        Console.Error.WriteLine($"warning: the refusal could not be recorded in the audit log: {OneLine(e.Message)}");
    }
}

// An input file the operator names: absent or unreadable is a bad argument, refused (and audited) like any other.
static async Task<byte[]> ReadInputAsync(FileInfo file, string option)
{
    try
    {
        return await File.ReadAllBytesAsync(file.FullName);
    }
    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
    {
        throw ApiError.Field(option, $"no such file: {file.FullName}");
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        throw ApiError.Field(option, $"cannot read {file.FullName}: {e.Message}");
    }
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
auditOutcome.AcceptOnlyFromAmong([.. AuditOutcomes.All]);
var auditAction = new Option<string?>("--action") { Description = "Filter by operator action (platform.create, admin_key.rotate, …)" };
var auditAfter = new Option<long?>("--after") { Description = "Continue after this entry id" };

root.Subcommands.Add(Cmd("migrate", "Create the store if absent and apply pending schema migrations", async p =>
{
    var store = Store(p);
    if (store.SqliteFile is { } dbFile) PrivateFiles.EnsureFolder(Path.GetDirectoryName(dbFile)!);
    var applied = await new Migrator(store.Open(), CliSecrets.MigrationContext(store)).MigrateAsync();
    return new MigrationsView(applied.Select(m => $"{m.Version:D4}_{m.Name}").ToList());
}));

var taxonomy = new Command("taxonomy", "The network taxonomy");
taxonomy.Subcommands.Add(Cmd("load", "Load the network taxonomy from a file (replaces the current one)", async p =>
{
    var taxonomyAdmin = new TaxonomyAdmin(await Ready(p), TimeProvider.System);
    var path = p.GetValue(optionalFile);
    var categories = path is null ? NetworkTaxonomyParser.LoadDefault() : NetworkTaxonomyParser.ParseIabTsv(new StringReader(Utf8Text.Decode(await ReadInputAsync(path, "--file"), "taxonomy file")));
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
    await (await Credentials(p)).RotateAsync(actor, p.GetValue(credential)!, CliSecrets.Grace(Store(p), p.GetValue(graceSeconds))), credential, graceSeconds));
credentials.Subcommands.Add(Cmd("revoke", "Revoke a credential and its outstanding tokens", async p =>
    await (await Credentials(p)).RevokeAsync(actor, p.GetValue(credential)!), credential));
credentials.Subcommands.Add(Cmd("list", "List a platform's credentials (never their secrets)", async p =>
    await (await Credentials(p)).ListAsync(p.GetValue(platform)!), platform));
root.Subcommands.Add(credentials);

var mappings = new Command("mappings", "A platform's vertical mapping table");
mappings.Subcommands.Add(Cmd("load", "Load mappings from a CSV (whole partner taxonomy) or JSON file; atomic", async p =>
{
    var db = await Ready(p);
    var path = p.GetValue(file)!;
    var bytes = await ReadInputAsync(path, "--file");
    var load = path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)
        ? MappingImport.ReadCsv(new StringReader(Utf8Text.Decode(bytes, "CSV file")))
        : new MappingLoad(MappingImport.ParseJson(StrictJson.Parse(bytes)), []);
    return await new MappingAdmin(db, TimeProvider.System).LoadAsync(actor, p.GetValue(platform), load.Rows, load.Issues);
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

var audit = Cmd("audit", "Query the audit log", async p => await new AuditAdmin(await Ready(p), TimeProvider.System).QueryAsync(new AuditQuery(
    p.GetValue(auditAccount), p.GetValue(auditPlatform), p.GetValue(auditRequest), p.GetValue(auditDryRun),
    p.GetValue(auditFrom) is { } f ? Database.Timestamp(f) : null, p.GetValue(auditTo) is { } t ? Database.Timestamp(t) : null, p.GetValue(auditAfter),
    Math.Clamp(p.GetValue(auditLimit), 1, 1000), p.GetValue(auditActor), p.GetValue(auditPath), p.GetValue(auditOutcome), p.GetValue(auditAction))),
    auditAccount, auditPlatform, auditRequest, auditDryRun, auditFrom, auditTo, auditLimit, auditActor, auditPath, auditOutcome, auditAction, auditAfter);
var exportFrom = new Option<DateTimeOffset?>("--from") { Description = "From this time (inclusive)" };
var exportTo = new Option<DateTimeOffset?>("--to") { Description = "Up to this time (exclusive)" };
var exportPlatform = new Option<string?>("--platform") { Description = "Only this platform's entries" };
var exportAction = new Option<string?>("--action") { Description = "Only this operator action" };
var exportOut = new Option<FileInfo?>("--out") { Description = "Write the NDJSON here (default: standard output)" };
audit.Subcommands.Add(Cmd("export", "Export audit entries as NDJSON, oldest first (one JSON object a line, as the admin route's export)", async p =>
{
    var auditAdmin = new AuditAdmin(await Ready(p), TimeProvider.System);
    var filter = new AuditExportFilter(p.GetValue(exportFrom) is { } from ? Database.Timestamp(from) : null,
        p.GetValue(exportTo) is { } to ? Database.Timestamp(to) : null, p.GetValue(exportPlatform), p.GetValue(exportAction));
    var target = p.GetValue(exportOut);
    await using var stream = target is null ? Console.OpenStandardOutput() : OpenExportFile(target);
    var exported = await AuditNdjson.WriteAsync(stream, auditAdmin.ExportAsync(actor, filter));
    // The lines are the output on stdout; written to a file, the CLI says what it wrote.
    return target is null ? null : new AuditExportView(target.FullName, exported);
}, exportFrom, exportTo, exportPlatform, exportAction, exportOut));
root.Subcommands.Add(audit);

static FileStream OpenExportFile(FileInfo target)
{
    try
    {
        return new FileStream(target.FullName, FileMode.Create, FileAccess.Write, FileShare.None);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        throw ApiError.Field("--out", $"cannot write {target.FullName}: {e.Message}");
    }
}

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
var outboxStatus = new Option<string?>("--status") { Description = "pending | delivered | dead | cancelled" };
var after = new Option<long?>("--after") { Description = "Continue after this id (outbox) or cursor (events)" };
var messageId = new Option<long>("--id") { Description = "Outbox message id", Required = true };

async Task<WebhookAdmin> Hooks(ParseResult p)
{
    var db = await Ready(p);
    return new(db, new WebhookOptions { AllowPrivateTargets = p.GetValue(allowPrivate) }, new SystemWebhookResolver(), TimeProvider.System, CliSecrets.Box(Store(p)));
}

var policyName = new Option<string>("--policy") { Description = "Rate limit policy (register, payout-setup, pages, reads, …; `rate-limits list` shows them)", Required = true };
var perMinute = new Option<long>("--per-minute") { Description = "Requests allowed in any 60 seconds", Required = true };

// The deployment's defaults come from the same keys the server reads (RateLimits:PerMinute:<policy>), so both print the same limits.
async Task<RateLimitSettings> Limits(ParseResult p) => new(await Ready(p), TimeProvider.System, new RateLimitOptions
{
    PerMinute = Store(p).Configuration.GetSection("RateLimits:PerMinute").GetChildren()
        .Where(k => int.TryParse(k.Value, System.Globalization.CultureInfo.InvariantCulture, out _))
        .ToDictionary(k => k.Key, k => int.Parse(k.Value!, System.Globalization.CultureInfo.InvariantCulture)),
});

var rateLimits = new Command("rate-limits", "A platform's rate limits; every server process applies a change within seconds");
rateLimits.Subcommands.Add(Cmd("list", "Show every policy's limit for the platform", async p => await (await Limits(p)).ListAsync(p.GetValue(platform)!), platform));
rateLimits.Subcommands.Add(Cmd("set", "Raise or lower one policy's limit for the platform", async p =>
    await (await Limits(p)).SetAsync(actor, p.GetValue(platform)!, p.GetValue(policyName)!, p.GetValue(perMinute)), platform, policyName, perMinute));
rateLimits.Subcommands.Add(Cmd("reset", "Return one policy to the default limit", async p =>
    await (await Limits(p)).ResetAsync(actor, p.GetValue(platform)!, p.GetValue(policyName)!), platform, policyName));
root.Subcommands.Add(rateLimits);

var webhooks = new Command("webhooks", "A platform's webhook endpoint (the whsec_ secret is shown when created or rotated)");
webhooks.Subcommands.Add(Cmd("set", "Set the endpoint URL", async p => await (await Hooks(p)).SetUrlAsync(actor, p.GetValue(platform)!, p.GetValue(url)), platform, url, allowPrivate));
webhooks.Subcommands.Add(Cmd("show", "Show the endpoint and its health", async p => await (await Hooks(p)).GetAsync(p.GetValue(platform)!), platform));
webhooks.Subcommands.Add(Cmd("rotate-secret", "New signing secret; the old one keeps signing for 24 hours", async p => await (await Hooks(p)).RotateSecretAsync(actor, p.GetValue(platform)!), platform));
webhooks.Subcommands.Add(Cmd("enable", "Re-enable a disabled endpoint", async p => await (await Hooks(p)).EnableAsync(actor, p.GetValue(platform)!), platform));
root.Subcommands.Add(webhooks);

var outbox = new Command("outbox", "Side effects waiting, delivered or dead");
outbox.Subcommands.Add(Cmd("list", "List outbox messages", async p =>
    await new DeliveryAdmin(await Ready(p), TimeProvider.System).OutboxAsync(p.GetValue(outboxStatus), p.GetValue(after), Math.Clamp(p.GetValue(auditLimit), 1, 1000)),
    outboxStatus, after, auditLimit));
outbox.Subcommands.Add(Cmd("replay", "Queue a dead message again", async p =>
    await new DeliveryAdmin(await Ready(p), TimeProvider.System).ReplayAsync(actor, p.GetValue(messageId)), messageId));
root.Subcommands.Add(outbox);

root.Subcommands.Add(Cmd("events", "Read the ordered downstream event feed after a cursor", async p =>
    await new DeliveryAdmin(await Ready(p), TimeProvider.System).EventsAsync(p.GetValue(after) ?? 0, Math.Clamp(p.GetValue(auditLimit), 1, 1000)),
    after, auditLimit));

var privacyRequestId = new Option<string>("--id") { Description = "The privacy request's id (its requestId)", Required = true };
var privacyStatus = new Option<string?>("--status") { Description = "Filter by status" };
privacyStatus.AcceptOnlyFromAmong([.. PrivacyRequestAdmin.Statuses]);
var privacyRequests = new Command("privacy-requests", "Network privacy requests: hashes and states, never the identifiers");
async Task<PrivacyRequestAdmin> Privacy(ParseResult p) => new(await Ready(p), TimeProvider.System);
privacyRequests.Subcommands.Add(Cmd("list", "List requests, newest first", async p =>
    await (await Privacy(p)).ListAsync(p.GetValue(auditPlatform), p.GetValue(privacyStatus), Math.Clamp(p.GetValue(auditLimit), 1, 1000)),
    auditPlatform, privacyStatus, auditLimit));
privacyRequests.Subcommands.Add(Cmd("show", "Show one request", async p => await (await Privacy(p)).GetAsync(p.GetValue(privacyRequestId)!), privacyRequestId));
privacyRequests.Subcommands.Add(Cmd("acknowledge", "Record that the privacy pipeline has taken a request; its sealed identifier is erased", async p =>
    await (await Privacy(p)).AcknowledgeAsync(actor, p.GetValue(privacyRequestId)!), privacyRequestId));
privacyRequests.Subcommands.Add(Cmd("purge", "Erase now the sealed identifiers of requests past their retention window", async p =>
    await (await Privacy(p)).PurgeAsync(actor)));
root.Subcommands.Add(privacyRequests);

var signingKeys = new Command("signing-keys", "Token-signing keys shared by every server process of the store (never shown)");
signingKeys.Subcommands.Add(Cmd("list", "List the keys: current, and retired ones with the time they stop verifying", async p =>
{
    var ring = CliSecrets.Ring(await Ready(p), Store(p));
    return (await ring.ListAsync()).Select(r => SigningKeyView.From(ring, r)).ToList();
}));
signingKeys.Subcommands.Add(Cmd("rotate", "Make a new key current; the old one keeps verifying for one token lifetime", async p =>
{
    var ring = CliSecrets.Ring(await Ready(p), Store(p));
    return SigningKeyView.From(ring, await ring.RotateAsync(actor));
}));
root.Subcommands.Add(signingKeys);

root.Subcommands.Add(Cmd("seed-demo", "Create the two demo platforms if absent; their credentials are printed by the run that creates them, never again", async p =>
    await new DemoSeed(await Ready(p), TimeProvider.System).SeedAsync(actor)));

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Bad arguments: one line, and where to look; nothing was run, so nothing is recorded.
    var help = string.Join(' ', new[] { "partnerships", CommandPath(parsed), "--help" }.Where(w => w.Length > 0));
    Console.Error.WriteLine($"error: {string.Join("; ", parsed.Errors.Select(e => OneLine(e.Message)))} (see `{help}`)");
    return ExitCodes.BadInput;
}
return await parsed.InvokeAsync();

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

static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
