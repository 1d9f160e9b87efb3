using System.Text.RegularExpressions;

namespace Oie.Deploy.Tests;

/// <summary>
/// Just enough PromQL to find the metric names an expression selects (promtool checks the syntax; this only has to
/// tell a metric name from a function, a keyword, a label or a duration in an expression that already parses).
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
        "inf", "nan", "atan2",
    };

    /// <summary>Metric names selected by the expression, e.g. <c>rate(a{x="y"}[5m]) / on(i) b</c> → a, b.</summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match token in Identifier().Matches(text))
        {
            var name = token.Value;
            var next = text.AsSpan(token.Index + token.Length).TrimStart();
            if (Keywords.Contains(name) || next.StartsWith("("))
                continue; // a keyword, or a function / aggregation call
            names.Add(name);
        }
        // A selector written as {__name__="x"} names its metric only inside the braces.
        foreach (Match m in NameMatcher().Matches(expr))
            names.Add(m.Groups[1].Value);
        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("\\{[^{}]*\\}")]
    private static partial Regex Braces();

    [GeneratedRegex("\\[[^\\[\\]]*\\]")]
    private static partial Regex Brackets();

    [GeneratedRegex("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)")]
    private static partial Regex Grouping();

    // Not after a digit, a dot or a word character: 1e3, 2.5, 5m are numbers and durations, not names.
    [GeneratedRegex("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex("__name__\\s*=\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"")]
    private static partial Regex NameMatcher();
}
