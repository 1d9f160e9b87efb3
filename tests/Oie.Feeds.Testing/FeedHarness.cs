using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Oie.Abstractions;
using Oie.Net;
using Oie.Testing;

namespace Oie.Feeds.Testing;

/// <summary>Drives a feed the way the host does: Setup(entry, flags) → flags.Parse(args) → factory(context) → Parse(body).
/// Without an entry, the feed's own plugins.json line is used.</summary>
public static class FeedHarness
{
    /// <summary>Creates the feed with <paramref name="args"/> on its command line; throws if they do not parse.</summary>
    public static IThreatFeed Create<T>(params string[] args) where T : IThreatFeedPlugin => Create<T>(PluginsFile.EntryOf<T>(), args);

    /// <summary>Creates the feed set up with <paramref name="entry"/> (a feed plugins.json does not list, or a renamed one).</summary>
    public static IThreatFeed Create<T>(PluginEntry entry, params string[] args) where T : IThreatFeedPlugin =>
        Plugin.Define(T.Setup, entry, args)(new PluginContext(NullLoggerFactory.Instance, TimeProvider.System));

    /// <summary>Parses <paramref name="args"/> against the feed's flags only.</summary>
    public static FlagParseResult ParseFlags<T>(params string[] args) where T : IThreatFeedPlugin => ParseFlags<T>(PluginsFile.EntryOf<T>(), args);

    public static FlagParseResult ParseFlags<T>(PluginEntry entry, params string[] args) where T : IThreatFeedPlugin =>
        Plugin.ParseFlags(T.Setup, entry, args);

    /// <summary>The flags the feed defines.</summary>
    public static FlagSet FlagsOf<T>() where T : IThreatFeedPlugin => FlagsOf<T>(PluginsFile.EntryOf<T>());

    public static FlagSet FlagsOf<T>(PluginEntry entry) where T : IThreatFeedPlugin => Plugin.FlagsOf(T.Setup, entry);

    public static FeedEntriesBuilder Parse(this IThreatFeed feed, ReadOnlySpan<byte> body)
    {
        var entries = new FeedEntriesBuilder();
        feed.Parse(body, feed.Descriptor.Sources[0], entries);
        return entries;
    }

    public static FeedEntriesBuilder Parse(this IThreatFeed feed, string body) => feed.Parse(Encoding.UTF8.GetBytes(body));

    /// <summary>A file copied next to the test assembly from the project's Fixtures/ folder.</summary>
    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>Every range as text, <c>1.2.3.4</c> for a single address and <c>1.10.16.0-1.10.31.255</c> for a range,
    /// IPv4 first, each family sorted and without duplicates (as the builder keeps them).</summary>
    public static IReadOnlyList<string> Ranges(this FeedEntriesBuilder entries) =>
    [
        .. entries.V4.Select(r => Range(IpKey.FromV4(r.First), IpKey.FromV4(r.Last))),
        .. entries.V6.Select(r => Range(IpKey.FromV6(r.First), IpKey.FromV6(r.Last))),
    ];

    /// <summary><see cref="Ranges"/>, sorted and without duplicates.</summary>
    public static IReadOnlyList<string> DistinctRanges(this FeedEntriesBuilder entries) =>
        [.. entries.Ranges().Distinct().Order(StringComparer.Ordinal)];

    private static string Range(IpKey first, IpKey last) => first == last ? first.ToString() : $"{first}-{last}";
}
