using Microsoft.Extensions.Logging;
using Oie.Abstractions;

namespace Oie.Libvirt;

/// <summary>One domain's job calls, answered: its running job (null: none) and its block jobs aligned with its disks.</summary>
internal sealed record JobReading(DomainJob? Job, BlockJob?[] BlockJobs);

/// <summary>
/// Runs a cycle's job calls (virDomainGetJobStats, virDomainGetBlockJobInfo) on a worker thread under a budget that is
/// a fraction of the cycle's libvirt deadline. Those calls take a QEMU query job: a domain whose monitor is busy or
/// hung makes them wait (a job is exactly when libvirt is slow), where the bulk call with NOWAIT would skip it. So a
/// domain not answered within the budget is reported as not read (<see cref="InstanceStats.JobsRead"/> false) instead
/// of taking the cycle's other readings down; its call is left to return on its thread, and no second call for that
/// domain starts until it has (one stuck thread per hung domain, at most <see cref="MaxAbandoned"/>). The domains the
/// worker had not reached are not read this cycle either; the next cycle reads them, skipping the hung one.
/// The calls go over a connection of their own, and a connection with a call left out is left to that call (it closes
/// it when it returns) while the next cycle opens a new one: libvirt was seen to hold up other calls on a connection
/// (the cycle's bulk call for 30 s, other domains' job calls) while one of its calls waited for a domain's job.
/// </summary>
/// <param name="open">Opens a connection for the job calls (on the cycle's thread; a local read-only open does not
/// wait for QEMU).</param>
internal sealed class JobReader<TConnection>(ILogger logger, Func<TConnection> open) : IDisposable
    where TConnection : class, IDisposable
{
    /// <summary>Above this many abandoned calls still running, job reads pause rather than strand more threads.</summary>
    internal const int MaxAbandoned = 8;

    private readonly Dictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private volatile string? _unsupported;
    private TConnection? _connection;

    /// <summary>Domains whose abandoned job call has not returned yet.</summary>
    internal int InFlight
    {
        get
        {
            Prune();
            return _inFlight.Count;
        }
    }

    /// <summary>The abandoned calls, for tests to wait on.</summary>
    internal Task[] Abandoned => [.. _inFlight.Values];

    /// <summary>A new connection may be to a driver that supports the calls: ask again, on a new connection.</summary>
    public void Reset()
    {
        _unsupported = null;
        Dispose();
    }

    /// <summary>Closes the idle connection; one left to an abandoned call is closed by that call.</summary>
    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>
    /// Reads the jobs of <paramref name="domains"/> (UUID and name, for the in-flight bookkeeping and the log) by calling
    /// <paramref name="readOne"/> with each index on the worker; a null result: not read this cycle. Calls that failed or
    /// were abandoned are added to <paramref name="errors"/>; a vanished domain and a driver without the calls are not.
    /// </summary>
    public JobReading?[] Read(IReadOnlyList<(string Uuid, string Name)> domains, Func<TConnection, int, JobReading> readOne,
        TimeSpan budget, ref int errors)
    {
        var cycle = new Cycle(domains.Count);
        if (_unsupported is not null || domains.Count == 0)
            return cycle.Results;
        Prune();
        if (_inFlight.Count >= MaxAbandoned)
        {
            Log.JobsPaused(logger, _inFlight.Count, string.Join(", ", _inFlight.Keys));
            return cycle.Results;
        }
        var work = new List<int>(domains.Count);
        for (var i = 0; i < domains.Count; i++)
        {
            if (_inFlight.ContainsKey(domains[i].Uuid))
                Log.JobsStillInFlight(logger, domains[i].Name);
            else
                work.Add(i);
        }

        TConnection connection;
        try
        {
            connection = _connection ??= open();
        }
        catch (LibvirtException e)
        {
            Log.JobsFailed(logger, "(all)", e.Message);
            errors += work.Count;
            return cycle.Results;
        }

        // A thread of its own: a hung call must not hold a pool thread, and the pool's ramp-up must not delay the reads.
        var worker = Task.Factory.StartNew(() => Run(cycle, work, domains, i => readOne(connection, i), connection), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var finished = worker.Wait(budget);
        lock (cycle)
        {
            if (!finished && !cycle.Finished)
            {
                cycle.Abandoned = true;
                _connection = null; // the worker closes it when its call returns
                if (cycle.Current >= 0)
                {
                    var stuck = domains[cycle.Current];
                    _inFlight[stuck.Uuid] = worker;
                    cycle.Errors++;
                    Log.JobsTimedOut(logger, stuck.Name, budget);
                }
            }
            errors += cycle.Errors;
            return [.. cycle.Results];
        }
    }

    private void Run(Cycle cycle, List<int> work, IReadOnlyList<(string Uuid, string Name)> domains, Func<int, JobReading> readOne,
        TConnection connection)
    {
        try
        {
            Run(cycle, work, domains, readOne);
        }
        finally
        {
            bool abandoned;
            lock (cycle)
            {
                abandoned = cycle.Abandoned;
                cycle.Finished = true;
            }
            if (abandoned)
                connection.Dispose();
        }
    }

    private void Run(Cycle cycle, List<int> work, IReadOnlyList<(string Uuid, string Name)> domains, Func<int, JobReading> readOne)
    {
        foreach (var i in work)
        {
            lock (cycle)
            {
                if (cycle.Abandoned)
                    return;
                cycle.Current = i;
            }
            JobReading? reading = null;
            var failed = false;
            try
            {
                reading = readOne(i);
            }
            catch (LibvirtException e) when (e.Code == LibvirtException.ErrNoDomain)
            {
                Log.DomainVanished(logger, domains[i].Name);
            }
            catch (LibvirtException e) when (e.Code is LibvirtException.ErrNoSupport or LibvirtException.ErrOperationUnsupported)
            {
                // Once per connection: every domain of this driver would answer the same.
                _unsupported = e.Message;
                Log.JobsUnsupported(logger, e.Message);
                lock (cycle)
                {
                    cycle.Current = -1;
                }
                return;
            }
            catch (LibvirtException e)
            {
                failed = true;
                Log.JobsFailed(logger, domains[i].Name, e.Message);
            }
            lock (cycle)
            {
                cycle.Current = -1;
                if (cycle.Abandoned)
                    return;
                cycle.Results[i] = reading;
                if (failed)
                    cycle.Errors++;
            }
        }
    }

    private void Prune()
    {
        foreach (var (uuid, task) in _inFlight)
        {
            if (task.IsCompleted)
                _inFlight.Remove(uuid);
        }
    }

    /// <summary>One cycle's results, shared with its worker under its own lock.</summary>
    private sealed class Cycle(int count)
    {
        public readonly JobReading?[] Results = new JobReading?[count];
        public int Current = -1;
        public bool Abandoned;
        public bool Finished;
        public int Errors;
    }
}
