namespace Oie.Zones;

/// <summary>The exporter's zone-map flags (without the leading dash): the host defines them under these names, and
/// error messages point the operator to them.</summary>
public static class ZoneFlagNames
{
    public const string OvsDb = "ovs.db";
    public const string Backend = "conntrack.zones";
    public const string IptablesCommand = "iptables.command";
}
