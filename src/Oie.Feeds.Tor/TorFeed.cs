using Oie.Abstractions;

namespace Oie.Feeds.Tor;

/// <summary>
/// Tor exit relays from Onionoo's <c>details</c> document: every relay's <c>or_addresses</c> (<c>1.2.3.4:9001</c>,
/// <c>[2001:db8::1]:443</c>) and, when the document has them, its <c>exit_addresses</c> (an exit's egress address can
/// differ from its OR address; ask for them with <c>&amp;fields=or_addresses,exit_addresses</c>).
/// </summary>
public sealed class TorFeed(FeedDescriptor descriptor) : IThreatFeed, IThreatFeedPlugin
{
    public const string Help = "1 if this instance communicated with a Tor exit node during the collection interval";
    public const string DefaultUrl = "https://onionoo.torproject.org/details?search=flag:exit&fields=or_addresses";
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromHours(1);

    public FeedDescriptor Descriptor { get; } = descriptor;

    public static FeedFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        var feed = FeedFlags.Define(plugin, flags, Help, DefaultRefresh, "the Tor exit-node list");
        var url = feed.Source("url", DefaultUrl, "Onionoo details document listing the Tor exit relays");
        return _ => new TorFeed(feed.Descriptor([url.Value]));
    }

    /// <summary>A body that is not one complete JSON document with a <c>relays</c> array adds nothing and counts one
    /// invalid entry, so a truncated download never half-replaces the list in force.</summary>
    public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries) => OnionooDetails.Parse(body, entries);
}
