namespace Oie.Zones;

/// <summary>Reads the node's current Neutron port → conntrack zone map from one backend.</summary>
public interface IZoneMapSource : IDisposable
{
    /// <summary>For logs, e.g. "OVN (ct-zone-* in the integration bridge's external_ids over unix:/run/openvswitch/db.sock)".</summary>
    string Description { get; }

    ZoneBackend Backend { get; }

    /// <summary>
    /// The current map; called once per collection cycle from one thread. Throws <see cref="ZoneMapException"/> on any
    /// failure and never blocks past <paramref name="deadline"/>.
    /// </summary>
    ZoneMap Read(CancellationToken deadline);
}
