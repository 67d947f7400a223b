using Partnerships.Client;

namespace Partnerships.Api.WebConsole.Pages.Partner;

/// <summary>
/// A layout's theme: five tokens with a live preview (a small script recolours the sample as you type; without it the
/// Preview button asks the service for a dry-run of the PATCH and draws the sample from its answer). Save sends only the
/// tokens that differ from the layout as the form loaded it, with the Idempotency-Key made when the form was rendered.
/// </summary>
public sealed class LayoutModel : PartnerPageModel
{
    public static readonly IReadOnlyList<(string Field, string Label)> Colours =
    [
        ("primaryColor", "Primary colour"), ("backgroundColor", "Background colour"), ("textColor", "Text colour"), ("closeButtonColor", "Close button colour"),
    ];

    public string AccountId { get; private set; } = "";
    public string LayoutId { get; private set; } = "";
    public string Brand { get; private set; } = "";
    public Layout? Stored { get; private set; }

    /// <summary>The values the form shows (and the sample draws).</summary>
    public Dictionary<string, string> Values { get; } = [];

    /// <summary>The layout's values when the form was first rendered: only tokens that differ from these are sent.</summary>
    public Dictionary<string, string> BaseValues { get; } = [];
    public string IdempotencyKey { get; private set; } = "";
    public bool Previewed { get; private set; }
    public PartnershipsResponse<Layout>? Saved { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<ErrorDetail> ErrorDetails { get; private set; } = [];

    public async Task OnGetAsync(string accountId, string layoutId)
    {
        (AccountId, LayoutId) = (accountId, layoutId);
        await LoadAsync();
        Fill(Values, Stored!);
        Fill(BaseValues, Stored!);
        IdempotencyKey = Guid.NewGuid().ToString();
    }

    public async Task OnPostPreviewAsync(string accountId, string layoutId)
    {
        (AccountId, LayoutId) = (accountId, layoutId);
        await LoadAsync();
        ReadForm();
        try
        {
            var dry = await Api.UpdateLayoutDryRunAsync(AccountId, LayoutId, Change(), Guid.NewGuid().ToString(), HttpContext.RequestAborted);
            Fill(Values, dry.Data);
            Previewed = true;
        }
        catch (PartnershipsApiException e) when (e.StatusCode is 400 or 409 or 422 or 429)
        {
            Refused(e);
        }
        IdempotencyKey = Guid.NewGuid().ToString();
    }

    public async Task OnPostSaveAsync(string accountId, string layoutId)
    {
        (AccountId, LayoutId) = (accountId, layoutId);
        ReadForm();
        var key = Request.Form["idempotency_key"].ToString();
        try
        {
            if (!Guid.TryParse(key, out _)) throw new PartnershipsApiException(400, "BadRequest", "This form has no usable Idempotency-Key; reload the page.");
            Saved = await Api.UpdateLayoutAsync(AccountId, LayoutId, Change(), key, HttpContext.RequestAborted);
            Fill(Values, Saved.Data);
            Fill(BaseValues, Saved.Data);
        }
        catch (PartnershipsApiException e) when (e.StatusCode is 400 or 409 or 422 or 429)
        {
            Refused(e);
        }
        await LoadAsync();
        IdempotencyKey = Guid.NewGuid().ToString();
    }

    private async Task LoadAsync()
    {
        var account = Api.GetAccountAsync(AccountId, HttpContext.RequestAborted);
        var layout = Api.GetLayoutAsync(AccountId, LayoutId, HttpContext.RequestAborted);
        await Task.WhenAll(account, layout);
        Brand = (await account).Data.Brand;
        Stored = (await layout).Data;
    }

    private void ReadForm()
    {
        foreach (var field in Colours.Select(c => c.Field).Append("borderRadius"))
        {
            Values[field] = Request.Form[field].ToString().Trim();
            BaseValues[field] = Request.Form["base_" + field].ToString();
        }
    }

    /// <summary>The sparse PATCH: each token whose field differs from its base value.</summary>
    private LayoutUpdate Change()
    {
        string? Changed(string field) => Values[field] != BaseValues[field] ? Values[field] : null;
        int? radius = null;
        if (Changed("borderRadius") is { } r)
        {
            if (!int.TryParse(r, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var px))
            {
                throw new PartnershipsApiException(400, "BadRequest", "borderRadius must be a whole number of pixels (0 to 64)",
                    [new ErrorDetail("borderRadius", "must be a whole number of pixels (0 to 64)", null)]);
            }
            radius = px;
        }
        return new LayoutUpdate
        {
            PrimaryColor = Changed("primaryColor"), BackgroundColor = Changed("backgroundColor"), TextColor = Changed("textColor"),
            CloseButtonColor = Changed("closeButtonColor"), BorderRadius = radius,
        };
    }

    private void Refused(PartnershipsApiException e)
    {
        Error = e.Message;
        ErrorDetails = e.Details;
    }

    private static void Fill(Dictionary<string, string> values, Layout layout)
    {
        values["primaryColor"] = layout.PrimaryColor;
        values["backgroundColor"] = layout.BackgroundColor;
        values["textColor"] = layout.TextColor;
        values["closeButtonColor"] = layout.CloseButtonColor;
        values["borderRadius"] = layout.BorderRadius.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A colour safe to put in a style attribute: #rgb or #rrggbb, else a neutral grey.</summary>
    public static string Css(string? colour) =>
        colour is { Length: 4 or 7 } && colour[0] == '#' && colour.Skip(1).All(Uri.IsHexDigit) ? colour : "#888888";

    public static string CssRadius(string? px) => int.TryParse(px, out var n) && n is >= 0 and <= 64 ? n + "px" : "0px";
}
