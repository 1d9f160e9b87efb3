using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Libvirt.Native;

namespace Oie.Libvirt;

/// <summary>
/// Reads the active domains, their (cached) facts and this cycle's counters from libvirt. Called once per collection
/// cycle from one thread; never throws for libvirt problems, reconnecting by itself with an exponential backoff.
/// </summary>
public sealed partial class LibvirtInstanceSource : IInstanceSource, IDisposable
{
    /// <summary>What a seed run asks the bulk call for; BALLOON and VCPU are added only when asked for.</summary>
    private const uint SeedStatsGroups = LibvirtNative.DomainStatsState | LibvirtNative.DomainStatsCpuTotal |
                                         LibvirtNative.DomainStatsBlock | LibvirtNative.DomainStatsInterface;

    private readonly string _uri;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ReconnectBackoff _backoff;
    private readonly FactsCache _cache;
    private LibvirtConnection? _connection;
    private readonly InstanceReadings _readings;
    private readonly uint _bulkGroups;
    private readonly JobReader<LibvirtConnection> _jobs;
    private readonly TimeSpan _jobsBudget;
    private bool _noWait = true;
    private long _xmlParses;

    /// <param name="readings">What to read beyond the seed's counters (the OR of the enabled collectors' readings);
    /// <see cref="InstanceReadings.None"/> asks libvirt for exactly what the seed always asked.</param>
    /// <param name="jobsBudget">How long a cycle's job calls may take (<see cref="JobsBudgetFor"/> of the cycle's libvirt
    /// deadline); domains not answered within it are returned with <see cref="InstanceStats.JobsRead"/> false.</param>
    public LibvirtInstanceSource(string uri, ILogger<LibvirtInstanceSource> logger, TimeProvider timeProvider,
        InstanceReadings readings = InstanceReadings.None, TimeSpan? jobsBudget = null)
    {
        _uri = uri;
        _logger = logger;
        _timeProvider = timeProvider;
        _backoff = new ReconnectBackoff(timeProvider);
        _cache = new FactsCache(timeProvider);
        _readings = readings;
        _bulkGroups = BulkGroupsFor(readings);
        _jobs = new JobReader<LibvirtConnection>(logger, () => LibvirtConnection.OpenReadOnly(uri));
        _jobsBudget = jobsBudget ?? DefaultJobsBudget;
    }

    public bool IsConnected => _connection is not null;

    /// <summary>How many domain XMLs have been fetched and parsed since start (the facts cache's misses).</summary>
    public long XmlParses => Interlocked.Read(ref _xmlParses);

    internal int CachedDomains => _cache.Count;

    /// <summary>Test seam: runs after the domains are listed and before their stats are read (a domain can vanish there).</summary>
    internal Action? AfterListing { get; set; }

    public LibvirtReadResult Read()
    {
        if (_connection is null && !TryConnect(out var connectError))
            return Unavailable(connectError);
        var connection = _connection!;
        if (!connection.IsAlive())
            return Fail("connection to libvirt is no longer alive");

        DomainHandle[] domains;
        try
        {
            domains = connection.ListActiveDomains();
        }
        catch (LibvirtException e)
        {
            return Fail(e.Message);
        }

        try
        {
            AfterListing?.Invoke();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var bulk = ReadBulkStats(connection, out var bulkFatal);
            if (bulkFatal is not null)
                return Fail(bulkFatal);
            var result = ReadDomains(domains, bulk, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (result.DomainErrors > 0 && !connection.IsAlive())
                return Fail("connection to libvirt was lost during the cycle");
            _backoff.Succeeded();
            return result;
        }
        finally
        {
            foreach (var d in domains)
                d.Dispose();
        }
    }

    private LibvirtReadResult ReadDomains(DomainHandle[] domains, (Dictionary<string, BulkDomainStats> Records, long SampledAt)? bulk,
        TimeSpan bulkTook)
    {
        var phase = System.Diagnostics.Stopwatch.GetTimestamp();
        // The test driver (and old drivers) answer the bulk call with `state` only: then read per domain.
        var useBulk = bulk is { } b && b.Records.Values.Any(r => r.CpuTimeNs is not null);
        var rows = new List<Row>(domains.Length);
        var errors = 0;
        _cache.BeginCycle();
        foreach (var domain in domains)
        {
            string uuid;
            try
            {
                uuid = LibvirtConnection.GetUuid(domain);
            }
            catch (LibvirtException e)
            {
                errors++;
                Log.DomainSkipped(_logger, "?", e.Message);
                continue;
            }
            BulkDomainStats? record = null;
            if (useBulk && !bulk!.Value.Records.TryGetValue(uuid, out record))
            {
                Log.DomainVanished(_logger, uuid);
                continue;
            }
            if (GetFacts(domain, uuid, record, ref errors) is { } entry)
                rows.Add(new Row(domain, uuid, entry, record));
        }

        var factsTook = System.Diagnostics.Stopwatch.GetElapsedTime(phase);
        phase = System.Diagnostics.Stopwatch.GetTimestamp();
        var jobs = (_readings & InstanceReadings.Jobs) != 0 ? ReadJobs(rows, ref errors) : null;
        var jobsTook = System.Diagnostics.Stopwatch.GetElapsedTime(phase);
        phase = System.Diagnostics.Stopwatch.GetTimestamp();
        var instances = new List<Instance>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var job = jobs is null ? NoJobsAsked : Jobs(row.Entry.Facts, jobs[i]);
            var stats = useBulk
                ? MapBulk(row.Entry, row.Record!, bulk!.Value.SampledAt, job)
                : ReadPerDomain(row.Domain, row.Entry, job, ref errors);
            if (stats is not null)
                instances.Add(new Instance(row.Entry.Facts, stats));
        }
        _cache.EndCycle();
        // Which part of a slow read was slow (a hung monitor shows in one of them).
        Log.ReadTimes(_logger, bulkTook.TotalMilliseconds, factsTook.TotalMilliseconds, jobsTook.TotalMilliseconds,
            System.Diagnostics.Stopwatch.GetElapsedTime(phase).TotalMilliseconds);
        return new LibvirtReadResult(true, instances, null, errors);
    }

    /// <summary>A listed domain whose facts were found, before its stats are read.</summary>
    private readonly record struct Row(DomainHandle Domain, string Uuid, FactsCache.Entry Entry, BulkDomainStats? Record);

    private FactsCache.Entry? GetFacts(DomainHandle domain, string uuid, BulkDomainStats? record, ref int errors)
    {
        var id = LibvirtConnection.GetId(domain);
        if (_cache.GetFresh(uuid, id, record?.BlockCount, record?.NetCount) is { } cached)
            return cached;
        try
        {
            var xml = LibvirtConnection.GetXmlDesc(domain);
            Interlocked.Increment(ref _xmlParses);
            var parsed = DomainXmlParser.ParseDomain(xml);
            // Logged at each parse (a new or restarted domain, a device change, every 10 minutes), not every cycle.
            foreach (var field in parsed.Ignored)
                Log.MetadataFieldIgnored(_logger, parsed.Facts.Domain, uuid, field);
            return _cache.Store(uuid, id, parsed);
        }
        catch (LibvirtException e) when (e.Code == LibvirtException.ErrNoDomain)
        {
            Log.DomainVanished(_logger, uuid);
        }
        catch (LibvirtException e)
        {
            errors++;
            Log.DomainSkipped(_logger, uuid, e.Message);
        }
        catch (DomainXmlException e)
        {
            errors++;
            Log.DomainSkipped(_logger, uuid, e.Message);
        }
        _cache.Remove(uuid);
        return null;
    }

    private InstanceStats MapBulk(FactsCache.Entry entry, BulkDomainStats record, long sampledAt, JobsPart jobs)
    {
        var facts = entry.Facts;
        var disks = new BlockCounters?[facts.Disks.Length];
        for (var i = 0; i < disks.Length; i++)
        {
            disks[i] = record.Block(facts.Disks[i].Target);
            if (record.BlockCount is not null && !record.HasBlock(facts.Disks[i].Target))
                entry.DeviceFailed();
        }
        var nets = new InterfaceCounters?[facts.Interfaces.Length];
        for (var i = 0; i < nets.Length; i++)
        {
            nets[i] = record.Interface(facts.Interfaces[i]);
            if (record.NetCount is not null && !record.HasInterface(facts.Interfaces[i]))
                entry.DeviceFailed();
        }
        return new InstanceStats
        {
            State = record.State is { } s ? LibvirtConnection.ToRunState(s) : DomainRunState.Unknown,
            CpuTimeNs = record.CpuTimeNs,
            SampledAt = sampledAt,
            Disks = disks,
            Interfaces = nets,
            Memory = Wants(InstanceReadings.Memory) ? record.Memory : null,
            VcpuStats = Wants(InstanceReadings.Vcpu) ? record.Vcpu : null,
            DiskCapacities = Wants(InstanceReadings.DiskCapacity) ? BulkCapacities(facts, record) : [],
            JobsRead = jobs.Read,
            Job = jobs.Job,
            BlockJobs = jobs.BlockJobs,
        };
    }

    /// <summary>Null when the domain vanished.</summary>
    private InstanceStats? ReadPerDomain(DomainHandle domain, FactsCache.Entry entry, JobsPart jobs, ref int errors)
    {
        var facts = entry.Facts;
        (DomainRunState State, int Vcpus, long CpuTimeNs, long MemoryKiB, long MaxMemKiB) info;
        try
        {
            info = LibvirtConnection.GetInfo(domain);
        }
        catch (LibvirtException e) when (e.Code == LibvirtException.ErrNoDomain)
        {
            Log.DomainVanished(_logger, facts.Domain);
            return null;
        }
        catch (LibvirtException e)
        {
            errors++;
            Log.StatsFailed(_logger, facts.Domain, e.Message);
            return new InstanceStats
            {
                SampledAt = _timeProvider.GetTimestamp(),
                Disks = new BlockCounters?[facts.Disks.Length],
                Interfaces = new InterfaceCounters?[facts.Interfaces.Length],
                DiskCapacities = Wants(InstanceReadings.DiskCapacity) ? new DiskCapacity?[facts.Disks.Length] : [],
                JobsRead = jobs.Read,
                Job = jobs.Job,
                BlockJobs = jobs.BlockJobs,
            };
        }
        var sampledAt = _timeProvider.GetTimestamp();

        var disks = new BlockCounters?[facts.Disks.Length];
        for (var i = 0; i < disks.Length; i++)
            disks[i] = ReadDevice(entry, facts.Disks[i].Target, t => LibvirtConnection.GetBlockStats(domain, t));
        var nets = new InterfaceCounters?[facts.Interfaces.Length];
        for (var i = 0; i < nets.Length; i++)
            nets[i] = ReadDevice(entry, facts.Interfaces[i], t => LibvirtConnection.GetInterfaceStats(domain, t));

        return new InstanceStats
        {
            State = info.State,
            CpuTimeNs = info.CpuTimeNs,
            Vcpus = info.Vcpus,
            SampledAt = sampledAt,
            Disks = disks,
            Interfaces = nets,
            Memory = Wants(InstanceReadings.Memory) ? InfoMemory(info.MemoryKiB, info.MaxMemKiB) : null,
            VcpuStats = Wants(InstanceReadings.Vcpu) ? new VcpuStats(info.Vcpus, null, null) : null,
            DiskCapacities = Wants(InstanceReadings.DiskCapacity) ? ReadCapacities(domain, facts) : [],
            JobsRead = jobs.Read,
            Job = jobs.Job,
            BlockJobs = jobs.BlockJobs,
        };
    }

    private T? ReadDevice<T>(FactsCache.Entry entry, string target, Func<string, T> read) where T : struct
    {
        try
        {
            return read(target);
        }
        catch (LibvirtException e)
        {
            Log.DeviceStatsFailed(_logger, entry.Facts.Domain, target, e.Message);
            entry.DeviceFailed();
            return null;
        }
    }

    /// <summary>
    /// One bulk call. Null means "read per domain this cycle"; <paramref name="fatal"/> is set when the failure is the
    /// connection's.
    /// </summary>
    private (Dictionary<string, BulkDomainStats>, long)? ReadBulkStats(LibvirtConnection connection, out string? fatal)
    {
        fatal = null;
        var flags = LibvirtNative.ConnectListDomainsActive;
        try
        {
            var records = connection.GetAllDomainStats(_bulkGroups, flags | (_noWait ? LibvirtNative.GetAllDomainsStatsNoWait : 0));
            return (records, _timeProvider.GetTimestamp());
        }
        catch (LibvirtException e) when (_noWait && e.Code is LibvirtException.ErrInvalidArg or LibvirtException.ErrNoSupport or
                                             LibvirtException.ErrOperationUnsupported)
        {
            try
            {
                var records = connection.GetAllDomainStats(_bulkGroups, flags);
                Log.NoWaitUnsupported(_logger, e.Message);
                _noWait = false;
                return (records, _timeProvider.GetTimestamp());
            }
            catch (LibvirtException retry)
            {
                return BulkFailed(connection, retry, out fatal);
            }
        }
        catch (LibvirtException e)
        {
            return BulkFailed(connection, e, out fatal);
        }
    }

    private (Dictionary<string, BulkDomainStats>, long)? BulkFailed(LibvirtConnection connection, LibvirtException e, out string? fatal)
    {
        fatal = connection.IsAlive() ? null : e.Message;
        if (fatal is null)
            Log.BulkFailed(_logger, e.Message);
        return null;
    }

    private bool TryConnect(out string error)
    {
        error = "";
        if (!_backoff.CanAttempt)
        {
            error = $"libvirt unavailable, next connection attempt in {_backoff.RetryIn.TotalSeconds:0.#}s";
            return false;
        }
        try
        {
            _connection = LibvirtConnection.OpenReadOnly(_uri);
            _noWait = true;
            _jobs.Reset();
            Log.Connected(_logger, _uri);
            return true;
        }
        catch (LibvirtException e)
        {
            _backoff.Failed();
            error = e.Message;
            Log.Unavailable(_logger, _uri, e.Message, _backoff.RetryIn);
            return false;
        }
    }

    /// <summary>A connection-level failure: close, start (or extend) the backoff and report libvirt as down.</summary>
    private LibvirtReadResult Fail(string error)
    {
        Disconnect();
        _backoff.Failed();
        Log.Unavailable(_logger, _uri, error, _backoff.RetryIn);
        return Unavailable(error);
    }

    private static LibvirtReadResult Unavailable(string error) => new(false, [], error, 0);

    /// <summary>Closes the connection; the next <see cref="Read"/> reopens it (tests use this to simulate a restart).</summary>
    internal void Disconnect()
    {
        _connection?.Dispose();
        _connection = null;
        _jobs.Dispose();
    }

    public void Dispose() => Disconnect();
}
