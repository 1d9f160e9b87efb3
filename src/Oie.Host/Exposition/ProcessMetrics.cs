using System.Globalization;
using Prometheus;

namespace Oie.Host.Exposition;

/// <summary>
/// The process metrics every Prometheus client exports on Linux, with client_golang's names, help texts and sources
/// (/proc/self/stat, /proc/self/limits, /proc/self/fd, btime of /proc/stat), so dashboards built for node and Go
/// exporters work unchanged; and the .NET runtime's two GC metrics under prometheus-net's names. Read when the
/// registry is collected, i.e. once per rendered exposition. A file that cannot be read leaves its metrics at their
/// last value rather than failing the exposition.
/// </summary>
internal sealed class ProcessMetrics
{
    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on every Linux ABI (client_golang's procfs assumes it too).</summary>
    private const double UserHz = 100;

    private readonly Counter _cpuSeconds;
    private readonly Gauge _openFds;
    private readonly Gauge _maxFds;
    private readonly Gauge _virtualMemory;
    private readonly Gauge _virtualMemoryMax;
    private readonly Gauge _residentMemory;
    private readonly Gauge _startTime;
    private readonly Counter _gcCollections;
    private readonly Gauge _totalMemory;
    private readonly string _procSelf;
    private double? _bootTime;

    /// <param name="procSelf">/proc/self, or another process's /proc/PID in tests.</param>
    public ProcessMetrics(CollectorRegistry registry, string procSelf = "/proc/self")
    {
        _procSelf = procSelf;
        var factory = Metrics.WithCustomRegistry(registry);
        _cpuSeconds = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        _openFds = factory.CreateGauge("process_open_fds", "Number of open file descriptors.");
        _maxFds = factory.CreateGauge("process_max_fds", "Maximum number of open file descriptors.");
        _virtualMemory = factory.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        _virtualMemoryMax = factory.CreateGauge("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.");
        _residentMemory = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        _startTime = factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        _gcCollections = factory.CreateCounter("dotnet_collection_count_total", "GC collection count", "generation");
        _totalMemory = factory.CreateGauge("dotnet_total_memory_bytes", "Total known allocated memory");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            _gcCollections.WithLabels(generation.ToString(CultureInfo.InvariantCulture));
        registry.AddBeforeCollectCallback(Update);
        Update();
    }

    public void Update()
    {
        ReadStat();
        ReadLimits();
        try
        {
            _openFds.Set(Directory.EnumerateFileSystemEntries(Path.Combine(_procSelf, "fd")).Count());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            _gcCollections.WithLabels(generation.ToString(CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(generation));
        _totalMemory.Set(GC.GetTotalMemory(forceFullCollection: false));
    }

    private void ReadStat()
    {
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(_procSelf, "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        // The command name in parentheses may hold spaces: count fields from the last ')', field 3 (state) first.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 22)
            return;
        static double Field(string[] fields, int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        _cpuSeconds.IncTo((Field(fields, 14) + Field(fields, 15)) / UserHz);
        _virtualMemory.Set(Field(fields, 23));
        _residentMemory.Set(Field(fields, 24) * Environment.SystemPageSize);
        if ((_bootTime ??= ReadBootTime()) is { } bootTime)
            _startTime.Set(bootTime + Field(fields, 22) / UserHz);
    }

    private void ReadLimits()
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(_procSelf, "limits")))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                    _maxFds.Set(SoftLimit(line));
                else if (line.StartsWith("Max address space", StringComparison.Ordinal))
                    _virtualMemoryMax.Set(SoftLimit(line));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The "Soft Limit" column (from character 26); "unlimited" as procfs reads it, the largest uint64.</summary>
    private static double SoftLimit(string line)
    {
        var soft = line[26..].TrimStart().Split(' ', 2)[0];
        return soft == "unlimited" ? ulong.MaxValue : double.Parse(soft, CultureInfo.InvariantCulture);
    }

    private static double? ReadBootTime()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("btime ", StringComparison.Ordinal))
                    return double.Parse(line.AsSpan(6), CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
