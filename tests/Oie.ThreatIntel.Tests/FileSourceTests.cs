using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Oie.Feeds;
using Oie.Feeds.CustomList;
using Prometheus;

namespace Oie.ThreatIntel.Tests;

/// <summary>
/// A file:// source (the custom list, a mirrored feed) is the operator's truth: emptied, it empties the list; mostly
/// invalid, its valid lines are in force; never cached, so a restart reads the file and nothing else.
/// </summary>
public sealed class FileSourceTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    private string ListPath => _dir.File("custom-ips.txt");

    private string CacheDir => _dir.File("cache");

    public void Dispose() => _dir.Dispose();

    /// <summary>The custom list's plugins.json name, which labels its health metrics.</summary>
    private const string Name = "customlist";

    private static CustomListFeed CustomList(string path) =>
        new(new FeedDescriptor(Name, "oie_customlist_contact", CustomListFeed.Help, [FeedSource.FromPath(path)],
            CustomListFeed.DefaultRefresh));

    /// <summary>Rewrites the list with a newer mtime, as an editor saving it a minute later would.</summary>
    private void Edit(string text)
    {
        File.WriteAllText(ListPath, text);
        File.SetLastWriteTimeUtc(ListPath, DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task An_emptied_custom_list_clears_the_list_the_contact_metric_and_the_entries()
    {
        File.WriteAllText(ListPath, "# ours\n185.220.101.1\n2001:db8::/32\n");
        await using var intel = await CustomListIntel.StartAsync(CustomList(ListPath), CacheDir);
        Assert.Equal(["oie_customlist_contact"], intel.ContactNames("185.220.101.1"));
        Assert.Equal(2, await intel.EntriesAsync());

        Edit("# emptied\n\n");
        var pass = await intel.NextPassAsync();

        Assert.Equal(SourceOutcome.Accepted, Assert.Single(pass.Attempts).Outcome);
        Assert.Empty(intel.ContactNames("185.220.101.1"));
        Assert.Equal(0u, intel.Intel.Matcher.Current.LookupV6(Ip.V6("2001:db8::1")));
        Assert.Equal(0, await intel.EntriesAsync());
        Assert.Equal(1, await intel.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Equal(0, await intel.MetricAsync("oie_exporter_feed_refresh_errors_total"));
        Assert.Single(intel.Log.At(LogLevel.Warning), l => l.Contains("the list is now empty (it had 2 entries)", StringComparison.Ordinal));

        // The periodic full re-read of the still-empty file keeps it empty without saying so again.
        intel.Advance(CustomListFeed.DefaultRefresh);
        Assert.Equal(SourceOutcome.Accepted, Assert.Single((await intel.NextPassAsync()).Attempts).Outcome);
        Assert.Equal(0, await intel.EntriesAsync());
        Assert.Single(intel.Log.At(LogLevel.Warning), l => l.Contains("the list is now empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_emptied_to_zero_bytes_clears_the_list_too()
    {
        File.WriteAllText(ListPath, "185.220.101.1\n");
        await using var intel = await CustomListIntel.StartAsync(CustomList(ListPath), CacheDir);

        Edit("");
        await intel.NextPassAsync();

        Assert.Empty(intel.ContactNames("185.220.101.1"));
        Assert.Equal(0, await intel.EntriesAsync());
    }

    [Fact]
    public async Task A_mostly_invalid_file_puts_its_valid_entries_in_force_and_counts_the_rest()
    {
        File.WriteAllText(ListPath, "198.51.100.7\n");
        await using var intel = await CustomListIntel.StartAsync(CustomList(ListPath), CacheDir);

        Edit("# half-finished edit\n203.0.113.10\nnot-an-ip\n300.1.2.3\n10.0.0.0/33\nfe80::1%eth0\nhost.example\n");
        var pass = await intel.NextPassAsync();

        Assert.Equal(SourceOutcome.Accepted, Assert.Single(pass.Attempts).Outcome);
        Assert.Equal(["oie_customlist_contact"], intel.ContactNames("203.0.113.10"));
        Assert.Empty(intel.ContactNames("198.51.100.7"));
        Assert.Equal(1, await intel.EntriesAsync());
        Assert.Contains(intel.Log.At(LogLevel.Warning),
            l => l.Contains("1 entries in force", StringComparison.Ordinal) && l.Contains("5 invalid lines skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_shrinks_wildly_is_taken_at_once()
    {
        File.WriteAllText(ListPath, LineFeed.Addresses(500));
        await using var intel = await CustomListIntel.StartAsync(CustomList(ListPath), CacheDir);
        Assert.Equal(500, await intel.EntriesAsync());

        Edit("10.0.0.1\n");
        Assert.Equal(SourceOutcome.Accepted, Assert.Single((await intel.NextPassAsync()).Attempts).Outcome);

        Assert.Equal(1, await intel.EntriesAsync());
        Assert.Empty(intel.ContactNames("10.0.0.2"));
    }

    [Fact]
    public async Task A_restart_reads_the_emptied_file_never_a_cached_copy_of_it()
    {
        File.WriteAllText(ListPath, "185.220.101.1\n");
        var feed = CustomList(ListPath);
        await using (var first = await CustomListIntel.StartAsync(feed, CacheDir))
            Assert.Equal(["oie_customlist_contact"], first.ContactNames("185.220.101.1"));
        Assert.False(Directory.Exists(CacheDir) && Directory.EnumerateFiles(CacheDir).Any(), "a file source was copied to the feed cache");
        // What an older version left in the cache for this file: it must not come back.
        new FeedCache(CacheDir, new CapturingLogger().For<FeedCache>())
            .Save(Name, feed.Descriptor.Sources[0], Encoding.UTF8.GetBytes("185.220.101.1\n"), new FeedValidators(null, null), Start);

        File.WriteAllText(ListPath, "# emptied\n");
        await using var restarted = await CustomListIntel.StartAsync(feed, CacheDir);

        Assert.Empty(restarted.ContactNames("185.220.101.1"));
        Assert.Equal(0, await restarted.EntriesAsync());
        Assert.DoesNotContain(restarted.Log.Lines, l => l.Message.Contains("loaded from the cache", StringComparison.Ordinal));
    }

    /// <summary>The host's composition (<see cref="ThreatIntel"/>) with the custom list alone, on fake time.</summary>
    private sealed class CustomListIntel : IAsyncDisposable
    {
        private readonly Channel<RefreshPass> _passes = Channel.CreateUnbounded<RefreshPass>();
        private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
        private readonly FakeTimeProvider _time = new(Start);
        private RefreshPass _last = null!;

        private CustomListIntel(IThreatFeed feed, string cacheDir) =>
            Intel = new ThreatIntel([feed], cacheDir, _registry, Log, _time);

        public ThreatIntel Intel { get; }

        public CapturingLogger Log { get; } = new();

        public static async Task<CustomListIntel> StartAsync(IThreatFeed feed, string cacheDir)
        {
            var intel = new CustomListIntel(feed, cacheDir);
            intel.Intel.Refreshers[0].Passes = intel._passes;
            await intel.Intel.HostedServices[0].StartAsync(CancellationToken.None);
            intel._last = await intel._passes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            return intel;
        }

        /// <summary>Moves fake time on without waiting for a pass.</summary>
        public void Advance(TimeSpan by) => _time.Advance(by);

        /// <summary>The pass at the next wake-up (the 10 s change check of a file).</summary>
        public async Task<RefreshPass> NextPassAsync()
        {
            _time.Advance(_last.NextWake);
            return _last = await _passes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }

        /// <summary>The contact metrics one cycle writes for an instance that talked to <paramref name="remote"/>.</summary>
        public IReadOnlyList<string> ContactNames(string remote)
        {
            var instance = InstanceBuilder.Nova().Build();
            return Intel.CreateContacts().Run(new ConntrackTableBuilder().Slot(instance, "10.0.0.5").Contact(0, remote).Snapshot()).Names;
        }

        public Task<double> EntriesAsync() => MetricAsync("oie_exporter_feed_entries");

        public async Task<double> MetricAsync(string metric)
        {
            using var stream = new MemoryStream();
            await _registry.CollectAndExportAsTextAsync(stream);
            var prefix = $"{metric}{{feed=\"{Name}\"}} ";
            var line = Encoding.UTF8.GetString(stream.ToArray()).Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await Intel.HostedServices[0].StopAsync(CancellationToken.None);
            Intel.Dispose();
        }
    }
}
