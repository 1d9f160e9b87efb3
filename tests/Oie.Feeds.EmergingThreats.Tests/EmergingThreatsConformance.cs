using Oie.Abstractions;
using Oie.Feeds.EmergingThreats;

namespace Oie.Feeds.EmergingThreats.Tests;

/// <summary>The EmergingThreats feed against what every feed must do, with its compromised-IP list.</summary>
public sealed class EmergingThreatsConformance : FeedConformance<EmergingThreatsFeed, EmergingThreatsConformance>, IFeedCases
{
    public static TheoryData<string, string[], int> RealisticFixtures => new()
    {
        // One address per line, IPv4 only.
        {
            "compromised-ips.txt",
            [
                "1.13.3.171", "1.15.59.166", "2.57.122.31", "5.181.80.120", "23.94.5.105", "45.128.232.12", "103.145.13.229",
                "185.224.128.17", "194.26.29.113",
            ],
            0
        },
    };

    public static TheoryData<string, string> FlagsWithDefaults => new()
    {
        { "emergingthreats.url", "\"https://rules.emergingthreats.net/blockrules/compromised-ips.txt\"" },
        { "emergingthreats.refresh", "6h0m0s" },
    };

    public static TheoryData<string, string, string?> BadArguments => new()
    {
        { "-emergingthreats.url=s3://bucket/compromised-ips.txt", "-emergingthreats.url", null },
        { "-emergingthreats.url=https:///compromised-ips.txt", "-emergingthreats.url", null },
        { "-emergingthreats.refresh=6", "-emergingthreats.refresh", null },
    };

    /// <summary>The Go exporter's hit lines say EMTHREATS, not the name in capitals.</summary>
    protected override FeedDescriptor ExpectedDescriptor => new(
        "emergingthreats", "oie_emergingthreats_contact",
        "1 if this instance communicated with an IP listed in the EmergingThreats compromised IP feed",
        [new Uri("https://rules.emergingthreats.net/blockrules/compromised-ips.txt")], TimeSpan.FromHours(6))
    { HitTag = "EMTHREATS" };

    /// <summary>One per line.</summary>
    protected override int ErrorPageInvalid => 8;

    protected override string[] FuzzSeeds => ["compromised-ips.txt"];
}
