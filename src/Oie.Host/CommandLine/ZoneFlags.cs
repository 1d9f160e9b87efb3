using Oie.Abstractions;
using Oie.Zones;

namespace Oie.Host.CommandLine;

/// <summary><c>-conntrack.zones</c>: where the node's Neutron backend keeps each port's conntrack zone.</summary>
internal enum ZoneMode
{
    Auto,
    Ovn,
    Ovs,
    Iptables,
    None,
}

/// <summary>The zone map's flags: which backend, and how to reach it.</summary>
internal sealed class ZoneFlags
{
    public ZoneFlags(FlagSet flags)
    {
        Mode = flags.Custom<ZoneMode>(ZoneFlagNames.Backend, "auto",
            "Where each Neutron port's conntrack zone is read, to tell apart instances that share a fixed IP:\n" +
            "ovn (ct-zone-* in the integration bridge's external_ids), ovs (the OVS agent's local VLAN tags),\n" +
            "iptables (iptables_hybrid's raw-table CT --zone rules), none (addresses alone), or auto (the first of\n" +
            "ovn, iptables, ovs found on the node, else none).",
            ParseMode);
        OvsDb = flags.Custom<OvsdbEndpoint>(ZoneFlagNames.OvsDb, OvsdbEndpoint.Default,
            "The Open vSwitch database for -conntrack.zones=ovn|ovs|auto (read over its JSON-RPC protocol, no ovs-vsctl).",
            OvsdbEndpoint.TryParse);
        IptablesCommand = flags.Custom<string[]>(ZoneFlagNames.IptablesCommand, string.Join(' ', ZoneMapSources.DefaultIptablesCommand),
            "The iptables-save tool for -conntrack.zones=iptables|auto, split on whitespace and run without a shell\n" +
            "as COMMAND -t raw; wrap it to read another namespace, e.g. \"ip netns exec NS iptables-save\".",
            FlagParsers.Command("iptables-save", "iptables-save or \"ip netns exec NS iptables-save\""));
    }

    public Flag<ZoneMode> Mode { get; }
    public Flag<OvsdbEndpoint> OvsDb { get; }
    public Flag<string[]> IptablesCommand { get; }

    /// <summary>The zone map source the flags choose; null for <c>none</c>.</summary>
    public IZoneMapSource? CreateSource(TimeProvider time) => Mode.Value switch
    {
        ZoneMode.Ovn => ZoneMapSources.Ovn(OvsDb.Value),
        ZoneMode.Ovs => ZoneMapSources.Ovs(OvsDb.Value),
        ZoneMode.Iptables => ZoneMapSources.Iptables(IptablesCommand.Value),
        ZoneMode.Auto => ZoneMapSources.Auto(OvsDb.Value, IptablesCommand.Value, time),
        _ => null,
    };

    internal static string? ParseMode(string text, out ZoneMode mode)
    {
        (mode, var error) = text switch
        {
            "auto" => (ZoneMode.Auto, (string?)null),
            "ovn" => (ZoneMode.Ovn, null),
            "ovs" => (ZoneMode.Ovs, null),
            "iptables" => (ZoneMode.Iptables, null),
            "none" => (ZoneMode.None, null),
            _ => (ZoneMode.Auto, "must be auto, ovn, ovs, iptables or none"),
        };
        return error;
    }
}
