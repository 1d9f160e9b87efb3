using Oie.Abstractions;
using Oie.Feeds.EmergingThreats;

namespace Oie.Feeds.EmergingThreats.Tests;

public class EmergingThreatsFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<EmergingThreatsFeed>();

    [Fact]
    public void Compromised_ips_txt_gives_one_address_per_line()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("compromised-ips.txt"));

        Assert.Equal(
        [
            "1.13.3.171", "1.15.59.166", "2.57.122.31", "5.181.80.120", "23.94.5.105", "45.128.232.12", "103.145.13.229",
            "185.224.128.17", "194.26.29.113",
        ], entries.Ranges());
        Assert.Empty(entries.V6);
        Assert.Equal(0, entries.Invalid);
    }

    [Fact]
    public void Comments_blanks_crlf_and_invalid_lines()
    {
        var entries = Feed.Parse(
            "# header\r\n1.2.3.4\r\n\r\n   \n 5.6.7.8 \t# trailing note\n1.2.3.256\n1.2.3\n01.2.3.4\n1.2.3.0/24\nevil.example\n# 9.9.9.9\n10.0.0.1");

        Assert.Equal(["1.2.3.4", "5.6.7.8", "10.0.0.1"], entries.Ranges());
        Assert.Equal(5, entries.Invalid);
    }

    [Fact]
    public void An_ipv6_address_is_taken_rather_than_dropped()
    {
        Assert.Equal(["2001:db8::1"], Feed.Parse("2001:DB8::1\n").Ranges());
    }

    [Fact]
    public void Html_error_page_adds_nothing_and_is_invalid() =>
        Assert.Equal(8, BadBodies.AssertRejected(Feed, BadBodies.ErrorPage)); // one per line

    [Fact]
    public void Binary_garbage_adds_nothing_and_is_invalid() => BadBodies.AssertRejected(Feed, BadBodies.Garbage());

    [Fact]
    public void Empty_body_is_empty()
    {
        var entries = Feed.Parse("");

        Assert.Equal(0, entries.Count);
        Assert.Equal(0, entries.Invalid);
    }
}
