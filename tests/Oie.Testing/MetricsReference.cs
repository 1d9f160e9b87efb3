using System.Text.RegularExpressions;

namespace Oie.Testing;

/// <summary>One family as docs/metrics.md documents it, or as an exposition shows it.</summary>
/// <param name="Conditional">Documented as possibly missing from a healthy scrape (the "when" cell starts with
/// <c>**conditional**</c>); always false for a family read from an exposition.</param>
public sealed record DocumentedFamily(string Name, string Type, IReadOnlyList<string> Labels, string Help, bool Conditional)
{
    public string LabelText => Labels.Count == 0 ? "(none)" : string.Join(", ", Labels.Select(l => $"`{l}`"));

    /// <summary>The table row docs/metrics.md should have for this family (the "when" cell is for a person to write).</summary>
    public string Row(string when = "…") => $"| `{Name}` | {Type} | {LabelText} | {Help.Replace("|", "\\|", StringComparison.Ordinal)} | {when} |";
}

/// <summary>
/// docs/metrics.md, the metrics reference: every table row whose first cell is a backticked metric name is a family
/// (metric | type | labels, in order | help | when it appears). Anything else in the file is prose.
/// </summary>
public static partial class MetricsReference
{
    public static string DocPath => Path.Combine(PublishedExporter.RepositoryRoot, "docs", "metrics.md");

    public static IReadOnlyDictionary<string, DocumentedFamily> Load(string? path = null) => Parse(File.ReadAllText(path ?? DocPath));

    public static IReadOnlyDictionary<string, DocumentedFamily> Parse(string markdown)
    {
        var families = new Dictionary<string, DocumentedFamily>(StringComparer.Ordinal);
        foreach (var line in markdown.Split('\n'))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
                continue;
            var cells = SplitRow(line);
            if (cells.Count != 5)
                throw new FormatException($"metrics reference row has {cells.Count} cells, not 5: {line}");
            var name = cells[0].Trim('`');
            if (!MetricName().IsMatch(name))
                throw new FormatException($"not a metric name in the first cell: {line}");
            if (cells[1] is not ("gauge" or "counter" or "histogram" or "summary" or "untyped"))
                throw new FormatException($"unknown type '{cells[1]}': {line}");
            IReadOnlyList<string> labels = cells[2] == "(none)"
                ? []
                : [.. cells[2].Split(',', StringSplitOptions.TrimEntries).Select(l => LabelCell().Match(l) is { Success: true } m
                    ? m.Groups[1].Value
                    : throw new FormatException($"label '{l}' is not a backticked name: {line}"))];
            var family = new DocumentedFamily(name, cells[1], labels, cells[3], cells[4].StartsWith("**conditional**", StringComparison.Ordinal));
            if (!families.TryAdd(name, family))
                throw new FormatException($"{name} is documented twice");
        }
        return families;
    }

    /// <summary>Families in a text-format exposition: HELP, TYPE and the label names of its samples, in order. A family
    /// whose samples carry different label-name sequences is reported with all of them joined by " | ".</summary>
    public static IReadOnlyDictionary<string, DocumentedFamily> FromExposition(string exposition)
    {
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var type = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ', 2);
                help[parts[0]] = parts.Length > 1 ? parts[1].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : "";
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ', 2);
                type[parts[0]] = parts[1];
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                var match = Sample().Match(line);
                if (!match.Success)
                    throw new FormatException("not a sample line: " + line);
                var names = LabelNames(match.Groups[2].Value, line);
                if (!labels.TryGetValue(match.Groups[1].Value, out var set))
                    labels[match.Groups[1].Value] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(string.Join(",", names));
            }
        }
        return type.ToDictionary(
            t => t.Key,
            t => new DocumentedFamily(t.Key, t.Value,
                labels.TryGetValue(t.Key, out var set) ? [.. string.Join(" | ", set).Split(',', StringSplitOptions.RemoveEmptyEntries)] : [],
                help.GetValueOrDefault(t.Key, ""), Conditional: false),
            StringComparer.Ordinal);
    }

    private static List<string> SplitRow(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == '|')
            {
                cell.Append('|');
                i++;
            }
            else if (line[i] == '|')
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
            {
                cell.Append(line[i]);
            }
        }
        return cells;
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^`([a-zA-Z_][a-zA-Z0-9_]*)`$")]
    private static partial Regex LabelCell();

    [GeneratedRegex("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? \\S+")]
    private static partial Regex Sample();

    /// <summary>The label names of <c>a="x",b="y\"z"</c>, skipping escaped values.</summary>
    private static List<string> LabelNames(string labels, string line)
    {
        var names = new List<string>();
        var i = 0;
        while (i < labels.Length)
        {
            var eq = labels.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= labels.Length || labels[eq + 1] != '"')
                throw new FormatException("malformed labels: " + line);
            names.Add(labels[i..eq]);
            i = eq + 2;
            while (i < labels.Length && labels[i] != '"')
                i += labels[i] == '\\' ? 2 : 1;
            i++; // closing quote
            if (i < labels.Length && labels[i] == ',')
                i++;
        }
        return names;
    }
}
