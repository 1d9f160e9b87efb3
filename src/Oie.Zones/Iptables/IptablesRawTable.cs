namespace Oie.Zones.Iptables;

/// <summary>
/// The zones in an <c>iptables-save -t raw</c> listing. Read as Neutron reads its own rules back
/// (neutron/agent/linux/ip_conntrack.py, IpConntrackManager._populate_initial_zone_map: any rule on a device with
/// <c>-j CT --zone N</c>, the device's 3-letter prefix stripped; the comment is not needed, a later rule wins) and
/// also taking the <c>-i DEV</c> form. Only <c>qvb</c>/<c>tap</c> devices name ports; a <c>brq</c> device (the Linux
/// bridge agent's per-network zone) or a rule with Neutron's zone comment on another device adds a known zone only.
/// Other rules are somebody else's and ignored. Lines that are not rules of that shape are skipped: this never throws.
/// </summary>
internal static class IptablesRawTable
{
    private static readonly string[] PortDevicePrefixes = ["qvb", "tap"];
    private const string NetworkDevicePrefix = "brq";
    private const int DevicePrefixLength = 3;

    /// <param name="commentedRules">How many port rules carry Neutron's "Set zone for" comment: the sign, for probing,
    /// that Neutron wrote them (it has since 2017, commit c76164c "Move conntrack zones to IPTablesFirewall").</param>
    public static ZoneMap Parse(string text, out int commentedRules)
    {
        var ports = new List<KeyValuePair<string, ushort>>();
        var others = new List<ushort>();
        commentedRules = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!IptablesZoneRule.TryParse(line, out var rule))
                continue;
            var device = rule.Device;
            var prefix = device.Length > DevicePrefixLength ? device[..DevicePrefixLength] : "";
            var rest = device.Length > DevicePrefixLength ? device[DevicePrefixLength..] : "";
            if (PortDevicePrefixes.Contains(prefix) && PortIds.IsDevicePrefix(rest))
            {
                ports.Add(new(rest, rule.Zone));
                if (rule.NeutronComment && rule.Zone != 0)
                    commentedRules++;
            }
            else if (prefix == NetworkDevicePrefix || rule.NeutronComment)
            {
                others.Add(rule.Zone);
            }
        }
        return ZoneMap.Create(ZoneBackend.Iptables, ports, others);
    }
}
