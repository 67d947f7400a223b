using System.Data.Common;

namespace Partnerships.Storage;

/// <summary>An open connection and, for writes, its transaction. Every store method takes one, so a use case decides the transaction's extent.</summary>
public sealed class DbSession : IAsyncDisposable
{
    private DbSession(Database database, DbConnection connection, DbTransaction? transaction)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
        Pending = new PendingRows(this);
    }

    public Database Database { get; }
    public DbConnection Connection { get; }
    public DbTransaction? Transaction { get; private set; }

    /// <summary>Bookkeeping rows sent together before the commit (PostgreSQL); see <see cref="PendingRows"/>.</summary>
    public PendingRows Pending { get; }

    public static async Task<DbSession> ReadAsync(Database database, CancellationToken ct = default) =>
        new(database, await database.OpenAsync(ct), null);

    public static async Task<DbSession> WriteAsync(Database database, CancellationToken ct = default)
    {
        var connection = await database.OpenAsync(ct);
        try
        {
            return new DbSession(database, connection, await database.BeginWriteAsync(connection, ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        if (Transaction is null) return;
        await Pending.FlushAsync(ct);
        await Transaction.CommitAsync(ct);
        await Transaction.DisposeAsync();
        Transaction = null;
    }

    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (Transaction is null) return;
        Pending.Discard();
        await Transaction.RollbackAsync(ct);
        await Transaction.DisposeAsync();
        Transaction = null;
    }

    /// <summary>Marks a point the write can return to (a dry-run discards the handler's changes but keeps its idempotency record and audit entry).</summary>
    public async Task SavepointAsync(string name, CancellationToken ct = default)
    {
        if (Transaction is null) throw new InvalidOperationException("No transaction.");
        await Pending.FlushAsync(ct); // rows queued before the savepoint stay when the write returns to it
        await Transaction.SaveAsync(name, ct);
    }

    public async Task RollbackToSavepointAsync(string name, CancellationToken ct = default)
    {
        if (Transaction is null) throw new InvalidOperationException("No transaction.");
        await Pending.FlushAsync(ct);
        await Transaction.RollbackAsync(name, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null)
        {
            try { await Transaction.RollbackAsync(); } catch (Exception) { /* the connection may already be broken; disposing returns it */ }
            await Transaction.DisposeAsync();
        }
        await Connection.DisposeAsync();
    }
}
