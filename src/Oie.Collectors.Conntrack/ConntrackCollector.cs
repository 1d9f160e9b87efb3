using Oie.Abstractions;
using Oie.Net;

namespace Oie.Collectors.Conntrack;

/// <summary>
/// Exports the cycle's conntrack table as the host read and attributed it: <c>oie_conntrack_ip_total</c> for the
/// fixed IPs with at least <c>-conntrack.min</c> entries, and the table's fill. No I/O: the table is in the snapshot.
/// </summary>
/// <remarks>
/// When libvirt is unavailable there are no instances to attribute to, so no <c>oie_conntrack_ip_total</c> is written;
/// the host-wide samples still are, because a full table drops packets on every instance whether or not libvirt
/// answers. When one family's listing failed, that family's fixed IPs are left out and the host-wide samples cover the
/// family that was read; when nothing could be read, the collector fails this cycle (the host reported why).
/// </remarks>
public sealed class ConntrackCollector : ICollector, ICollectorPlugin, IConntrackConsumer
{
    private static readonly MetricFamily IpTotal = new("oie_conntrack_ip_total", "Conntrack entries matched to this fixed IP",
        MetricType.Gauge, "domain", "instance_uuid", "ip", "family", "project_uuid", "user_uuid");
    private static readonly MetricFamily Entries = new("oie_conntrack_entries",
        "Conntrack entries read from the host table in the last cycle", MetricType.Gauge);
    private static readonly MetricFamily Max = new("oie_conntrack_max",
        "Size of the host conntrack table (net.netfilter.nf_conntrack_max)", MetricType.Gauge);
    private static readonly MetricFamily Malformed = new("oie_conntrack_malformed_lines",
        "Conntrack lines skipped as malformed in the last cycle", MetricType.Gauge);

    private static readonly MetricFamily[] AllFamilies = [IpTotal, Entries, Max, Malformed];

    /// <param name="min"><c>-conntrack.min</c>: a fixed IP is exported when at least this many entries match it.</param>
    public ConntrackCollector(int min = 20) => Min = min;

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        var min = flags.Int("conntrack.min", 20, "Minimum conntrack flows per fixed IP for oie_conntrack_ip_total.");
        return _ => new ConntrackCollector(min.Value);
    }

    public int Min { get; }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);
        var table = snapshot.RequireConntrack();

        if (snapshot.LibvirtAvailable)
            WriteIpTotals(table, writer);
        writer.WriteHostSample(Entries, table.Entries);
        if (table.Max is { } max)
            writer.WriteHostSample(Max, max);
        writer.WriteHostSample(Malformed, table.Malformed);
    }

    private void WriteIpTotals(ConntrackTable table, ISampleWriter writer)
    {
        for (var slot = 0; slot < table.Slots.Count; slot++)
        {
            var entry = table.Slots[slot];
            if (table.Counts[slot] < Min || !table.HasRead(entry.Address.Family))
                continue;
            var facts = entry.Instance.Facts;
            var family = entry.Address.Family == IpFamily.V4 ? "ipv4" : "ipv6";
            writer.Write(IpTotal, entry.Instance, table.Counts[slot],
                facts.Domain, facts.InstanceUuid, entry.Address.ToString(), family, facts.ProjectUuid, facts.UserUuid);
        }
    }
}
