using System.Text.RegularExpressions;

namespace Oie.Deploy.Tests;

/// <summary>deploy/prometheus under the real promtool (Debian's prometheus package): config and rules are clean, the
/// rule unit tests pass, and each alert's tests can fail — a never-firing and an always-firing mutant of every alert
/// are each caught, so every alert has a case that fires and one that stays silent.</summary>
public sealed partial class PrometheusKitTests
{
    private static readonly string Dir = Repo.File("deploy", "prometheus");
    private static string Rules => Path.Combine(Dir, "alerts.yml");

    [Fact]
    public async Task Promtool_check_config_is_clean()
    {
        var result = await Tool.MustSucceedAsync("promtool", "check", "config", Path.Combine(Dir, "prometheus.yml"));
        Assert.Contains("is valid prometheus config file syntax", result.Output);
        Assert.DoesNotContain("WARNING", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Promtool_check_rules_is_clean_and_counts_every_alert()
    {
        var result = await Tool.MustSucceedAsync("promtool", "check", "rules", Rules);
        Assert.Contains($"SUCCESS: {Alerts().Count} rules found", result.Output);
        Assert.DoesNotContain("WARNING", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Promtool_test_rules_passes()
    {
        var result = await Tool.MustSucceedAsync("promtool", "test", "rules", Path.Combine(Dir, "alerts.test.yml"));
        Assert.Contains("SUCCESS", result.Output);
    }

    [Fact]
    public void The_kit_has_the_alerts_operators_need()
    {
        var alerts = Alerts().Select(a => a.Name).ToHashSet();
        string[] expected =
        [
            "OieExporterDown", "OieExporterAbsent", "OieLibvirtDown", "OieCollectionStale", "OieCollectorFailing",
            "OieFeedStale", "OieConntrackTableNearFull", "OieAmbiguousFixedIps", "OieInstanceHighCpu", "OieDiskReadIopsOverThreshold",
            "OieDiskWriteIopsOverThreshold", "OieTorContact", "OieSpamhausContact", "OieEmergingThreatsContact",
            "OieCustomListContact", "OieInstanceMemoryPressure", "OieInstanceVcpuSteal", "OieInstanceJobLong", "OieMigrationNotConverging",
        ];
        Assert.Empty(expected.Except(alerts));
        // The seed's own examples, verbatim.
        Assert.Contains(Alerts(), a => a.Expr == "avg_over_time(oie_cpu_percent[5m]) > 75");
        Assert.Contains(Alerts(), a => a.Expr == "rate(oie_disk_r_requests[5m]) > oie_disk_r_alert_threshold");
    }

    [Fact]
    public void Alert_rules_use_only_documented_metrics()
    {
        var documented = MetricsReference.Load();
        foreach (var alert in Alerts())
        {
            var unknown = PromQl.MetricNames(alert.Expr).Where(n => n != "up" && !documented.ContainsKey(n)).ToList();
            Assert.True(unknown.Count == 0, $"{alert.Name} uses {string.Join(", ", unknown)}, not in docs/metrics.md");
        }
    }

    public static TheoryData<string> AlertNames() => [.. Alerts().Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(AlertNames))]
    public async Task Each_alert_has_a_firing_case_and_a_silent_case(string alert)
    {
        // Never fires: a test that expects it to fire must fail.
        var never = await TestRulesWith(alert, expr => $"({expr}) unless on() vector(1)");
        Assert.True(never.ExitCode != 0 && never.Output.Contains($"alertname: {alert},", StringComparison.Ordinal),
            $"no test case expects {alert} to fire:\n{never.Output}");

        // Always fires, at once: a test that expects it to stay silent must fail.
        var always = await TestRulesWith(alert, _ => "vector(1)", dropFor: true);
        Assert.True(always.ExitCode != 0 && always.Output.Contains($"alertname: {alert},", StringComparison.Ordinal),
            $"no test case expects {alert} to stay silent:\n{always.Output}");
    }

    /// <summary>promtool test rules on a copy of the kit in which one alert's expression is rewritten.</summary>
    private static async Task<Tool.Result> TestRulesWith(string alert, Func<string, string> rewrite, bool dropFor = false)
    {
        var lines = File.ReadAllLines(Rules);
        var at = Array.FindIndex(lines, l => AlertLine().Match(l) is { Success: true } m && m.Groups[1].Value == alert);
        Assert.True(at >= 0, alert);
        var exprAt = at + 1;
        var expr = ExprLine().Match(lines[exprAt]);
        Assert.True(expr.Success, $"the line after '- alert: {alert}' is not a one-line expr: {lines[exprAt]}");
        lines[exprAt] = expr.Groups[1].Value + rewrite(expr.Groups[2].Value);
        if (dropFor)
        {
            for (var i = exprAt + 1; i < lines.Length && !AlertLine().IsMatch(lines[i]); i++)
                lines[i] = ForLine().Replace(lines[i], "${1}0m");
        }
        var dir = Directory.CreateTempSubdirectory("oie-alert-mutant-").FullName;
        try
        {
            await File.WriteAllLinesAsync(Path.Combine(dir, "alerts.yml"), lines);
            File.Copy(Path.Combine(Dir, "alerts.test.yml"), Path.Combine(dir, "alerts.test.yml"));
            return await Tool.RunAsync("promtool", ["test", "rules", "alerts.test.yml"], workingDirectory: dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed record Alert(string Name, string Expr);

    private static List<Alert> Alerts()
    {
        var lines = File.ReadAllLines(Rules);
        var alerts = new List<Alert>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (AlertLine().Match(lines[i]) is { Success: true } alert)
                alerts.Add(new Alert(alert.Groups[1].Value, ExprLine().Match(lines[i + 1]).Groups[2].Value));
        }
        return alerts;
    }

    [GeneratedRegex(@"^\s*- alert: (\w+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^(\s*expr: )(.+)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"^(\s*for: ).*$")]
    private static partial Regex ForLine();
}
