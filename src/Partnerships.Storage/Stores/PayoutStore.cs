using Dapper;

namespace Partnerships.Storage.Stores;

public sealed class PayoutSetupRow
{
    public string AccountId { get; set; } = "";
    public string ProviderAccount { get; set; } = "";
    public string OnboardingUrl { get; set; } = "";
    public string? ExpiresAt { get; set; }
    public string Status { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public static class PayoutStore
{
    public static Task<PayoutSetupRow?> GetAsync(DbSession s, string accountId) =>
        s.Connection.QuerySingleOrDefaultAsync<PayoutSetupRow>("SELECT * FROM payout_setups WHERE account_id = @accountId", new { accountId }, s.Transaction);

    public static Task InsertAsync(DbSession s, PayoutSetupRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO payout_setups (account_id, provider_account, onboarding_url, expires_at, status, created_at, updated_at)
        VALUES (@AccountId, @ProviderAccount, @OnboardingUrl, @ExpiresAt, @Status, @CreatedAt, @UpdatedAt)
        """, row, s.Transaction);
}
