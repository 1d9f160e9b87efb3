using System.Text.Json;
using Oie.Zones.Ovsdb;

namespace Oie.Zones.Tests;

/// <summary>The OVN and OVS decoders on hand-written transact results in RFC 7047's encodings.</summary>
public sealed class OvsdbDecodeTests
{
    private const string PortA = "aaaaaaaa-0000-4000-8000-00000000000a";
    private const string PortB = "bbbbbbbb-0000-4000-8000-00000000000b";

    private static T Decode<T>(string json, Func<JsonElement, T> decode)
    {
        using var document = JsonDocument.Parse(json);
        return decode(document.RootElement);
    }

    private static string OvnResult(string systemIds, string bridges) =>
        $$"""[{"rows":[{"external_ids":["map",[{{systemIds}}]]}]},{"rows":[{{bridges}}]}]""";

    [Fact]
    public void Ovn_takes_uuid_keys_as_ports_and_other_ct_zone_keys_as_known_zones()
    {
        var zones = Decode(OvnResult("""["ovn-remote","tcp:10.0.0.1:6642"],["system-id","hv1"]""", $$"""
            {"name":"br-ex","external_ids":["map",[["ct-zone-{{PortA}}","99"]]]},
            {"name":"br-int","external_ids":["map",[
              ["ct-zone-{{PortA}}","2"], ["ct-zone-{{PortB.ToUpperInvariant()}}","6"],
              ["ct-zone-705dd6c7-d2f5-4309-bb8b-c17f93ac041c_dnat","8"], ["ct-zone-neutron-705dd6c7-d2f5-4309-bb8b-c17f93ac041c_snat","9"],
              ["ct-zone-lrp-66666666-7777-4888-8999-000000000000","7"], ["ct-zone-","11"],
              ["ct-zone-cccccccc-0000-4000-8000-00000000000c","abc"], ["ct-zone-dddddddd-0000-4000-8000-00000000000d","70000"],
              ["ct-zone-eeeeeeee-0000-4000-8000-00000000000e","-1"], ["ct-zone-ffffffff-0000-4000-8000-00000000000f"," 5"],
              ["ovn-startup-ts","1796410051335"], ["ovn-nb-cfg","3"]]]}
            """), OvnZones.Decode);

        Assert.True(zones.HasOvnRemote);
        Assert.True(zones.BridgeFound);
        Assert.Equal("br-int", zones.Bridge);
        Assert.Equal(ZoneBackend.Ovn, zones.Map.Backend);
        Assert.Equal([new(PortA, 2), new(PortB, 6)], zones.Map.Ports);
        Assert.Equal([2, 6, 7, 8, 9], zones.Map.KnownZones);
    }

    [Theory]
    [InlineData("""["system-id","hv1"],["ovn-bridge","br-ovn"],["ovn-bridge-hv1","br-mine"]""", "br-mine")]
    [InlineData("""["system-id","hv2"],["ovn-bridge","br-ovn"],["ovn-bridge-hv1","br-mine"]""", "br-ovn")]
    [InlineData("""["ovn-bridge-hv1","br-mine"]""", "br-int")]
    [InlineData("", "br-int")]
    public void Ovn_reads_the_integration_bridge_ovn_controller_uses(string systemIds, string bridge)
    {
        var bridges = string.Join(',', new[] { "br-int", "br-ovn", "br-mine" }.Select((name, i) =>
            $$"""{"name":"{{name}}","external_ids":["map",[["ct-zone-{{PortA}}","{{i + 1}}"]]]}"""));
        var zones = Decode(OvnResult(systemIds, bridges), OvnZones.Decode);

        Assert.Equal(bridge, zones.Bridge);
        Assert.False(zones.HasOvnRemote);
        Assert.True(zones.Map.TryGetZone(PortA, out var zone));
        Assert.Equal(Array.IndexOf(["br-int", "br-ovn", "br-mine"], bridge) + 1, zone);
    }

    [Fact]
    public void Ovn_without_the_bridge_or_the_root_row_says_so()
    {
        var zones = Decode("""[{"rows":[]},{"rows":[{"name":"br-ex","external_ids":["map",[]]}]}]""", OvnZones.Decode);
        Assert.False(zones.BridgeFound);
        Assert.False(zones.HasOvnRemote);
        Assert.Equal(0, zones.Map.Count);
    }

    [Fact]
    public void Ovs_takes_the_tag_of_each_interfaces_port_from_other_config_only()
    {
        var zones = Decode($$"""
            [{"rows":[
               {"_uuid":["uuid","11111111-0000-4000-8000-000000000001"],"external_ids":["map",[["iface-id","{{PortA}}"],["iface-status","active"]]]},
               {"_uuid":["uuid","11111111-0000-4000-8000-000000000002"],"external_ids":["map",[["iface-id","{{PortB}}"]]]},
               {"_uuid":["uuid","11111111-0000-4000-8000-000000000003"],"external_ids":["map",[["iface-id","cccccccc-0000-4000-8000-00000000000c"]]]},
               {"_uuid":["uuid","11111111-0000-4000-8000-000000000004"],"external_ids":["map",[]]},
               {"_uuid":["uuid","11111111-0000-4000-8000-000000000005"],"external_ids":["map",[["iface-id","dddddddd-0000-4000-8000-00000000000d"]]]},
               {"_uuid":["uuid","11111111-0000-4000-8000-000000000006"],"external_ids":["map",[["iface-id",""]]]}]},
             {"rows":[
               {"interfaces":["uuid","11111111-0000-4000-8000-000000000001"],"other_config":["map",[["net_uuid","n1"],["tag","1"]]]},
               {"interfaces":["set",[["uuid","11111111-0000-4000-8000-000000000002"]]],"other_config":["map",[["tag","2"],["segmentation_id","1002"]]]},
               {"interfaces":["uuid","11111111-0000-4000-8000-000000000003"],"other_config":["map",[]]},
               {"interfaces":["set",[["uuid","11111111-0000-4000-8000-000000000004"]]],"other_config":["map",[["tag","3"]]]},
               {"interfaces":["uuid","11111111-0000-4000-8000-000000000005"],"other_config":["map",[["tag","x4"]]]},
               {"interfaces":["set",[["uuid","11111111-0000-4000-8000-000000000006"],["uuid","11111111-0000-4000-8000-000000000009"]]],"other_config":["map",[["tag","5"]]]},
               {"interfaces":["set",[]],"other_config":["map",[["tag","6"]]]}]}]
            """, OvsZones.Decode);

        Assert.Equal(ZoneBackend.Ovs, zones.Backend);
        Assert.Equal([new(PortA, 1), new(PortB, 2)], zones.Ports);
        Assert.Equal([1, 2, 3, 5, 6], zones.KnownZones);
    }

    [Theory]
    [InlineData("""{"rows":[]}""")]
    [InlineData("""[{"rows":[]}]""")]
    [InlineData("""[{"rows":{}},{"rows":[]}]""")]
    [InlineData("""[{"rows":[{"_uuid":["uuid","x"]}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[{"_uuid":"x","external_ids":["map",[]]}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[{"_uuid":["uuid",5],"external_ids":["map",[]]}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[{"_uuid":["uuid","x"],"external_ids":["set",[]]}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[{"_uuid":["uuid","x"],"external_ids":["map",[["iface-id",5]]]}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[{"_uuid":["uuid","x"],"external_ids":["map",[["iface-id"]]]}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[]},{"rows":[{"interfaces":["set",[["uuid",1]]],"other_config":["map",[]]}]}]""")]
    [InlineData("""[{"rows":[]},{"rows":[{"interfaces":["map",[]],"other_config":["map",[]]}]}]""")]
    [InlineData("""[{"rows":[]},{"rows":[{"interfaces":[1,2],"other_config":["map",[]]}]}]""")]
    [InlineData("""[{"rows":[]},{"rows":[5]}]""")]
    public void Ovs_refuses_shapes_that_are_not_the_schemas(string json)
    {
        Assert.Throws<OvsdbFormatException>(() => Decode(json, OvsZones.Decode));
    }

    [Theory]
    [InlineData("""[{"rows":[{"external_ids":{}}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[{}]},{"rows":[]}]""")]
    [InlineData("""[{"rows":[]},{"rows":[{"name":5,"external_ids":["map",[]]}]}]""")]
    [InlineData("""[{"rows":[]},{"rows":[{"name":"br-int"}]}]""")]
    [InlineData("""[{"rows":[]},{"rows":[{"name":"br-int","external_ids":["map",[["a","b","c"]]]}]}]""")]
    [InlineData("""[{"rows":[]}]""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    public void Ovn_refuses_shapes_that_are_not_the_schemas(string json)
    {
        Assert.Throws<OvsdbFormatException>(() => Decode(json, OvnZones.Decode));
    }
}
