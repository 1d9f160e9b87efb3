using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Oie.Host.Web;

/// <summary>
/// The YAML side of the web config reader: YamlDotNet's parser and representation model (no serializer, so no
/// reflection under Native AOT) with typed accessors whose errors name the file, the line and the key's dotted path.
/// </summary>
internal sealed class WebConfigYaml(string source)
{
    /// <summary>The document's root mapping; an empty document (or one of comments) is an empty mapping.</summary>
    public YamlMappingNode Root(string text)
    {
        var stream = new YamlStream();
        try
        {
            CheckDepth(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // The line where the construct YamlDotNet could not read began (for a tab in indentation: the mapping's).
            throw Error(e.Start.Line, Describe(e, text));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's representation model refuses some parser events (a stray directive or document marker) this way.
            throw Error(1, $"invalid YAML: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        if (stream.Documents.Count > 1)
            throw Error(stream.Documents[1].RootNode.Start.Line, "more than one YAML document: the web config is one mapping");
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
            return new YamlMappingNode();
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw Error(stream.Documents[0].RootNode.Start.Line, "the web config must be a mapping of keys (tls_server_config, basic_auth_users, ...)");
    }

    /// <summary>The deepest nesting the toolkit's format has is 3; the representation model loads nodes recursively, so a
    /// hostile file of 100,000 '[' would overflow the stack. Counted first on the parser's (iterative) event stream.</summary>
    private const int MaxDepth = 16;

    private void CheckDepth(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    throw Error(parser.Current.Start.Line, $"nested more than {MaxDepth} levels deep: not a web config");
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>The entries of a mapping with their keys as text; a key that is not a scalar is an error.</summary>
    public IEnumerable<(string Key, YamlNode Value, int Line)> Entries(YamlMappingNode mapping, string path)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
                throw Error(key.Start.Line, $"{Prefix(path)}a key must be a plain string");
            yield return (name, value, (int)key.Start.Line);
        }
    }

    /// <summary>A mapping; no value (<c>key:</c> alone, <c>~</c>, <c>null</c>) is an empty one.</summary>
    public YamlMappingNode Mapping(YamlNode node, string path) => node switch
    {
        YamlMappingNode mapping => mapping,
        _ when IsNull(node) => new YamlMappingNode(),
        _ => throw Error(node.Start.Line, $"{path} must be a mapping (keys indented below it), not {Kind(node)}"),
    };

    /// <summary>A scalar's text; no value is the empty string.</summary>
    public string String(YamlNode node, string path) => node switch
    {
        _ when IsNull(node) => "",
        YamlScalarNode { Value: { } value } => value,
        _ => throw Error(node.Start.Line, $"{path} must be a single value, not {Kind(node)}"),
    };

    /// <summary>A list of scalars; no value is an empty list; a single value is an error, as in Go's YAML reader.</summary>
    public IReadOnlyList<(string Value, int Line)> Strings(YamlNode node, string path)
    {
        if (IsNull(node))
            return [];
        if (node is not YamlSequenceNode sequence)
            throw Error(node.Start.Line, $"{path} must be a list (\"- item\" lines), not {Kind(node)}");
        return [.. sequence.Children.Select(item => (String(item, path + " item"), (int)item.Start.Line))];
    }

    /// <summary>YAML booleans as Go's yaml.v2 reads them (true/false, yes/no, on/off in the usual cases).</summary>
    public bool Bool(YamlNode node, string path) => String(node, path) switch
    {
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
        var other => throw Error(node.Start.Line, $"{path}: \"{other}\" is not a boolean: want true or false"),
    };

    public int Int(YamlNode node, string path)
    {
        var text = String(node, path);
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(node.Start.Line, $"{path}: \"{text}\" is not an integer");
    }

    public WebConfigException Error(long line, string message) => new($"{source}:{line}: {message}");

    public WebConfigException Error(YamlNode node, string message) => Error(node.Start.Line, message);

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Prefix(string path) => path.Length == 0 ? "" : path + ": ";

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a single value",
    };

    /// <summary>YamlDotNet's message without its "(Line: …, Col: …, Idx: …) - (…): " prefix, which the caller's line replaces.</summary>
    private static string Describe(YamlException e, string text)
    {
        var message = e.Message;
        var at = message.IndexOf("): ", StringComparison.Ordinal);
        var detail = message.StartsWith("(Line:", StringComparison.Ordinal) && at > 0 ? message[(at + 3)..] : message;
        if (!detail.StartsWith("Duplicate key", StringComparison.Ordinal))
            return "invalid YAML: " + detail;
        var lines = text.Split('\n');
        var line = e.Start.Line >= 1 && e.Start.Line <= lines.Length ? lines[e.Start.Line - 1].Trim() : "";
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? $"duplicate key \"{line[..colon].Trim('"', '\'', ' ')}\"" : "duplicate key";
    }
}
