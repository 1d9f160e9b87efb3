using System.Globalization;
using System.Text;

namespace Oie.Host.Web;

/// <summary>One <c>key: value</c> of a block mapping: a scalar, or (top level only) a nested mapping.</summary>
internal sealed record YamlEntry(string Key, int Line, string? Scalar, IReadOnlyList<YamlEntry>? Children);

/// <summary>
/// A strict reader for the subset of YAML the exporter-toolkit web config uses: block mappings two levels deep whose
/// values are plain, single- or double-quoted scalars; comments and blank lines. No anchors, tags, flow collections,
/// block scalars or sequences: those, bad indentation and duplicate keys are errors naming the line.
/// </summary>
internal static class YamlSubset
{
    public static IReadOnlyList<YamlEntry> Read(string text, string source)
    {
        var top = new List<(YamlEntry Entry, List<YamlEntry>? Children)>();
        List<YamlEntry>? open = null; // the children of the last top-level key that had no value
        var childIndent = -1;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            var indent = 0;
            while (indent < line.Length && line[indent] == ' ')
                indent++;
            if (indent < line.Length && line[indent] == '\t')
                throw Error(source, number, "tab in indentation: indent with spaces");
            var content = line[indent..];
            if (content.Length == 0 || content[0] == '#')
                continue;
            if (content.TrimEnd() is "---" && indent == 0 && top.Count == 0)
                continue;
            var (key, value) = SplitEntry(content, source, number);
            if (indent == 0)
            {
                if (top.Any(t => t.Entry.Key == key))
                    throw Error(source, number, $"duplicate key \"{key}\"");
                open = value is null ? [] : null;
                childIndent = -1;
                top.Add((new YamlEntry(key, number, value, open), open));
                continue;
            }
            if (open is null)
                throw Error(source, number, $"bad indentation: \"{key}\" is indented but the key above it has a value (or there is none)");
            if (childIndent < 0)
                childIndent = indent;
            else if (indent != childIndent)
                throw Error(source, number, $"bad indentation: \"{key}\" is indented {indent} spaces, its siblings {childIndent}");
            if (value is null)
                throw Error(source, number, $"\"{key}\" has no value: only two levels of mapping are supported");
            if (open.Any(c => c.Key == key))
                throw Error(source, number, $"duplicate key \"{key}\"");
            open.Add(new YamlEntry(key, number, value, null));
        }
        return [.. top.Select(t => t.Entry)];
    }

    /// <summary>Splits <c>key: value # comment</c>; the value is null when nothing follows the colon.</summary>
    private static (string Key, string? Value) SplitEntry(string content, string source, int line)
    {
        string key;
        int rest;
        if (content[0] is '"' or '\'')
        {
            var (quoted, end) = Quoted(content, 0, source, line);
            if (end >= content.Length || content[end] != ':')
                throw Error(source, line, "expected ':' after the quoted key");
            key = quoted;
            rest = end + 1;
        }
        else
        {
            var colon = -1;
            for (var i = 0; i < content.Length; i++)
            {
                if (content[i] == ':' && (i + 1 == content.Length || content[i + 1] == ' '))
                {
                    colon = i;
                    break;
                }
                if (content[i] == '#' && i > 0 && content[i - 1] == ' ')
                    break;
            }
            if (colon <= 0)
                throw Error(source, line, content[0] == '-' ? "sequences are not supported" : "expected \"key: value\"");
            key = content[..colon].TrimEnd();
            CheckPlain(key, source, line);
            rest = colon + 1;
        }
        if (rest < content.Length && content[rest] != ' ')
            throw Error(source, line, "expected a space after ':'");
        var value = content[rest..].TrimStart(' ');
        if (value.Length == 0 || value[0] == '#')
            return (key, null);
        if (value[0] is '"' or '\'')
        {
            var (scalar, end) = Quoted(value, 0, source, line);
            var trailing = value[end..].TrimStart(' ');
            if (trailing.Length > 0 && trailing[0] != '#')
                throw Error(source, line, $"unexpected text after the quoted value of \"{key}\"");
            if (trailing.Length > 0 && end < value.Length && value[end] == '#')
                throw Error(source, line, "a comment needs a space before '#'");
            return (key, scalar);
        }
        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        var plain = (comment < 0 ? value : value[..comment]).TrimEnd();
        CheckPlain(plain, source, line);
        if (plain.Contains(": ", StringComparison.Ordinal) || plain.EndsWith(':'))
            throw Error(source, line, $"the value of \"{key}\" contains \": \": quote it");
        return (key, plain is "~" or "null" or "Null" or "NULL" ? "" : plain);
    }

    private static void CheckPlain(string text, string source, int line)
    {
        if (text.Length > 0 && "[]{}&*!|>%@`,?".Contains(text[0]))
            throw Error(source, line, $"unsupported YAML syntax \"{text}\": only plain or quoted scalars are supported (quote the text)");
    }

    /// <summary>A quoted scalar starting at <paramref name="start"/>; returns it and the index after the closing quote.</summary>
    private static (string Value, int End) Quoted(string text, int start, string source, int line)
    {
        var quote = text[start];
        var result = new StringBuilder();
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c != '\'')
                    result.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '\'')
                    result.Append(text[++i]);
                else
                    return (result.ToString(), i + 1);
                continue;
            }
            if (c == '"')
                return (result.ToString(), i + 1);
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }
            if (++i >= text.Length)
                break;
            switch (text[i])
            {
                case '\\': result.Append('\\'); break;
                case '"': result.Append('"'); break;
                case '/': result.Append('/'); break;
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                case '0': result.Append('\0'); break;
                case 'u' when i + 4 < text.Length &&
                              ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    result.Append((char)code);
                    i += 4;
                    break;
                default: throw Error(source, line, $"unsupported escape \"\\{text[i]}\" in a double-quoted string");
            }
        }
        throw Error(source, line, "unterminated quoted string (multi-line strings are not supported)");
    }

    internal static WebConfigException Error(string source, int line, string message) => new($"{source}:{line}: {message}");
}
