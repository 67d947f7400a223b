using System.Security.Cryptography;
using System.Text;
using Partnerships.Storage;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

namespace Partnerships.Application;

/// <summary>One token-signing key: its id (the JWT <c>kid</c>), the key, and when it stopped signing (null: it is current).</summary>
public sealed record SigningKey(string Kid, byte[] Key, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

public sealed record SigningKeyRingOptions
{
    /// <summary>How long a token lives: a retired key keeps verifying this long (plus the clock skew) after its retirement.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How often a process re-reads the ring on its own (it also re-reads when it meets an unknown kid).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Seeds the ring when the store holds no key (Auth:SigningKey or the embedded default's signing.key).</summary>
    public required byte[] Seed { get; init; }
}

/// <summary>
/// The token-signing keys of the store, kept in memory. Every process sharing the store reads the same table (keys
/// sealed with the secrets key), re-reading every few seconds and whenever a token names a key it does not know, so a
/// rotation made by any process (or the CLI) reaches all of them; a retired key verifies for one token lifetime more.
/// </summary>
public sealed class SigningKeyRing(Database db, SecretBox box, TimeProvider clock, SigningKeyRingOptions options)
{
    private sealed record Snapshot(IReadOnlyDictionary<string, SigningKey> Keys, SigningKey? Current, long LoadedAt);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;
    private long _lastUnknownRefresh;

    public SigningKeyRingOptions Options => options;

    /// <summary>The kid of a seed key: derived from the key, so processes seeding with the same key agree and a retry is a no-op.</summary>
    public static string SeedKid(byte[] key) =>
        "sk_" + Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes("partnerships-signing-key-id:"), .. key])[..8]);

    private static string Context(string kid) => "signing_keys/" + kid;

    /// <summary>Seeds an empty ring (once, under a lock, across processes) and loads it.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using (var s = await DbSession.WriteAsync(db, ct))
        {
            await SigningKeyStore.LockAsync(s);
            if (await SigningKeyStore.CountAsync(s) == 0)
            {
                var kid = SeedKid(options.Seed);
                await SigningKeyStore.InsertAsync(s, new SigningKeyRow
                {
                    Kid = kid, KeySealed = box.Seal(Convert.ToBase64String(options.Seed), Context(kid)), CreatedAt = Database.Timestamp(clock.GetUtcNow()),
                });
            }
            await s.CommitAsync(ct);
        }
        await RefreshAsync(ct);
    }

    /// <summary>Re-reads the ring when it is older than the refresh interval, or when <paramref name="kid"/> is unknown (at most once a second).</summary>
    public async ValueTask EnsureFreshAsync(string? kid, CancellationToken ct = default)
    {
        var snapshot = _snapshot;
        var now = Environment.TickCount64;
        if (snapshot is null)
        {
            await RefreshAsync(ct);
            return;
        }
        if (now - snapshot.LoadedAt >= (long)options.RefreshInterval.TotalMilliseconds)
        {
            // One request refreshes; the others go on with the keys in hand rather than queueing behind it. A store that
            // is briefly away must not fail requests those keys can answer either: keep them, try again later.
            if (!await _refresh.WaitAsync(0, ct)) return;
            try { await LoadAsync(ct); }
            catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or TimeoutException) { }
            finally { _refresh.Release(); }
            return;
        }
        if (!string.IsNullOrEmpty(kid) && !snapshot.Keys.ContainsKey(kid))
        {
            // Bounded, so tokens with made-up kids cannot turn every request into a store read.
            var last = Interlocked.Read(ref _lastUnknownRefresh);
            if (now - last >= 1000 && Interlocked.CompareExchange(ref _lastUnknownRefresh, now, last) == last)
            {
                await RefreshAsync(ct);
            }
        }
    }

    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            await LoadAsync(ct);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Re-reads the usable keys; the caller holds <c>_refresh</c>.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        var retiredAfter = Database.Timestamp(clock.GetUtcNow() - options.TokenLifetime - options.ClockSkew);
        IReadOnlyList<SigningKeyRow> rows;
        await using (var s = await DbSession.ReadAsync(db, ct))
        {
            rows = await SigningKeyStore.ListUsableAsync(s, retiredAfter);
        }
        var keys = rows.Select(r => new SigningKey(r.Kid, Convert.FromBase64String(box.Open(r.KeySealed, Context(r.Kid))),
            Database.ParseTimestamp(r.CreatedAt), r.RetiredAt is null ? null : Database.ParseTimestamp(r.RetiredAt))).ToDictionary(k => k.Kid);
        var current = keys.Values.Where(k => k.RetiredAt is null).MaxBy(k => k.CreatedAt);
        _snapshot = new Snapshot(keys, current, Environment.TickCount64);
    }

    /// <summary>The key new tokens are signed with.</summary>
    public SigningKey Current => _snapshot?.Current
        ?? throw new InvalidOperationException("The store holds no current token-signing key: run `partnerships signing-keys rotate`.");

    /// <summary>
    /// The key a token names, if it may still verify now: the current key, or a retired one within one token lifetime
    /// (plus skew) of its retirement. A token without a kid (minted before keys had ids) names the seed key.
    /// </summary>
    public SigningKey? Accepted(string? kid)
    {
        var snapshot = _snapshot;
        if (snapshot is null) return null;
        if (string.IsNullOrEmpty(kid)) kid = SeedKid(options.Seed);
        if (!snapshot.Keys.TryGetValue(kid, out var key)) return null;
        return key.RetiredAt is null || key.RetiredAt.Value + options.TokenLifetime + options.ClockSkew > clock.GetUtcNow() ? key : null;
    }

    /// <summary>Retires the current key and makes a fresh random one current, in one transaction; every process picks it up within seconds.</summary>
    /// <summary>Makes a fresh key current and retires the old one; an operator action, audited like every other.</summary>
    public async Task<SigningKeyRow> RotateAsync(Operators.OperatorActor actor, CancellationToken ct = default)
    {
        var row = await Operators.OperatorAudit.RunAsync(db, clock, actor, "signing_key.rotate", "signing-keys", async audit =>
        {
            var now = clock.GetUtcNow();
            var kid = "sk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var fresh = new SigningKeyRow
            {
                Kid = kid, KeySealed = box.Seal(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Context(kid)), CreatedAt = Database.Timestamp(now),
            };
            await using var s = await DbSession.WriteAsync(db, ct);
            await SigningKeyStore.LockAsync(s);
            var retired = (await SigningKeyStore.ListAsync(s)).Where(k => k.RetiredAt is null).Select(k => k.Kid).ToList();
            await SigningKeyStore.RetireCurrentAsync(s, now);
            await SigningKeyStore.InsertAsync(s, fresh);
            // Key ids only: the key material never leaves the sealed column.
            (audit.Before, audit.After) = (new { current = retired }, new { current = kid, retired });
            await audit.CommitAsync(s);
            return fresh;
        });
        await RefreshAsync(ct);
        return row;
    }

    public async Task<IReadOnlyList<SigningKeyRow>> ListAsync(CancellationToken ct = default)
    {
        await using var s = await DbSession.ReadAsync(db, ct);
        return await SigningKeyStore.ListAsync(s);
    }

    /// <summary>Until when a key verifies tokens (null: it is current).</summary>
    public DateTimeOffset? VerifiesUntil(SigningKeyRow row) =>
        row.RetiredAt is null ? null : Database.ParseTimestamp(row.RetiredAt) + options.TokenLifetime + options.ClockSkew;
}
