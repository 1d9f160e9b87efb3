using Microsoft.Extensions.Logging;

namespace Oie.ThreatIntel.Tests;

public sealed class FeedRefresherTests : IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private FeedServer _server = null!;

    public async Task InitializeAsync() => _server = await FeedServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LineFeed Feed(TimeSpan refresh, params string[] paths) => new("et", refresh, [.. paths.Select(_server.Url)]);

    [Theory]
    [InlineData("500")]
    [InlineData("html")]
    [InlineData("mostly-invalid")]
    [InlineData("empty")]
    [InlineData("blank")]
    [InlineData("truncated")]
    [InlineData("too-big")]
    [InlineData("stall")]
    public async Task A_bad_refresh_never_replaces_the_good_list(string bad)
    {
        _server.Route("list", FeedServer.Body("# ET\n10.0.0.1\n10.0.0.2\n192.0.2.0/24\n"));
        await using var harness = new RefresherHarness(Feed(Hour, "list"),
            requestTimeout: bad == "stall" ? TimeSpan.FromSeconds(2) : null);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(await harness.StartAsync()));

        _server.Route("list", bad switch
        {
            "500" => FeedServer.Status(500),
            "html" => FeedServer.Body("<!DOCTYPE html>\n<html>\n<body>Service unavailable</body>\n</html>\n", contentType: "text/html"),
            "mostly-invalid" => FeedServer.Body("<html>\n<p>\n10.9.9.9\n</p>\n</html>\n"),
            "empty" => FeedServer.Body(""),
            "blank" => FeedServer.Body("\n \r\n\t\n"),
            "truncated" => FeedServer.Truncated(LineFeed.Addresses(500)),
            "too-big" => FeedServer.Chunked(1_000_000),
            _ => FeedServer.Stall(),
        });
        var pass = await harness.NextAfterAsync(new RefreshPass([], Hour));

        Assert.NotEqual(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.True(harness.Lists("10.0.0.2"));
        Assert.True(harness.Lists("192.0.2.77"));
        Assert.False(harness.Lists("10.9.9.9"));
        Assert.Equal(3, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(1, await harness.MetricAsync("oie_exporter_feed_refresh_errors_total"));
        Assert.Equal(1, await harness.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Equal(TimeSpan.FromSeconds(10), pass.NextWake);
        Assert.Contains(harness.Log.At(LogLevel.Warning), l => l.Contains("keeping the 3 entries in force", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failures_back_off_from_10s_doubling_to_10min_then_a_success_returns_to_the_period()
    {
        _server.Route("list", FeedServer.Status(503));
        await using var harness = new RefresherHarness(Feed(TimeSpan.FromHours(6), "list"));
        var pass = await harness.StartAsync();
        var waits = new List<double> { pass.NextWake.TotalSeconds };
        for (var i = 0; i < 8; i++)
        {
            pass = await harness.NextAfterAsync(pass);
            Assert.Equal(SourceOutcome.Failed, harness.Outcome(pass));
            waits.Add(pass.NextWake.TotalSeconds);
        }
        Assert.Equal([10, 20, 40, 80, 160, 320, 600, 600, 600], waits);

        _server.Route("list", FeedServer.Body("10.0.0.1\n"));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.Equal(TimeSpan.FromHours(6), pass.NextWake);
        Assert.Equal(9, await harness.MetricAsync("oie_exporter_feed_refresh_errors_total"));
    }

    [Fact]
    public async Task Backoff_never_exceeds_a_short_refresh_period()
    {
        _server.Route("list", FeedServer.Status(500));
        await using var harness = new RefresherHarness(Feed(TimeSpan.FromSeconds(30), "list"));
        var pass = await harness.StartAsync();
        var waits = new List<double> { pass.NextWake.TotalSeconds };
        for (var i = 0; i < 3; i++)
            waits.Add((pass = await harness.NextAfterAsync(pass)).NextWake.TotalSeconds);
        Assert.Equal([10, 20, 30, 30], waits);
    }

    [Fact]
    public async Task A_wildly_shrunken_list_is_rejected_until_served_identically_three_times()
    {
        _server.Route("list", FeedServer.Body(LineFeed.Addresses(200)));
        await using var harness = new RefresherHarness(Feed(Hour, "list"));
        await harness.StartAsync();
        Assert.True(harness.Lists("10.0.0.150"));

        // 100 of 200 is exactly half: not a wild shrink.
        _server.Route("list", FeedServer.Body(LineFeed.Addresses(100)));
        var pass = await harness.NextAfterAsync(new RefreshPass([], Hour));
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));

        _server.Route("list", FeedServer.Body(LineFeed.Addresses(49)));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        Assert.Contains("shrank from 100 to 49", pass.Attempts[0].Reason);
        _server.Route("list", FeedServer.Body(LineFeed.Addresses(48)));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        Assert.True(harness.Lists("10.0.0.80"));

        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.False(harness.Lists("10.0.0.80"));
        Assert.Equal(48, await harness.MetricAsync("oie_exporter_feed_entries"));
    }

    [Fact]
    public async Task Entries_are_counted_distinct_and_a_body_of_one_address_repeated_never_replaces_the_list()
    {
        using var cache = new TempDir();
        // 202 addresses, each listed twice: 202 entries in force, not 404.
        var good = LineFeed.Addresses(202) + LineFeed.Addresses(202);
        _server.Route("list", FeedServer.Body(good));
        await using var harness = new RefresherHarness(Feed(Hour, "list"), cache.Path);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(await harness.StartAsync()));
        Assert.Equal(202, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(202, harness.Refresher.Status.Entries);
        var cachedBody = Assert.Single(Directory.GetFiles(cache.Path, "*.body"));
        Assert.Equal(good, await File.ReadAllTextAsync(cachedBody));

        _server.Route("list", FeedServer.Body(string.Concat(Enumerable.Repeat("198.51.100.66\n", 300))));
        var pass = await harness.NextAfterAsync(new RefreshPass([], Hour));

        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        Assert.Contains("shrank from 202 to 1 entries", pass.Attempts[0].Reason);
        Assert.True(harness.Lists("10.0.0.150"));
        Assert.False(harness.Lists("198.51.100.66"));
        Assert.Equal(202, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(good, await File.ReadAllTextAsync(cachedBody));
        Assert.Contains(harness.Log.At(LogLevel.Warning),
            l => l.Contains("shrank from 202 to 1 entries", StringComparison.Ordinal) && l.Contains("keeping the 202 entries in force", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_of_duplicates_is_rejected_even_where_a_shrink_would_be_allowed()
    {
        using var cache = new TempDir();
        _server.Route("list", FeedServer.Body(LineFeed.Addresses(20)));
        await using var harness = new RefresherHarness(Feed(Hour, "list"), cache.Path);
        await harness.StartAsync();
        var cachedBody = Assert.Single(Directory.GetFiles(cache.Path, "*.body"));

        // 300 lines, 3 distinct entries (and spellings that are one entry: 10.9.9.9 and 10.9.9.9/32).
        var duplicates = string.Concat(Enumerable.Repeat("10.9.9.9\n10.9.9.9/32\n10.9.9.10\n203.0.113.0/24\n", 75));
        _server.Route("list", FeedServer.Body(duplicates));
        var pass = await harness.NextAfterAsync(new RefreshPass([], Hour));

        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        Assert.Equal("mostly duplicates: 300 entries listed, 3 distinct (same body seen 1 of 3 times)", pass.Attempts[0].Reason);
        Assert.True(harness.Lists("10.0.0.20"));
        Assert.False(harness.Lists("10.9.9.9"));
        Assert.Equal(20, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(LineFeed.Addresses(20), await File.ReadAllTextAsync(cachedBody));
        Assert.Contains(harness.Log.At(LogLevel.Warning), l => l.Contains("mostly duplicates: 300 entries listed, 3 distinct", StringComparison.Ordinal));

        // Like a shrink, the same body served three times in a row is taken as what the feed now is.
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.Equal(3, await harness.MetricAsync("oie_exporter_feed_entries"));
    }

    [Fact]
    public async Task A_list_with_a_few_repeats_is_accepted()
    {
        // Half duplicates, as a Tor document whose exits' OR and exit addresses are the same.
        _server.Route("list", FeedServer.Body(LineFeed.Addresses(150) + LineFeed.Addresses(150)));
        await using var harness = new RefresherHarness(Feed(Hour, "list"));
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(await harness.StartAsync()));
        Assert.Equal(150, await harness.MetricAsync("oie_exporter_feed_entries"));
    }

    [Fact]
    public async Task An_entry_two_sources_list_is_counted_once()
    {
        _server.Route("a", FeedServer.Body("10.0.0.1\n2001:db8::1\n192.0.2.0/24\n"));
        _server.Route("b", FeedServer.Body("10.0.0.1\n2001:DB8::1\n192.0.2.0/24\n10.0.0.2\n"));
        await using var harness = new RefresherHarness(Feed(Hour, "a", "b"));
        await harness.StartAsync();

        Assert.Equal(4, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(4, harness.Refresher.Status.Entries);
    }

    [Fact]
    public async Task A_small_list_may_shrink_freely()
    {
        _server.Route("list", FeedServer.Body(LineFeed.Addresses(99)));
        await using var harness = new RefresherHarness(Feed(Hour, "list"));
        await harness.StartAsync();
        _server.Route("list", FeedServer.Body(LineFeed.Addresses(1)));
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(await harness.NextAfterAsync(new RefreshPass([], Hour))));
    }

    [Fact]
    public async Task A_304_confirms_the_list_in_force()
    {
        _server.Route("list", FeedServer.Body("10.0.0.1\n", etag: "\"v1\""));
        await using var harness = new RefresherHarness(Feed(Hour, "list"));
        await harness.StartAsync();
        var pass = await harness.NextAfterAsync(new RefreshPass([], Hour));
        Assert.Equal(SourceOutcome.NotModified, harness.Outcome(pass));
        Assert.Equal("\"v1\"", _server.Requests[^1].IfNoneMatch);
        Assert.Equal(harness.Time.GetUtcNow().ToUnixTimeSeconds(), await harness.MetricAsync("oie_exporter_feed_last_success_timestamp_seconds"));
        Assert.True(harness.Lists("10.0.0.1"));
    }

    [Fact]
    public async Task Health_metrics_tell_a_dead_feed_from_a_quiet_one()
    {
        _server.Route("list", FeedServer.Status(500));
        await using var harness = new RefresherHarness(Feed(Hour, "list"));
        Assert.Equal(0, await harness.MetricAsync("oie_exporter_feed_fresh"));
        var pass = await harness.StartAsync();
        Assert.Equal(0, await harness.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Equal(0, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(0, await harness.MetricAsync("oie_exporter_feed_last_success_timestamp_seconds"));
        Assert.Equal(1, await harness.MetricAsync("oie_exporter_feed_refresh_errors_total"));

        _server.Route("list", FeedServer.Body("10.0.0.1\n10.0.0.2\n"));
        pass = await harness.NextAfterAsync(pass);
        var success = harness.Time.GetUtcNow();
        Assert.Equal(1, await harness.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Equal(2, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(success.ToUnixTimeSeconds(), await harness.MetricAsync("oie_exporter_feed_last_success_timestamp_seconds"));

        // Fresh while the list in force is within 2 × 1 h + 10 min of its last success, stale after.
        _server.Route("list", FeedServer.Status(500));
        var errors = 1;
        while (harness.Time.GetUtcNow() + pass.NextWake - success <= TimeSpan.FromMinutes(130))
        {
            pass = await harness.NextAfterAsync(pass);
            errors++;
            Assert.Equal(1, await harness.MetricAsync("oie_exporter_feed_fresh"));
        }
        pass = await harness.NextAfterAsync(pass);
        errors++;
        Assert.Equal(0, await harness.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Equal(2, await harness.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(errors, await harness.MetricAsync("oie_exporter_feed_refresh_errors_total"));
        Assert.True(harness.Lists("10.0.0.2"));
    }

    [Fact]
    public async Task Each_source_keeps_its_own_last_good_list_and_the_feed_is_their_union()
    {
        _server.Route("drop.txt", FeedServer.Body("1.0.0.0/8 ; SBL1\n"));
        _server.Route("dropv6.txt", FeedServer.Status(500));
        await using var harness = new RefresherHarness(Feed(Hour, "drop.txt", "dropv6.txt"));
        var pass = await harness.StartAsync();
        Assert.Equal([SourceOutcome.Accepted, SourceOutcome.Failed], pass.Attempts.Select(a => a.Outcome));
        Assert.True(harness.Lists("1.200.3.4"));
        Assert.Equal(0, await harness.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Equal(0, await harness.MetricAsync("oie_exporter_feed_last_success_timestamp_seconds"));

        _server.Route("dropv6.txt", FeedServer.Body("2a0e:1c80::/29 ; SBL2\n"));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.True(harness.Lists("1.200.3.4"));
        Assert.True(harness.Lists("2a0e:1c85::1"));
        Assert.Equal(1, await harness.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Equal(2, await harness.MetricAsync("oie_exporter_feed_entries"));

        _server.Route("drop.txt", FeedServer.Body("<html>\n</html>\n"));
        _server.Route("dropv6.txt", FeedServer.Body("2001:db8::/32\n"));
        harness.Time.Advance(Hour - pass.NextWake);
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal([SourceOutcome.Rejected, SourceOutcome.Accepted], pass.Attempts.Select(a => a.Outcome));
        Assert.True(harness.Lists("1.200.3.4"));
        Assert.True(harness.Lists("2001:db8::1"));
        Assert.False(harness.Lists("2a0e:1c85::1"));
    }

    [Fact]
    public async Task The_disk_cache_keeps_detection_across_a_restart_during_a_feed_outage()
    {
        using var cache = new TempDir();
        _server.Route("list", FeedServer.Body("198.51.100.0/24\n2001:db8::1\n", etag: "\"v7\""));
        var feed = Feed(Hour, "list");
        await using (var first = new RefresherHarness(feed, cache.Path))
            Assert.Equal(SourceOutcome.Accepted, first.Outcome(await first.StartAsync()));
        Assert.Equal(2, Directory.GetFiles(cache.Path).Length);

        _server.Route("list", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        await using var restarted = new RefresherHarness(feed, cache.Path);
        var pass = await restarted.StartAsync();
        Assert.Equal(SourceOutcome.Failed, restarted.Outcome(pass));
        Assert.True(restarted.Lists("198.51.100.9"));
        Assert.True(restarted.Lists("2001:db8::1"));
        Assert.Equal(2, await restarted.MetricAsync("oie_exporter_feed_entries"));
        Assert.Equal(1, await restarted.MetricAsync("oie_exporter_feed_fresh"));
        Assert.Contains(restarted.Log.At(LogLevel.Information), l => l.Contains("loaded from the cache", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cached_validators_make_the_first_request_after_a_restart_conditional()
    {
        using var cache = new TempDir();
        _server.Route("list", FeedServer.Body("198.51.100.7\n", etag: "\"v7\""));
        await using (var first = new RefresherHarness(Feed(Hour, "list"), cache.Path))
            await first.StartAsync();
        await using var restarted = new RefresherHarness(Feed(Hour, "list"), cache.Path);
        Assert.Equal(SourceOutcome.NotModified, restarted.Outcome(await restarted.StartAsync()));
        Assert.True(restarted.Lists("198.51.100.7"));
    }

    [Fact]
    public async Task A_garbage_cache_file_is_ignored()
    {
        using var cache = new TempDir();
        _server.Route("list", FeedServer.Body("198.51.100.7\n"));
        await using (var first = new RefresherHarness(Feed(Hour, "list"), cache.Path))
            await first.StartAsync();
        foreach (var body in Directory.GetFiles(cache.Path, "*.body"))
            await File.WriteAllTextAsync(body, "<html>\n</html>\n");
        _server.Route("list", FeedServer.Status(500));
        await using var restarted = new RefresherHarness(Feed(Hour, "list"), cache.Path);
        await restarted.StartAsync();
        Assert.False(restarted.Lists("198.51.100.7"));
        Assert.Contains(restarted.Log.At(LogLevel.Warning), l => l.Contains("cached copy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unwritable_cache_dir_is_reported_once_and_detection_continues()
    {
        using var dir = new TempDir();
        var notADirectory = dir.File("file");
        await File.WriteAllTextAsync(notADirectory, "");
        _server.Route("a", FeedServer.Body("10.0.0.1\n"));
        _server.Route("b", FeedServer.Body("10.0.0.2\n"));
        await using var harness = new RefresherHarness(Feed(Hour, "a", "b"), Path.Combine(notADirectory, "feeds"));
        await harness.StartAsync();
        Assert.True(harness.Lists("10.0.0.1"));
        Assert.True(harness.Lists("10.0.0.2"));
        Assert.Single(harness.Log.At(LogLevel.Warning), l => l.Contains("not writable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_source_is_reread_within_10s_of_a_change()
    {
        using var dir = new TempDir();
        var path = dir.File("custom.txt");
        await File.WriteAllTextAsync(path, "# mine\n203.0.113.10\n");
        await using var harness = new RefresherHarness(new LineFeed("customlist", TimeSpan.FromHours(6), new Uri(path)));
        var pass = await harness.StartAsync();
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.Equal(TimeSpan.FromSeconds(10), pass.NextWake);

        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.NotModified, harness.Outcome(pass));

        await File.WriteAllTextAsync(path, "203.0.113.10\n2001:DB8::1\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.True(harness.Lists("2001:db8::1"));

        File.Delete(path);
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Failed, harness.Outcome(pass));
        Assert.True(harness.Lists("2001:db8::1"));
    }

    [Fact]
    public async Task A_file_source_is_fully_reread_every_period_even_when_it_looks_unchanged()
    {
        using var dir = new TempDir();
        var path = dir.File("custom.txt");
        await File.WriteAllTextAsync(path, "203.0.113.10\n");
        await using var harness = new RefresherHarness(new LineFeed("customlist", TimeSpan.FromMinutes(1), new Uri(path)));
        var pass = await harness.StartAsync();
        var outcomes = new List<SourceOutcome>();
        for (var i = 0; i < 6; i++)
            outcomes.Add(harness.Outcome(pass = await harness.NextAfterAsync(pass)));
        Assert.Equal(
            [SourceOutcome.NotModified, SourceOutcome.NotModified, SourceOutcome.NotModified, SourceOutcome.NotModified,
             SourceOutcome.NotModified, SourceOutcome.Accepted], outcomes);
    }

    /// <summary>A Tor document cut short or replaced by an HTML page says what was wrong with it, not "no entries
    /// (1 invalid lines)".</summary>
    [Theory]
    [InlineData("truncated", "unusable body: the JSON document ends after")]
    [InlineData("html", "unusable body: an HTML or XML page, not an Onionoo details document")]
    [InlineData("other-json", "unusable body: JSON without a \"relays\" array")]
    [InlineData("broken-json", "unusable body: not valid JSON (line 1, byte 13)")]
    public async Task A_tor_document_that_is_not_one_is_rejected_saying_why(string bad, string reason)
    {
        var document = File.ReadAllText(Path.Combine(PublishedExporter.RepositoryRoot, "samples", "feeds", "onionoo-details.json"));
        _server.Route("details", FeedServer.Body(document, contentType: "application/json"));
        var tor = new Oie.Feeds.Tor.TorFeed(new FeedDescriptor("tor", "oie_tor_contact", "tor", [_server.Url("details")], Hour));
        await using var harness = new RefresherHarness(tor);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(await harness.StartAsync()));

        _server.Route("details", FeedServer.Body(bad switch
        {
            "truncated" => document[..(document.Length / 2)],
            "html" => "<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n",
            "other-json" => "{\"version\":\"8.0\",\"bridges\":[]}",
            _ => "{\"relays\": [}",
        }, contentType: bad == "html" ? "text/html" : "application/json"));
        var pass = await harness.NextAfterAsync(new RefreshPass([], Hour));

        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        Assert.StartsWith(reason, pass.Attempts[0].Reason, StringComparison.Ordinal);
        if (bad == "truncated")
            Assert.EndsWith("before it is complete (a truncated download?)", pass.Attempts[0].Reason, StringComparison.Ordinal);
        Assert.Contains(harness.Log.At(LogLevel.Warning), l => l.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_parser_that_throws_is_a_rejected_refresh_not_a_dead_refresher()
    {
        _server.Route("list", FeedServer.Body("10.0.0.1\n"));
        await using var harness = new RefresherHarness(new ThrowingFeed(Feed(Hour, "list")));
        var pass = await harness.StartAsync();
        _server.Route("list", FeedServer.Body("boom\n"));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Rejected, harness.Outcome(pass));
        Assert.Contains("parser failed", pass.Attempts[0].Reason);
        _server.Route("list", FeedServer.Body("10.0.0.2\n"));
        pass = await harness.NextAfterAsync(pass);
        Assert.Equal(SourceOutcome.Accepted, harness.Outcome(pass));
        Assert.True(harness.Lists("10.0.0.2"));
    }

    private sealed class ThrowingFeed(IThreatFeed inner) : IThreatFeed
    {
        public FeedDescriptor Descriptor => inner.Descriptor;

        public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries)
        {
            if (body.StartsWith("boom"u8))
                throw new FormatException("boom");
            inner.Parse(body, source, entries);
        }
    }
}
