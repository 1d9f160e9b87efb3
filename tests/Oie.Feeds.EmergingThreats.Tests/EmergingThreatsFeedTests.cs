using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.EmergingThreats;
using Oie.Net;

namespace Oie.Feeds.EmergingThreats.Tests;

/// <summary>What is the EmergingThreats feed's own: its line format, a 50 MB list of one address, generated lists.
/// What every feed must do is <see cref="EmergingThreatsConformance"/>.</summary>
public class EmergingThreatsFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<EmergingThreatsFeed>();

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

    [Fact]
    public void A_relative_path_is_a_local_file()
    {
        var source = Assert.Single(FeedHarness.Create<EmergingThreatsFeed>("-emergingthreats.url=./mirror/compromised-ips.txt").Descriptor.Sources);

        Assert.True(source.IsFile);
        Assert.Equal(Path.GetFullPath("mirror/compromised-ips.txt"), source.LocalPath);
    }

    [Fact]
    public void Generated_lists_give_exactly_their_addresses() =>
        Gen.UInt.Array[0, 50].Sample(addresses =>
        {
            var body = new StringBuilder("# generated\n");
            foreach (var address in addresses)
                body.Append(IpKey.FromV4(address)).Append('\n');

            var entries = Feed.Parse(body.ToString());

            Assert.Equal(0, entries.Invalid);
            Assert.Equal(addresses.Distinct().Order().Select(a => (a, a)), entries.V4);
            Assert.Equal(addresses.Length, entries.Listed);
        }, seed: ParserFuzz.Seed, iter: 5_000, threads: 1);
}
