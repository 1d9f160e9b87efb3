using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// Issue 7 end to end, asserted through Prometheus's HTTP API: the published exporter on a real libvirtd with a real QEMU
/// guest doing disk and network I/O, the guest's traffic tracked by real kernel conntrack, a real Prometheus scraping.
/// </summary>
[Collection(RealStackCollection.Name)]
public sealed class DeploymentTests(RealStack stack, ScrapedDeployment deployment, ITestOutputHelper output) : IClassFixture<ScrapedDeployment>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    private PrometheusServer Prometheus => deployment.Prometheus;
    private QemuGuest Guest => stack.Guest;

    [SkippableFact]
    public async Task Prometheus_scrapes_the_guest_with_its_Nova_labels_and_growing_counters()
    {
        await deployment.StartAsync(stack);
        output.WriteLine(stack.StartupTimes);
        await UntilAsync($"up{{job=\"{PrometheusServer.Job}\"}} == 1");

        var owner = $"domain=\"{Guest.Name}\",instance_uuid=\"{Guest.Uuid}\",user_uuid=\"{DomainSpec.UserUuid}\",project_uuid=\"{DomainSpec.ProjectUuid}\"";
        var vda = $"{owner},disk_type=\"local\",disk_uuid=\"{Guest.LocalDisk}\",disk_path=\"vda\"";
        var vdb = $"{owner},disk_type=\"unknown\",disk_uuid=\"unknown\",disk_path=\"vdb\""; // an nbd export: no pool/image, as Go labelled it
        var nic = $"{owner},interface=\"{Guest.Tap}\"";
        string[] counters =
        [
            $"oie_disk_r_requests{{{vda}}}", $"oie_disk_r_gbytes{{{vda}}}",
            $"oie_disk_w_requests{{{vdb}}}", $"oie_disk_w_gbytes{{{vdb}}}",
            $"oie_net_rx_pkt_total{{{nic}}}", $"oie_net_tx_pkt_total{{{nic}}}",
            $"oie_net_rx_gbytes{{{nic}}}", $"oie_net_tx_gbytes{{{nic}}}",
        ];
        string[] gauges =
        [
            $"oie_disk_r_alert_threshold{{{vda}}}", $"oie_disk_w_alert_threshold{{{vdb}}}",
            // CPU is left out of a scrape when unchanged; the last value within a minute is the series Prometheus has.
            $"last_over_time(oie_cpu_percent{{{owner}}}[1m])",
        ];
        var first = new Dictionary<string, double>();
        foreach (var query in counters.Concat(gauges))
            first[query] = PrometheusServer.ValueOf(await UntilAsync(query));

        Assert.Equal(100, first[gauges[0]]);          // -default.read.threshold
        Assert.InRange(first[gauges[2]], 0, 100);
        // The same label sets, exactly: the query above matched with every label; now check nothing else is attached.
        var cpu = Assert.Single(await Prometheus.QueryAsync($"oie_cpu_percent{{instance_uuid=\"{Guest.Uuid}\"}}[1m]"));
        Assert.Equal(["__name__", "domain", "instance", "instance_uuid", "job", "project_uuid", "user_uuid"],
            cpu.GetProperty("metric").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        foreach (var query in counters)
        {
            await Poll.UntilAsync(async () => (await Prometheus.QueryAsync(query)).Select(PrometheusServer.ValueOf).FirstOrDefault() > first[query],
                Deadline, () => Task.FromResult($"{query} did not grow past {first[query]}\n{deployment.Logs()}"));
        }
        output.WriteLine(string.Join("\n", first.Select(kv => $"{kv.Key} = {kv.Value.ToString(CultureInfo.InvariantCulture)}")));
    }

    [SkippableFact]
    public async Task The_guests_tracked_connections_and_its_peer_on_every_list_show_up()
    {
        await deployment.StartAsync(stack);
        var owner = $"domain=\"{Guest.Name}\",instance_uuid=\"{Guest.Uuid}\",project_uuid=\"{DomainSpec.ProjectUuid}\",user_uuid=\"{DomainSpec.UserUuid}\"";

        var total = PrometheusServer.ValueOf(await UntilAsync($"oie_conntrack_ip_total{{{owner},ip=\"{QemuGuest.FixedIp}\",family=\"ipv4\"}}"));
        var kernel = stack.Namespace.Table().Split('\n').Count(l => l.Contains($"src={QemuGuest.FixedIp} ", StringComparison.Ordinal));
        Assert.True(total >= 1, $"oie_conntrack_ip_total = {total}");
        Assert.True(kernel >= 1, "the namespace's table has no entry of the guest");
        var entries = PrometheusServer.ValueOf(await UntilAsync("oie_conntrack_entries"));
        Assert.True(entries >= total, $"oie_conntrack_entries {entries} < the guest's {total}");

        foreach (var feed in new[] { "customlist", "tor", "spamhaus", "emergingthreats" })
        {
            var contact = await UntilAsync($"last_over_time(oie_{feed}_contact{{{owner}}}[30s])");
            Assert.Equal(1, PrometheusServer.ValueOf(contact));
            Assert.Equal(1, PrometheusServer.ValueOf(await UntilAsync($"oie_exporter_feed_fresh{{feed=\"{feed}\"}}")));
        }
    }

    [SkippableFact]
    public async Task Every_dashboard_panel_query_parses_and_returns_data()
    {
        await deployment.StartAsync(stack);
        var dashboards = GrafanaDashboards.Load(Path.Combine(Oie.Testing.PublishedExporter.RepositoryRoot, "deploy", "grafana"));
        Assert.NotEmpty(dashboards);
        var queries = dashboards.SelectMany(d => d.Queries).ToList();
        Assert.NotEmpty(queries);
        // Let rates over a minute's window have samples: the stack has been scraped for a while by now, or soon.
        await UntilAsync($"count_over_time(up{{job=\"{PrometheusServer.Job}\"}}[1m]) >= 15");

        var failures = new List<string>();
        foreach (var query in queries)
        {
            string? failure = null;
            try
            {
                await Poll.UntilAsync(async () =>
                {
                    var (ok, result, error) = await Prometheus.TryQueryAsync(query.Promql);
                    failure = ok ? result.Count == 0 ? "no data" : null : error;
                    return failure is null || !ok;   // a parse error will not heal
                }, TimeSpan.FromSeconds(15), "data");
            }
            catch (TimeoutException)
            {
            }
            // Job series exist only while a migration, save, dump or block job runs (InstanceReadingsTests runs one).
            if (failure == "no data" && query.Promql.Contains("oie_job_", StringComparison.Ordinal))
                failure = null;
            if (failure is not null)
                failures.Add($"{query.File} / {query.Panel}: `{query.Promql}` (from `{query.Expr}`): {failure}");
            output.WriteLine($"{(failure is null ? "ok  " : "FAIL")} {query.File} / {query.Panel}: {query.Promql}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {queries.Count} panel queries failed:\n{string.Join("\n", failures)}");
    }

    [SkippableFact]
    public async Task The_alert_rules_load_and_evaluate_without_errors()
    {
        await deployment.StartAsync(stack);
        Assert.True(File.Exists(ScrapedDeployment.AlertRules), $"{ScrapedDeployment.AlertRules} is missing");
        JsonElement groups = default;
        await Poll.UntilAsync(async () =>
        {
            groups = (await Prometheus.GetAsync("/api/v1/rules")).GetProperty("data").GetProperty("groups");
            var rules = groups.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            return groups.GetArrayLength() > 0 && rules.Count > 0 && rules.All(r => r.GetProperty("health").GetString() != "unknown");
        }, Deadline, () => Task.FromResult("rules not loaded and evaluated: " + groups + "\n" + Prometheus.Log()));
        var bad = groups.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Where(r => r.GetProperty("health").GetString() != "ok")
            .Select(r => $"{r.GetProperty("name").GetString()}: {r.GetProperty("health").GetString()} {(r.TryGetProperty("lastError", out var e) ? e.GetString() : "")}")
            .ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
        output.WriteLine($"{groups.GetArrayLength()} rule groups loaded and evaluated");
    }

    /// <summary>Polls an instant query until it returns data; returns its first element.</summary>
    private async Task<JsonElement> UntilAsync(string query)
    {
        IReadOnlyList<JsonElement> result = [];
        await Poll.UntilAsync(async () => (result = await Prometheus.QueryAsync(query)).Count > 0, Deadline,
            async () => $"`{query}` returned no data; exporter /metrics has:\n{Grep((await deployment.Exporter.TryScrapeAsync())?.Text ?? "", query)}\n{deployment.Logs()}");
        return result[0];
    }

    private static string Grep(string text, string query)
    {
        var name = System.Text.RegularExpressions.Regex.Match(query, "oie_[a-z_]+").Value;
        var lines = text.Split('\n').Where(l => l.Contains(name, StringComparison.Ordinal)).Take(40);
        return string.Join("\n", lines);
    }
}
