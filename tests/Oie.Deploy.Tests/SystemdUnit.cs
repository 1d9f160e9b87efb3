namespace Oie.Deploy.Tests;

/// <summary>The keys of a systemd unit file (continuation lines joined, comments dropped), and its ExecStart as systemd
/// would run it: words split on whitespace, <c>$VAR</c> words expanded from the EnvironmentFile into zero or more words.</summary>
internal sealed class SystemdUnit
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public SystemdUnit(string text)
    {
        var logical = text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        foreach (var line in logical.Select(l => l.Trim()))
        {
            if (line.Length == 0 || line[0] is '#' or ';' or '[')
                continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new FormatException("not a key=value line: " + line);
            var key = line[..eq].Trim();
            if (!_values.TryGetValue(key, out var list))
                _values[key] = list = [];
            list.Add(line[(eq + 1)..].Trim());
        }
    }

    public string Single(string key) =>
        _values.TryGetValue(key, out var list) && list.Count == 1 ? list[0] : throw new KeyNotFoundException($"{key}= (once) in the unit");

    public string? Optional(string key) => _values.TryGetValue(key, out var list) ? list[^1] : null;

    /// <summary>Capability names for setpriv: CAP_NET_ADMIN → net_admin.</summary>
    public IReadOnlyList<string> Capabilities(string key) =>
        [.. Single(key).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.StartsWith("CAP_", StringComparison.Ordinal) ? c[4..].ToLowerInvariant() : throw new FormatException(c))];

    public IReadOnlyList<string> ExecStart(IReadOnlyDictionary<string, string> environment)
    {
        var words = new List<string>();
        foreach (var word in Single("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith('$') && !word.StartsWith("${", StringComparison.Ordinal))
                words.AddRange(environment.GetValueOrDefault(word[1..], "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
            else if (word.Contains('$', StringComparison.Ordinal))
                throw new NotSupportedException("only whole-word $VAR is expanded here: " + word);
            else
                words.Add(word);
        }
        return words;
    }

    /// <summary>An EnvironmentFile: NAME="value" lines, comments and blank lines skipped (no escapes needed here).</summary>
    public static Dictionary<string, string> ReadEnvironmentFile(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Select(l => l.Trim()))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var value = line[(eq + 1)..];
            values[line[..eq]] = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        }
        return values;
    }
}
