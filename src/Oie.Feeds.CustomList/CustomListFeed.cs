using Oie.Abstractions;

namespace Oie.Feeds.CustomList;

/// <summary>
/// The operator's own list, a local file (<c>-NAME.path</c>): one IPv4 or IPv6 address or CIDR per line, <c>#</c>
/// comments on their own line or after an entry, blank lines. Invalid lines are skipped and counted. The shared fetcher
/// re-reads it every <c>-NAME.refresh</c> and as soon as it changes; the file is the truth (emptied, it empties the
/// list) and is never cached.
/// </summary>
public sealed class CustomListFeed(FeedDescriptor descriptor) : IThreatFeed, IThreatFeedPlugin
{
    public const string Help = "1 if this instance communicated with an IP from the user-provided custom list";
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromMinutes(10);

    public FeedDescriptor Descriptor { get; } = descriptor;

    /// <summary>The factory throws <see cref="ArgumentException"/> when the feed is enabled without a path; the host
    /// reports it as a usage error.</summary>
    public static FeedFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        var feed = FeedFlags.Define(plugin, flags, Help, DefaultRefresh, "(re-read) the custom list");
        var path = flags.String(plugin.Flag("path"), "", "Path to the custom list: one IPv4 or IPv6 address or CIDR per line, # comments.");
        return _ =>
        {
            if (string.IsNullOrWhiteSpace(path.Value))
                throw new ArgumentException($"-{plugin.Flag("enable")} is set but -{path.Name} is empty: give the path of the list file");
            return new CustomListFeed(feed.Descriptor([FeedSource.FromPath(path.Value)]));
        };
    }

    public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries)
    {
        foreach (var line in new FeedLines(body))
        {
            var entry = FeedText.BeforeComment(line, (byte)'#');
            if (!entry.IsEmpty && !entries.TryAddAddressOrCidr(entry))
                entries.CountInvalid();
        }
    }
}
