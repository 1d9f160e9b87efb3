using Oie.Abstractions;

namespace Oie.Collectors.Disk;

/// <summary>
/// Per-disk read/write alert thresholds (always, for every disk) and I/O counters (only when the disk has stats and
/// any of them is non-zero).
/// </summary>
public sealed class DiskCollector : ICollector, ICollectorPlugin
{
    private const double BytesPerGiB = 1L << 30;

    private static readonly string[] Labels = [.. DiskLabels.Names];

    private static readonly MetricFamily ReadThreshold =
        new("oie_disk_r_alert_threshold", "Disk read alert threshold", MetricType.Gauge, CacheLifetime.Static, Labels);
    private static readonly MetricFamily WriteThreshold =
        new("oie_disk_w_alert_threshold", "Disk write alert threshold", MetricType.Gauge, CacheLifetime.Static, Labels);
    private static readonly MetricFamily ReadGBytes = new("oie_disk_r_gbytes", "Disk read gigabytes", MetricType.Counter, Labels);
    private static readonly MetricFamily WriteGBytes = new("oie_disk_w_gbytes", "Disk write gigabytes", MetricType.Counter, Labels);
    private static readonly MetricFamily ReadRequests = new("oie_disk_r_requests", "Disk read requests", MetricType.Counter, Labels);
    private static readonly MetricFamily WriteRequests = new("oie_disk_w_requests", "Disk write requests", MetricType.Counter, Labels);

    private static readonly MetricFamily[] AllFamilies =
        [ReadThreshold, WriteThreshold, ReadGBytes, WriteGBytes, ReadRequests, WriteRequests];

    private readonly ThresholdMap _readThresholds;
    private readonly ThresholdMap _writeThresholds;
    private readonly double _defaultReadThreshold;
    private readonly double _defaultWriteThreshold;
    private readonly string[] _labels = new string[DiskLabels.Count];

    public DiskCollector(ThresholdMap readThresholds, ThresholdMap writeThresholds, double defaultReadThreshold, double defaultWriteThreshold)
    {
        _readThresholds = readThresholds;
        _writeThresholds = writeThresholds;
        _defaultReadThreshold = defaultReadThreshold;
        _defaultWriteThreshold = defaultWriteThreshold;
    }

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var read = flags.Tolerant<ThresholdMap>("read.thresholds", "",
            "Read alert thresholds per disk type, e.g. \"default:500,local:200,ultra:2500\"", ThresholdMap.Parse);
        var write = flags.Tolerant<ThresholdMap>("write.thresholds", "",
            "Write alert thresholds per disk type, e.g. \"default:500,local:200,ultra:2500\"", ThresholdMap.Parse);
        var defaultRead = flags.Double("default.read.threshold", 100,
            "Read alert threshold for disk types with no entry (and no default entry) in -read.thresholds");
        var defaultWrite = flags.Double("default.write.threshold", 100,
            "Write alert threshold for disk types with no entry (and no default entry) in -write.thresholds");
        return _ => new DiskCollector(read.Value, write.Value, defaultRead.Value, defaultWrite.Value);
    }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        var instances = snapshot.Instances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var facts = instance.Facts;
            var counters = instance.Stats.Disks;
            for (var d = 0; d < facts.Disks.Length; d++)
            {
                var disk = facts.Disks[d];
                DiskLabels.Fill(_labels, facts, disk);
                ReadOnlySpan<string> labels = _labels;
                writer.Write(ReadThreshold, instance, _readThresholds.Resolve(disk.Type, _defaultReadThreshold), labels);
                writer.Write(WriteThreshold, instance, _writeThresholds.Resolve(disk.Type, _defaultWriteThreshold), labels);
                if (d >= counters.Length || counters[d] is not { IsZero: false } io)
                    continue;
                writer.Write(ReadGBytes, instance, io.ReadBytes / BytesPerGiB, labels);
                writer.Write(WriteGBytes, instance, io.WriteBytes / BytesPerGiB, labels);
                writer.Write(ReadRequests, instance, io.ReadRequests, labels);
                writer.Write(WriteRequests, instance, io.WriteRequests, labels);
            }
        }
    }
}
