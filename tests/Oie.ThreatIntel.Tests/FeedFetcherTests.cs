using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace Oie.ThreatIntel.Tests;

public sealed class FeedFetcherTests : IAsyncLifetime
{
    private FeedServer _server = null!;
    private readonly FeedFetcher _fetcher = new(new FeedFetchOptions { MaxBytes = 4096, RequestTimeout = TimeSpan.FromSeconds(20) });

    public async Task InitializeAsync() => _server = await FeedServer.StartAsync();

    public async Task DisposeAsync()
    {
        _fetcher.Dispose();
        await _server.DisposeAsync();
    }

    private Task<FetchResult> Fetch(string path, FeedValidators? previous = null) =>
        _fetcher.FetchAsync(_server.Url(path), previous, CancellationToken.None);

    [Fact]
    public async Task A_good_body_comes_back_with_its_validators()
    {
        var modified = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        _server.Route("drop.txt", FeedServer.Body("1.10.16.0/20 ; SBL256894\n", "\"v1\"", modified));
        var body = Assert.IsType<FetchResult.Body>(await Fetch("drop.txt"));
        Assert.Equal("1.10.16.0/20 ; SBL256894\n", Encoding.UTF8.GetString(body.Content));
        Assert.Equal("\"v1\"", body.Validators.ETag);
        Assert.Equal(modified, body.Validators.LastModified);
    }

    [Fact]
    public async Task An_unchanged_body_is_not_modified_by_etag_or_by_date()
    {
        var modified = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        _server.Route("etag", FeedServer.Body("1.2.3.4\n", etag: "\"abc\""));
        _server.Route("date", FeedServer.Body("1.2.3.4\n", lastModified: modified));
        var first = Assert.IsType<FetchResult.Body>(await Fetch("etag"));
        Assert.IsType<FetchResult.NotModified>(await Fetch("etag", first.Validators));
        var dated = Assert.IsType<FetchResult.Body>(await Fetch("date"));
        Assert.IsType<FetchResult.NotModified>(await Fetch("date", dated.Validators));
        Assert.Contains(_server.Requests, r => r is { Path: "/etag", IfNoneMatch: "\"abc\"" });
        Assert.Contains(_server.Requests, r => r.Path == "/date" && r.IfModifiedSince is not null);
        Assert.IsType<FetchResult.Body>(await Fetch("etag", new FeedValidators("\"old\"", null)));
    }

    [Fact]
    public async Task An_error_status_fails()
    {
        _server.Route("500", FeedServer.Status(500));
        var failed = Assert.IsType<FetchResult.Failed>(await Fetch("500"));
        Assert.Contains("HTTP 500", failed.Reason);
        Assert.IsType<FetchResult.Failed>(await Fetch("missing"));
    }

    [Fact]
    public async Task An_html_page_with_200_is_a_body_for_the_refresher_to_judge()
    {
        _server.Route("html", FeedServer.Body("<html><head><title>Maintenance</title></head></html>", contentType: "text/html"));
        Assert.IsType<FetchResult.Body>(await Fetch("html"));
    }

    [Fact]
    public async Task A_body_cut_short_of_its_content_length_fails()
    {
        _server.Route("cut", FeedServer.Truncated(LineFeed.Addresses(300)[..3000]));
        Assert.IsType<FetchResult.Failed>(await Fetch("cut"));
    }

    [Fact]
    public async Task A_body_over_the_cap_fails_whether_announced_or_streamed()
    {
        _server.Route("announced", FeedServer.Body(new string('1', 5000)));
        _server.Route("streamed", FeedServer.Chunked(1_000_000));
        Assert.Contains("larger than 4096", Assert.IsType<FetchResult.Failed>(await Fetch("announced")).Reason);
        Assert.Contains("larger than 4096", Assert.IsType<FetchResult.Failed>(await Fetch("streamed")).Reason);
    }

    [Fact]
    public async Task A_body_at_the_cap_is_accepted()
    {
        _server.Route("exact", FeedServer.Body(new string('1', 4096)));
        Assert.Equal(4096, Assert.IsType<FetchResult.Body>(await Fetch("exact")).Content.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stalling_server_fails_at_the_total_timeout(bool afterHeaders)
    {
        _server.Route("stall", FeedServer.Stall(afterHeaders));
        using var impatient = new FeedFetcher(new FeedFetchOptions { RequestTimeout = TimeSpan.FromMilliseconds(750) });
        var clock = Stopwatch.StartNew();
        var failed = Assert.IsType<FetchResult.Failed>(await impatient.FetchAsync(_server.Url("stall"), null, CancellationToken.None));
        Assert.Contains("timed out", failed.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_a_failure()
    {
        _server.Route("stall", FeedServer.Stall());
        using var cancel = new CancellationTokenSource();
        var fetch = _fetcher.FetchAsync(_server.Url("stall"), null, cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
    }

    [Fact]
    public async Task A_gzip_body_is_decompressed()
    {
        _server.Route("gz", async context =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest);
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("198.51.100.7\n"));
        });
        Assert.Equal("198.51.100.7\n", Encoding.UTF8.GetString(Assert.IsType<FetchResult.Body>(await Fetch("gz")).Content));
    }

    [Fact]
    public async Task A_file_is_read_and_then_not_modified_until_it_changes()
    {
        using var dir = new TempDir();
        var path = dir.File("custom.txt");
        await File.WriteAllTextAsync(path, "2001:db8::1\n");
        var uri = new Uri(path);
        var body = Assert.IsType<FetchResult.Body>(await _fetcher.FetchAsync(uri, null, CancellationToken.None));
        Assert.Equal("2001:db8::1\n", Encoding.UTF8.GetString(body.Content));
        Assert.IsType<FetchResult.NotModified>(await _fetcher.FetchAsync(uri, body.Validators, CancellationToken.None));
        await File.WriteAllTextAsync(path, "2001:db8::2\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.IsType<FetchResult.Body>(await _fetcher.FetchAsync(uri, body.Validators, CancellationToken.None));
        File.Delete(path);
        Assert.Contains("no such file", Assert.IsType<FetchResult.Failed>(await _fetcher.FetchAsync(uri, body.Validators, CancellationToken.None)).Reason);
    }

    [Fact]
    public async Task A_file_over_the_cap_fails()
    {
        using var dir = new TempDir();
        var path = dir.File("big.txt");
        await File.WriteAllTextAsync(path, new string('1', 5000));
        Assert.IsType<FetchResult.Failed>(await _fetcher.FetchAsync(new Uri(path), null, CancellationToken.None));
    }
}
