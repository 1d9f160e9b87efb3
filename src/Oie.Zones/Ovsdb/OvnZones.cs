using System.Globalization;
using System.Text.Json;

namespace Oie.Zones.Ovsdb;

/// <summary>What the OVN query found: whether this is an OVN chassis, its integration bridge and the zones there.</summary>
internal readonly record struct OvnZones(bool HasOvnRemote, string Bridge, bool BridgeFound, ZoneMap Map)
{
    private const string ZoneKeyPrefix = "ct-zone-";
    private const string DefaultBridge = "br-int";

    /// <summary>Open_vSwitch.external_ids (ovn-remote, system-id, ovn-bridge) and every Bridge's name and external_ids.</summary>
    public static void WriteOperations(Utf8JsonWriter writer)
    {
        OvsdbSelect.Write(writer, "Open_vSwitch", "external_ids");
        OvsdbSelect.Write(writer, "Bridge", "name", "external_ids");
    }

    /// <summary>
    /// ovn-controller (controller/ct-zone.c, ct_zones_commit) writes <c>ct-zone-&lt;name&gt;</c> = "N" into the
    /// integration bridge's external_ids for every zone it assigns: a logical port's name (for a VM, the Neutron port
    /// id) or a router's <c>&lt;name&gt;_dnat</c> / <c>_snat</c>. The bridge is external_ids
    /// <c>ovn-bridge-&lt;system-id&gt;</c>, else <c>ovn-bridge</c>, else br-int (controller/ovn-controller.c,
    /// br_int_name). Values are read as ovn-controller restores them (ct_zones_restore: base-10, others skipped).
    /// </summary>
    public static OvnZones Decode(JsonElement result)
    {
        var system = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in OvsdbJson.Rows(result, 0, "Open_vSwitch"))
            system = OvsdbJson.StringMap(OvsdbJson.Column(row, "Open_vSwitch", "external_ids"), "Open_vSwitch external_ids");
        var bridge = (system.TryGetValue("system-id", out var chassis) && system.TryGetValue("ovn-bridge-" + chassis, out var own) ? own : null)
                     ?? system.GetValueOrDefault("ovn-bridge") ?? DefaultBridge;
        var hasOvnRemote = system.ContainsKey("ovn-remote");

        foreach (var row in OvsdbJson.Rows(result, 1, "Bridge"))
        {
            var name = OvsdbJson.Column(row, "Bridge", "name");
            if (name.ValueKind != JsonValueKind.String)
                throw new OvsdbFormatException("a Bridge name is not a string");
            if (!name.ValueEquals(bridge))
                continue;
            var ids = OvsdbJson.StringMap(OvsdbJson.Column(row, "Bridge", "external_ids"), "Bridge external_ids");
            return new OvnZones(hasOvnRemote, bridge, true, ToMap(ids));
        }
        return new OvnZones(hasOvnRemote, bridge, false, ZoneMap.Create(ZoneBackend.Ovn, [], []));
    }

    private static ZoneMap ToMap(Dictionary<string, string> externalIds)
    {
        var ports = new List<KeyValuePair<string, ushort>>();
        var others = new List<ushort>();
        foreach (var (key, value) in externalIds)
        {
            if (!key.StartsWith(ZoneKeyPrefix, StringComparison.Ordinal) ||
                !ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var zone))
            {
                continue;
            }

            var user = key.AsSpan(ZoneKeyPrefix.Length);
            // Only a UUID is a (Neutron) port; "<router>_dnat", "<router>_snat" and the like are zones of other things.
            if (PortIds.IsUuid(user))
                ports.Add(new(user.ToString(), zone));
            else if (!user.IsEmpty)
                others.Add(zone);
        }
        return ZoneMap.Create(ZoneBackend.Ovn, ports, others);
    }
}
