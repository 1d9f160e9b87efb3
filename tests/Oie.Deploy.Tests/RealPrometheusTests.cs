using System.Text.Json.Nodes;

namespace Oie.Deploy.Tests;

/// <summary>
/// The kit against a real Prometheus (Debian's, on a loopback port) scraping the published AOT binary on the sample node
/// with every collector and all four feeds on (samples/, every list contacted by some instance): Prometheus loads
/// alerts.yml and evaluates every rule without error, and every dashboard query returns data.
/// </summary>
public sealed class RealPrometheusTests
{
    [SkippableFact]
    public async Task Prometheus_evaluates_the_alerts_and_every_dashboard_query_returns_data()
    {
        Skip.IfNot(Tool.OnPath("prometheus"), "SKIPPED: prometheus is not installed (scripts/install-deps.sh installs it)");
        var work = Directory.CreateTempSubdirectory("oie-real-prometheus-");
        try
        {
            var feeds = Repo.File("samples", "feeds");
            var exporterPort = Daemon.FreePort();
            await using var exporter = Daemon.Start(PublishedExporter.Path,
            [
                $"-libvirt.uri=test://{Repo.File("samples", "node.xml")}", $"-web.listen-address=127.0.0.1:{exporterPort}",
                $"-conntrack.path={Repo.File("samples", "conntrack.txt")}", "-conntrack.min=1", "-cpu.min=0", "-collection.interval=1s",
                "-tor.enable", $"-tor.url=file://{feeds}/onionoo-details.json",
                "-spamhaus.enable", $"-spamhaus.url=file://{feeds}/drop.txt", $"-spamhaus.ipv6.url=file://{feeds}/dropv6.txt",
                "-emergingthreats.enable", $"-emergingthreats.url=file://{feeds}/compromised-ips.txt",
                "-customlist.enable", $"-customlist.path={feeds}/custom-ips.txt",
                $"-feeds.cache-dir={Path.Combine(work.FullName, "feeds")}",
                "-collector.instance_info", "-collector.memory", "-collector.vcpu", "-collector.disk_info",
            ]);

            File.Copy(Repo.File("deploy", "prometheus", "alerts.yml"), Path.Combine(work.FullName, "alerts.yml"));
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "prometheus.yml"), $$"""
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [alerts.yml]
                scrape_configs:
                  - job_name: openstack_instance_exporter
                    static_configs: [{targets: ['127.0.0.1:{{exporterPort}}']}]
                """);
            var prometheusPort = Daemon.FreePort();
            await using var prometheus = Daemon.Start("prometheus",
            [
                $"--config.file={Path.Combine(work.FullName, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(work.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{prometheusPort}",
            ], work.FullName);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}"), Timeout = TimeSpan.FromSeconds(10) };
            var queries = GrafanaDashboardTests.Expected
                .SelectMany(file => GrafanaDashboardTests.Expressions(GrafanaDashboardTests.Load(file))
                    .Select(e => (Where: $"{file}: {e.Title}", Expr: GrafanaDashboardTests.Substitute(e.Expr))))
                .ToList();

            // Rate windows need two scrapes and CPU a second cycle: poll until every query has data, or the deadline.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            List<string> empty;
            while (true)
            {
                Assert.False(exporter.HasExited, "the exporter exited:\n" + exporter.Output);
                Assert.False(prometheus.HasExited, "prometheus exited:\n" + prometheus.Output);
                empty = [];
                foreach (var (where, expr) in queries)
                {
                    var result = await Query(http, expr);
                    if ((result is null or { Count: 0 }) && !NeedsQemu(expr))
                        empty.Add($"{where}: {expr}");
                }
                if (empty.Count == 0 || DateTime.UtcNow > deadline)
                    break;
                await Task.Delay(500);
            }
            Assert.True(empty.Count == 0, "queries without data:\n" + string.Join("\n", empty));

            // Every rule evaluates without error; the sample node's flows contact every list, so exactly the four contact
            // alerts fire (nothing is wrong with the exporter). Rules are evaluated every second: poll to the deadline.
            var alertCount = File.ReadAllLines(Repo.File("deploy", "prometheus", "alerts.yml")).Count(l => l.TrimStart().StartsWith("- alert: ", StringComparison.Ordinal));
            string[] expectedFiring = ["OieCustomListContact", "OieEmergingThreatsContact", "OieSpamhausContact", "OieTorContact"];
            string state;
            while (true)
            {
                var rules = JsonNode.Parse(await http.GetStringAsync("/api/v1/rules?type=alert"))!["data"]!["groups"]!.AsArray()
                    .SelectMany(g => g!["rules"]!.AsArray()).ToList();
                var unhealthy = rules.Where(r => (string?)r!["health"] != "ok").Select(r => $"{r!["name"]}: {r["health"]} {r["lastError"]}");
                var firing = rules.Where(r => (string?)r!["state"] == "firing").Select(r => (string?)r!["name"] ?? "").Order(StringComparer.Ordinal);
                state = $"{rules.Count} rules of {alertCount}; not ok: [{string.Join("; ", unhealthy)}]; firing: [{string.Join(", ", firing)}]";
                if (rules.Count == alertCount && !unhealthy.Any() && firing.SequenceEqual(expectedFiring) || DateTime.UtcNow > deadline)
                    break;
                await Task.Delay(500);
            }
            Assert.Equal($"{alertCount} rules of {alertCount}; not ok: []; firing: [{string.Join(", ", expectedFiring)}]", state);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The instant query's result vector, or null when Prometheus answered with an error or is not listening yet.</summary>
    private static async Task<JsonArray?> Query(HttpClient http, string expr)
    {
        try
        {
            using var response = await http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(expr));
            if (!response.IsSuccessStatusCode)
                return null;
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return body?["data"]?["result"] as JsonArray;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Families the libvirt test driver cannot give (balloon guest fields, vCPU delay, running jobs): their
    /// panels are checked against the real QEMU guest by the end-to-end suite's dashboard test.</summary>
    private static bool NeedsQemu(string expr) =>
        new[] { "oie_memory_rss_bytes", "oie_memory_usable_bytes", "oie_memory_swap_", "oie_vcpu_delay_seconds_total", "oie_job_" }
            .Any(family => expr.Contains(family, StringComparison.Ordinal));
}
