using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.Spamhaus;
using Oie.Net;

namespace Oie.Feeds.Spamhaus.Tests;

/// <summary>What is the Spamhaus feed's own: both DROP forms line by line, prefixes of every length, its second list.
/// What every feed must do is <see cref="SpamhausConformance"/>.</summary>
public class SpamhausFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<SpamhausFeed>();

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
    public void A_truncated_json_lines_body_keeps_the_complete_lines_and_counts_the_cut_one()
    {
        var body = FeedHarness.Fixture("drop_v4.json");

        var entries = Feed.Parse(body.AsSpan(0, 70));

        Assert.Equal(["1.10.16.0-1.10.31.255"], entries.Ranges());
        Assert.Equal(1, entries.Invalid);
    }

    [Fact]
    public void Mirrored_files_and_no_ipv6_list()
    {
        Assert.Equal([new Uri("file:///srv/feeds/drop_v4.json")],
            FeedHarness.Create<SpamhausFeed>("-spamhaus.url=/srv/feeds/drop_v4.json", "-spamhaus.ipv6.url=").Descriptor.Sources);
        Assert.Equal([new Uri("file:///srv/feeds/drop.txt"), new Uri("https://mirror.internal/dropv6.txt")],
            FeedHarness.Create<SpamhausFeed>("-spamhaus.url=file:///srv/feeds/drop.txt", "-spamhaus.ipv6.url=https://mirror.internal/dropv6.txt")
                .Descriptor.Sources);
    }

    private static readonly Gen<(IpKey Network, int Length)> Cidr = Gen.Frequency(
        (1, Gen.Select(Gen.UInt, Gen.Int[0, 32], (v, l) => (IpKey.FromV4(v), l))),
        (1, Gen.Select(Gen.UInt128, Gen.Int[0, 128], (v, l) => (IpKey.FromV6(v), l))));

    /// <summary>Random CIDRs of every length, both families, in both forms: each gives exactly the range a naive
    /// reference computes bit by bit.</summary>
    [Fact]
    public void Generated_cidrs_give_exactly_their_ranges() =>
        Gen.Select(Cidr.Array[0, 20], Gen.Bool).Sample(t =>
        {
            var (cidrs, json) = t;
            var body = new StringBuilder("; Spamhaus DROP List\n");
            foreach (var (network, length) in cidrs)
                body.Append(json ? $"{{\"cidr\":\"{network}/{length}\",\"sblid\":\"SBL1\",\"rir\":\"ripencc\"}}\n" : $"{network}/{length} ; SBL1\n");
            if (json)
                body.Append("{\"type\":\"metadata\",\"timestamp\":1715660851,\"records\":").Append(cidrs.Length).Append("}\n");

            var entries = Feed.Parse(body.ToString());

            Assert.Equal(0, entries.Invalid);
            Assert.Equal(cidrs.Where(c => c.Network.IsV4).Select(c => Reference(c.Network.Value, c.Length, 32)).Distinct().Order(),
                entries.V4.Select(r => ((UInt128)r.First, (UInt128)r.Last)));
            Assert.Equal(cidrs.Where(c => c.Network.IsV6).Select(c => Reference(c.Network.Value, c.Length, 128)).Distinct().Order(),
                entries.V6.Select(r => (r.First, r.Last)));
        }, seed: ParserFuzz.Seed, iter: 5_000, threads: 1);

    private static (UInt128 First, UInt128 Last) Reference(UInt128 network, int length, int bits)
    {
        UInt128 first = 0, last = 0;
        for (var bit = bits - 1; bit >= 0; bit--)
        {
            var inPrefix = bits - 1 - bit < length;
            var value = (network >> bit) & 1;
            first = (first << 1) | (inPrefix ? value : 0);
            last = (last << 1) | (inPrefix ? value : 1);
        }
        return (first, last);
    }

    private static bool Covers(FeedEntriesBuilder entries, string address)
    {
        var key = Oie.Net.IpKey.Parse(address);
        return key.IsV4
            ? entries.V4.Any(r => r.First <= key.V4Value && key.V4Value <= r.Last)
            : entries.V6.Any(r => r.First <= key.Value && key.Value <= r.Last);
    }
}
