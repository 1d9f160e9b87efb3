using System.Globalization;
using Xunit.Abstractions;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// Issue 5's soak, short and real: small domains defined, started, destroyed and undefined in the real libvirtd over many
/// cycles of the published exporter. Vanished instances' series go at the next cycle, the healthy guest is in every
/// scrape, and the series count and the resident memory stay bounded.
/// </summary>
[Collection(RealStackCollection.Name)]
public sealed class ChurnSoakTests(RealStack stack, ITestOutputHelper output)
{
    private const int Rounds = 5;
    private const int PerRound = 3;
    private const long RssGrowthLimit = 40L << 20;

    [SkippableFact]
    public async Task Domain_churn_keeps_series_and_memory_bounded_and_vanished_series_go()
    {
        await stack.StartAsync();
        output.WriteLine(stack.StartupTimes);
        using var exporter = await ExporterProcess.StartAsync(stack.Run, "exporter-soak", "-collection.interval=1s",
            // libvirtd answers slowly while it starts and destroys domains; this test is about churn, not that deadline.
            "-libvirt.timeout=20s",
            $"-conntrack.command={stack.Namespace.ConntrackCommand}", "-conntrack.min=1");
        var guest = stack.Guest.Uuid;
        var warm = await LibvirtRestartTests.UntilAsync(exporter,
            e => e.Value("oie_disk_r_requests", ("instance_uuid", guest), ("disk_path", "vda")) is not null &&
                 e.Value("oie_conntrack_ip_total", ("instance_uuid", guest)) is not null,
            "the guest's series before the churn");
        var baselineSeries = warm.Samples.Count;
        var baselineRss = exporter.RssBytes();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var libvirtErrors = warm.Value("oie_exporter_collection_errors_total", ("source", "libvirt"));
        var maxSeries = baselineSeries;
        var scrapes = 0;

        async Task<Exposition> Check(Func<Exposition, bool> condition, string what)
        {
            return await LibvirtRestartTests.UntilAsync(exporter, e =>
            {
                scrapes++;
                maxSeries = Math.Max(maxSeries, e.Samples.Count);
                // Every scrape during the churn: libvirt read, the healthy guest there.
                Assert.True(e.Value("oie_exporter_libvirt_up") == 1, "libvirt_up is not 1 during the churn; exporter log:\n" + exporter.Log());
                Assert.NotNull(e.Value("oie_disk_r_alert_threshold", ("instance_uuid", guest), ("disk_path", "vda")));
                return condition(e);
            }, what);
        }

        var seen = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var domains = new List<LibvirtDomain>();
            try
            {
                for (var i = 0; i < PerRound; i++)
                {
                    var n = round * PerRound + i;
                    var disk = stack.Run.File($"churn-{n}.qcow2");
                    Sh.Run("qemu-img", "create", "-q", "-f", "qcow2", disk, "16M");
                    domains.Add(LibvirtDomain.Start(stack.Libvirt, stack.Run, stack.Assets,
                        new DomainSpec(LibvirtDaemon.DomainPrefix + (0x100 + n).ToString("x4", CultureInfo.InvariantCulture), DomainSpec.NewUuid())
                        {
                            LocalDisk = disk,
                            NovaMetadata = DomainSpec.Nova($"churn-{n}", $"10.0.1.{n + 1}"),
                        },
                        paused: true, transient: i == 0));
                }
                await Check(e => domains.All(d => e.Value("oie_disk_r_alert_threshold", ("instance_uuid", d.Uuid)) is not null),
                    $"round {round}: the new domains exported");
                seen.AddRange(domains.Select(d => d.Uuid));
            }
            finally
            {
                // Destroyed while the exporter keeps cycling every second, at whatever point of its cycle.
                foreach (var domain in domains)
                    domain.Dispose();
            }
            await Check(e => domains.All(d => !e.WithLabel("instance_uuid", d.Uuid).Any()), $"round {round}: the destroyed domains' series gone");
        }

        var end = await Check(e => e.Value("oie_exporter_instances") == 1, "back to the one guest");
        var endRss = exporter.RssBytes();
        var instanceUuids = end.Samples.Select(s => s.Label("instance_uuid")).Where(u => u.Length > 0).Distinct().ToList();
        Assert.Equal([guest], instanceUuids);
        Assert.DoesNotContain(seen, end.Text.Contains);
        Assert.True(maxSeries <= baselineSeries + PerRound * 12,
            $"{maxSeries} series at most during the churn, baseline {baselineSeries}");
        Assert.InRange(end.Samples.Count, baselineSeries - 10, baselineSeries + 10);
        Assert.Equal(libvirtErrors, end.Value("oie_exporter_collection_errors_total", ("source", "libvirt")));
        Assert.True(endRss - baselineRss < RssGrowthLimit,
            $"RSS grew from {baselineRss >> 20} MiB to {endRss >> 20} MiB over the churn");
        // The loop ran throughout: its last fully successful cycle is recent (the exposition's self metrics lag one cycle).
        var lastSuccess = DateTimeOffset.FromUnixTimeMilliseconds((long)(end.Value("oie_exporter_last_successful_collection_timestamp_seconds")!.Value * 1000));
        Assert.True(DateTimeOffset.UtcNow - lastSuccess < TimeSpan.FromSeconds(3), $"last successful cycle at {lastSuccess:O}");
        var cycles = clock.Elapsed.TotalSeconds / 0.5;
        output.WriteLine($"{seen.Count} domains churned over ~{cycles:0} cycles, {scrapes} scrapes; series {baselineSeries} → max {maxSeries} → {end.Samples.Count}; " +
                         $"RSS {baselineRss >> 20} → {endRss >> 20} MiB");
    }
}
