using Microsoft.Extensions.Logging.Abstractions;
using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>Drives a plugin the way the host does: Setup(flags) → flags.Parse(args) → factory(context).</summary>
public static class Plugin
{
    /// <summary>Creates the collector with <paramref name="args"/> on its command line; throws if they do not parse.</summary>
    public static ICollector Create<T>(TimeProvider time, params string[] args) where T : ICollectorPlugin
    {
        var flags = new FlagSet();
        var factory = T.Setup(flags);
        var result = flags.Parse(args);
        if (!result.Success)
            throw new ArgumentException($"flags did not parse: {result.Error}", nameof(args));
        return factory(new PluginContext(NullLoggerFactory.Instance, time));
    }

    /// <summary>Parses <paramref name="args"/> against the plugin's flags only.</summary>
    public static FlagParseResult Parse<T>(params string[] args) where T : ICollectorPlugin
    {
        var flags = new FlagSet();
        T.Setup(flags);
        return flags.Parse(args);
    }

    /// <summary>The flags the plugin defines.</summary>
    public static FlagSet FlagsOf<T>() where T : ICollectorPlugin
    {
        var flags = new FlagSet();
        T.Setup(flags);
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
