using Microsoft.Extensions.Logging.Abstractions;
using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>Drives a plugin the way the host does: Setup(entry, flags) → flags.Parse(args) → factory(context).</summary>
public static class Plugin
{
    /// <summary>Creates the collector with its plugins.json entry and <paramref name="args"/> on its command line;
    /// throws if they do not parse.</summary>
    public static ICollector Create<T>(TimeProvider time, params string[] args) where T : ICollectorPlugin =>
        Define(T.Setup, PluginsFile.EntryOf<T>(), args)(new PluginContext(NullLoggerFactory.Instance, time));

    /// <summary>Parses <paramref name="args"/> against the plugin's flags only.</summary>
    public static FlagParseResult Parse<T>(params string[] args) where T : ICollectorPlugin =>
        ParseFlags(T.Setup, PluginsFile.EntryOf<T>(), args);

    /// <summary>The flags the plugin defines.</summary>
    public static FlagSet FlagsOf<T>() where T : ICollectorPlugin => FlagsOf(T.Setup, PluginsFile.EntryOf<T>());

    /// <summary>Setup with <paramref name="entry"/>, then <paramref name="args"/> parsed: the factory; throws if they do
    /// not parse. Shared by every kind of plugin (a feed passes its own Setup).</summary>
    public static TFactory Define<TFactory>(Func<PluginEntry, FlagSet, TFactory> setup, PluginEntry entry, params string[] args)
    {
        var flags = new FlagSet();
        var factory = setup(entry, flags);
        var result = flags.Parse(args);
        if (!result.Success)
            throw new ArgumentException($"flags did not parse: {result.Error}", nameof(args));
        return factory;
    }

    /// <summary>Setup with <paramref name="entry"/>, then <paramref name="args"/> parsed against its flags only.</summary>
    public static FlagParseResult ParseFlags<TFactory>(Func<PluginEntry, FlagSet, TFactory> setup, PluginEntry entry, params string[] args) =>
        FlagsOf(setup, entry).Parse(args);

    /// <summary>The flags Setup defines with <paramref name="entry"/>.</summary>
    public static FlagSet FlagsOf<TFactory>(Func<PluginEntry, FlagSet, TFactory> setup, PluginEntry entry)
    {
        var flags = new FlagSet();
        setup(entry, flags);
        return flags;
    }

    /// <summary>Runs one cycle and returns what the collector wrote.</summary>
    public static RecordingSampleWriter Run(this ICollector collector, CycleSnapshot snapshot)
    {
        var writer = new RecordingSampleWriter(collector.Families);
        collector.Collect(snapshot, writer);
        return writer;
    }
}
