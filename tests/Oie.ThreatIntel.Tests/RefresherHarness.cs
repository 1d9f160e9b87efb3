using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Oie.ThreatIntel.Tests;

/// <summary>One <see cref="FeedRefresher"/> on fake time, its matcher, registry and log, and a way to await each pass.</summary>
internal sealed class RefresherHarness : IAsyncDisposable
{
    private readonly Channel<RefreshPass> _passes = Channel.CreateUnbounded<RefreshPass>();

    public RefresherHarness(IThreatFeed feed, string? cacheDir = null, FakeTimeProvider? time = null, FeedRefreshPolicy? policy = null,
        TimeSpan? requestTimeout = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Holder = new FeedMatcherHolder(1);
        Registry = Metrics.NewCustomRegistry();
        Health = new FeedHealthMetrics(Registry);
        Fetcher = new FeedFetcher(new FeedFetchOptions { RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(20), MaxBytes = 64 * 1024 });
        Refresher = new FeedRefresher(feed, 0, Holder, Fetcher, new FeedCache(cacheDir, Log.For<FeedCache>()), Health, Time,
            Log.For<FeedRefresher>(), policy)
        { Passes = _passes };
        Name = feed.Descriptor.Name;
    }

    public string Name { get; }
    public FakeTimeProvider Time { get; }
    public FeedMatcherHolder Holder { get; }
    public CollectorRegistry Registry { get; }
    public FeedHealthMetrics Health { get; }
    public FeedFetcher Fetcher { get; }
    public FeedRefresher Refresher { get; }
    public CapturingLogger Log { get; } = new();

    public async Task<RefreshPass> StartAsync()
    {
        await Refresher.StartAsync(CancellationToken.None);
        return await NextPassAsync();
    }

    /// <summary>The next pass; a real-time guard only so that a broken test fails instead of hanging.</summary>
    public async Task<RefreshPass> NextPassAsync() => await _passes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Moves fake time to the wake-up <paramref name="previous"/> scheduled and returns the pass it runs.</summary>
    public Task<RefreshPass> NextAfterAsync(RefreshPass previous)
    {
        Time.Advance(previous.NextWake);
        return NextPassAsync();
    }

    public SourceOutcome Outcome(RefreshPass pass) => Assert.Single(pass.Attempts).Outcome;

    public bool Lists(string address) =>
        address.Contains(':') ? Holder.Current.LookupV6(Ip.V6(address)) != 0 : Holder.Current.LookupV4(Ip.V4(address)) != 0;

    /// <summary>The value of <paramref name="metric"/>{feed="NAME"} as scraped.</summary>
    public async Task<double> MetricAsync(string metric)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream);
        var prefix = $"{metric}{{feed=\"{Name}\"}} ";
        var line = Encoding.UTF8.GetString(stream.ToArray()).Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Refresher.StopAsync(CancellationToken.None);
        Refresher.Dispose();
        Fetcher.Dispose();
    }
}
