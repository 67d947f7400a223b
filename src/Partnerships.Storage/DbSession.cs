using System.Data.Common;

namespace Partnerships.Storage;

/// <summary>An open connection and, for writes, its transaction. Every store method takes one, so a use case decides the transaction's extent.</summary>
public sealed class DbSession : IAsyncDisposable
{
    private const string UnitSavepoint = "unit";

    // A unit of a group commit (GroupCommit): its changes live in a savepoint of a transaction and a connection that the
    // batch owns; committing releases the savepoint, and the batch's commit makes it durable.
    private readonly bool _unit;
    private bool _unitOpen;

    private DbSession(Database database, DbConnection connection, DbTransaction? transaction, bool unit = false)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
        Pending = new PendingRows(this);
        _unit = unit;
        _unitOpen = unit;
    }

    /// <summary>True while this session's changes can still be committed or discarded.</summary>
    public bool IsOpen => _unit ? _unitOpen : Transaction is not null;

    internal static async Task<DbSession> InSavepointAsync(Database database, DbConnection connection, DbTransaction transaction)
    {
        await transaction.SaveAsync(UnitSavepoint);
        return new DbSession(database, connection, transaction, unit: true);
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
        if (_unit)
        {
            if (!_unitOpen) return;
            _unitOpen = false;
            await Transaction!.ReleaseAsync(UnitSavepoint, ct);
            return;
        }
        if (Transaction is null) return;
        await Pending.FlushAsync(ct);
        await Transaction.CommitAsync(ct);
        await Transaction.DisposeAsync();
        Transaction = null;
    }

    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (_unit)
        {
            await DiscardUnitAsync(ct);
            return;
        }
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
        // What is still queued was queued after the savepoint (taking it flushed the rest): returning to it drops that.
        Pending.Discard();
        await Transaction.RollbackAsync(name, ct);
    }

    private async Task DiscardUnitAsync(CancellationToken ct = default)
    {
        if (!_unitOpen) return;
        _unitOpen = false;
        await Transaction!.RollbackAsync(UnitSavepoint, ct);
        await Transaction.ReleaseAsync(UnitSavepoint, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_unit)
        {
            // The batch owns the connection and its transaction; a failure here means SQLite ended the transaction, which the batch sees.
            try { await DiscardUnitAsync(); } catch (Exception) { }
            return;
        }
        if (Transaction is not null)
        {
            try { await Transaction.RollbackAsync(); } catch (Exception) { /* the connection may already be broken; disposing returns it */ }
            await Transaction.DisposeAsync();
        }
        await Connection.DisposeAsync();
    }
}
