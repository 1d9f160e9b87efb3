using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Host.CommandLine;
using Oie.Host.Exposition;
using Oie.Libvirt;

namespace Oie.Host.Collection;

/// <summary>
/// One collection cycle: read libvirt once, then the conntrack zone map and table (when anything enabled needs them),
/// build the immutable snapshot, let every enabled collector (the threat contacts last) turn it into samples, publish
/// them to the exposition store, then collect the heap. A failing collector loses only its own samples.
/// </summary>
internal sealed partial class CollectionCycle(
    IInstanceSource libvirt,
    ConntrackStage? conntrack,
    IReadOnlyList<NamedCollector> collectors,
    FamilyTable families,
    ExpositionStore store,
    SelfMetrics self,
    TimeProvider time,
    ILogger<CollectionCycle> logger,
    Action? collectHeap = null)
{
    private readonly Action _collectHeap = collectHeap ?? CollectWholeHeap;

    private bool _libvirtDown;
    private readonly Dictionary<string, string> _lastSourceErrors = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, int[]>? _lastSampleSizes;

    /// <summary>Completed cycles.</summary>
    public long Completed { get; private set; }

    public CycleSnapshot Run()
    {
        var started = time.GetTimestamp();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var read = libvirt.Read();
        self.StageDuration.WithLabels("libvirt").Set(time.GetElapsedTime(started).TotalSeconds);
        ReportLibvirt(read);

        IReadOnlyList<Instance> instances = read.Available ? read.Instances : [];
        var snapshot = new CycleSnapshot
        {
            Timestamp = started,
            LibvirtAvailable = read.Available,
            Instances = instances,
            Conntrack = conntrack?.Read(instances),
        };

        var collectorsStarted = time.GetTimestamp();
        var samples = new CycleSamples(families, _lastSampleSizes);
        var allSucceeded = read.Available;
        foreach (var (name, collector) in collectors)
            allSucceeded &= RunCollector(name, collector, snapshot, samples);
        self.StageDuration.WithLabels("collectors").Set(time.GetElapsedTime(collectorsStarted).TotalSeconds);

        // Set as part of the publish, so the exposition this cycle publishes carries it (the render stage's own
        // duration can only show in the next one), and no render in between (the store's expiry timer) shows it without
        // this cycle's samples.
        var renderStarted = time.GetTimestamp();
        store.Publish(snapshot, samples, allSucceeded ? () => self.LastSuccess.Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0) : null);
        _lastSampleSizes = samples.TakenSizes;
        self.StageDuration.WithLabels("render").Set(time.GetElapsedTime(renderStarted).TotalSeconds);

        var gcStarted = time.GetTimestamp();
        _collectHeap();
        self.StageDuration.WithLabels("gc").Set(time.GetElapsedTime(gcStarted).TotalSeconds);

        // Process-wide: a scrape served during the cycle counts too (it allocates little: it copies rendered bytes).
        self.AllocatedBytes.Set(GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore);
        Completed++;
        LogCycle(snapshot.Instances.Count, time.GetElapsedTime(started).TotalMilliseconds);
        return snapshot;
    }

    /// <summary>
    /// The publish just turned the previous exposition (its sample text, ≈ 9 KB per instance) into garbage. It had lived
    /// a whole interval, so it sits in gen2, which the GC collects only when its own budget says so: several cycles'
    /// worth piled up first (RSS 85–105 MiB on a 1,000-instance node, against 72–76 MiB collecting here). Collected
    /// now, with the cycle's own garbage, in one short pause a cycle (≈ 10 ms there) that replaces the gen1
    /// collections the cycle would have caused anyway; compacting lets the emptied regions go back to the OS.
    /// </summary>
    private static void CollectWholeHeap() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);

    private bool RunCollector(string name, ICollector collector, CycleSnapshot snapshot, CycleSamples samples)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            collector.Collect(snapshot, samples);
            self.CollectorSuccess.WithLabels(name).Set(1);
            if (_lastSourceErrors.Remove(name))
                LogSourceBack(name);
            return true;
        }
        catch (CollectorSourceException ex) when (ex.AlreadyReported)
        {
            // Its input (the conntrack table) failed; the stage that read it counted and logged that.
            samples.Discard(collector.Families);
            self.CollectorSuccess.WithLabels(name).Set(0);
            return false;
        }
        catch (CollectorSourceException ex)
        {
            samples.Discard(collector.Families);
            self.CollectorSuccess.WithLabels(name).Set(0);
            self.Errors.WithLabels(ex.Source).Inc();
            // One line per distinct failure rather than one per cycle while the source stays broken.
            if (!_lastSourceErrors.TryGetValue(name, out var last) || last != ex.Message)
                LogSourceFailed(name, ex.Source, ex.Message);
            _lastSourceErrors[name] = ex.Message;
            return false;
        }
        catch (Exception ex)
        {
            samples.Discard(collector.Families);
            self.CollectorSuccess.WithLabels(name).Set(0);
            self.Errors.WithLabels("collector").Inc();
            LogCollectorFailed(ex, name);
            return false;
        }
        finally
        {
            self.CollectorDuration.WithLabels(name).Set(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private void ReportLibvirt(LibvirtReadResult read)
    {
        self.LibvirtUp.Set(read.Available ? 1 : 0);
        if (read.Available)
        {
            self.Instances.Set(read.Instances.Count);
            if (read.DomainErrors > 0)
                self.Errors.WithLabels("libvirt_domain").Inc(read.DomainErrors);
            if (_libvirtDown)
                LogLibvirtBack();
            _libvirtDown = false;
            return;
        }
        self.Errors.WithLabels("libvirt").Inc();
        // One line when libvirt goes away rather than one per cycle while it stays down (the source logs its
        // reconnection attempts, which back off).
        if (!_libvirtDown)
            LogLibvirtDown(read.Error ?? "unknown error");
        _libvirtDown = true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "libvirt unavailable, instance metrics will expire: {Error}")]
    private partial void LogLibvirtDown(string error);

    [LoggerMessage(Level = LogLevel.Information, EventName = Logging.ThrottlingLoggerProvider.RecoveredEventName + ".libvirt", Message = "libvirt available again")]
    private partial void LogLibvirtBack();

    [LoggerMessage(Level = LogLevel.Error, Message = "collector {Collector} failed; its metrics are left out of this cycle")]
    private partial void LogCollectorFailed(Exception exception, string collector);

    [LoggerMessage(Level = LogLevel.Error, Message = "collector {Collector}: {Source} failed, its metrics are left out until it recovers: {Error}")]
    private partial void LogSourceFailed(string collector, string source, string error);

    [LoggerMessage(Level = LogLevel.Information, EventName = Logging.ThrottlingLoggerProvider.RecoveredEventName + ".collector", Message = "collector {Collector} recovered")]
    private partial void LogSourceBack(string collector);

    [LoggerMessage(Level = LogLevel.Debug, Message = "cycle done: {Instances} instances in {Milliseconds:F1} ms")]
    private partial void LogCycle(int instances, double milliseconds);
}
