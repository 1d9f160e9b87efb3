namespace Oie.Zones.Ovsdb;

/// <summary>ML2/OVN: the <c>ct-zone-*</c> keys ovn-controller keeps in the integration bridge's external_ids.</summary>
internal sealed class OvnZoneMapSource(OvsdbEndpoint db) : IProbingZoneMapSource
{
    private readonly OvsdbClient _client = new(db);

    internal OvsdbClient Client => _client;

    public string Description => $"OVN (ct-zone-* in the integration bridge's external_ids over {db})";

    public ZoneBackend Backend => ZoneBackend.Ovn;

    public ZoneMap Read(CancellationToken deadline) => Require(Query(deadline));

    /// <summary>An OVN chassis: ovn-controller is configured (ovn-remote) or has written port zones.</summary>
    public bool TryProbe(CancellationToken deadline, out ZoneMap map)
    {
        var zones = Query(deadline);
        map = ZoneMap.Empty;
        if (!zones.HasOvnRemote && zones.Map.Count == 0)
            return false;
        map = Require(zones);
        return true;
    }

    private OvnZones Query(CancellationToken deadline) => _client.Transact(OvnZones.WriteOperations, OvnZones.Decode, deadline);

    private ZoneMap Require(OvnZones zones) => zones.BridgeFound
        ? zones.Map
        : throw new ZoneMapException(
            $"OVSDB at {db} has no integration bridge {zones.Bridge} (ovn-controller creates it: is ovn-controller running " +
            $"on this node? Is this an ML2/OVN node? -{ZoneFlagNames.Backend} chooses the backend)");

    public void Dispose() => _client.Dispose();
}
