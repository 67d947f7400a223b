namespace Partnerships.Storage.Stores;

// Row classes mirror tables one to one; Dapper fills them by column name (snake_case matched via DefaultTypeMap.MatchNamesWithUnderscores).

public sealed class PlatformRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string CreatedAt { get; set; } = "";
}

public sealed class CredentialRow
{
    public string Id { get; set; } = "";
    public string PlatformId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string SecretHash { get; set; } = "";
    /// <summary>The secret replaced by the last rotation, accepted until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecretHash { get; set; }
    public string? PreviousSecretExpiresAt { get; set; }
    public long Generation { get; set; }
    public string? Label { get; set; }
    public string CreatedAt { get; set; } = "";
    public string? RevokedAt { get; set; }
}

/// <summary>A credential's validity as the token check reads it, with the credentials' store version it was read at.</summary>
public sealed class CredentialValidityRow
{
    public long StoreVersion { get; set; }
    public string? PlatformId { get; set; }
    public long? Generation { get; set; }
    public string? RevokedAt { get; set; }
}

public sealed class MappingRowData
{
    public string PlatformId { get; set; } = "";
    public long PartnerVerticalId { get; set; }
    public long PartnerSubVerticalId { get; set; }
    public string? PartnerVerticalName { get; set; }
    public string? PartnerSubVerticalName { get; set; }
    public long NetworkCategoryId { get; set; }
    public long NetworkSubVerticalId { get; set; }
    public string UpdatedAt { get; set; } = "";
}

public sealed class AccountRow
{
    public string Id { get; set; } = "";
    public string PlatformId { get; set; } = "";
    public string ExternalAccountId { get; set; } = "";
    public string Brand { get; set; } = "";
    public long PartnerVerticalId { get; set; }
    public long PartnerSubVerticalId { get; set; }
    public long NetworkSubVerticalId { get; set; }
    public string CountryCode { get; set; } = "";
    public string StoreIdentifier { get; set; } = "";
    public string? ContactEmail { get; set; }
    public string Status { get; set; } = "";
    public string RelationshipStatus { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public sealed class ControlsRow
{
    public string AccountId { get; set; } = "";
    public string MclId { get; set; } = "";
    public string Name { get; set; } = "";
    public string StateJson { get; set; } = "";
    public string NetworkJson { get; set; } = "";
    public long Revision { get; set; }
    public string ContentHash { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public sealed class PageRow
{
    public string Id { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Surface { get; set; } = "";
    public string PageIdentifier { get; set; } = "";
    public string CreatedAt { get; set; } = "";
}

public sealed class PageVariantRow
{
    public string Id { get; set; } = "";
    public string PageId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Status { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public sealed class LayoutRow
{
    public string Id { get; set; } = "";
    public string PageId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string LayoutType { get; set; } = "";
    public string PrimaryColor { get; set; } = "";
    public string BackgroundColor { get; set; } = "";
    public string TextColor { get; set; } = "";
    public string CloseButtonColor { get; set; } = "";
    public long BorderRadius { get; set; }
    public string UpdatedAt { get; set; } = "";
    /// <summary>1 for the layout its page is drawn with (one per page), 0 for a page's other layout type.</summary>
    public long Active { get; set; }
    public bool IsActive => Active == 1;
}

public sealed class IdempotencyRow
{
    public string PlatformId { get; set; } = "";
    public string Scope { get; set; } = "";
    public string IdemKey { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public long StatusCode { get; set; }
    public string ResponseBody { get; set; } = "";
    public string ResponseHeaders { get; set; } = "";
    public long DryRun { get; set; }
    public string? OperationId { get; set; }
    public string CreatedAt { get; set; } = "";
    public string ExpiresAt { get; set; } = "";
}

public sealed class OperationRow
{
    public string Id { get; set; } = "";
    public string PlatformId { get; set; } = "";
    public string? AccountId { get; set; }
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public string RequestId { get; set; } = "";
    public long? ResponseStatus { get; set; }
    public string? ResponseBody { get; set; }
    public string? Error { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public sealed class AuditRow
{
    public long Id { get; set; }
    public string At { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string? PlatformId { get; set; }
    public string? CredentialId { get; set; }
    public string? AccountId { get; set; }
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";
    public long StatusCode { get; set; }
    public string Outcome { get; set; } = "";
    public long DryRun { get; set; }
    public string? IdemKey { get; set; }
    public string? HashBefore { get; set; }
    public string? HashAfter { get; set; }
    public string? Summary { get; set; }
    public string? Actor { get; set; }
    public string? Action { get; set; }
    public string? Target { get; set; }
    public string? BeforeSummary { get; set; }
    public string? AfterSummary { get; set; }
}

public sealed class AdminKeyRow
{
    public string Id { get; set; } = "";
    public string KeyHash { get; set; } = "";
    public string? Label { get; set; }
    public string CreatedAt { get; set; } = "";
    public string? RotatedAt { get; set; }
    public string? RevokedAt { get; set; }
}

public sealed class NetworkCategoryRow
{
    public long Id { get; set; }
    public long? ParentId { get; set; }
    public string Name { get; set; } = "";
    public long Tier { get; set; }
    public long VerticalId { get; set; }
    public long? SubVerticalId { get; set; }
}
