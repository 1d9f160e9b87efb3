using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.Feeds.Testing;

/// <summary>Drives a feed the way the host does: Setup(flags) → flags.Parse(args) → factory(context) → Parse(body).</summary>
public static class FeedHarness
{
    /// <summary>Creates the feed with <paramref name="args"/> on its command line; throws if they do not parse.</summary>
    public static IThreatFeed Create<T>(params string[] args) where T : IThreatFeedPlugin
    {
        var flags = new FlagSet();
        var factory = T.Setup(flags);
        var result = flags.Parse(args);
        if (!result.Success)
            throw new ArgumentException($"flags did not parse: {result.Error}", nameof(args));
        return factory(new PluginContext(NullLoggerFactory.Instance, TimeProvider.System));
    }

    /// <summary>Parses <paramref name="args"/> against the feed's flags only.</summary>
    public static FlagParseResult ParseFlags<T>(params string[] args) where T : IThreatFeedPlugin
    {
        var flags = new FlagSet();
        T.Setup(flags);
        return flags.Parse(args);
    }

    /// <summary>The flags the feed defines.</summary>
    public static FlagSet FlagsOf<T>() where T : IThreatFeedPlugin
    {
        var flags = new FlagSet();
        T.Setup(flags);
        return flags;
    }

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
