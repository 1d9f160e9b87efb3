namespace Oie.Abstractions;

/// <summary>
/// A plugin's line in plugins.json, handed to its <c>Setup</c>. The name is written once, there: a plugin derives from
/// it every name it shows the operator (its flags <c>-{name}.url</c>, a feed's contact metric <c>oie_{name}_contact</c>
/// and health label <c>feed="{name}"</c>, a collector's error source), so renaming the line renames them all and nothing
/// can disagree with it. Names the Go exporter fixed (the seed collectors' <c>-cpu.min</c>, <c>-read.thresholds</c>)
/// are a compatibility contract of their own and stay literal.
/// </summary>
/// <param name="Name">The plugins.json <c>name</c>: <c>^[a-z][a-z0-9_]*$</c>, unique in its section.</param>
/// <param name="EnabledByDefault">The plugins.json <c>default</c>: whether it runs without its switch on the command line.</param>
public sealed record PluginEntry(string Name, bool EnabledByDefault)
{
    /// <summary>The plugin's own flag <c>{Name}.{suffix}</c> (without the dash), e.g. <c>tor.url</c> for <c>url</c>.</summary>
    public string Flag(string suffix) => Name + "." + suffix;
}

/// <summary>
/// One plugins.json entry as the generated registry lists it: the entry and the type's <c>Setup</c>. The registry is
/// generated as <c>new("cpu", true, Type.Setup)</c>, so the entry it passes is the very line the generator read.
/// </summary>
/// <typeparam name="TFactory">The section's factory: <see cref="CollectorFactory"/> or <see cref="FeedFactory"/>.</typeparam>
public abstract class PluginRegistration<TFactory>(string name, bool enabledByDefault, Func<PluginEntry, FlagSet, TFactory> setup)
{
    public PluginEntry Entry { get; } = new(name, enabledByDefault);

    public string Name => Entry.Name;

    public bool EnabledByDefault => Entry.EnabledByDefault;

    /// <summary>Calls the plugin's <c>Setup</c> with its own entry: it defines its flags in <paramref name="flags"/> and
    /// returns the factory the host calls once, after parsing, if the plugin is switched on.</summary>
    public TFactory Setup(FlagSet flags) => setup(Entry, flags);
}
