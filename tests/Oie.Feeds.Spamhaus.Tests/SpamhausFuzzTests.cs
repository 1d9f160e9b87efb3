using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.Spamhaus;
using Oie.Net;

namespace Oie.Feeds.Spamhaus.Tests;

public class SpamhausFuzzTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<SpamhausFeed>();

    [Fact]
    public void Mutated_lists_never_throw() =>
        ParserFuzz.NeverThrows(Feed,
            ParserFuzz.Mutations(
                FeedHarness.Fixture("drop.txt"), FeedHarness.Fixture("dropv6.txt"),
                FeedHarness.Fixture("drop_v4.json"), FeedHarness.Fixture("drop_v6.json")),
            iterations: 20_000);

    [Fact]
    public void Noise_never_throws() => ParserFuzz.NeverThrows(Feed, ParserFuzz.Noise, iterations: 10_000);

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
}
