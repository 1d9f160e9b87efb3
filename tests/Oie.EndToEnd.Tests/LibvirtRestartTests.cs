using System.Diagnostics;
using Xunit.Abstractions;

namespace Oie.EndToEnd.Tests;

/// <summary>Issue 5: libvirtd goes away (SIGKILL) and comes back while the published exporter runs against it.</summary>
[Collection(RealStackCollection.Name)]
public sealed class LibvirtRestartTests(RealStack stack, ITestOutputHelper output)
{
    // Series of an instance are served for their TTL (-dynamic / -static.cache.expiration) plus one interval of grace
    // after the last cycle that read it (src/Oie.Host/Exposition/ExpositionStore.cs).
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StaticTtl = TimeSpan.FromSeconds(4);

    [SkippableFact]
    public async Task Instance_series_expire_while_libvirtd_is_down_and_collection_resumes_when_it_is_back()
    {
        await stack.StartAsync();
        output.WriteLine(stack.StartupTimes);
        using var exporter = await ExporterProcess.StartAsync(stack.Run, "exporter-restart",
            "-collection.interval=1s", "-dynamic.cache.expiration=2s", "-static.cache.expiration=4s",
            $"-conntrack.command={stack.Namespace.ConntrackCommand}", "-conntrack.min=1");
        var guest = stack.Guest.Uuid;
        bool HasGuest(Exposition e) => e.WithLabel("instance_uuid", guest).Any();
        await UntilAsync(exporter, e => e.Value("oie_disk_r_requests", ("instance_uuid", guest), ("disk_path", "vda")) is not null &&
                                        e.Value("oie_disk_r_alert_threshold", ("instance_uuid", guest), ("disk_path", "vda")) is not null,
            "the guest's disk series before the kill");

        Exposition down;
        var clock = Stopwatch.StartNew();
        try
        {
            stack.Libvirt.Kill();
            down = await UntilAsync(exporter, e => e.Value("oie_exporter_libvirt_up") == 0, "libvirt_up 0 after libvirtd was killed");
            var noticed = clock.Elapsed;

            // The loop keeps running: every cycle that cannot read libvirt counts an error.
            var errors = Errors(down);
            await UntilAsync(exporter, e => Errors(e) >= errors + 3, "three more failed cycles counted");

            // Instance series go once their TTL has passed since the last cycle that read them — not before it,
            // not never — while the host-wide series stay.
            var gone = await UntilAsync(exporter, e => !HasGuest(e), "the guest's series to expire", TimeSpan.FromSeconds(20));
            var expiredAfter = clock.Elapsed;
            Assert.True(expiredAfter >= StaticTtl - noticed,
                $"instance series disappeared {expiredAfter.TotalSeconds:0.0}s after the kill, before the static TTL of {StaticTtl.TotalSeconds}s could pass");
            Assert.NotNull(gone.Value("oie_conntrack_entries"));
            Assert.NotNull(gone.Value("oie_exporter_libvirt_up"));
            Assert.Empty(gone.Of("oie_disk_r_alert_threshold"));
            Assert.Empty(gone.Of("oie_net_rx_pkt_total"));
            Assert.Empty(gone.Of("oie_conntrack_ip_total"));
            output.WriteLine($"libvirt_up 0 after {noticed.TotalSeconds:0.0}s, instance series gone after {expiredAfter.TotalSeconds:0.0}s");
        }
        finally
        {
            if (!stack.Libvirt.IsRunning)
                await stack.Libvirt.StartAsync();
        }

        // Nobody restarts the exporter: it reconnects by itself (its backoff is at most 60 s; here it is a few seconds).
        var back = await UntilAsync(exporter, e => e.Value("oie_exporter_libvirt_up") == 1 &&
                                                   e.Value("oie_disk_r_requests", ("instance_uuid", guest), ("disk_path", "vda")) is not null &&
                                                   e.Value("oie_conntrack_ip_total", ("instance_uuid", guest)) is not null,
            "collection to resume after libvirtd came back", TimeSpan.FromSeconds(45));
        Assert.Equal(stack.Guest.Name, back.WithLabel("instance_uuid", guest).First().Label("domain"));
        output.WriteLine($"resumed {clock.Elapsed.TotalSeconds:0.0}s after the kill");
    }

    private static double Errors(Exposition e) => e.Value("oie_exporter_collection_errors_total", ("source", "libvirt")) ?? 0;

    internal static async Task<Exposition> UntilAsync(ExporterProcess exporter, Func<Exposition, bool> condition, string what, TimeSpan? timeout = null)
    {
        Exposition? last = null;
        await Poll.UntilAsync(async () => (last = await exporter.TryScrapeAsync()) is { } e && condition(e),
            timeout ?? TimeSpan.FromSeconds(20),
            () => Task.FromResult($"{what}\nlast /metrics:\n{Tail(last?.Text)}\n{exporter.Log()}"));
        return last!;
    }

    private static string Tail(string? text) =>
        text is null ? "(no scrape)" : string.Join("\n", text.Split('\n').Where(l => l.StartsWith("oie_", StringComparison.Ordinal)).Take(80));
}
