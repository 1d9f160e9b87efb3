namespace Oie.Generators.Model
{
    /// <summary>The sections of plugins.json. Each kind of plugin has its own contract and registration record.</summary>
    internal enum PluginKind
    {
        Collector,
        Feed,
    }
}
