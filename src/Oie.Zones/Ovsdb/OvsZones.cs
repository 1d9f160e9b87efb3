using System.Globalization;
using System.Text.Json;

namespace Oie.Zones.Ovsdb;

/// <summary>
/// The ML2/OVS agent's zones: with the openvswitch firewall a port's conntrack zone is its network's local VLAN
/// (neutron/agent/linux/openvswitch_firewall/firewall.py: OFPort.vlan_tag, loaded into REG_NET and used as
/// <c>ct(zone=NXM_NX_REG&lt;REG_NET&gt;[0..15])</c>), which the firewall takes from the Port row's <c>other_config:tag</c> only
/// (get_tag_from_other_config; a port without it is not filtered, so it has no zone here either). The agent writes it
/// in OVSNeutronAgent.port_bound; the Port <c>tag</c> column is set to the same VLAN but is not read. The Interface's
/// <c>external_ids:iface-id</c> is the Neutron port id (ovs_lib get_vif_port_by_id).
/// </summary>
internal static class OvsZones
{
    public static void WriteOperations(Utf8JsonWriter writer)
    {
        OvsdbSelect.Write(writer, "Interface", "_uuid", "external_ids");
        OvsdbSelect.Write(writer, "Port", "interfaces", "other_config");
    }

    public static ZoneMap Decode(JsonElement result)
    {
        var portIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in OvsdbJson.Rows(result, 0, "Interface"))
        {
            var uuid = OvsdbJson.Uuid(OvsdbJson.Column(row, "Interface", "_uuid"), "Interface _uuid");
            var ids = OvsdbJson.StringMap(OvsdbJson.Column(row, "Interface", "external_ids"), "Interface external_ids");
            if (ids.TryGetValue("iface-id", out var portId) && portId.Length > 0)
                portIds[uuid] = portId;
        }
        var ports = new List<KeyValuePair<string, ushort>>();
        var tags = new List<ushort>();
        foreach (var row in OvsdbJson.Rows(result, 1, "Port"))
        {
            var otherConfig = OvsdbJson.StringMap(OvsdbJson.Column(row, "Port", "other_config"), "Port other_config");
            var interfaces = OvsdbJson.UuidSet(OvsdbJson.Column(row, "Port", "interfaces"), "Port interfaces");
            if (!otherConfig.TryGetValue("tag", out var text) ||
                !ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
            {
                continue;
            }

            tags.Add(tag);
            foreach (var iface in interfaces)
            {
                if (portIds.TryGetValue(iface, out var portId))
                    ports.Add(new(portId, tag));
            }
        }
        return ZoneMap.Create(ZoneBackend.Ovs, ports, tags);
    }
}
