using Oie.Zones.Iptables;
using Oie.Zones.Ovsdb;

namespace Oie.Zones;

/// <summary>The zone sources for each Neutron backend, and one that finds the node's backend by itself.</summary>
public static class ZoneMapSources
{
    /// <summary>The command run for iptables_hybrid (with <c>-t raw</c> appended).</summary>
    public static IReadOnlyList<string> DefaultIptablesCommand { get; } = ["iptables-save"];

    /// <summary>ML2/OVN: ovn-controller's <c>ct-zone-*</c> keys in the integration bridge's external_ids.</summary>
    public static IZoneMapSource Ovn(OvsdbEndpoint db) => new OvnZoneMapSource(Valid(db));

    /// <summary>ML2/OVS with the openvswitch firewall: each port's local VLAN tag.</summary>
    public static IZoneMapSource Ovs(OvsdbEndpoint db) => new OvsZoneMapSource(Valid(db));

    /// <summary>
    /// ML2/OVS iptables_hybrid or the Linux bridge agent: runs <paramref name="command"/> (an argv prefix, no shell;
    /// e.g. <c>["iptables-save"]</c> or <c>["ip","netns","exec",NS,"iptables-save"]</c>) with <c>-t raw</c>.
    /// </summary>
    public static IZoneMapSource Iptables(IReadOnlyList<string> command) => new IptablesZoneMapSource(ValidCommand(command));

    /// <summary>Probes OVN, then iptables, then OVS; see <see cref="AutoZoneMapSource"/>.</summary>
    public static AutoZoneMapSource Auto(OvsdbEndpoint db, IReadOnlyList<string> iptablesCommand, TimeProvider time, TimeSpan? reprobe = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new AutoZoneMapSource(
            [new OvnZoneMapSource(Valid(db)), new IptablesZoneMapSource(ValidCommand(iptablesCommand)), new OvsZoneMapSource(Valid(db))],
            time, reprobe ?? AutoZoneMapSource.DefaultReprobe);
    }

    private static OvsdbEndpoint Valid(OvsdbEndpoint db)
    {
        if (string.IsNullOrEmpty(db.SocketPath))
            throw new ArgumentException($"no OVSDB socket path (parse it with {nameof(OvsdbEndpoint)}.{nameof(OvsdbEndpoint.TryParse)})", nameof(db));
        return db;
    }

    private static IReadOnlyList<string> ValidCommand(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
            throw new ArgumentException("the iptables-save command is empty", nameof(command));
        return command;
    }
}
