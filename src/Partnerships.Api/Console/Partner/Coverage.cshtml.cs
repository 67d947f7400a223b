using Microsoft.AspNetCore.Mvc;
using Partnerships.Core.Taxonomy;

namespace Partnerships.Api.WebConsole.Pages.Partner;

/// <summary>
/// Taxonomy coverage: the category list the platform would send the network before launch, pasted or uploaded, checked
/// line by line against the platform's mapping table (GET /v1/partnership/vertical-mappings). It only reads: nothing is
/// created, sent or stored.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes, ValueLengthLimit = MaxRequestBytes)]
public sealed class CoverageModel : PartnerPageModel
{
    /// <summary>The list (as UTF-8, up to four bytes a character in the worst case) and the form around it.</summary>
    private const int MaxRequestBytes = 4 * TaxonomyCoverage.MaxCharacters + 64 * 1024;

    public string Text { get; private set; } = "";
    public string? FileName { get; private set; }
    public CoverageReport? Report { get; private set; }
    public int MappedCount { get; private set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync([FromForm(Name = "categories")] string? categories, [FromForm(Name = "file")] IFormFile? file)
    {
        if (file is { Length: > 0 })
        {
            FileName = Path.GetFileName(file.FileName);
            using var reader = new StreamReader(file.OpenReadStream(), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[TaxonomyCoverage.MaxCharacters + 1];
            var read = await reader.ReadBlockAsync(buffer, HttpContext.RequestAborted);
            Text = new string(buffer, 0, read);
        }
        else
        {
            Text = categories ?? "";
        }
        if (Text.Trim().Length == 0)
        {
            Error = "Paste your category list or choose a file.";
            return;
        }
        var mapped = PartnerControls.CategoriesOf((await Api.ListVerticalMappingsAsync(HttpContext.RequestAborted)).Data);
        MappedCount = mapped.Count;
        Report = TaxonomyCoverage.Check(Text, mapped);
        // A file's text is not echoed into the form (it may be large); a pasted list stays for another try.
        if (FileName is not null) Text = "";
    }
}
