using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Partnerships.Core.Controls;

/// <summary><c>v{revision}-{8 hex}</c>: the revision counts committed changes, the hex comes from the canonical state.</summary>
public static class ContentHash
{
    public static string CanonicalJson(MclState state) => JsonSerializer.Serialize(new
    {
        n = state.Name,
        v = state.BlockedVerticals.OrderBy(b => b.PartnerVerticalId).ThenBy(b => b.PartnerSubVerticalId)
            .Select(b => new object[] { b.PartnerVerticalId, b.PartnerSubVerticalId, b.Policy.ToString(), b.Position1Policy.ToString() }),
        d = state.Domains.OrderBy(d => d.Domain, StringComparer.Ordinal).Select(d => new object[] { d.Domain, d.Policy.ToString() }),
    });

    public static string Compute(long revision, MclState state) =>
        $"v{revision}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(state))))[..8]}";
}
