using Prometheus;

namespace Oie.ThreatIntel;

/// <summary>
/// Per-feed health on the exporter's own registry, so "no contacts" can be told from "feed dead":
/// entries in force, last success, refresh errors, and whether the list in force is recent enough to trust.
/// </summary>
public sealed class FeedHealthMetrics
{
    private readonly Gauge _entries;
    private readonly Gauge _lastSuccess;
    private readonly Counter _errors;
    private readonly Gauge _fresh;
    private readonly List<Func<(string Feed, bool Fresh)>> _freshness = [];
    private readonly Lock _lock = new();

    public FeedHealthMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _entries = factory.CreateGauge("oie_exporter_feed_entries",
            "Distinct addresses and CIDRs in the list in force for this threat-intel feed (0 when nothing was ever loaded or a file source lists none).", "feed");
        _lastSuccess = factory.CreateGauge("oie_exporter_feed_last_success_timestamp_seconds",
            "Unix time at which every source of this feed was last fetched successfully or confirmed unchanged (0 = never).", "feed");
        _errors = factory.CreateCounter("oie_exporter_feed_refresh_errors_total",
            "Failed or rejected refresh attempts of this feed's sources (network, HTTP status, size cap, unusable body).", "feed");
        _fresh = factory.CreateGauge("oie_exporter_feed_fresh",
            "1 if the list in force for this feed was refreshed or confirmed unchanged within twice its refresh period plus the retry backoff ceiling, else 0.", "feed");
        registry.AddBeforeCollectCallback(UpdateFreshness);
    }

    /// <summary>Creates the feed's series (all 0) and how to compute its freshness at scrape time.</summary>
    public void Register(string feed, Func<bool> isFresh)
    {
        _entries.WithLabels(feed).Set(0);
        _lastSuccess.WithLabels(feed).Set(0);
        _errors.WithLabels(feed);
        _fresh.WithLabels(feed).Set(0);
        lock (_lock)
            _freshness.Add(() => (feed, isFresh()));
    }

    public void SetEntries(string feed, int count) => _entries.WithLabels(feed).Set(count);

    public void SetLastSuccess(string feed, DateTimeOffset at) => _lastSuccess.WithLabels(feed).Set(at.ToUnixTimeMilliseconds() / 1000.0);

    public void CountError(string feed) => _errors.WithLabels(feed).Inc();

    public void UpdateFreshness()
    {
        lock (_lock)
        {
            foreach (var freshness in _freshness)
            {
                var (feed, fresh) = freshness();
                _fresh.WithLabels(feed).Set(fresh ? 1 : 0);
            }
        }
    }
}
