namespace Oie.Abstractions;

/// <summary>
/// Turns one cycle's snapshot into samples. A collector does no I/O: everything it needs (libvirt's answers, the
/// conntrack table) is in the snapshot, so it is a pure function of (snapshot, its own state) that tests drive with
/// hand-made snapshots. When the snapshot says its input could not be read this cycle, it throws
/// <see cref="CollectorSourceException"/>.
/// </summary>
public interface ICollector
{
    /// <summary>The metric families this collector writes, in exposition order.</summary>
    IReadOnlyList<MetricFamily> Families { get; }

    void Collect(CycleSnapshot snapshot, ISampleWriter writer);
}

/// <summary>A collector that reads <see cref="CycleSnapshot.Conntrack"/>: the host reads the table in the cycles it runs.</summary>
public interface IConntrackConsumer;

/// <summary>
/// Implemented by every collector type listed in plugins.json. The generated registry calls <see cref="Setup"/> once,
/// before the command line is parsed, with the type's plugins.json entry, so the plugin can define its flags; the
/// returned factory runs after parsing and reads the flag values it captured. A factory that finds its flags'
/// values inconsistent throws <see cref="ArgumentException"/> with a message naming the flag: the exporter prints it
/// and exits 2, like a flag that does not parse.
/// </summary>
public interface ICollectorPlugin
{
    static abstract CollectorFactory Setup(PluginEntry plugin, FlagSet flags);
}

public delegate ICollector CollectorFactory(PluginContext context);

/// <summary>What the host hands a plugin when it creates it.</summary>
public sealed class PluginContext(
    Microsoft.Extensions.Logging.ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    TimeSpan? collectionInterval = null)
{
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; } = loggerFactory;
    public TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary><c>-collection.interval</c>: a collector's own deadlines must stay below it.</summary>
    public TimeSpan CollectionInterval { get; } = collectionInterval ?? TimeSpan.FromSeconds(10);
}

/// <summary>One plugins.json "collectors" entry as the generator wires it.</summary>
public sealed class CollectorRegistration(string name, bool enabledByDefault, Func<PluginEntry, FlagSet, CollectorFactory> setup)
    : PluginRegistration<CollectorFactory>(name, enabledByDefault, setup);
