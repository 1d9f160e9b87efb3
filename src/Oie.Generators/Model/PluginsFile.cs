namespace Oie.Generators.Model
{
    /// <summary>One well-formed plugins.json entry, before its type is looked up.</summary>
    /// <param name="NameLocation">The name's string, where a type that disagrees with it is reported.</param>
    internal sealed record PluginEntry(
        PluginKind Kind, string Name, bool EnabledByDefault, string TypeName, string? Project, LocationInfo TypeLocation,
        LocationInfo NameLocation);

    /// <summary>What the parser made of plugins.json: the entries that are well-formed, and what is wrong with the rest.</summary>
    internal sealed record PluginsFile(string FilePath, EquatableArray<PluginEntry> Entries, EquatableArray<DiagnosticInfo> Diagnostics);
}
