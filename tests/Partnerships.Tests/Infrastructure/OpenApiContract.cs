using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Partnerships.Tests.Infrastructure;

/// <summary>A response that the OpenAPI document does not declare for its operation, or whose body breaks the declared schema.</summary>
public sealed class OpenApiContractViolation(string message) : Exception(message);

/// <summary>
/// The served OpenAPI document as a checker: finds the operation a request went to (method and path template) and checks
/// that the response's status is declared for it, its required headers are there, and its body validates against the
/// declared schema. Loaded once per process; each (operation, status, media type) schema is built once.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly SemaphoreSlim LoadLock = new(1, 1);
    private static OpenApiContract? _loaded;

    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly List<(Regex Pattern, string Template, int Literals)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public OpenApiContract(JsonObject document)
    {
        // The components' $refs, pointed at $defs, so each response schema is one self-contained JSON Schema 2020-12 document.
        var text = document.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        _document = JsonNode.Parse(text)!.AsObject();
        _definitions = _document["components"]?["schemas"]?.AsObject() ?? [];
        _paths = _document["paths"]!.AsObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key).Replace(@"\{", "{"), @"\{[^}/]+}", "[^/]+") + "/?$"), p.Key,
                Regex.Replace(p.Key, @"\{[^}]+}", "").Length))
            .ToList();
    }

    /// <summary>The document served at <paramref name="baseAddress"/>, fetched the first time any test asks.</summary>
    public static async Task<OpenApiContract> GetAsync(Uri baseAddress) =>
        await TryGetAsync(baseAddress) ?? throw new InvalidOperationException($"No OpenAPI document could be read from {baseAddress}");

    /// <summary>Null when the server cannot give its document right now (stopped, store down): that response goes unchecked.</summary>
    public static async Task<OpenApiContract?> TryGetAsync(Uri baseAddress)
    {
        if (_loaded is { } loaded) return loaded;
        await LoadLock.WaitAsync();
        try
        {
            if (_loaded is not null) return _loaded;
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using var response = await client.GetAsync("/openapi/v1.json");
            if (!response.IsSuccessStatusCode) return null;
            return _loaded = new OpenApiContract(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }
        catch (HttpRequestException)
        {
            return null;
        }
        finally
        {
            LoadLock.Release();
        }
    }

    /// <summary>The path template the document has for <paramref name="path"/>, or null when the path is not in the document.</summary>
    public string? TemplateFor(string path) => _paths.Where(p => p.Pattern.IsMatch(path)).OrderByDescending(p => p.Literals).Select(p => p.Template).FirstOrDefault();

    /// <summary>Throws <see cref="OpenApiContractViolation"/> when the response breaks the document. Paths outside it, HEAD, undeclared methods and Kestrel's own 400s are not checked.</summary>
    public void Check(string method, string path, int status, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, string body)
    {
        if (method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) || TemplateFor(path) is not { } template) return;
        // Kestrel's own refusals (a malformed request line, a NUL in the target, …) never reach the application: an empty body
        // without X-Request-Id. docs/api.md describes them ("Refused by the server itself"); the document describes the application.
        if (body.Length == 0 && !headers.Contains("X-Request-Id") && status == 400) return;
        if (_document["paths"]![template]![method.ToLowerInvariant()] is not JsonObject operation) return;
        var where = $"{method} {path} ({operation["operationId"]}, {template}) answered {status}";
        var responses = operation["responses"]!.AsObject();
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (responses[code] is not JsonObject response)
        {
            throw new OpenApiContractViolation($"{where}, a status the OpenAPI document does not declare for this operation " +
                $"(declared: {string.Join(", ", responses.Select(r => r.Key))}).\nBody: {Cut(body)}");
        }
        var problems = new List<string>();
        foreach (var (name, header) in response["headers"]?.AsObject() ?? [])
        {
            if (header?["required"]?.GetValue<bool>() == true && !headers.Contains(name) && contentHeaders?.Contains(name) != true)
            {
                problems.Add($"required response header {name} is missing");
            }
        }
        var content = response["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            if (body.Length > 0) problems.Add("the document declares no body for this response, but one was sent");
        }
        else
        {
            var media = contentHeaders?.ContentType?.MediaType ?? "";
            if (!content.ContainsKey(media))
            {
                problems.Add($"Content-Type '{media}' is not declared (declared: {string.Join(", ", content.Select(c => c.Key))})");
            }
            else if (media.EndsWith("json", StringComparison.Ordinal))
            {
                // NDJSON: every line is one instance of the declared schema; JSON: the body is.
                var documents = media == "application/x-ndjson" ? body.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [body];
                var schema = _schemas.GetOrAdd($"{template} {method} {code} {media}", _ => Build(content[media]!["schema"]!));
                foreach (var document in documents)
                {
                    JsonElement instance;
                    try { instance = JsonDocument.Parse(document).RootElement.Clone(); }
                    catch (JsonException e) { throw new OpenApiContractViolation($"{where}: the body is not JSON ({e.Message}).\nBody: {Cut(body)}"); }
                    var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
                    if (!results.IsValid)
                    {
                        problems.AddRange((results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")));
                        if (problems.Count == 0) problems.Add("the body does not validate against the declared schema");
                    }
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new OpenApiContractViolation($"{where}, which breaks the OpenAPI document:\n  " + string.Join("\n  ", problems.Take(30)) + $"\nBody: {Cut(body)}");
        }
    }

    private static int _built;

    private JsonSchema Build(JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _definitions.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var uri = new Uri($"urn:partnerships:openapi:response:{Interlocked.Increment(ref _built)}");
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, uri);
    }

    private static string Cut(string body) => body.Length <= 2000 ? body : body[..2000] + "…";
}

/// <summary>Checks every response a test client receives against the OpenAPI document (see <see cref="OpenApiContract"/>).</summary>
public sealed class OpenApiContractHandler(Uri baseAddress) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : new Uri(baseAddress, request.RequestUri).AbsolutePath;
        if (request.Method == HttpMethod.Head || await OpenApiContract.TryGetAsync(baseAddress) is not { } contract || contract.TemplateFor(path) is null)
        {
            return response;
        }
        // Buffered so the test still reads the body after the check.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await DecodedBodyAsync(response.Content, cancellationToken);
        contract.Check(request.Method.Method, path, (int)response.StatusCode, response.Headers, response.Content.Headers, body);
        return response;
    }

    /// <summary>The body as text, decompressed when the test asked for a compressed answer (the client itself never decompresses).</summary>
    private static async Task<string> DecodedBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var encoding = content.Headers.ContentEncoding.LastOrDefault();
        if (encoding is null) return await content.ReadAsStringAsync(cancellationToken);
        await using var raw = new MemoryStream(await content.ReadAsByteArrayAsync(cancellationToken));
        await using Stream decoded = encoding switch
        {
            "gzip" => new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Decompress),
            "br" => new System.IO.Compression.BrotliStream(raw, System.IO.Compression.CompressionMode.Decompress),
            _ => throw new OpenApiContractViolation($"unexpected Content-Encoding {encoding}"),
        };
        using var reader = new StreamReader(decoded, System.Text.Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
