using System.Text;

namespace Oie.Zones.Tests.Infra;

/// <summary>
/// Raw-table rules in the shapes of neutron/agent/linux/iptables_firewall.py (_get_jump_rules), in the
/// iptables-restore input Neutron's IptablesManager feeds (cf. IPTABLES_RAW_DEVICE_2 in
/// neutron/tests/unit/agent/test_securitygroups_rpc.py), chain prefix "neutron-openvswi" (the agent's binary name cut
/// to 16 characters).
/// </summary>
internal sealed class NeutronRawRules
{
    public const string Chain = "neutron-openvswi-PREROUTING";
    private readonly StringBuilder _rules = new();
    private int _position;

    /// <summary>iptables_hybrid (OVSHybridIptablesFirewallDriver): physdev-in qvb…, -i qvb…, physdev-in tap…; the
    /// comment names port['device'], the full port id there.</summary>
    public NeutronRawRules HybridPort(string portId, ushort zone) => Port(portId, $"Set zone for {portId}", $"--zone {zone}");

    /// <summary>A port whose security group rules are stateless: the same three matches with -j CT --notrack.</summary>
    public NeutronRawRules StatelessPort(string portId) => Port(portId, $"Make {portId} stateless", "--notrack");

    /// <summary>The Linux bridge agent (IptablesFirewallDriver, zone per network): physdev-in brq&lt;network&gt;,
    /// -i brq&lt;network&gt;, physdev-in tap&lt;port&gt;.</summary>
    public NeutronRawRules LinuxBridgePort(string portId, string networkId, ushort zone)
    {
        var bridge = "brq" + networkId[..11];
        var comment = $"Set zone for {portId[..10]}";
        return Add($"-m physdev --physdev-in {bridge} -m comment --comment \"{comment}\" -j CT --zone {zone}")
            .Add($"-i {bridge} -m comment --comment \"{comment}\" -j CT --zone {zone}")
            .Add($"-m physdev --physdev-in tap{portId[..11]} -m comment --comment \"{comment}\" -j CT --zone {zone}");
    }

    /// <summary>A rule that is not Neutron's (no comment, not a Neutron device).</summary>
    public NeutronRawRules Foreign(string rule)
    {
        _rules.Append("-A PREROUTING ").Append(rule).Append('\n');
        return this;
    }

    public string ToRestoreInput() => $"""
        *raw
        :{Chain} - [0:0]
        :neutron-openvswi-OUTPUT - [0:0]
        -I PREROUTING 1 -j {Chain}
        -I OUTPUT 1 -j neutron-openvswi-OUTPUT
        {_rules}COMMIT

        """;

    private NeutronRawRules Port(string portId, string comment, string ct)
    {
        var device = portId[..11];
        return Add($"-m physdev --physdev-in qvb{device} -m comment --comment \"{comment}\" -j CT {ct}")
            .Add($"-i qvb{device} -m comment --comment \"{comment}\" -j CT {ct}")
            .Add($"-m physdev --physdev-in tap{device} -m comment --comment \"{comment}\" -j CT {ct}");
    }

    private NeutronRawRules Add(string rule)
    {
        _rules.Append($"-I {Chain} {++_position} {rule}\n");
        return this;
    }
}
