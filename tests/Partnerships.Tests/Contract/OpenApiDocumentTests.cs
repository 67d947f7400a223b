using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Contract;

/// <summary>The served OpenAPI document: the checked-in copy, what every operation states, the reference page, and the checker itself.</summary>
[Collection(SqliteCollection.Name)]
public sealed class OpenApiDocumentTests(SqliteServerFixture fixture)
{
    private const string CheckedInCopy = "docs/openapi/v1.json";
    private TestServer Server => fixture.Server;

    private async Task<(string Text, JsonObject Document)> ServedAsync()
    {
        using var client = Server.Client();
        var text = await client.GetStringAsync("/openapi/v1.json");
        return (text, JsonNode.Parse(text)!.AsObject());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Partnerships.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Partnerships.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key is "get" or "put" or "post" or "patch" or "delete")
            .Select(m => (p.Key, m.Key, m.Value!.AsObject())));

    [Fact]
    public async Task The_served_document_equals_the_checked_in_copy()
    {
        var (text, served) = await ServedAsync();
        var path = Path.Combine(RepositoryRoot(), CheckedInCopy);
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        var refresh = $"Refresh it with: UPDATE_OPENAPI=1 scripts/test --filter \"FullyQualifiedName~OpenApiDocumentTests\" (then review and commit {CheckedInCopy}).";
        Assert.True(File.Exists(path), $"{CheckedInCopy} is missing. {refresh}");
        var copy = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.True(JsonNode.DeepEquals(served, copy), $"The served /openapi/v1.json differs from {CheckedInCopy}. {refresh}");
        Assert.DoesNotContain(Server.BaseAddress.Authority, text);
    }

    [Fact]
    public async Task The_document_is_the_same_on_every_request_and_names_no_host()
    {
        var (first, document) = await ServedAsync();
        var (second, _) = await ServedAsync();
        Assert.Equal(first, second);
        Assert.Equal("3.1.1", document["openapi"]!.GetValue<string>());
        Assert.Equal("/", document["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_operation_has_an_operation_id_a_summary_a_tag_security_and_typed_success_responses()
    {
        var (_, document) = await ServedAsync();
        var ids = new HashSet<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            var id = operation["operationId"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(id), $"{name} has no operationId");
            Assert.True(ids.Add(id!), $"operationId {id} appears twice");
            Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{name} has no summary");
            Assert.True(operation["tags"] is JsonArray { Count: > 0 }, $"{name} has no tag");
            Assert.True(operation["security"] is JsonArray { Count: > 0 }, $"{name} states no security");
            var successes = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(successes.Count > 0, $"{name} declares no success response");
            foreach (var (status, response) in successes)
            {
                // JSON, or NDJSON for a stream of views (the audit export): a schema either way.
                Assert.True((response!["content"]?["application/json"] ?? response["content"]?["application/x-ndjson"])?["schema"] is not null,
                    $"{name} {status} has no response schema");
            }
            foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.True(response!["content"]?["application/json"]?["schema"] is not null, $"{name} {status} has no error schema");
            }
        }
        foreach (var partner in new[] { "RegisterAccount", "GetAccount", "GetMarketplaceControls", "PutMarketplaceControls", "GetStatus", "PutStatus",
                     "AddPages", "GetPage", "SwitchPageLayout", "CreatePayoutSetup", "GetLayout", "PatchLayout", "GetOperation", "ListVerticalMappings" })
        {
            Assert.Contains(partner, ids);
        }
    }

    [Fact]
    public async Task Partner_operations_carry_their_path_parameters_headers_and_dry_run_only_where_a_rehearsal_is_possible()
    {
        var (_, document) = await ServedAsync();
        var operations = Operations(document).ToDictionary(o => o.Operation["operationId"]!.GetValue<string>());
        static HashSet<string> Names(JsonObject operation) =>
            (operation["parameters"] as JsonArray ?? []).Select(p => $"{p!["in"]}:{p["name"]}").ToHashSet();

        Assert.Superset(new HashSet<string> { "path:account_id", "path:layout_id", "header:Idempotency-Key", "query:dry_run", "header:X-Platform-Parent-Account-Id" },
            Names(operations["PatchLayout"].Operation));
        Assert.Contains("header:If-Match", Names(operations["PutMarketplaceControls"].Operation));
        Assert.DoesNotContain("query:dry_run", Names(operations["CreatePayoutSetup"].Operation));
        Assert.DoesNotContain("query:dry_run", Names(operations["RegisterAccount"].Operation));
        var registrationKey = (operations["RegisterAccount"].Operation["parameters"] as JsonArray)!.Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
        Assert.False(registrationKey["required"]?.GetValue<bool>() ?? false);
        var putKey = (operations["PutStatus"].Operation["parameters"] as JsonArray)!.Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
        Assert.True(putKey["required"]!.GetValue<bool>());
        Assert.Equal("string", (operations["GetLayout"].Operation["parameters"] as JsonArray)!.First()!["schema"]!["type"]!.GetValue<string>());
        Assert.Contains("ETag", operations["GetMarketplaceControls"].Operation["responses"]!["200"]!["headers"]!.AsObject().Select(h => h.Key));
        Assert.Equal("#/components/securitySchemes/PartnerOAuth".Split('/')[^1],
            operations["GetAccount"].Operation["security"]![0]!.AsObject().Single().Key);
        Assert.Equal("AdminKey", operations["ListPlatforms"].Operation["security"]![0]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task Request_bodies_state_what_the_parsers_enforce()
    {
        var (_, document) = await ServedAsync();
        var operations = Operations(document).ToDictionary(o => o.Operation["operationId"]!.GetValue<string>());
        JsonObject Body(string id) => operations[id].Operation["requestBody"]!["content"]!["application/json"]!["schema"]!.AsObject();

        var layout = Body("PatchLayout");
        Assert.False(layout["additionalProperties"]!.GetValue<bool>());
        Assert.True(layout["required"] is null or JsonArray { Count: 0 }, "a sparse PATCH requires no field");
        foreach (var (name, property) in layout["properties"]!.AsObject())
        {
            Assert.DoesNotContain("null", property!.ToJsonString()); // null is a 400: omit the field instead
        }
        // An Optional<T> field keeps the bounds its attributes state.
        Assert.NotNull(layout["properties"]!["primaryColor"]!["pattern"]);
        Assert.NotNull(layout["properties"]!["borderRadius"]!["maximum"]);
        var controls = Body("PutMarketplaceControls");
        Assert.Equal(["name", "blockedVerticals", "domains"], controls["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        var vertical = controls["properties"]!["blockedVerticals"]!["items"]!;
        Assert.DoesNotContain("position1Policy", vertical["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(vertical["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("integer", vertical["properties"]!["partnerVerticalId"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(controls["description"]?.GetValue<string>()));
        var registration = Body("RegisterAccount");
        var required = registration["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.DoesNotContain("contact_email", required);
        Assert.DoesNotContain("pages", required);
        // Nowhere in the document is a number also a string: the parsers refuse numeric strings.
        Assert.DoesNotContain("\"integer\",\"string\"", document.ToJsonString().Replace(" ", ""));
    }

    [Fact]
    public async Task The_reference_page_answers_html_without_credentials()
    {
        using var client = Server.Client();
        using var response = await client.GetAsync("/reference");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        // Scalar resolves the document against the site root: /openapi/v1.json.
        Assert.Contains("\"url\":\"openapi/v1.json\"", await response.Content.ReadAsStringAsync());
        var (_, document) = await ServedAsync();
        Assert.DoesNotContain(document["paths"]!.AsObject(), p => p.Key.StartsWith("/reference", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_checker_refuses_an_undeclared_status_a_missing_header_and_a_body_that_breaks_the_schema()
    {
        var contract = await OpenApiContract.GetAsync(Server.BaseAddress);
        using var message = new HttpResponseMessage { Content = new StringContent("") };
        message.Headers.Add("X-Request-Id", Guid.NewGuid().ToString());
        message.Headers.Add("RateLimit-Policy", "\"reads\";q=6000;w=60");
        message.Headers.Add("RateLimit", "\"reads\";r=5999;t=60");
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var requestId = Guid.NewGuid().ToString();
        var good = """{"status":200,"error":null,"message":"ok","request_id":"RID","data":{"accountId":"a","status":"active","variants":[]}}""".Replace("RID", requestId);
        contract.Check("GET", "/v1/partnership/accounts/a1/status", 200, message.Headers, message.Content.Headers, good);

        var teapot = Assert.Throws<OpenApiContractViolation>(() =>
            contract.Check("GET", "/v1/partnership/accounts/a1/status", 418, message.Headers, message.Content.Headers, good));
        Assert.Contains("does not declare", teapot.Message);
        var wrongType = good.Replace("\"variants\":[]", "\"variants\":\"none\"");
        var broken = Assert.Throws<OpenApiContractViolation>(() =>
            contract.Check("GET", "/v1/partnership/accounts/a1/status", 200, message.Headers, message.Content.Headers, wrongType));
        Assert.Contains("/data/variants", broken.Message);
        Assert.Throws<OpenApiContractViolation>(() =>
            contract.Check("GET", "/v1/partnership/accounts/a1/status", 200, message.Headers, message.Content.Headers, good.Replace("\"error\":null", "\"error\":\"x\"")));
        using var bare = new HttpResponseMessage { Content = new StringContent("") };
        bare.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var noHeader = Assert.Throws<OpenApiContractViolation>(() =>
            contract.Check("GET", "/v1/partnership/accounts/a1/status", 200, bare.Headers, bare.Content.Headers, good));
        Assert.Contains("X-Request-Id", noHeader.Message);
        // Outside the document, and HEAD, nothing is checked.
        contract.Check("GET", "/no/such/route", 404, bare.Headers, bare.Content.Headers, "");
        contract.Check("HEAD", "/v1/partnership/accounts/a1/status", 200, bare.Headers, bare.Content.Headers, "");
    }
}
