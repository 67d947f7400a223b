using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Json;
using Partnerships.Core.Controls;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.Controls;

/// <summary>PUT …/marketplacecontrolslists: the whole desired state (SET semantics, omission is not emptiness).</summary>
[Description("The whole desired state: name, blockedVerticals and domains are all required, and an empty list clears. A pair " +
    "(partnerVerticalId, partnerSubVerticalId) or a domain listed twice with the same policies counts once; twice with " +
    "different policies is a 400. Every pair must be in the platform's vertical mapping table (400 'No partnership vertical " +
    "mapping exists for MCL translation', every unmapped pair listed), so blockedVerticals holds at most as many items as that table.")]
public sealed record MarketplaceControlsBody(
    [property: JsonPropertyName("name"), Required, StringLength(TextRules.DefaultMaxLength, MinimumLength = 1)] string Name,
    [property: JsonPropertyName("blockedVerticals"), Required] IReadOnlyList<BlockedVerticalBody> BlockedVerticals,
    [property: JsonPropertyName("domains"), Required, MaxLength(MclPutParser.MaxDomains)] IReadOnlyList<DomainRuleBody> Domains,
    [property: JsonPropertyName("contentHash"),
        Description("The contentHash of the state this change was made from. Optional: when sent and not current the PUT is a 409 " +
            "(reason content_hash_stale) and nothing is written; absent or null, the last writer wins.")] string? ContentHash) : IRequestBody<MarketplaceControlsBody>
{
    public static MarketplaceControlsBody Example => new("Acme Outdoor controls", [new BlockedVerticalBody(1500, 1610, Policy.Block, null)],
        [new DomainRuleBody("competitor.example.com", Policy.Block)], null);
}

/// <summary>One vertical rule of the PUT.</summary>
[Description("position1Policy defaults to policy. policy Block with position1Policy Allow is a 400: a blocked vertical cannot be allowed in position 1.")]
public sealed record BlockedVerticalBody(
    [property: JsonPropertyName("partnerVerticalId"), Required, Range(1, long.MaxValue)] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId"), Required, Range(1, long.MaxValue)] long PartnerSubVerticalId,
    [property: JsonPropertyName("policy"), Required] Policy Policy,
    [property: JsonPropertyName("position1Policy")] Policy? Position1Policy);

/// <summary>One domain rule of the PUT.</summary>
public sealed record DomainRuleBody(
    [property: JsonPropertyName("domain"), Required, StringLength(2048, MinimumLength = 1),
        Description("A host name or URL; it is stored as its canonical host: trimmed, lower case, punycode for IDN, without scheme, user info, port, path, query, fragment or trailing dot. IP addresses are refused.")] string Domain,
    [property: JsonPropertyName("policy"), Required] Policy Policy);
