using Oie.Abstractions;

namespace Oie.Feeds;

/// <summary>The flags most feeds define, so that they read and validate alike. <c>-NAME.enable</c> is the host's.</summary>
public static class FeedFlags
{
    /// <summary><c>-{name}</c>: a source checked by <see cref="FeedSource.Parse"/>.</summary>
    public static Flag<Uri> Source(FlagSet flags, string name, string defaultValue, string usage) =>
        flags.Custom<Uri>(name, defaultValue, $"{usage} ({FeedSource.Accepted}).", FeedSource.Parse);

    /// <summary><c>-{name}</c>: a source that may be left empty for none.</summary>
    public static Flag<Uri?> OptionalSource(FlagSet flags, string name, string defaultValue, string usage) =>
        flags.Custom<Uri?>(name, defaultValue, $"{usage} ({FeedSource.Accepted}; empty for none).", FeedSource.ParseOptional);

    /// <summary><c>-{feed}.refresh</c>: a Go duration greater than zero.</summary>
    public static Flag<TimeSpan> Refresh(FlagSet flags, string feed, TimeSpan defaultValue, string what) =>
        flags.Duration(feed + ".refresh", defaultValue, $"How often to refresh {what}.");
}
