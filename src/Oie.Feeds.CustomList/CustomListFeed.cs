using Oie.Abstractions;

namespace Oie.Feeds.CustomList;

/// <summary>
/// The operator's own list, a local file (<c>-customlist.path</c>): one IPv4 or IPv6 address or CIDR per line, <c>#</c>
/// comments on their own line or after an entry, blank lines. Invalid lines are skipped and counted. The shared fetcher
/// re-reads it every <c>-customlist.refresh</c> and as soon as it changes; the file is the truth (emptied, it empties the
/// list) and is never cached.
/// </summary>
public sealed class CustomListFeed(FeedDescriptor descriptor) : IThreatFeed, IThreatFeedPlugin
{
    public const string Name = "customlist";
    public const string MetricName = "oie_customlist_contact";
    public const string Help = "1 if this instance communicated with an IP from the user-provided custom list";
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromMinutes(10);

    public FeedDescriptor Descriptor { get; } = descriptor;

    /// <summary>The factory throws <see cref="ArgumentException"/> when the feed is enabled without a path; the host
    /// reports it as a usage error.</summary>
    public static FeedFactory Setup(FlagSet flags)
    {
        var path = flags.String("customlist.path", "", "Path to the custom list: one IPv4 or IPv6 address or CIDR per line, # comments.");
        var refresh = FeedFlags.Refresh(flags, Name, DefaultRefresh, "(re-read) the custom list");
        return _ =>
        {
            if (string.IsNullOrWhiteSpace(path.Value))
                throw new ArgumentException("-customlist.enable is set but -customlist.path is empty: give the path of the list file");
            return new CustomListFeed(new FeedDescriptor(Name, MetricName, Help, [FeedSource.FromPath(path.Value)], refresh.Value));
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
