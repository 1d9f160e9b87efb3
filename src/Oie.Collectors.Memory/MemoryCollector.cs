using Oie.Abstractions;

namespace Oie.Collectors.Memory;

/// <summary>
/// Per instance, every <see cref="MemoryStats"/> field libvirt reported this cycle, in bytes (faults as counts). A field
/// libvirt did not report is absent: the guest-side ones need the guest's balloon driver and a stats period, and drivers
/// without bulk stats (the test driver) give only the current and maximum allocation. Counters are exported whenever
/// reported, zeros included, so none appears and disappears with its value.
/// </summary>
public sealed class MemoryCollector : ICollector, ICollectorPlugin, IInstanceReadingsConsumer
{
    private static readonly string[] Labels = ["domain", "instance_uuid", "user_uuid", "project_uuid"];

    private static readonly (MetricFamily Family, Func<MemoryStats, long?> Read)[] Fields =
    [
        (Gauge("oie_memory_current_bytes", "Memory currently assigned to the instance (libvirt balloon current), bytes"),
            m => m.CurrentBytes),
        (Gauge("oie_memory_maximum_bytes", "Memory the instance may be ballooned up to (libvirt balloon maximum), bytes"),
            m => m.MaximumBytes),
        (Gauge("oie_memory_rss_bytes", "Resident set size of the instance's QEMU process on the host (libvirt balloon rss), bytes"),
            m => m.RssBytes),
        (Gauge("oie_memory_available_bytes", "Memory the guest OS sees as its total (libvirt balloon available), bytes"),
            m => m.AvailableBytes),
        (Gauge("oie_memory_usable_bytes", "Memory the guest can still use without swapping, its MemAvailable (libvirt balloon usable), bytes"),
            m => m.UsableBytes),
        (Gauge("oie_memory_unused_bytes", "Memory the guest leaves completely unused, its MemFree (libvirt balloon unused), bytes"),
            m => m.UnusedBytes),
        (Counter("oie_memory_swap_in_bytes_total", "Bytes the guest swapped in since it booted (libvirt balloon swap_in)"),
            m => m.SwapInBytes),
        (Counter("oie_memory_swap_out_bytes_total", "Bytes the guest swapped out since it booted (libvirt balloon swap_out)"),
            m => m.SwapOutBytes),
        (Counter("oie_memory_major_faults_total", "Major page faults (served from disk) in the guest since it booted (libvirt balloon major_fault)"),
            m => m.MajorFaults),
        (Counter("oie_memory_minor_faults_total", "Minor page faults in the guest since it booted (libvirt balloon minor_fault)"),
            m => m.MinorFaults),
    ];

    private static readonly MetricFamily[] AllFamilies = [.. Fields.Select(f => f.Family)];

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return _ => new MemoryCollector();
    }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public InstanceReadings Readings => InstanceReadings.Memory;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        foreach (var instance in snapshot.Instances)
        {
            if (instance.Stats.Memory is not { } memory)
            {
                continue;
            }
            var facts = instance.Facts;
            ReadOnlySpan<string> labels = [facts.Domain, facts.InstanceUuid, facts.UserUuid, facts.ProjectUuid];
            foreach (var (family, read) in Fields)
            {
                writer.WriteReported(family, instance, read(memory), labels);
            }
        }
    }

    private static MetricFamily Gauge(string name, string help) => new(name, help, MetricType.Gauge, Labels);

    private static MetricFamily Counter(string name, string help) => new(name, help, MetricType.Counter, Labels);
}
