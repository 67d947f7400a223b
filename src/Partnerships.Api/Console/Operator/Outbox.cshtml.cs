using Microsoft.AspNetCore.Mvc;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Delivery;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>The outbox by state (dead letters first), with a dead message queued for delivery again.</summary>
public sealed class OutboxModel(DeliveryAdmin deliveries) : OperatorPageModel
{
    public static readonly string[] States = ["dead", "pending", "delivered", "cancelled"];

    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "after")] public long? After { get; set; }
    public IReadOnlyList<OutboxMessageView> Messages { get; private set; } = [];
    public bool HasMore { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        try
        {
            await LoadAsync();
        }
        catch (ApiError e)
        {
            return await RefusedAsync(e, () => Task.CompletedTask);
        }
        return Page();
    }

    private async Task LoadAsync()
    {
        Status = string.IsNullOrEmpty(Status) ? "dead" : Status == "all" ? null : Status;
        var page = await deliveries.OutboxAsync(Status, After, PageSize + 1);
        HasMore = page.Count > PageSize;
        Messages = page.Take(PageSize).ToList();
    }

    public Task<IActionResult> OnPostReplayAsync([FromForm(Name = "id")] long id) => ActAsync(async () =>
    {
        await deliveries.ReplayAsync(Actor, id);
        return $"Message {id} is queued for delivery again.";
    }, LoadAsync);
}
