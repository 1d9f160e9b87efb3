using Oie.Abstractions;

namespace Oie.Feeds.Spamhaus;

/// <summary>
/// Spamhaus DROP: <c>drop.txt</c> (<c>-NAME.url</c>) and <c>dropv6.txt</c> (<c>-NAME.ipv6.url</c>), each a source
/// of its own. Every CIDR is kept whatever its length and family, so a /10 or a /29 of IPv6 matches every address in it.
/// </summary>
public sealed class SpamhausFeed(FeedDescriptor descriptor) : IThreatFeed, IThreatFeedPlugin
{
    public const string Help = "1 if this instance communicated with a Spamhaus DROP-listed IP during the collection interval";
    public const string DefaultUrl = "https://www.spamhaus.org/drop/drop.txt";
    public const string DefaultIpv6Url = "https://www.spamhaus.org/drop/dropv6.txt";
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromHours(6);

    public FeedDescriptor Descriptor { get; } = descriptor;

    public static FeedFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        var feed = FeedFlags.Define(plugin, flags, Help, DefaultRefresh, "the Spamhaus DROP lists");
        var url = feed.Source("url", DefaultUrl, "Spamhaus DROP list of IPv4 CIDRs");
        var ipv6Url = feed.OptionalSource("ipv6.url", DefaultIpv6Url, "Spamhaus DROPv6 list of IPv6 CIDRs");
        return _ => new SpamhausFeed(feed.Descriptor(ipv6Url.Value is { } v6 ? [url.Value, v6] : [url.Value]));
    }

    /// <summary>Either form, line by line: <c>1.10.16.0/20 ; SBL256894</c> with <c>;</c> comment lines, or one JSON object
    /// per line (<c>{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}</c>) and a metadata line.</summary>
    public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries) => DropList.Parse(body, entries);
}
