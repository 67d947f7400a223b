using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Partnerships.Storage;

/// <summary>
/// SQLite's group commit: one writer per process takes the write units that are queued, runs each in its own savepoint
/// of one transaction, and commits them together, so the write lock's hand-off and the sync to disk are paid once per
/// batch instead of once per write. Each unit still gets exactly its own outcome: a unit that throws rolls back only its
/// savepoint, and no unit's result is handed back before the commit that makes it durable has returned.
/// </summary>
internal sealed class GroupCommit
{
    private readonly Database _db;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _maxUnits;
    private readonly TimeSpan _maxHold;
    private int _started;

    public GroupCommit(Database db, int maxUnits, TimeSpan maxHold)
    {
        _db = db;
        _maxUnits = maxUnits;
        _maxHold = maxHold;
    }

    /// <summary>Units committed so far and batches that committed them (the ratio is the batching the load produced).</summary>
    public long CommittedUnits => Interlocked.Read(ref _committedUnits);
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);
    private long _committedUnits;
    private long _committedBatches;

    public async Task<T> RunAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // Without the first caller's execution context: the writer belongs to no request (nor its trace).
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }
        }
        var unit = new Unit<T>(work, ct, System.Diagnostics.Activity.Current is { Recorded: true } caller ? caller.Context : default);
        if (!_queue.Writer.TryWrite(unit)) throw new InvalidOperationException("The write queue is closed.");
        return await unit.Completion.Task.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            try
            {
                await RunBatchAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // RunBatchAsync hands every failure to the units it concerns; nothing may stop the loop.
            }
        }
    }

    private async Task RunBatchAsync()
    {
        var done = new List<Unit>(_maxUnits);
        DbConnection? connection = null;
        DbTransaction? transaction = null;
        try
        {
            try
            {
                connection = await _db.OpenAsync().ConfigureAwait(false);
                transaction = await _db.BeginWriteAsync(connection).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // No write lock within the store's timeout (another process holds it), or no store: the writes that waited
                // for this batch get that failure, as each would have had on its own; later ones try again.
                var waiting = new List<Unit>();
                while (waiting.Count < _maxUnits && _queue.Reader.TryRead(out var unit)) waiting.Add(unit);
                foreach (var unit in waiting) unit.Fail(e);
                throw;
            }
            var held = System.Diagnostics.Stopwatch.StartNew();
            while (done.Count < _maxUnits && held.Elapsed < _maxHold && _queue.Reader.TryRead(out var unit))
            {
                if (unit.Cancellation.IsCancellationRequested)
                {
                    unit.Cancel();
                    continue;
                }
                // Counted before the check below, so a unit whose own statement ended the transaction is failed with the batch, not left waiting.
                if (await unit.RunAsync(_db, connection, transaction).ConfigureAwait(false)) done.Add(unit);
                if (!InTransaction(connection))
                {
                    // SQLite ended the whole transaction itself (a full disk, an I/O error): every unit of the batch is lost.
                    throw new SqliteException("The write transaction was rolled back by the store; nothing of this batch was committed.", 1);
                }
            }
            await transaction.CommitAsync().ConfigureAwait(false);
            Interlocked.Add(ref _committedUnits, done.Count);
            Interlocked.Increment(ref _committedBatches);
            foreach (var unit in done) unit.Complete();
        }
        catch (Exception e)
        {
            foreach (var unit in done) unit.Fail(e);
            throw;
        }
        finally
        {
            if (transaction is not null)
            {
                try { await transaction.DisposeAsync().ConfigureAwait(false); } catch (Exception) { /* the connection may be broken */ }
            }
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool InTransaction(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0;

    private abstract class Unit
    {
        public abstract CancellationToken Cancellation { get; }
        /// <summary>Runs the unit in its savepoint; true if it ended with its changes kept and awaits the batch's commit.</summary>
        public abstract Task<bool> RunAsync(Database db, DbConnection connection, DbTransaction transaction);
        public abstract void Complete();
        public abstract void Fail(Exception e);
        public abstract void Cancel();
    }

    private sealed class Unit<T>(Func<DbSession, Task<T>> work, CancellationToken ct, System.Diagnostics.ActivityContext caller) : Unit
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override CancellationToken Cancellation => ct;

        public override async Task<bool> RunAsync(Database db, DbConnection connection, DbTransaction transaction)
        {
            using var span = StoreTelemetry.StartUnit(caller);
            var session = await DbSession.InSavepointAsync(db, connection, transaction).ConfigureAwait(false);
            try
            {
                _result = await work(session).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                Completion.TrySetException(e);
                return false;
            }
            // A unit that ends without committing discards its changes, as disposing a write session does; its result
            // still waits for the batch, since what it read may have come from units committed with it.
            await session.DisposeAsync().ConfigureAwait(false);
            return true;
        }

        public override void Complete() => Completion.TrySetResult(_result!);
        public override void Fail(Exception e) => Completion.TrySetException(e);
        public override void Cancel() => Completion.TrySetCanceled(ct);
    }
}
