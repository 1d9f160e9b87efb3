using Oie.Abstractions;
using Oie.Conntrack.Reading;
using Oie.ThreatIntel;

namespace Oie.Host.CommandLine;

/// <summary>A collector that is switched on, with the name plugins.json gives it.</summary>
internal sealed record NamedCollector(string Name, ICollector Collector);

/// <summary>
/// Every flag of the exporter: the host's (the conntrack table and zone map it reads for the collectors included),
/// each compiled-in plugin's, node_exporter-style <c>-collector.NAME</c> switches and the seed's <c>-NAME.enable</c> feed
/// switches, each with the default plugins.json gives.
/// </summary>
internal sealed class ExporterCommandLine
{
    private readonly List<(CollectorRegistration Registration, Flag<bool> Enabled, CollectorFactory Factory)> _collectors = [];
    private readonly List<(FeedRegistration Registration, Flag<bool> Enabled, FeedFactory Factory)> _feeds = [];

    public ExporterCommandLine(IReadOnlyList<CollectorRegistration> collectors, IReadOnlyList<FeedRegistration>? feeds = null)
    {
        Host = new HostFlags(Flags);
        ConntrackSource = new ConntrackSourceFlags(Flags);
        Zones = new ZoneFlags(Flags);
        foreach (var registration in collectors)
        {
            var enabled = Flags.Bool("collector." + registration.Name, registration.EnabledByDefault,
                $"Enable the {registration.Name} collector.");
            _collectors.Add((registration, enabled, registration.Setup(Flags)));
        }
        if (feeds is { Count: > 0 })
            Feeds = ThreatIntelFlags.Define(Flags);
        foreach (var registration in feeds ?? [])
        {
            var enabled = Flags.Bool(registration.Name + ".enable", registration.EnabledByDefault,
                $"Enable the {registration.Name} threat-intel feed.");
            _feeds.Add((registration, enabled, registration.Setup(Flags)));
        }
    }

    public FlagSet Flags { get; } = new();
    public HostFlags Host { get; }

    /// <summary>How the conntrack table is read (-conntrack.source, -conntrack.path, ...).</summary>
    public ConntrackSourceFlags ConntrackSource { get; }

    /// <summary>Where the conntrack zones come from (-conntrack.zones, -ovs.db, ...).</summary>
    public ZoneFlags Zones { get; }

    /// <summary>The flags shared by all feeds (-feeds.cache-dir …); null when no feed is compiled in.</summary>
    public ThreatIntelFlags? Feeds { get; }

    /// <summary>The collectors switched on, by name, in plugins.json order.</summary>
    public IReadOnlyList<string> EnabledCollectorNames => [.. _collectors.Where(c => c.Enabled.Value).Select(c => c.Registration.Name)];

    /// <summary>A threat feed is switched on: the cycle then reads the conntrack table, whatever collectors run.</summary>
    public bool AnyFeedEnabled => _feeds.Any(f => f.Enabled.Value);

    public FlagParseResult Parse(IReadOnlyList<string> args)
    {
        var result = Flags.Parse(args);
        Notices = result.Notices;
        return result;
    }

    /// <summary>What the last <see cref="Parse"/> accepted but the operator should hear about, logged once at start by
    /// the app (category <see cref="Logging.LogLevelSwitch.StartCategory"/>).</summary>
    public IReadOnlyList<FlagNotice> Notices { get; private set; } = [];

    public IReadOnlyList<NamedCollector> CreateCollectors(PluginContext context)
    {
        var result = new List<NamedCollector>();
        foreach (var (registration, enabled, factory) in _collectors)
        {
            if (enabled.Value)
                result.Add(new NamedCollector(registration.Name, factory(context)));
        }
        return result;
    }

    /// <summary>The enabled feeds, in plugins.json order. A feed whose flags do not fit together (an enabled custom list
    /// without a path) throws <see cref="ArgumentException"/>; <see cref="TryCreateFeeds"/> turns that into a message.</summary>
    public IReadOnlyList<IThreatFeed> CreateFeeds(PluginContext context)
    {
        var result = new List<IThreatFeed>();
        foreach (var (_, enabled, factory) in _feeds)
        {
            if (enabled.Value)
                result.Add(factory(context));
        }
        return result;
    }

    /// <summary><see cref="CreateFeeds"/>, with a feed's refusal of its flags as <paramref name="error"/>: a usage error
    /// (exit 2), like a flag that does not parse.</summary>
    public bool TryCreateFeeds(PluginContext context, out IReadOnlyList<IThreatFeed> feeds, out string? error)
    {
        try
        {
            feeds = CreateFeeds(context);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            feeds = [];
            error = e.Message;
            return false;
        }
    }

    public void WriteUsage(TextWriter output)
    {
        output.WriteLine("Usage of openstack_instance_exporter:");
        Flags.WriteUsage(output);
    }
}
