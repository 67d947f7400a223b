namespace Partnerships.Application.SideEffects;

/// <summary>Something a committed write changed, in partner taxonomy. Handlers raise it; only a real commit records it.</summary>
public sealed record DomainEvent(string Type, string? AccountId, object Data);

public static class EventTypes
{
    public const string AccountRegistered = "account.registered";
    public const string AccountStatusUpdated = "account.status.updated";
    public const string MarketplaceControlsUpdated = "marketplace_controls.updated";
    public const string LayoutUpdated = "layout.updated";
    public const string PagesAdded = "pages.added";
    public const string PageLayoutSwitched = "page.layout.switched";
    public const string PayoutSetupCreated = "payout_setup.created";
    /// <summary>The account's personal data was erased (a data deletion request completed).</summary>
    public const string AccountDataDeleted = "account.data_deleted";
    /// <summary>For the network's privacy pipeline only (the downstream feed and its outbox channel), never a platform's webhook.</summary>
    public const string NetworkPrivacyRequestSubmitted = "network_privacy_request.submitted";

    public static readonly IReadOnlyList<string> All =
        [AccountRegistered, AccountStatusUpdated, MarketplaceControlsUpdated, LayoutUpdated, PagesAdded, PageLayoutSwitched, PayoutSetupCreated,
            AccountDataDeleted, NetworkPrivacyRequestSubmitted];
}

public static class Channels
{
    public const string Webhook = "webhook";
    public const string Email = "email";
    /// <summary>The network's privacy pipeline (Privacy:PipelineUrl); the message names its request, the identifier is opened at send time.</summary>
    public const string PrivacyPipeline = "privacy_pipeline";
}

public sealed record SideEffectOptions
{
    /// <summary>Where notices for the network's operators go (Email:OperatorAddress); none configured, none sent.</summary>
    public string? OperatorEmail { get; init; }
}
