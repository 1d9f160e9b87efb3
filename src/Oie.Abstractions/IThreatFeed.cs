namespace Oie.Abstractions;

/// <summary>
/// A threat-intel list: it only knows its format. Fetching (HTTP or file), conditional requests, size caps, backoff,
/// the last good copy on disk, health metrics and matching against conntrack are shared by every feed.
/// </summary>
public interface IThreatFeed
{
    FeedDescriptor Descriptor { get; }

    /// <summary>
    /// Adds the addresses and CIDRs listed in one downloaded <paramref name="body"/> of <paramref name="source"/>.
    /// Never throws on content: an invalid line is skipped and counted with <see cref="FeedEntriesBuilder.CountInvalid"/>.
    /// </summary>
    void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries);
}

/// <summary>
/// Implemented by every feed type listed in plugins.json's "feeds". The generated registry calls <see cref="Setup"/>
/// before the command line is parsed, with the type's plugins.json entry, from which the feed names its
/// -NAME.url / -NAME.refresh … flags and its descriptor; the host defines <c>-NAME.enable</c> and calls the factory only
/// for enabled feeds. A factory that refuses its flags throws <see cref="ArgumentException"/> naming the flag (exit 2).
/// </summary>
public interface IThreatFeedPlugin
{
    static abstract FeedFactory Setup(PluginEntry plugin, FlagSet flags);
}

public delegate IThreatFeed FeedFactory(PluginContext context);

/// <summary>One plugins.json "feeds" entry as the generator wires it.</summary>
public sealed class FeedRegistration(string name, bool enabledByDefault, Func<PluginEntry, FlagSet, FeedFactory> setup)
    : PluginRegistration<FeedFactory>(name, enabledByDefault, setup);

/// <param name="Name">The plugins.json name, e.g. <c>tor</c>; the <c>feed</c> label of the health metrics.</param>
/// <param name="MetricName">The contact metric, e.g. <c>oie_tor_contact</c>.</param>
/// <param name="Help">The contact metric's help text.</param>
/// <param name="Sources">Where the list comes from: http(s):// or file:// URIs, each fetched and parsed on its own.</param>
/// <param name="Refresh">How often to fetch (file sources are also re-read as soon as they change).</param>
public sealed record FeedDescriptor(string Name, string MetricName, string Help, IReadOnlyList<Uri> Sources, TimeSpan Refresh)
{
    /// <summary>The feed's word in the Go-format <c>[THREAT] TAG-HIT: …</c> lines on stderr; the name in capitals
    /// unless the Go exporter wrote another (EMTHREATS for emergingthreats).</summary>
    public string HitTag { get; init; } = Name.ToUpperInvariant();
}
