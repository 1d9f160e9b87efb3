using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.EmergingThreats;
using Oie.Net;

namespace Oie.Feeds.EmergingThreats.Tests;

public class EmergingThreatsFuzzTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<EmergingThreatsFeed>();

    [Fact]
    public void Mutated_lists_never_throw() =>
        ParserFuzz.NeverThrows(Feed, ParserFuzz.Mutations(FeedHarness.Fixture("compromised-ips.txt")), iterations: 20_000);

    [Fact]
    public void Noise_never_throws() => ParserFuzz.NeverThrows(Feed, ParserFuzz.Noise, iterations: 10_000);

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
