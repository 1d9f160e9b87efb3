using Oie.Abstractions;
using Oie.Feeds.CustomList;

namespace Oie.Feeds.CustomList.Tests;

/// <summary>The custom list against what every feed must do, with the operator's file as its fixture.</summary>
public sealed class CustomListConformance : FeedConformance<CustomListFeed, CustomListConformance>, IFeedCases
{
    public static TheoryData<string, string[], int> RealisticFixtures => new()
    {
        // Comments, blanks, invalid lines (not-an-ip, 300.1.2.3, 10.0.0.0/33, fe80::1%eth0), CIDRs, mixed-case IPv6.
        {
            "custom-ips.txt",
            [
                "1.2.3.4", "198.51.100.0-198.51.100.255", "203.0.113.10",
                "::ffff:192.0.2.7", "2001:db8::1", "2001:db8::2", "2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff",
            ],
            4
        },
    };

    public static TheoryData<string, string> FlagsWithDefaults => new()
    {
        { "customlist.path", "\"\"" },
        { "customlist.refresh", "10m0s" },
    };

    public static TheoryData<string, string, string?> BadArguments => new()
    {
        { "-customlist.refresh=0", "-customlist.refresh", null },
    };

    /// <summary>Enabled, the custom list needs its path.</summary>
    protected override string[] WorkingArgs => ["-customlist.path=/opt/openstack_instance_exporter/custom-ips.txt"];

    /// <summary>The descriptor names the file.</summary>
    protected override FeedDescriptor ExpectedDescriptor => new(
        "customlist", "oie_customlist_contact", "1 if this instance communicated with an IP from the user-provided custom list",
        [new Uri("file:///opt/openstack_instance_exporter/custom-ips.txt")], TimeSpan.FromMinutes(10));

    /// <summary>One per line.</summary>
    protected override int ErrorPageInvalid => 8;

    protected override string[] FuzzSeeds => ["custom-ips.txt"];
}
