namespace Oie.Generators.Model
{
    /// <summary>An entry whose type was found and fulfils the contract, ready to emit.</summary>
    /// <param name="SetupExpression">The fully qualified method group to register, e.g. <c>global::Ns.Cpu.Setup</c>.</param>
    internal sealed record RegisteredPlugin(PluginKind Kind, string Name, bool EnabledByDefault, string SetupExpression);

    /// <summary>
    /// Everything the emitter needs, free of symbols and compilations so that it compares by value: an edit that does not
    /// change it (any edit to unrelated code) leaves the generated source untouched.
    /// </summary>
    /// <param name="CanEmit">False when the contract types themselves are missing (Oie.Abstractions not referenced).</param>
    internal sealed record RegistryModel(EquatableArray<RegisteredPlugin> Plugins, EquatableArray<DiagnosticInfo> Diagnostics, bool CanEmit);
}
