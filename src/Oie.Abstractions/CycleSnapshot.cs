namespace Oie.Abstractions;

/// <summary>Everything one collection cycle read, immutable once built.</summary>
public sealed class CycleSnapshot
{
    /// <summary>When the cycle started (TimeProvider.GetTimestamp()).</summary>
    public required long Timestamp { get; init; }

    /// <summary>False when libvirt could not be read this cycle: <see cref="Instances"/> is then empty and says
    /// nothing about which instances exist.</summary>
    public required bool LibvirtAvailable { get; init; }

    /// <summary>The active domains of this cycle, in listing order.</summary>
    public required IReadOnlyList<Instance> Instances { get; init; }

    /// <summary>This cycle's conntrack table, read and attributed to <see cref="Instances"/>' fixed IPs before the
    /// collectors run; null when nothing enabled needs it (no conntrack collector, no threat feed).</summary>
    public ConntrackTable? Conntrack { get; init; }

    /// <summary>The conntrack table, for a collector that exports from it (an <see cref="IConntrackConsumer"/>).
    /// Throws <see cref="CollectorSourceException"/> (already reported by the host) when none of it could be read this
    /// cycle, so that the collector's samples are left out.</summary>
    public ConntrackTable RequireConntrack()
    {
        var table = Conntrack ?? throw new InvalidOperationException("the host did not read the conntrack table this cycle");
        if (table.IsFailed)
            throw new CollectorSourceException("conntrack", string.Join("; ", table.Errors), alreadyReported: true);
        return table;
    }
}

/// <summary>One active domain: its (cached) facts and this cycle's counters.</summary>
public sealed class Instance(InstanceFacts facts, InstanceStats stats)
{
    public InstanceFacts Facts { get; } = facts;
    public InstanceStats Stats { get; } = stats;

    public override string ToString() => $"{Facts.Domain} ({Facts.InstanceUuid})";
}
