using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.Tor;
using Oie.Net;

namespace Oie.Feeds.Tor.Tests;

/// <summary>What is the Tor feed's own: the Onionoo document's details, its mirrors, generated documents. What every
/// feed must do is <see cref="TorConformance"/>.</summary>
public class TorFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<TorFeed>();

    [Fact]
    public void Bridges_are_not_exits()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("onionoo-details.json"));

        Assert.DoesNotContain("10.180.64.12", entries.Ranges());
    }

    [Theory]
    [InlineData("\"1.2.3.4:9001\"", "1.2.3.4")]
    [InlineData("\"1.2.3.4\"", "1.2.3.4")]
    [InlineData("\"[2001:DB8::1]:443\"", "2001:db8::1")]
    [InlineData("\"[2001:db8::1]\"", "2001:db8::1")]
    [InlineData("\"2001:db8:0:0::1\"", "2001:db8::1")]
    [InlineData("\"1.2.3.4\\u003a9001\"", "1.2.3.4")]
    public void Address_spellings(string json, string address)
    {
        var entries = Feed.Parse(Document(json));

        Assert.Equal([address], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
    }

    [Theory]
    [InlineData("\"1.2.3.4:\"")]
    [InlineData("\"1.2.3.4:65536\"")]
    [InlineData("\"1.2.3.4:90a\"")]
    [InlineData("\"[1.2.3.4]:443\"")]
    [InlineData("\"[2001:db8::1]443\"")]
    [InlineData("\"[2001:db8::1\"")]
    [InlineData("\"relay.example:443\"")]
    [InlineData("\"\"")]
    [InlineData("9001")]
    [InlineData("null")]
    [InlineData("[\"1.2.3.4:1\"]")]
    public void Invalid_addresses_are_skipped_and_counted(string json)
    {
        var entries = Feed.Parse(Document($"\"5.6.7.8:443\", {json}"));

        Assert.Equal(["5.6.7.8"], entries.Ranges());
        Assert.Equal(1, entries.Invalid);
    }

    [Fact]
    public void A_relay_that_is_not_an_object_is_counted()
    {
        var entries = Feed.Parse("""{"relays":[{"or_addresses":["5.6.7.8:443"]}, "1.2.3.4", 7]}""");

        Assert.Equal(["5.6.7.8"], entries.Ranges());
        Assert.Equal(2, entries.Invalid);
    }

    [Fact]
    public void Truncated_json_adds_nothing_and_is_invalid()
    {
        var body = FeedHarness.Fixture("onionoo-details.json");
        for (var length = 0; length < body.Length - 2; length += 7)
        {
            var entries = Feed.Parse(body.AsSpan(0, length));
            Assert.Equal(0, entries.Count);
            Assert.True(entries.Invalid > 0, $"cut at {length}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"relays\":{}}")]
    [InlineData("{\"version\":\"8.0\"} {\"relays\":[]}")]
    [InlineData("{\"relays\":[]} trailing")]
    public void Json_that_is_not_a_details_document_is_invalid(string body)
    {
        var entries = Feed.Parse(body);

        Assert.Equal(0, entries.Count);
        Assert.Equal(1, entries.Invalid);
    }

    [Fact]
    public void Byte_order_mark_and_an_empty_relay_list_are_fine()
    {
        var entries = Feed.Parse([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"relays\":[]}")]);

        Assert.Equal(0, entries.Count);
        Assert.Equal(0, entries.Invalid);
    }

    [Fact]
    public void Relays_sharing_an_address_count_it_once()
    {
        // Two relays on one host: six addresses in the document, two distinct.
        var entries = Feed.Parse("""
            {"relays":[
              {"or_addresses":["1.2.3.4:9001","[2001:db8::1]:9001"],"exit_addresses":["1.2.3.4"]},
              {"or_addresses":["1.2.3.4:443","[2001:DB8::1]:443"],"exit_addresses":["1.2.3.4"]}
            ]}
            """);

        Assert.Equal(["1.2.3.4", "2001:db8::1"], entries.Ranges());
        Assert.Equal(2, entries.Count);
        Assert.Equal(6, entries.Listed);
    }

    [Theory]
    [InlineData("-tor.url=file:///srv/mirror/tor.json", "file:///srv/mirror/tor.json")]
    [InlineData("-tor.url=/srv/mirror/tor.json", "file:///srv/mirror/tor.json")]
    [InlineData("-tor.url=http://mirror.internal:8080/details", "http://mirror.internal:8080/details")]
    public void Mirrors_and_files(string arg, string source)
    {
        Assert.Equal([new Uri(source)], FeedHarness.Create<TorFeed>(arg).Descriptor.Sources);
    }

    [Fact]
    public void Refresh_is_a_go_duration()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), FeedHarness.Create<TorFeed>("-tor.refresh=1h30m").Descriptor.Refresh);
    }

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

    private static string Document(string addresses) => $$"""{"relays":[{"or_addresses":[{{addresses}}]}]}""";
}
