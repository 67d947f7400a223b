using Microsoft.AspNetCore.Mvc;
using Partnerships.Application.Operators;
using Partnerships.Delivery;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>The ordered event feed, a page at a time from a position.</summary>
public sealed class EventsModel(DeliveryAdmin deliveries) : OperatorPageModel
{
    [FromQuery(Name = "after")] public long After { get; set; }
    public EventPageView? Feed { get; private set; }
    public bool HasMore { get; private set; }

    public async Task OnGetAsync()
    {
        After = Math.Max(0, After);
        var page = await deliveries.EventsAsync(After, PageSize + 1);
        HasMore = page.Events.Count > PageSize;
        var events = page.Events.Take(PageSize).ToList();
        Feed = new EventPageView(events, events.Count > 0 ? events[^1].Seq : After);
    }
}
