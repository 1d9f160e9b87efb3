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

    [Fact]
    public void A_50_MB_body_of_one_address_holds_one_entry_not_one_per_line()
    {
        var line = "198.51.100.66\n"u8.ToArray();
        var body = new byte[50 * 1024 * 1024 / line.Length * line.Length];
        for (var at = 0; at < body.Length; at += line.Length)
            line.CopyTo(body, at);
        var lines = body.Length / line.Length;

        FeedEntriesBuilder? entries = null;
        var allocated = Oie.Testing.AllocationMeter.LeastOfThree(
            () => () =>
            {
                entries = new FeedEntriesBuilder();
                Feed.Parse(body, Feed.Descriptor.Sources[0], entries);
                return entries.Listed;
            },
            listed => Assert.Equal(lines, listed));

        Assert.Equal(1, entries!.Count);
        Assert.Equal(["198.51.100.66"], entries.Ranges());
        // Duplicates are dropped as they pile up: the builder never holds more than its first batch (4096 entries), where
        // keeping every line held 3.7 M of them (tens of MB) for this body.
        Assert.InRange(entries.Held, 1, 4096);
        Assert.True(allocated < 256 * 1024, $"parsing allocated {allocated:N0} bytes for {lines:N0} lines of one address");
    }
}
