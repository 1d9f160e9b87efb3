using System.Globalization;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// The published Native AOT binary (Oie.Testing.PublishedExporter) running against the real libvirtd, listening on a free
/// 127.0.0.1 port. Dispose kills it by PID.
/// </summary>
internal sealed class ExporterProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Daemon _daemon;

    private ExporterProcess(Daemon daemon, int port)
    {
        _daemon = daemon;
        Port = port;
    }

    public int Port { get; }
    public string Target => $"127.0.0.1:{Port}";
    public int Pid => _daemon.Pid;
    public bool HasExited => _daemon.HasExited;

    /// <summary>Starts the exporter with <paramref name="flags"/> (plus -web.listen-address and -libvirt.uri) and waits for its
    /// first cycle that read libvirt.</summary>
    public static Task<ExporterProcess> StartAsync(RunDirectory run, string name, params string[] flags) =>
        StartAsync(run, name, e => e.Value("oie_exporter_libvirt_up") == 1, "read libvirt", flags);

    /// <summary>Starts the exporter and waits until a scrape shows the first cycle has run, whatever libvirt did.</summary>
    public static Task<ExporterProcess> StartWithoutLibvirtAsync(RunDirectory run, string name, params string[] flags) =>
        StartAsync(run, name, e => e.Value("oie_exporter_libvirt_up") is not null, "finish a cycle", flags);

    private static async Task<ExporterProcess> StartAsync(RunDirectory run, string name, Func<Exposition, bool> started, string what, string[] flags)
    {
        var port = FreePort.Next();
        var daemon = Daemon.Start(run, name, [Oie.Testing.PublishedExporter.Path,
            $"-web.listen-address=127.0.0.1:{port}", $"-libvirt.uri={LibvirtDaemon.Uri}", "-log.level=info", .. flags]);
        var exporter = new ExporterProcess(daemon, port);
        try
        {
            await Poll.UntilAsync(async () => daemon.HasExited || await exporter.TryScrapeAsync() is { } e && started(e),
                TimeSpan.FromSeconds(30), () => Task.FromResult($"the exporter did not {what}\n" + daemon.Log()));
            if (daemon.HasExited)
                throw new InvalidOperationException("the exporter exited at start\n" + daemon.Log());
            return exporter;
        }
        catch
        {
            exporter.Dispose();
            throw;
        }
    }

    public async Task<Exposition?> TryScrapeAsync()
    {
        try
        {
            return Exposition.Parse(await Http.GetStringAsync($"http://{Target}/metrics"));
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    public async Task<Exposition> ScrapeAsync() =>
        await TryScrapeAsync() ?? throw new InvalidOperationException($"scraping {Target} failed\n{_daemon.Log()}");

    /// <summary>Resident memory of the process in bytes (from /proc, independent of what it reports about itself).</summary>
    public long RssBytes()
    {
        var line = File.ReadAllLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public string Log() => _daemon.Log();

    public void Dispose() => _daemon.Dispose();
}
