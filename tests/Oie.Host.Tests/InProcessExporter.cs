using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.CommandLine;

namespace Oie.Host.Tests;

/// <summary>
/// The whole exporter in-process, composed as Program.cs composes it, with the collection loop on a fake clock and
/// Kestrel on a loopback port: the one rig of the whole-exporter tests. <see cref="StartAsync"/> returns once the
/// enabled feeds have loaded and the first cycle has published; each <see cref="AdvanceOneIntervalAsync"/> runs one more.
/// </summary>
internal sealed class InProcessExporter : IAsyncDisposable
{
    private static readonly TimeSpan CycleTimeout = TimeSpan.FromSeconds(30);
    private readonly Channel<CycleSnapshot> _cycles = Channel.CreateUnbounded<CycleSnapshot>();
    private readonly HttpClient _http = new();

    private InProcessExporter(WebApplication app, FakeTimeProvider time, TimeSpan interval)
    {
        App = app;
        Time = time;
        Interval = interval;
    }

    public WebApplication App { get; }
    public FakeTimeProvider Time { get; }
    public TimeSpan Interval { get; }
    public IServiceProvider Services => App.Services;

    /// <summary>http://127.0.0.1:PORT, without a trailing slash.</summary>
    public string BaseUrl => App.Urls.Single().TrimEnd('/');

    /// <param name="args">The command line; <c>-web.listen-address=127.0.0.1:0</c> is added when it names no address.</param>
    public static async Task<InProcessExporter> StartAsync(params IEnumerable<string> args)
    {
        List<string> commandLineArgs = [.. args];
        if (!commandLineArgs.Any(a => a.StartsWith("-web.listen-address=", StringComparison.Ordinal)))
        {
            commandLineArgs.Add("-web.listen-address=127.0.0.1:0");
        }
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
        var parsed = commandLine.Parse(commandLineArgs);
        Assert.True(parsed.Success, parsed.Error);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var exporter = new InProcessExporter(TestExporter.Build(commandLine, time), time, commandLine.Host.CollectionInterval.Value);
        exporter.App.CollectionLoop().WaitingForNextSlot += s => exporter._cycles.Writer.TryWrite(s!);
        var threatIntel = exporter.Services.GetService<ThreatIntel.ThreatIntel>();
        var feedsLoaded = threatIntel is null ? Task.CompletedTask : AppServices.AllFeedsLoaded(threatIntel);
        await exporter.App.StartAsync();
        await feedsLoaded.WaitAsync(CycleTimeout);
        await exporter.NextCycleAsync();
        return exporter;
    }

    /// <summary>The next cycle the loop completes (it runs when the fake clock reaches its slot).</summary>
    public async Task<CycleSnapshot> NextCycleAsync() => await _cycles.Reader.ReadAsync().AsTask().WaitAsync(CycleTimeout);

    /// <summary>Moves the clock one <c>-collection.interval</c> on and waits for the cycle that runs then.</summary>
    public async Task<CycleSnapshot> AdvanceOneIntervalAsync()
    {
        Time.Advance(Interval);
        return await NextCycleAsync();
    }

    /// <summary>The body of <c>GET /metrics</c> (or <paramref name="path"/>) over real HTTP.</summary>
    public Task<string> ScrapeTextAsync(string path = "/metrics") => _http.GetStringAsync(BaseUrl + path);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _http.Dispose();
    }
}
