using Oie.Abstractions;

namespace Oie.Collectors.Network;

/// <summary>
/// Per-interface network counters. An interface whose eight counters are all zero (or that has no stats this cycle)
/// exports nothing, so idle NICs make no eternal-zero series.
/// </summary>
public sealed class NetworkCollector : ICollector, ICollectorPlugin
{
    private const double BytesPerGiB = 1L << 30;

    private static readonly string[] Labels = ["domain", "interface", "instance_uuid", "user_uuid", "project_uuid"];

    private static readonly MetricFamily RxGBytes = new("oie_net_rx_gbytes", "Network receive gigabytes", MetricType.Counter, Labels);
    private static readonly MetricFamily TxGBytes = new("oie_net_tx_gbytes", "Network transmit gigabytes", MetricType.Counter, Labels);
    private static readonly MetricFamily RxPackets = new("oie_net_rx_pkt_total", "Network receive packets", MetricType.Counter, Labels);
    private static readonly MetricFamily TxPackets = new("oie_net_tx_pkt_total", "Network transmit packets", MetricType.Counter, Labels);
    private static readonly MetricFamily RxErrors = new("oie_net_rx_er_total", "Network receive errors", MetricType.Counter, Labels);
    private static readonly MetricFamily TxErrors = new("oie_net_tx_er_total", "Network transmit errors", MetricType.Counter, Labels);
    private static readonly MetricFamily RxDrops = new("oie_net_rx_drp_total", "Network receive dropped packets", MetricType.Counter, Labels);
    private static readonly MetricFamily TxDrops = new("oie_net_tx_drp_total", "Network transmit dropped packets", MetricType.Counter, Labels);

    private static readonly MetricFamily[] AllFamilies =
        [RxGBytes, TxGBytes, RxPackets, TxPackets, RxErrors, TxErrors, RxDrops, TxDrops];

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return _ => new NetworkCollector();
    }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        var instances = snapshot.Instances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var facts = instance.Facts;
            var counters = instance.Stats.Interfaces;
            for (var n = 0; n < facts.Interfaces.Length; n++)
            {
                if (n >= counters.Length || counters[n] is not { IsZero: false } c)
                    continue;
                ReadOnlySpan<string> labels =
                    [facts.Domain, facts.Interfaces[n], facts.InstanceUuid, facts.UserUuid, facts.ProjectUuid];
                writer.Write(RxGBytes, instance, c.RxBytes / BytesPerGiB, labels);
                writer.Write(TxGBytes, instance, c.TxBytes / BytesPerGiB, labels);
                writer.Write(RxPackets, instance, c.RxPackets, labels);
                writer.Write(TxPackets, instance, c.TxPackets, labels);
                writer.Write(RxErrors, instance, c.RxErrors, labels);
                writer.Write(TxErrors, instance, c.TxErrors, labels);
                writer.Write(RxDrops, instance, c.RxDrops, labels);
                writer.Write(TxDrops, instance, c.TxDrops, labels);
            }
        }
    }
}
