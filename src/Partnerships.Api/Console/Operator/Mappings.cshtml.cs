using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>
/// A platform's mapping table and its CSV import: the first POST previews every line (nothing written) and carries the
/// file to the second in a sealed, time-limited field; the second commits exactly the accepted lines the preview showed.
/// </summary>
public sealed class MappingsModel(PlatformAdmin platforms, MappingAdmin mappings, MappingImportPreview import, IDataProtectionProvider protection,
    Partnerships.Api.Hosting.HostSettings settings) : OperatorPageModel
{
    private static readonly TimeSpan PreviewLifetime = TimeSpan.FromMinutes(30);

    [FromRoute(Name = "platformId")] public string PlatformId { get; set; } = "";
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public PlatformView? Platform { get; private set; }
    public IReadOnlyList<AdminMappingView> Rows { get; private set; } = [];
    public int TotalRows { get; private set; }
    public MappingPreviewView? Preview { get; private set; }
    /// <summary>The previewed file, sealed for the commit (it cannot be altered or replayed past its lifetime).</summary>
    public string? PreviewToken { get; private set; }
    public string? PastedText { get; private set; }
    public int RowsPerPage => PageSize * 2;

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("console.mapping-import", PlatformId).ToTimeLimitedDataProtector();

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Platform is null ? NotFound() : Page();
    }

    private async Task LoadAsync()
    {
        Platform = await platforms.FindAsync(PlatformId);
        if (Platform is null) return;
        var all = await mappings.ListAsync(PlatformId);
        TotalRows = all.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Math.Max(1, (all.Count + RowsPerPage - 1) / RowsPerPage));
        Rows = all.Skip((PageNumber - 1) * RowsPerPage).Take(RowsPerPage).ToList();
    }

    public async Task<IActionResult> OnPostPreviewAsync([FromForm(Name = "csv_file")] IFormFile? file, [FromForm(Name = "csv_text")] string? text)
    {
        try
        {
            var csv = await ReadUploadAsync(file, text);
            PastedText = file is null ? text : null;
            Preview = await import.PreviewAsync(PlatformId, csv);
            PreviewToken = Protector.Protect(JsonSerializer.Serialize(new SealedPreview(csv, Preview.Digest)), PreviewLifetime);
        }
        catch (ApiError e)
        {
            return await RefusedAsync(e, LoadAsync);
        }
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostCommitAsync([FromForm(Name = "preview")] string? token) => ActAsync(async () =>
    {
        SealedPreview sealedPreview;
        try
        {
            sealedPreview = JsonSerializer.Deserialize<SealedPreview>(Protector.Unprotect(token ?? ""))!;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException)
        {
            throw ApiError.Field("preview", "is expired or was altered: upload the file and preview it again");
        }
        var (loaded, preview) = await import.CommitAsync(Actor, PlatformId, sealedPreview.Csv, sealedPreview.Digest);
        return $"Loaded {loaded.Loaded} lines ({loaded.Inserted} added, {loaded.Updated} updated); {preview.Refused} refused lines were left out.";
    }, LoadAsync);

    private async Task<string> ReadUploadAsync(IFormFile? file, string? text)
    {
        if (file is { Length: > 0 })
        {
            if (file.Length > settings.MaxBulkBodyBytes) throw ApiError.Field("csv_file", $"is larger than {settings.MaxBulkBodyBytes} bytes");
            using var reader = new StreamReader(file.OpenReadStream(), new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
            try { return await reader.ReadToEndAsync(HttpContext.RequestAborted); }
            catch (System.Text.DecoderFallbackException) { throw ApiError.Field("csv_file", "is not UTF-8 text"); }
        }
        if (!string.IsNullOrWhiteSpace(text)) return text;
        throw ApiError.Field("csv_file", "choose a CSV file or paste its text");
    }

    private sealed record SealedPreview(string Csv, string Digest);
}
