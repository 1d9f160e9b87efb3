using Oie.Abstractions;

namespace Oie.Feeds.EmergingThreats;

/// <summary>
/// EmergingThreats <c>compromised-ips.txt</c>: one address per line, <c>#</c> comments. The list is IPv4 today; an IPv6
/// address is taken as well rather than silently dropped. Anything else on a line (a CIDR, a host name, HTML) is skipped
/// and counted invalid.
/// </summary>
public sealed class EmergingThreatsFeed(FeedDescriptor descriptor) : IThreatFeed, IThreatFeedPlugin
{
    public const string Help = "1 if this instance communicated with an IP listed in the EmergingThreats compromised IP feed";
    public const string DefaultUrl = "https://rules.emergingthreats.net/blockrules/compromised-ips.txt";
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromHours(6);

    /// <summary>What the Go exporter's hit lines call this feed: <c>[THREAT] EMTHREATS-HIT: …</c>.</summary>
    public const string HitTag = "EMTHREATS";

    public FeedDescriptor Descriptor { get; } = descriptor;

    public static FeedFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        var feed = FeedFlags.Define(plugin, flags, Help, DefaultRefresh, "the EmergingThreats list");
        var url = feed.Source("url", DefaultUrl, "EmergingThreats compromised-IP list");
        return _ => new EmergingThreatsFeed(feed.Descriptor([url.Value]) with { HitTag = HitTag });
    }

    public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries)
    {
        foreach (var line in new FeedLines(body))
        {
            var entry = FeedText.BeforeComment(line, (byte)'#');
            if (!entry.IsEmpty && !entries.TryAddAddress(entry))
                entries.CountInvalid();
        }
    }
}
