namespace Oie.Abstractions;

/// <summary>
/// Turns one cycle's snapshot into samples. A collector derived from libvirt does no I/O: everything it needs is in the
/// snapshot, so it is a pure function of (snapshot, its own state) that tests drive with hand-made snapshots. A collector
/// that owns another source (conntrack) reads it here, once per cycle, within a deadline shorter than the interval, and
/// throws <see cref="CollectorSourceException"/> when that source fails.
/// </summary>
public interface ICollector
{
    /// <summary>The metric families this collector writes, in exposition order.</summary>
    IReadOnlyList<MetricFamily> Families { get; }

    void Collect(CycleSnapshot snapshot, ISampleWriter writer);
}

/// <summary>
/// Implemented by every collector type listed in plugins.json. The generated registry calls <see cref="Setup"/> once,
/// before the command line is parsed, so the plugin can define its flags; the returned factory runs after parsing
/// and reads the flag values it captured.
/// </summary>
public interface ICollectorPlugin
{
    static abstract CollectorFactory Setup(FlagSet flags);
}

public delegate ICollector CollectorFactory(PluginContext context);

/// <summary>What the host hands a plugin when it creates it.</summary>
public sealed class PluginContext(
    Microsoft.Extensions.Logging.ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    TimeSpan? collectionInterval = null,
    IContactAnalysis? contactAnalysis = null)
{
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; } = loggerFactory;
    public TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary><c>-collection.interval</c>: a collector's own deadlines must stay below it.</summary>
    public TimeSpan CollectionInterval { get; } = collectionInterval ?? TimeSpan.FromSeconds(10);

    /// <summary>The enabled threat feeds' matching, when any feed is enabled; the conntrack collector feeds it.</summary>
    public IContactAnalysis? ContactAnalysis { get; } = contactAnalysis;
}

/// <summary>One plugins.json entry as the generator wires it.</summary>
public sealed record CollectorRegistration(string Name, bool EnabledByDefault, Func<FlagSet, CollectorFactory> Setup);
