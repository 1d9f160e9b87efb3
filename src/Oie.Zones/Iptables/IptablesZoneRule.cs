using System.Globalization;

namespace Oie.Zones.Iptables;

/// <summary>
/// One raw-table rule of the shape Neutron's iptables firewall writes (neutron/agent/linux/iptables_firewall.py,
/// IptablesFirewallDriver._get_jump_rules): <c>-A CHAIN (-m physdev --physdev-in DEV | -i DEV) -m comment --comment
/// "Set zone for …" -j CT --zone N</c>, DEV being <c>qvb</c>/<c>tap</c> + the port id's first 11 characters (or
/// <c>brq</c> + the network id's for the Linux bridge agent).
/// </summary>
internal readonly record struct IptablesZoneRule(string Device, ushort Zone, bool NeutronComment)
{
    /// <summary>The comment Neutron gives a zone rule (a port without stateful rules gets "Make … stateless" and
    /// <c>-j CT --notrack</c>, so no zone).</summary>
    public const string ZoneComment = "Set zone for ";

    /// <summary>The rule's device and zone, or false for any other line (a -j CT --notrack rule included).</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out IptablesZoneRule rule)
    {
        rule = default;
        if (!line.StartsWith("-A "))
            return false;
        ReadOnlySpan<char> previous = default, device = default;
        bool negated = false, inCt = false, comment = false;
        int? zone = null;
        var expect = Expect.Nothing;
        foreach (var token in new IptablesTokens(line))
        {
            switch (expect)
            {
                case Expect.Device:
                    if (!negated)
                        device = token;
                    break;
                case Expect.Comment:
                    comment |= token.StartsWith(ZoneComment);
                    break;
                case Expect.Target:
                    inCt = token.SequenceEqual("CT");
                    break;
                case Expect.Zone:
                    zone = ushort.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var z) ? z : null;
                    break;
            }
            expect = token switch
            {
                "--physdev-in" or "-i" or "--in-interface" => Expect.Device,
                "--comment" => Expect.Comment,
                "-j" or "--jump" => Expect.Target,
                "--zone" when inCt => Expect.Zone,
                _ => Expect.Nothing,
            };
            if (expect == Expect.Device)
                negated = previous.SequenceEqual("!");
            previous = token;
        }
        if (device.IsEmpty || zone is null)
            return false;
        rule = new IptablesZoneRule(device.ToString(), (ushort)zone.Value, comment);
        return true;
    }

    private enum Expect
    {
        Nothing,
        Device,
        Comment,
        Target,
        Zone,
    }
}
