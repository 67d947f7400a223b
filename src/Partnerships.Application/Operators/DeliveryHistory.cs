using Partnerships.Application.SideEffects;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>A platform's most recent webhook deliveries (any state), newest first.</summary>
public sealed class DeliveryHistory(Database db)
{
    public async Task<IReadOnlyList<OutboxMessageView>> RecentWebhooksAsync(string platformId, int limit)
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await OperatorPageStore.RecentMessagesAsync(s, platformId, Channels.Webhook, limit)).Select(OutboxMessageView.From).ToList();
    }
}
