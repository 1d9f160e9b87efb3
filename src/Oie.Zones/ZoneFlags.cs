namespace Oie.Zones;

/// <summary>The exporter flags that error messages point the operator to.</summary>
internal static class ZoneFlags
{
    public const string OvsDb = "-ovs.db";
    public const string Backend = "-conntrack.zones";
    public const string IptablesCommand = "-iptables.command";
}
