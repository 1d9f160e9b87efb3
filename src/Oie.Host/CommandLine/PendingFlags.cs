using Oie.Abstractions;

namespace Oie.Host.CommandLine;

/// <summary>
/// Seed flags of features that have not landed yet (conntrack, threat feeds). They are accepted and validated so that the
/// seed's ExecStart starts unchanged, and do nothing until their plugin takes them over.
/// </summary>
internal static class PendingFlags
{
    private const string Inert = " [accepted, not implemented yet]";

    public static void Define(FlagSet flags)
    {
        flags.Int("conntrack.min", 20, "Minimum conntrack flows per fixed IP for oie_conntrack_ip_total." + Inert);
        Feed(flags, "tor", "Tor exit-node contact detection",
            "https://onionoo.torproject.org/details?search=flag:exit&fields=or_addresses", TimeSpan.FromHours(1));
        Feed(flags, "spamhaus", "Spamhaus DROP contact detection", "https://www.spamhaus.org/drop/drop.txt", TimeSpan.FromHours(6));
        flags.String("spamhaus.ipv6.url", "https://www.spamhaus.org/drop/dropv6.txt", "Spamhaus DROPv6 list URL." + Inert);
        Feed(flags, "emergingthreats", "EmergingThreats compromised-IP contact detection",
            "https://rules.emergingthreats.net/blockrules/compromised-ips.txt", TimeSpan.FromHours(6));
        flags.Bool("customlist.enable", false, "Enable custom IP list contact detection." + Inert);
        flags.String("customlist.path", "", "Path to a file with one IP per line." + Inert);
        flags.Duration("customlist.refresh", TimeSpan.FromMinutes(10), "Custom IP list re-read interval." + Inert);
    }

    private static void Feed(FlagSet flags, string name, string what, string url, TimeSpan refresh)
    {
        flags.Bool(name + ".enable", false, $"Enable {what}." + Inert);
        flags.String(name + ".url", url, $"URL of the {name} list." + Inert);
        flags.Duration(name + ".refresh", refresh, $"Refresh interval of the {name} list." + Inert);
    }
}
