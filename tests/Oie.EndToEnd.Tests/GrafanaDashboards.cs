using System.Text.Json;
using System.Text.RegularExpressions;

namespace Oie.EndToEnd.Tests;

/// <summary>One panel query of a Grafana dashboard, and the PromQL it becomes once its variables are substituted.</summary>
internal sealed record PanelQuery(string File, string Panel, string Expr, string Promql);

/// <summary>
/// Reads standard Grafana dashboard JSON: <c>panels[]</c> (rows may nest <c>panels[]</c>; old-style <c>rows[].panels[]</c>
/// too), queries in <c>targets[].expr</c>, template variables in <c>templating.list[]</c>. Template variables become a
/// regex that matches any value (<c>.*</c>; they are used as <c>label=~"$var"</c>); Grafana's built-in interval
/// variables (<c>$__rate_interval</c>, <c>$__interval</c>, any <c>$__…</c>) and interval-type variables become <c>1m</c>.
/// Targets of a non-Prometheus datasource are left out. Query variables written as <c>label_values(metric, label)</c> are
/// checked too, as <c>count by (label) (last_over_time(metric[5m]))</c>.
/// </summary>
internal static partial class GrafanaDashboards
{
    public sealed record Dashboard(string File, IReadOnlyList<PanelQuery> Queries);

    public static IReadOnlyList<Dashboard> Load(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(LoadFile)]
            : [];

    public static Dashboard LoadFile(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement.TryGetProperty("dashboard", out var wrapped) ? wrapped : doc.RootElement;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("templating", out var templating) && templating.TryGetProperty("list", out var list))
        {
            foreach (var variable in list.EnumerateArray())
            {
                var type = variable.TryGetProperty("type", out var t) ? t.GetString() : null;
                // An interval variable stands for a range; every other kind for label values.
                variables[variable.GetProperty("name").GetString()!] = type == "interval" ? "1m" : ".*";
            }
        }
        var file = Path.GetFileName(path);
        var queries = new List<PanelQuery>();
        // A query variable's label_values(metric, label) must give the dropdown values.
        if (templating.ValueKind == JsonValueKind.Object && templating.TryGetProperty("list", out var vars))
        {
            foreach (var variable in vars.EnumerateArray())
            {
                var query = variable.TryGetProperty("query", out var q)
                    ? q.ValueKind == JsonValueKind.Object && q.TryGetProperty("query", out var inner) ? inner.GetString() : q.ValueKind == JsonValueKind.String ? q.GetString() : null
                    : null;
                if (query is null || LabelValuesPattern().Match(query) is not { Success: true } m)
                    continue;
                var metric = m.Groups["metric"].Success ? m.Groups["metric"].Value.Trim() : "{__name__=~\".+\"}";
                // Grafana asks for the series over the dashboard's range: any sample within the last minutes counts.
                var promql = $"count by ({m.Groups["label"].Value}) (last_over_time({metric}[5m]))";
                queries.Add(new PanelQuery(file, "variable " + variable.GetProperty("name").GetString(), query, Substitute(promql, variables, file)));
            }
        }
        foreach (var panel in Panels(root))
        {
            if (!panel.TryGetProperty("targets", out var targets))
                continue;
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            foreach (var target in targets.EnumerateArray())
            {
                if (target.TryGetProperty("datasource", out var source) && source.ValueKind == JsonValueKind.Object &&
                    source.TryGetProperty("type", out var sourceType) && sourceType.GetString() != "prometheus")
                {
                    continue;   // e.g. a Loki query: not PromQL
                }

                if (target.TryGetProperty("expr", out var expr) && expr.GetString() is { Length: > 0 } text)
                    queries.Add(new PanelQuery(file, title, text, Substitute(text, variables, file)));
            }
        }
        return new Dashboard(file, queries);
    }

    private static IEnumerable<JsonElement> Panels(JsonElement container)
    {
        foreach (var key in new[] { "panels", "rows" })
        {
            if (!container.TryGetProperty(key, out var children) || children.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var child in children.EnumerateArray())
            {
                yield return child;
                foreach (var nested in Panels(child))
                    yield return nested;
            }
        }
    }

    /// <summary>Replaces <c>$var</c>, <c>${var}</c>, <c>${var:format}</c> and <c>[[var]]</c>.</summary>
    public static string Substitute(string expr, IReadOnlyDictionary<string, string> variables, string file) =>
        VariablePattern().Replace(expr, match =>
        {
            var name = match.Groups["a"].Success ? match.Groups["a"].Value
                : match.Groups["b"].Success ? match.Groups["b"].Value
                : match.Groups["c"].Value;
            if (name.StartsWith("__", StringComparison.Ordinal))
                return "1m";
            return variables.TryGetValue(name, out var value) ? value
                : throw new InvalidOperationException($"{file}: `{expr}` uses ${name}, which is neither a template variable nor a built-in");
        });

    [GeneratedRegex(@"^\s*label_values\(\s*(?:(?<metric>.+),)?\s*(?<label>\w+)\s*\)\s*$")]
    private static partial Regex LabelValuesPattern();

    [GeneratedRegex(@"\$\{(?<a>\w+)(?::[^}]*)?\}|\$(?<b>\w+)|\[\[(?<c>\w+)\]\]")]
    private static partial Regex VariablePattern();
}
