using System.Text;
using Oie.Abstractions;
using Oie.Feeds.Tor;

namespace Oie.Feeds.Tor.Tests;

public class TorFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<TorFeed>();

    [Fact]
    public void Details_document_gives_or_and_exit_addresses_of_every_relay_in_both_families()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("onionoo-details.json"));

        Assert.Equal(
        [
            "45.141.215.169", "185.220.101.1", "185.220.101.33", "192.42.116.16", "192.42.116.17", "204.8.96.92",
            "2001:67c:e60:c0c:192:42:116:16", "2001:67c:e60:c0c:192:42:116:17", "2a0b:f4c2:2::1",
        ], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
    }

    [Fact]
    public void Bridges_are_not_exits()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("onionoo-details.json"));

        Assert.DoesNotContain("10.180.64.12", entries.Ranges());
    }

    [Fact]
    public void The_default_url_document_has_only_or_addresses()
    {
        var entries = Feed.Parse(FeedHarness.Fixture("onionoo-details-default-fields.json"));

        Assert.Equal(["185.220.101.1", "204.8.96.92", "2a0b:f4c2:2::1"], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
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

    [Fact]
    public void Html_error_page_adds_nothing_and_is_invalid() =>
        Assert.Equal(1, BadBodies.AssertRejected(Feed, BadBodies.ErrorPage));

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
    public void Binary_garbage_adds_nothing_and_is_invalid() =>
        Assert.Equal(1, BadBodies.AssertRejected(Feed, BadBodies.Garbage()));

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

    private static string Document(string addresses) => $$"""{"relays":[{"or_addresses":[{{addresses}}]}]}""";
}
