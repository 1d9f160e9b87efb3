namespace Oie.EndToEnd.Tests;

/// <summary>
/// The deployment under test for <see cref="DeploymentTests"/>: the published exporter against qemu:///system with the
/// namespace's conntrack table and all four feeds, scraped every second by a real Prometheus that loads
/// deploy/prometheus/alerts.yml. Started on first use; Dispose kills both by PID.
/// </summary>
public sealed class ScrapedDeployment : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task? _started;

    internal ExporterProcess Exporter { get; private set; } = null!;
    internal PrometheusServer Prometheus { get; private set; } = null!;
    internal DateTime StartedAt { get; private set; }

    public static string AlertRules => Path.Combine(Oie.Testing.PublishedExporter.RepositoryRoot, "deploy", "prometheus", "alerts.yml");

    internal async Task StartAsync(RealStack stack)
    {
        await stack.StartAsync();
        await _gate.WaitAsync();
        try
        {
            _started ??= BringUpAsync(stack);
        }
        finally
        {
            _gate.Release();
        }
        await _started;
    }

    private async Task BringUpAsync(RealStack stack)
    {
        Exporter = await ExporterProcess.StartAsync(stack.Run, "exporter-scraped",
        [
            "-collection.interval=1s", "-cpu.min=0",
            // Every collector, the opt-in ones too, so that every dashboard panel has its series.
            "-collector.instance_info", "-collector.memory", "-collector.vcpu", "-collector.disk_info", "-collector.jobs",
            $"-conntrack.command={stack.Namespace.ConntrackCommand}", "-conntrack.min=1",
            .. ThreatFeedFiles.Flags(stack.Run),
        ]);
        Prometheus = await PrometheusServer.StartAsync(stack.Run, Exporter.Target, AlertRules);
        StartedAt = DateTime.UtcNow;
    }

    internal string Logs() => (Exporter?.Log() ?? "") + "\n" + (Prometheus?.Log() ?? "");

    public void Dispose()
    {
        Prometheus?.Dispose();
        Exporter?.Dispose();
        _gate.Dispose();
    }
}
