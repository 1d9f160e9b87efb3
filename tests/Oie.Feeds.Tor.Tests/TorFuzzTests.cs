using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.Tor;
using Oie.Net;

namespace Oie.Feeds.Tor.Tests;

public class TorFuzzTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<TorFeed>();

    [Fact]
    public void Mutated_documents_never_throw() =>
        ParserFuzz.NeverThrows(Feed,
            ParserFuzz.Mutations(FeedHarness.Fixture("onionoo-details.json"), FeedHarness.Fixture("onionoo-details-default-fields.json")),
            iterations: 20_000);

    [Fact]
    public void Noise_never_throws() => ParserFuzz.NeverThrows(Feed, ParserFuzz.Noise, iterations: 10_000);

    private static readonly Gen<IpKey> Address = Gen.Frequency(
        (1, Gen.UInt.Select(IpKey.FromV4)),
        (1, Gen.UInt128.Select(IpKey.FromV6)));

    [Fact]
    public void Generated_documents_give_exactly_their_addresses() =>
        Gen.Select(Address.Array[0, 4], Gen.UShort).Array[0, 20].Sample(relays =>
        {
            var json = new StringBuilder("{\"version\":\"8.0\",\"relays\":[");
            foreach (var (addresses, port) in relays)
            {
                json.Append("{\"nickname\":\"r\",\"or_addresses\":[")
                    .AppendJoin(',', addresses.Select(a => a.IsV4 ? $"\"{a}:{port}\"" : $"\"[{a}]:{port}\""))
                    .Append("],\"flags\":[\"Exit\"]},");
            }
            json.Append("{}]}");

            var entries = Feed.Parse(json.ToString());

            Assert.Equal(0, entries.Invalid);
            Assert.Equal(
                relays.SelectMany(r => r.Item1).Distinct().OrderBy(a => a).Select(a => a.ToString()),
                entries.Ranges().Select(r => IpKey.Parse(r)).OrderBy(a => a).Select(a => a.ToString()));
        }, seed: ParserFuzz.Seed, iter: 5_000, threads: 1);
}
