using Oie.Abstractions;

namespace Oie.Feeds.Sample;

/// <summary>
/// A sample feed in an internal format: one address or CIDR per line, a comma, and a score from 0 to 100; <c>#</c>
/// comments. Only entries scoring at least <c>-NAME.min-score</c> are listed, so one file can serve teams with
/// different tolerances. Copy this project to start a feed of your own; docs/plugins.md walks through it.
/// </summary>
/// <example>
/// <code>
/// # address,score
/// 203.0.113.7,90
/// 198.51.100.0/24,75
/// 2001:db8::bad,40
/// </code>
/// </example>
public sealed class ScoredListFeed(FeedDescriptor descriptor, int minScore) : IThreatFeed, IThreatFeedPlugin
{
    public const string Help = "1 if this instance communicated with an IP of the internal scored list during the collection interval";
    public const string DefaultUrl = "https://intel.example.internal/feeds/scored-list.csv";
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromMinutes(15);

    public FeedDescriptor Descriptor { get; } = descriptor;

    /// <summary>Entries scoring below this are left out.</summary>
    public int MinScore { get; } = minScore;

    /// <summary>Called once, before the command line is parsed, with the feed's plugins.json entry: every flag, the
    /// descriptor's name and the contact metric are named from it (<c>-scoredlist.url</c>, <c>oie_scoredlist_contact</c>
    /// for the name <c>scoredlist</c>), so nothing here repeats the name. Define the flags (not <c>-NAME.enable</c>, which
    /// the host owns) and return the factory, which the host calls only when the feed is enabled.</summary>
    public static FeedFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        var feed = FeedFlags.Define(plugin, flags, Help, DefaultRefresh, "the internal scored list");
        var url = feed.Source("url", DefaultUrl, "Internal scored list");
        var minScore = flags.Custom<int>(plugin.Flag("min-score"), "50", "Lowest score (0-100) that lists an address.", ParseScoreFlag);
        return _ => new ScoredListFeed(feed.Descriptor([url.Value]), minScore.Value);
    }

    /// <summary>Never throws on content: a line without a valid address (or CIDR) and score is skipped and counted
    /// invalid; a valid line scoring below <see cref="MinScore"/> is simply not listed.</summary>
    public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries)
    {
        foreach (var line in new FeedLines(body))
        {
            var entry = FeedText.BeforeComment(line, (byte)'#');
            if (entry.IsEmpty)
                continue;
            var comma = entry.IndexOf((byte)',');
            if (comma < 0 || !TryParseScore(FeedText.Trim(entry[(comma + 1)..]), out var score)
                || !FeedEntriesBuilderExtensions.TryParseAddressOrCidr(FeedText.Trim(entry[..comma]), out var network, out var length))
            {
                entries.CountInvalid();
                continue;
            }
            if (score >= MinScore)
                entries.Add(network, length);
        }
    }

    /// <summary>Decimal 0 to 100.</summary>
    private static bool TryParseScore(ReadOnlySpan<byte> text, out int score)
    {
        score = 0;
        if (text.Length is 0 or > 3)
            return false;
        foreach (var c in text)
        {
            var digit = c - '0';
            if ((uint)digit > 9)
                return false;
            score = (score * 10) + digit;
        }
        return score <= 100;
    }

    private static string? ParseScoreFlag(string text, out int value) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value <= 100
            ? null
            : "want a whole number from 0 to 100";
}
