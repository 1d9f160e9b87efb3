using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Oie.Deploy.Tests;

/// <summary>
/// deploy/grafana/*.json against the dashboard contract: standard Grafana JSON (panels[], rows nesting panels[],
/// targets[].expr, templating.list[] of label_values(metric, label)); variables only inside label matchers as
/// label=~"$var"; no Grafana built-in but $__rate_interval and $__interval; every expression parses (promtool check
/// rules on them as recording rules) and selects only metrics that docs/metrics.md documents.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly string Dir = Repo.File("deploy", "grafana");
    internal static readonly string[] Expected = ["hypervisor.json", "instance.json", "project.json", "threats.json"];

    private static IEnumerable<string> Files() => Directory.GetFiles(Dir, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static TheoryData<string> Dashboards() => [.. Files()];

    [Fact]
    public void The_four_dashboards_exist_with_distinct_uids_and_titles()
    {
        Assert.Equal(Expected, Files());
        var loaded = Expected.Select(Load).ToList();
        Assert.Equal(loaded.Count, loaded.Select(d => (string?)d["uid"]).Distinct().Count());
        Assert.Equal(loaded.Count, loaded.Select(d => (string?)d["title"]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Is_a_grafana_dashboard_of_the_contracted_shape(string file)
    {
        var dashboard = Load(file);
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["title"]), "title");
        Assert.Matches("^[a-zA-Z0-9_-]{1,40}$", (string?)dashboard["uid"] ?? "");
        Assert.InRange((int?)dashboard["schemaVersion"] ?? 0, 36, 41);
        Assert.IsType<JsonArray>(dashboard["panels"]);

        var panels = Panels(dashboard).ToList();
        Assert.NotEmpty(panels);
        Assert.Equal(panels.Count, panels.Select(p => (int?)p["id"]).Distinct().Count());
        foreach (var panel in panels)
        {
            var title = (string?)panel["title"];
            Assert.False(string.IsNullOrWhiteSpace(title), $"{file}: a panel without a title");
            Assert.False(string.IsNullOrWhiteSpace((string?)panel["type"]), $"{file}: {title} has no type");
            var grid = panel["gridPos"];
            Assert.True(grid is not null && (int?)grid["w"] is > 0 and <= 24 && (int?)grid["h"] > 0 && (int?)grid["x"] + (int?)grid["w"] <= 24,
                $"{file}: {title} has no valid gridPos");
            if ((string?)panel["type"] == "row")
                continue;
            var targets = panel["targets"] as JsonArray;
            Assert.True(targets is { Count: > 0 }, $"{file}: {title} has no targets");
            Assert.Equal(targets.Count, targets.Select(t => (string?)t!["refId"]).Distinct().Count());
            foreach (var target in targets)
                Assert.False(string.IsNullOrWhiteSpace((string?)target!["expr"]), $"{file}: {title} has a target without expr");
        }

        var variables = Variables(dashboard).ToList();
        Assert.Equal(variables.Count, variables.Select(v => v.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Variables_are_label_values_of_documented_metrics_and_used_only_in_label_matchers(string file)
    {
        var dashboard = Load(file);
        var documented = MetricsReference.Load();
        var variables = Variables(dashboard).ToList();
        foreach (var variable in variables)
            Assert.True(documented.ContainsKey(variable.Metric), $"{file}: ${variable.Name} reads {variable.Metric}, not in docs/metrics.md");

        foreach (var (title, expr) in Expressions(dashboard))
        {
            // Take out what is allowed; any $ left over is a misuse or an unknown variable.
            var rest = VariableMatcher().Replace(expr, m => variables.Any(v => v.Name == m.Groups[2].Value) ? "" : m.Value);
            rest = rest.Replace("[$__rate_interval]", "", StringComparison.Ordinal).Replace("[$__interval]", "", StringComparison.Ordinal);
            Assert.True(!rest.Contains('$'), $"{file}: '{title}' uses a variable outside a label=~\"$var\" matcher or a range: {expr}");
        }

        // Every variable is used somewhere (else it is clutter, or a panel forgot its filter).
        var all = string.Join("\n", Expressions(dashboard).Select(e => e.Expr));
        foreach (var variable in variables)
            Assert.Contains($"=~\"${variable.Name}\"", all);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_expression_selects_only_documented_metrics(string file)
    {
        var documented = MetricsReference.Load();
        foreach (var (title, expr) in Expressions(Load(file)))
        {
            var names = PromQl.MetricNames(expr);
            Assert.True(names.Count > 0, $"{file}: '{title}' selects no metric: {expr}");
            var unknown = names.Where(n => n != "up" && !documented.ContainsKey(n)).ToList();
            Assert.True(unknown.Count == 0, $"{file}: '{title}' uses {string.Join(", ", unknown)}, not in docs/metrics.md");
        }
    }

    [Fact]
    public async Task Every_expression_parses_as_promql()
    {
        var rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        var count = 0;
        foreach (var file in Expected)
        {
            foreach (var (title, expr) in Expressions(Load(file)))
            {
                rules.Append($"      - record: dashboard:{Path.GetFileNameWithoutExtension(file)}:expr{count++}\n");
                rules.Append($"        expr: {JsonSerializer.Serialize(Substitute(expr))}\n");
            }
        }
        var (exitCode, output) = await CheckRules(rules.ToString());
        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {count} rules found", output);
    }

    [Fact]
    public async Task The_parse_check_catches_a_broken_expression()
    {
        var (exitCode, output) = await CheckRules(
            "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: " + JsonSerializer.Serialize(Substitute("sum by (x (rate(oie_cpu_percent{a=~\"$v\"}[$__rate_interval]))")) + "\n");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("parse", output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What Grafana would send with "All" selected: variables become .*, the intervals a duration.</summary>
    internal static string Substitute(string expr) =>
        VariableMatcher().Replace(expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__interval", "1m", StringComparison.Ordinal),
            m => m.Groups[1].Value + "\".*\"");

    private static async Task<(int ExitCode, string Output)> CheckRules(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("oie-dashboard-rules-").FullName;
        try
        {
            var path = Path.Combine(dir, "rules.yml");
            await File.WriteAllTextAsync(path, yaml);
            var result = await Tool.RunAsync("promtool", ["check", "rules", path]);
            return (result.ExitCode, result.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static JsonNode Load(string file)
    {
        var text = File.ReadAllText(Path.Combine(Dir, file));
        return JsonNode.Parse(text) ?? throw new InvalidDataException(file + " is null");
    }

    private static IEnumerable<JsonNode> Panels(JsonNode dashboard)
    {
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            yield return panel!;
            if (panel!["panels"] is JsonArray nested)
            {
                foreach (var inner in nested)
                    yield return inner!;
            }
        }
    }

    internal static IEnumerable<(string Title, string Expr)> Expressions(JsonNode dashboard) =>
        Panels(dashboard)
            .Where(p => p["targets"] is JsonArray)
            .SelectMany(p => p["targets"]!.AsArray().Select(t => ((string?)p["title"] ?? "", (string?)t!["expr"] ?? "")));

    private sealed record Variable(string Name, string Metric, string Label);

    private static IEnumerable<Variable> Variables(JsonNode dashboard)
    {
        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            var name = (string?)variable!["name"] ?? "";
            var query = variable["query"] is JsonValue value ? (string?)value : (string?)variable["query"]?["query"];
            Assert.Equal("query", (string?)variable["type"]);
            var match = LabelValues().Match(query ?? "");
            Assert.True(match.Success, $"variable {name}: '{query}' is not label_values(metric, label)");
            if (variable["definition"] is JsonValue definition)
                Assert.Equal(query, (string?)definition);
            yield return new Variable(name, match.Groups[1].Value, match.Groups[2].Value);
        }
    }

    [GeneratedRegex(@"^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*), ?([a-zA-Z_][a-zA-Z0-9_]*)\)$")]
    private static partial Regex LabelValues();

    // label=~"$var" (or ${var}); group 1 is `label=~`, group 2 the variable's name.
    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*\s*=~\s*)""\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?""")]
    private static partial Regex VariableMatcher();
}
