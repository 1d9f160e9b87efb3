using System.Text.Json;
using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>
/// The repository's plugins.json, read as the generator reads it: tests set a plugin up with the very entry the host
/// would hand it, so a test that passes here passes under the name the exporter ships.
/// </summary>
public static class PluginsFile
{
    private static readonly Lazy<IReadOnlyDictionary<string, PluginEntry>> ByType = new(Read);

    /// <summary>The entry whose <c>type</c> is <typeparamref name="T"/>; throws when plugins.json does not list it (the
    /// sample feed): pass that plugin's entry explicitly.</summary>
    public static PluginEntry EntryOf<T>() =>
        ByType.Value.TryGetValue(typeof(T).FullName!, out var entry)
            ? entry
            : throw new InvalidOperationException($"{typeof(T).FullName} is not listed in plugins.json: give its PluginEntry explicitly");

    private static IReadOnlyDictionary<string, PluginEntry> Read()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(PublishedExporter.RepositoryRoot, "plugins.json")));
        var entries = new Dictionary<string, PluginEntry>(StringComparer.Ordinal);
        foreach (var section in json.RootElement.EnumerateObject())
        {
            foreach (var plugin in section.Value.EnumerateArray())
            {
                entries.Add(plugin.GetProperty("type").GetString()!.Replace('+', '.'),
                    new PluginEntry(plugin.GetProperty("name").GetString()!, plugin.GetProperty("default").GetBoolean()));
            }
        }
        return entries;
    }
}
