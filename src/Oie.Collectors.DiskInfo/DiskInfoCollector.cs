using Oie.Abstractions;
using Oie.Collectors.Disk;

namespace Oie.Collectors.DiskInfo;

/// <summary>
/// Per disk, with the seed's disk labels: <c>oie_disk_info</c> = 1 with the disk's serial (Nova sets the Cinder volume
/// id), for every disk, a join target from a disk to its volume; and its capacity, allocation and physical size in
/// bytes, each when libvirt reported it this cycle.
/// </summary>
public sealed class DiskInfoCollector : ICollector, ICollectorPlugin, IInstanceReadingsConsumer
{
    private static readonly string[] Labels = [.. DiskLabels.Names];

    private static readonly MetricFamily Info = new("oie_disk_info",
        "Disk identity, always 1: the seed's disk labels and the disk's serial from the domain XML (the Cinder volume id; empty when none)",
        MetricType.Gauge, [.. DiskLabels.Names, "serial"]);

    private static readonly MetricFamily Capacity = new("oie_disk_capacity_bytes",
        "Size of the disk as the guest sees it (libvirt block capacity), bytes", MetricType.Gauge, Labels);

    private static readonly MetricFamily Allocation = new("oie_disk_allocation_bytes",
        "Host storage the disk has written so far, the highest written offset for qcow2 on a file (libvirt block allocation), bytes",
        MetricType.Gauge, Labels);

    private static readonly MetricFamily Physical = new("oie_disk_physical_bytes",
        "Host storage the disk occupies, its file or block device size (libvirt block physical), bytes", MetricType.Gauge, Labels);

    private static readonly MetricFamily[] AllFamilies = [Info, Capacity, Allocation, Physical];

    // The disk labels, then the serial; the writer reads them during each call only.
    private readonly string[] _labels = new string[DiskLabels.Count + 1];

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return _ => new DiskInfoCollector();
    }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public InstanceReadings Readings => InstanceReadings.DiskCapacity;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        ReadOnlySpan<string> diskLabels = _labels.AsSpan(0, DiskLabels.Count);
        foreach (var instance in snapshot.Instances)
        {
            var facts = instance.Facts;
            var capacities = instance.Stats.DiskCapacities;
            for (var d = 0; d < facts.Disks.Length; d++)
            {
                var disk = facts.Disks[d];
                DiskLabels.Fill(_labels, facts, disk);
                _labels[DiskLabels.Count] = disk.Serial;
                writer.Write(Info, instance, 1, _labels);
                if (d >= capacities.Length || capacities[d] is not { } capacity)
                {
                    continue;
                }
                writer.WriteReported(Capacity, instance, capacity.CapacityBytes, diskLabels);
                writer.WriteReported(Allocation, instance, capacity.AllocationBytes, diskLabels);
                writer.WriteReported(Physical, instance, capacity.PhysicalBytes, diskLabels);
            }
        }
    }
}
