using Prometheus;

namespace Oie.Host.Exposition;

/// <summary>The exporter's own metrics, in a prometheus-net registry appended to every exposition.</summary>
internal sealed class SelfMetrics
{
    /// <summary>Pre-created: the render and gc stages are timed after the exposition is rendered, so they show the
    /// previous cycle's (0 in the first).</summary>
    public static readonly string[] Stages = ["libvirt", "collectors", "render", "gc"];
    public static readonly string[] ErrorSources = ["libvirt", "libvirt_domain", "conntrack", "zones", "collector"];

    public SelfMetrics(IEnumerable<string> collectorNames)
    {
        Registry = Metrics.NewCustomRegistry();
        Process = new ProcessMetrics(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        StageDuration = factory.CreateGauge("oie_exporter_collection_duration_seconds",
            "Duration of each stage of the last collection cycle in seconds: libvirt, zones (the conntrack zone map), conntrack (read, parse and attribute the table), collectors (all, the threat contacts included), render, gc (the heap collection after the render).", "stage");
        Errors = factory.CreateCounter("oie_exporter_collection_errors_total",
            "Errors met by the collection loop, by source.", "source");
        // Absent until the first cycle has reported them: a 0 before then would claim a failure nobody saw.
        var untilSet = new GaugeConfiguration { SuppressInitialValue = true };
        LibvirtUp = factory.CreateGauge("oie_exporter_libvirt_up", "1 if the last cycle could read libvirt, else 0.", untilSet);
        Instances = factory.CreateGauge("oie_exporter_instances", "Active libvirt domains seen by the last successful cycle.", untilSet);
        LastSuccess = factory.CreateGauge("oie_exporter_last_successful_collection_timestamp_seconds",
            "Unix time of the end of the last cycle in which libvirt and every collector succeeded.");
        Overruns = factory.CreateCounter("oie_exporter_collection_overruns_total",
            "Collection cycles that took longer than -collection.interval.");
        AllocatedBytes = factory.CreateGauge("oie_exporter_collection_allocated_bytes",
            "Managed heap bytes allocated by the process during the last complete collection cycle (GC.GetTotalAllocatedBytes around it; includes scrapes served meanwhile).");
        CollectorDuration = factory.CreateGauge("oie_exporter_collector_duration_seconds",
            "Duration of each collector in the last cycle in seconds.", "collector");
        CollectorSuccess = factory.CreateGauge("oie_exporter_collector_success",
            "1 if the collector succeeded in the last cycle, else 0.", "collector");
        AmbiguousFixedIps = factory.CreateGauge("oie_exporter_ambiguous_fixed_ips",
            "Fixed IPs claimed by more than one instance that no conntrack zone told apart in the last cycle: their conntrack entries and threat contacts were counted for every claimant.",
            untilSet);
        ConntrackReadSuccess = factory.CreateGauge("oie_exporter_conntrack_read_success",
            "1 if the last cycle read the conntrack table's entries of this address family whole, else 0 (that family's fixed IPs are then left out).",
            new GaugeConfiguration { LabelNames = ["family"], SuppressInitialValue = true });
        ZonePorts = factory.CreateGauge("oie_exporter_conntrack_zone_ports",
            "Neutron ports whose conntrack zone the last cycle read from the node's Neutron backend (0 while it could not be read or none is in use).",
            new GaugeConfiguration { LabelNames = ["backend"], SuppressInitialValue = true });
        _conntrackResyncs = new Lazy<Counter>(() => factory.CreateCounter("oie_exporter_conntrack_resyncs_total",
            "Times -conntrack.source=events rebuilt its table from a full dump, by reason: overflow (the kernel dropped events: ENOBUFS), periodic (-conntrack.events.resync), error (a read failed).",
            "reason"));
        _authFailures = new Lazy<Counter>(() => factory.CreateCounter("oie_exporter_http_auth_failures_total",
            "HTTP requests refused because their basic-auth credentials did not match basic_auth_users (requests without credentials are not counted)."));
        foreach (var stage in Stages)
            StageDuration.WithLabels(stage);
        foreach (var source in ErrorSources)
            Errors.WithLabels(source);
        foreach (var name in collectorNames)
            Errors.WithLabels(name); // counters start at 0; a collector's duration and success appear once it has run
    }

    public CollectorRegistry Registry { get; }
    public ProcessMetrics Process { get; }
    public Gauge StageDuration { get; }
    public Counter Errors { get; }
    public Gauge LibvirtUp { get; }
    public Gauge Instances { get; }
    public Gauge LastSuccess { get; }
    public Counter Overruns { get; }
    public Gauge AllocatedBytes { get; }
    public Gauge CollectorDuration { get; }
    public Gauge CollectorSuccess { get; }
    public Gauge AmbiguousFixedIps { get; }
    public Gauge ConntrackReadSuccess { get; }
    public Gauge ZonePorts { get; }

    /// <summary>Registered on first use, by a conntrack source that keeps its table between cycles (events): with
    /// another source the exposition does not change.</summary>
    public Counter ConntrackResyncs => _conntrackResyncs.Value;
    private readonly Lazy<Counter> _conntrackResyncs;

    /// <summary>Registered on first use, which is when -web.config.file sets basic_auth_users: without it the
    /// exposition does not change.</summary>
    public Counter AuthFailures => _authFailures.Value;
    private readonly Lazy<Counter> _authFailures;

    public void WriteTo(Stream output) =>
        Registry.CollectAndExportAsTextAsync(output, ExpositionFormat.PrometheusText, CancellationToken.None).GetAwaiter().GetResult();
}
