using Oie.Abstractions;
using Oie.Feeds.CustomList;

namespace Oie.Feeds.CustomList.Tests;

public class CustomListFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<CustomListFeed>("-customlist.path=/etc/oie/custom-ips.txt");

    [Fact]
    public void Custom_list_with_comments_blanks_invalid_lines_cidrs_and_mixed_case_ipv6()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("custom-ips.txt"));

        Assert.Equal(
        [
            "1.2.3.4", "198.51.100.0-198.51.100.255", "203.0.113.10",
            "::ffff:192.0.2.7", "2001:db8::1", "2001:db8::2", "2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff",
        ], entries.Ranges());
        Assert.Equal(4, entries.Invalid); // not-an-ip, 300.1.2.3, 10.0.0.0/33, fe80::1%eth0
    }

    [Fact]
    public void Every_spelling_of_an_address_gives_the_same_key()
    {
        var entries = Feed.Parse("2001:DB8::1\n2001:db8::1\n2001:0db8:0000:0000:0000:0000:0000:0001\n2001:db8::0:1\n");

        Assert.Equal(["2001:db8::1"], entries.Ranges());
        Assert.Equal(1, entries.Count);
        Assert.Equal(4, entries.Listed);
    }

    [Fact]
    public void The_seed_example_file()
    {
        var entries = Feed.Parse("# comments allowed\n1.2.3.4\n2001:db8::1\n203.0.113.10\n");

        Assert.Equal(["1.2.3.4", "203.0.113.10", "2001:db8::1"], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
    }

    [Fact]
    public void Html_error_page_adds_nothing_and_is_invalid() =>
        Assert.Equal(8, BadBodies.AssertRejected(Feed, BadBodies.ErrorPage)); // one per line

    [Fact]
    public void Binary_garbage_adds_nothing_and_is_invalid() => BadBodies.AssertRejected(Feed, BadBodies.Garbage());
}
