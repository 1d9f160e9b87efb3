using Oie.Abstractions;

namespace Oie.Feeds;

/// <summary>
/// The names and flags every feed has, all derived from its plugins.json entry: <c>-{name}.refresh</c>, its sources
/// <c>-{name}.{suffix}</c>, and the descriptor (<c>feed="{name}"</c> on the health metrics, the contact metric
/// <c>oie_{name}_contact</c>). A feed passes only what is its own: defaults, usage and help texts. Renaming the
/// plugins.json line renames them all. <c>-{name}.enable</c> is the host's.
/// </summary>
public sealed class FeedFlags
{
    private readonly FlagSet _flags;
    private readonly string _help;
    private readonly Flag<TimeSpan> _refresh;

    private FeedFlags(PluginEntry plugin, FlagSet flags, string help, Flag<TimeSpan> refresh)
    {
        Plugin = plugin;
        _flags = flags;
        _help = help;
        _refresh = refresh;
    }

    /// <summary>The feed's plugins.json entry.</summary>
    public PluginEntry Plugin { get; }

    /// <summary>Defines <c>-{name}.refresh</c> (a Go duration &gt; 0, default <paramref name="refresh"/>, "How often to
    /// refresh <paramref name="what"/>."); the contact metric's help is <paramref name="help"/>.</summary>
    public static FeedFlags Define(PluginEntry plugin, FlagSet flags, string help, TimeSpan refresh, string what)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(flags);
        return new FeedFlags(plugin, flags, help,
            flags.Duration(plugin.Flag("refresh"), refresh, $"How often to refresh {what}."));
    }

    /// <summary><c>-{name}.{suffix}</c>: a source checked by <see cref="FeedSource.Parse"/>.</summary>
    public Flag<Uri> Source(string suffix, string defaultValue, string usage) =>
        _flags.Custom<Uri>(Plugin.Flag(suffix), defaultValue, $"{usage} ({FeedSource.Accepted}).", FeedSource.Parse);

    /// <summary><c>-{name}.{suffix}</c>: a source that may be left empty for none.</summary>
    public Flag<Uri?> OptionalSource(string suffix, string defaultValue, string usage) =>
        _flags.Custom<Uri?>(Plugin.Flag(suffix), defaultValue, $"{usage} ({FeedSource.Accepted}; empty for none).", FeedSource.ParseOptional);

    /// <summary>The descriptor, once the flags are parsed: the entry's name, <c>oie_{name}_contact</c>, the help,
    /// <paramref name="sources"/> and <c>-{name}.refresh</c>.</summary>
    public FeedDescriptor Descriptor(IReadOnlyList<Uri> sources) =>
        new(Plugin.Name, $"oie_{Plugin.Name}_contact", _help, sources, _refresh.Value);
}
