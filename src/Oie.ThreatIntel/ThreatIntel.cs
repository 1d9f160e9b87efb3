using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Prometheus;

namespace Oie.ThreatIntel;

/// <summary>
/// Everything threat-intel, composed for the host: one refresher per enabled feed (hosted services), the shared
/// matcher (feed i of <c>feeds</c> is bit i), the contact metric families in feed order, and contact trackers for the
/// conntrack pass.
/// </summary>
public sealed class ThreatIntel : IDisposable
{
    private readonly FeedFetcher _fetcher;
    private readonly IReadOnlyList<string> _names;
    private readonly IReadOnlyList<string> _hitTags;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;

    public ThreatIntel(IReadOnlyList<IThreatFeed> feeds, string? cacheDir, CollectorRegistry registry, ILoggerFactory loggerFactory,
        TimeProvider time, FeedFetchOptions? fetchOptions = null, FeedRefreshPolicy? policy = null)
    {
        if (feeds.Count > 32)
            throw new ArgumentException($"at most 32 threat-intel feeds can be enabled, got {feeds.Count}", nameof(feeds));
        var duplicate = feeds.GroupBy(f => f.Descriptor.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"threat-intel feed {duplicate.Key} is enabled twice", nameof(feeds));
        _loggerFactory = loggerFactory;
        _time = time;
        _fetcher = new FeedFetcher(fetchOptions);
        _names = [.. feeds.Select(f => f.Descriptor.Name)];
        _hitTags = [.. feeds.Select(f => f.Descriptor.HitTag)];
        Matcher = new FeedMatcherHolder(feeds.Count);
        ContactFamilies = [.. feeds.Select(f => Oie.ThreatIntel.ContactFamilies.For(f.Descriptor))];
        Health = new FeedHealthMetrics(registry);
        var cache = new FeedCache(cacheDir, loggerFactory.CreateLogger<FeedCache>());
        Refreshers = [.. feeds.Select((feed, bit) => new FeedRefresher(feed, bit, Matcher, _fetcher, cache, Health, time,
            loggerFactory.CreateLogger<FeedRefresher>(), policy))];
    }

    public FeedMatcherHolder Matcher { get; }

    /// <summary>One per feed, in feed (bit) order.</summary>
    public IReadOnlyList<FeedRefresher> Refreshers { get; }

    public IReadOnlyList<IHostedService> HostedServices => Refreshers;

    /// <summary>The contact metric of each feed, in feed (bit) order.</summary>
    public IReadOnlyList<MetricFamily> ContactFamilies { get; }

    public FeedHealthMetrics Health { get; }

    /// <summary>A contact tracker for one collection pipeline (it is not thread-safe; make one per user).</summary>
    /// <param name="hitLines">Where the Go-format <c>[THREAT]</c> lines go: stderr unless given.</param>
    /// <param name="countFlows">Export oie_threat_contact_flows too (<c>-threat.flows.enable</c>).</param>
    public ThreatContacts CreateContacts(TimeSpan? logInterval = null, TextWriter? hitLines = null, bool countFlows = false) =>
        new(Matcher, ContactFamilies, _names, _time, _loggerFactory.CreateLogger<ThreatContacts>(), logInterval,
            new ThreatHitLines(hitLines ?? Console.Error, _hitTags, _time), countFlows);

    public void Dispose() => _fetcher.Dispose();
}
