using System.Runtime.InteropServices;
using Oie.Abstractions;

namespace Oie.Collectors.Cpu;

/// <summary>
/// <c>oie_cpu_percent</c>: (Δ guest CPU ns / Δ wall ns) × 100 / vCPUs, clamped to [0, 100], from consecutive cycles.
/// Exported only when it says something new (the seed's suppression rules, see <see cref="ShouldExport"/>).
/// </summary>
public sealed class CpuCollector : ICollector, ICollectorPlugin
{
    private static readonly MetricFamily CpuPercent = new(
        "oie_cpu_percent", "CPU usage percentage", MetricType.Gauge,
        "domain", "instance_uuid", "user_uuid", "project_uuid");

    private static readonly MetricFamily[] AllFamilies = [CpuPercent];

    private readonly Dictionary<string, InstanceState> _states = new(StringComparer.Ordinal);
    private readonly double _minPercent;
    private readonly double _timestampFrequency;
    private long _generation;

    /// <param name="minPercent">Values below this are not exported (<c>-cpu.min</c>).</param>
    /// <param name="timeProvider">The provider whose timestamps fill <see cref="InstanceStats.SampledAt"/>.</param>
    public CpuCollector(double minPercent, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _minPercent = minPercent;
        _timestampFrequency = timeProvider.TimestampFrequency;
    }

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var min = flags.Double("cpu.min", 10.0, "Minimum CPU usage percentage for oie_cpu_percent to be exported");
        return context => new CpuCollector(min.Value, context.TimeProvider);
    }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    /// <summary>Instances with CPU state kept between cycles (for tests: it must not grow as instances come and go).</summary>
    public int TrackedInstances => _states.Count;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        if (!snapshot.LibvirtAvailable)
            return;
        var generation = ++_generation;
        var instances = snapshot.Instances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_states, instance.Facts.InstanceUuid, out _);
            var state = slot ??= new InstanceState();
            state.Generation = generation;
            if (Measure(state, instance) is { } percent && ShouldExport(state, percent))
            {
                var facts = instance.Facts;
                writer.Write(CpuPercent, instance, RoundToTwoDecimals(percent), facts.Domain, facts.InstanceUuid, facts.UserUuid, facts.ProjectUuid);
            }
        }
        foreach (var (uuid, state) in _states)
        {
            if (state.Generation != generation)
                _states.Remove(uuid);
        }
    }

    /// <summary>
    /// The Go exporter's roundToTwoDecimals (<c>math.Round(value*100) / 100</c>, halves away from zero), applied, as
    /// there, to the exported value only: the suppression rules compare the measured value, so a steady CPU that
    /// rounds to the same number each cycle stays exported (rounded first, it would be suppressed after its first
    /// export and go stale).
    /// </summary>
    public static double RoundToTwoDecimals(double value) => Math.Round(value * 100, MidpointRounding.AwayFromZero) / 100;

    /// <summary>This cycle's usage, or null when there is none: no counter, no baseline yet, or a restarted baseline.</summary>
    private double? Measure(InstanceState state, Instance instance)
    {
        var stats = instance.Stats;
        if (stats.CpuTimeNs is not { } cpuNs)
            return null; // keep the old baseline: the next cycle with a counter measures across the gap
        var hadBaseline = state.HasBaseline;
        var previousCpuNs = state.CpuNs;
        var previousAt = state.SampledAt;
        state.HasBaseline = true;
        state.CpuNs = cpuNs;
        state.SampledAt = stats.SampledAt;
        // A counter going backwards is a guest restarted under the same UUID: start over rather than report a spike.
        if (!hadBaseline || cpuNs < previousCpuNs || stats.SampledAt <= previousAt)
            return null;
        var vcpus = Vcpus(instance);
        if (vcpus <= 0)
            return null;
        var wallNs = (stats.SampledAt - previousAt) * 1e9 / _timestampFrequency;
        var percent = (cpuNs - previousCpuNs) / wallNs * 100.0 / vcpus;
        return Math.Clamp(percent, 0.0, 100.0);
    }

    /// <summary>The Nova flavor's vCPUs, else libvirt's count this cycle, else the domain XML's; the first positive one.</summary>
    private static int Vcpus(Instance instance)
    {
        if (instance.Facts.FlavorVcpus is > 0 and var flavor)
            return flavor;
        if (instance.Stats.Vcpus is > 0 and var live)
            return live;
        return instance.Facts.DomainVcpus;
    }

    /// <summary>
    /// The seed's rules, in order: below -cpu.min → no; first value → yes; previous export 0 and current 0 → no;
    /// equal to the previous export → no; otherwise yes. Records the value when it is exported.
    /// </summary>
    private bool ShouldExport(InstanceState state, double percent)
    {
        if (percent < _minPercent)
            return false;
        if (state.LastExported is not { } last)
        {
            state.LastExported = percent;
            return true;
        }
        if (last == 0 && percent == 0)
            return false;
        if (percent == last)
            return false;
        state.LastExported = percent;
        return true;
    }

    private sealed class InstanceState
    {
        public long Generation;
        public bool HasBaseline;
        public long CpuNs;
        public long SampledAt;
        public double? LastExported;
    }
}
