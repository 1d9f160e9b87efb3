namespace Oie.Zones.Ovsdb;

/// <summary>ML2/OVS with the openvswitch firewall: each port's local VLAN (Port <c>other_config:tag</c>).</summary>
internal sealed class OvsZoneMapSource(OvsdbEndpoint db) : IProbingZoneMapSource
{
    private readonly OvsdbClient _client = new(db);

    internal OvsdbClient Client => _client;

    public string Description => $"OVS (Port other_config:tag of each Interface with an iface-id over {db})";

    public ZoneBackend Backend => ZoneBackend.Ovs;

    public ZoneMap Read(CancellationToken deadline) => _client.Transact(OvsZones.WriteOperations, OvsZones.Decode, deadline);

    /// <summary>The OVS agent's marks: at least one Interface with an iface-id on a Port with a tag.</summary>
    public bool TryProbe(CancellationToken deadline, out ZoneMap map)
    {
        map = Read(deadline);
        return map.Count > 0;
    }

    public void Dispose() => _client.Dispose();
}
