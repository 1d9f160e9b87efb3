using System.Text.RegularExpressions;

namespace Oie.Zones.Tests.Infra;

/// <summary>Parses how ovs-vsctl prints a map column: <c>{key="value", other=value}</c> (quotes only where needed).</summary>
internal static partial class OvsMap
{
    public static Dictionary<string, string> Parse(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Pair().Matches(text.Trim().TrimStart('{').TrimEnd('}')))
            map[Unquote(match.Groups["key"].Value)] = Unquote(match.Groups["value"].Value);
        return map;
    }

    private static string Unquote(string text) =>
        text.StartsWith('"') ? text[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : text;

    [GeneratedRegex("""(?<key>"(?:[^"\\]|\\.)*"|[^=,\s]+)=(?<value>"(?:[^"\\]|\\.)*"|[^,\s]+)""")]
    private static partial Regex Pair();
}
