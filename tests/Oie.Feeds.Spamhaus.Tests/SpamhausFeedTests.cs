using Oie.Abstractions;
using Oie.Feeds.Spamhaus;

namespace Oie.Feeds.Spamhaus.Tests;

public class SpamhausFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<SpamhausFeed>();

    [Fact]
    public void Drop_txt_gives_every_cidr_whatever_its_length()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("drop.txt"));

        Assert.Equal(
        [
            "1.10.16.0-1.10.31.255", "1.19.0.0-1.19.255.255", "2.56.192.0-2.56.195.255", "5.134.128.0-5.134.159.255",
            "27.112.32.0-27.112.63.255", "45.8.220.0-45.8.223.255", "100.64.0.0-100.127.255.255", "223.254.0.0-223.255.255.255",
        ], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
    }

    [Fact]
    public void Dropv6_txt_gives_every_cidr_whatever_its_length()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("dropv6.txt"));

        Assert.Equal(
        [
            "2001:678:738::-2001:678:738:ffff:ffff:ffff:ffff:ffff",
            "2a06:5280::-2a06:5287:ffff:ffff:ffff:ffff:ffff:ffff",
            "2a0d:8340::-2a0d:8347:ffff:ffff:ffff:ffff:ffff:ffff",
            "2a14:7580:9000::-2a14:7580:9fff:ffff:ffff:ffff:ffff:ffff",
        ], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
    }

    /// <summary>The Go original bucketed IPv4 CIDRs by /16 and IPv6 by the first three hextets, so it missed every address
    /// of a shorter prefix outside the prefix's first bucket.</summary>
    [Theory]
    [InlineData("drop.txt", "100.127.255.255")]   // /10, far outside 100.64.0.0/16
    [InlineData("drop.txt", "100.100.1.2")]
    [InlineData("drop.txt", "223.255.0.1")]       // /15, in its second /16
    [InlineData("dropv6.txt", "2a06:5287:1234::1")] // /29, outside 2a06:5280:0000::/48
    [InlineData("dropv6.txt", "2a0d:8341::1")]
    [InlineData("dropv6.txt", "2a14:7580:9fff::1")] // /36, outside 2a14:7580:9000::/48
    public void Prefixes_shorter_than_the_old_buckets_cover_all_their_addresses(string fixture, string address)
    {
        Assert.True(Covers(Feed.Parse(FeedHarness.Fixture(fixture)), address), $"{address} not covered");
    }

    [Theory]
    [InlineData("drop.txt", "100.128.0.0")]
    [InlineData("drop.txt", "1.10.32.0")]
    [InlineData("dropv6.txt", "2a06:5288::")]
    [InlineData("dropv6.txt", "2001:678:739::1")]
    public void Addresses_just_outside_are_not_covered(string fixture, string address)
    {
        Assert.False(Covers(Feed.Parse(FeedHarness.Fixture(fixture)), address));
    }

    [Fact]
    public void Json_lines_form_gives_the_same_ranges_and_skips_the_metadata_line()
    {
        var v4 = Feed.Parse(FeedHarness.Fixture("drop_v4.json"));
        var v6 = Feed.Parse(FeedHarness.Fixture("drop_v6.json"));

        Assert.Equal(
            ["1.10.16.0-1.10.31.255", "1.19.0.0-1.19.255.255", "2.56.192.0-2.56.195.255", "100.64.0.0-100.127.255.255"],
            v4.Ranges());
        Assert.Equal(["2001:678:738::-2001:678:738:ffff:ffff:ffff:ffff:ffff", "2a06:5280::-2a06:5287:ffff:ffff:ffff:ffff:ffff:ffff"], v6.Ranges());
        Assert.Equal(0, v4.Invalid);
        Assert.Equal(0, v6.Invalid);
    }

    [Theory]
    [InlineData("1.10.16.0/20;SBL256894", "1.10.16.0-1.10.31.255")]
    [InlineData("  1.10.16.0/20   ;   SBL256894  \r", "1.10.16.0-1.10.31.255")]
    [InlineData("1.10.16.7/20 ; host bits ignored", "1.10.16.0-1.10.31.255")]
    [InlineData("0.0.0.0/0 ; everything", "0.0.0.0-255.255.255.255")]
    [InlineData("192.0.2.1/32 ; SBL1", "192.0.2.1")]
    [InlineData("192.0.2.1 ; a bare address", "192.0.2.1")]
    [InlineData("2001:DB8::/32 ; SBL2", "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("{ \"sblid\": \"SBL3\", \"cidr\": \"2001:db8::/127\", \"rir\": \"arin\" }", "2001:db8::-2001:db8::1")]
    [InlineData("{\"cidr\":\"10.0.0.0/8\",\"extra\":{\"nested\":[1,2]}}", "10.0.0.0-10.255.255.255")]
    public void Line_spellings(string line, string range)
    {
        var entries = Feed.Parse(line);

        Assert.Equal([range], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
    }

    [Theory]
    [InlineData("1.10.16.0/33 ; SBL1")]
    [InlineData("1.10.16.0/ ; SBL1")]
    [InlineData("1.10.16.0/020 ; SBL1")]
    [InlineData("1.10.16.0/-1 ; SBL1")]
    [InlineData("2001:db8::/129 ; SBL1")]
    [InlineData("1.10.16/20 ; SBL1")]
    [InlineData("SBL256894")]
    [InlineData("{\"cidr\":\"1.10.16.0/33\",\"sblid\":\"SBL1\"}")]
    [InlineData("{\"sblid\":\"SBL1\",\"rir\":\"apnic\"}")]
    [InlineData("{\"cidr\":\"1.10.16.0/20\"")]
    [InlineData("{\"cidr\":\"1.10.16.0/20\"} {\"cidr\":\"2.0.0.0/8\"}")]
    [InlineData("{\"cidr\":20}")]
    [InlineData("{\"type\":\"other\"}")]
    public void Invalid_lines_are_skipped_and_counted(string line)
    {
        var entries = Feed.Parse($"; comment\n{line}\n5.6.7.0/24 ; SBL9\n");

        Assert.Equal(["5.6.7.0-5.6.7.255"], entries.Ranges());
        Assert.Equal(1, entries.Invalid);
    }

    [Fact]
    public void Html_error_page_adds_nothing_and_is_invalid() =>
        Assert.Equal(8, BadBodies.AssertRejected(Feed, BadBodies.ErrorPage)); // one per line

    [Fact]
    public void Binary_garbage_adds_nothing_and_is_invalid() => BadBodies.AssertRejected(Feed, BadBodies.Garbage());

    [Fact]
    public void A_truncated_json_lines_body_keeps_the_complete_lines_and_counts_the_cut_one()
    {
        var body = FeedHarness.Fixture("drop_v4.json");

        var entries = Feed.Parse(body.AsSpan(0, 70));

        Assert.Equal(["1.10.16.0-1.10.31.255"], entries.Ranges());
        Assert.Equal(1, entries.Invalid);
    }

    private static bool Covers(FeedEntriesBuilder entries, string address)
    {
        var key = Oie.Net.IpKey.Parse(address);
        return key.IsV4
            ? entries.V4.Any(r => r.First <= key.V4Value && key.V4Value <= r.Last)
            : entries.V6.Any(r => r.First <= key.Value && key.Value <= r.Last);
    }
}
