using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Oie.Generators.Tests;

/// <summary>Runs <see cref="PluginRegistryGenerator"/> over an in-memory compilation, as the SDK's compiler would.</summary>
internal static class GeneratorHarness
{
    public const string PluginsPath = "/repo/plugins.json";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The running test's own platform and package assemblies, which include Oie.Abstractions.</summary>
    private static readonly ImmutableArray<MetadataReference> AllReferences =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

    public static ImmutableArray<MetadataReference> ReferencesWithoutAbstractions { get; } =
        AllReferences.Where(r => !r.Display!.EndsWith("Oie.Abstractions.dll", StringComparison.Ordinal)).ToImmutableArray();

    public static CSharpCompilation Compilation(IEnumerable<string> sources, IEnumerable<MetadataReference>? references = null) =>
        CSharpCompilation.Create(
            "Oie.Host.Test",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"/repo/Source{i}.cs")),
            references ?? AllReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(params AdditionalText[] additionalTexts) =>
        CSharpGeneratorDriver.Create(
            [new PluginRegistryGenerator().AsSourceGenerator()],
            additionalTexts,
            ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator with <paramref name="pluginsJson"/> as /repo/plugins.json (none when null).</summary>
    public static GeneratorRun Run(string? pluginsJson, IEnumerable<string>? sources = null, IEnumerable<MetadataReference>? references = null)
    {
        var texts = pluginsJson is null ? [] : new AdditionalText[] { new InMemoryAdditionalText(PluginsPath, pluginsJson) };
        return Run(Driver(texts), Compilation(sources ?? PluginSources.Standard, references));
    }

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRun(driver, compilation, output);
    }
}

internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Input, Compilation Output)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>PluginRegistry.g.cs, or null when nothing was generated.</summary>
    public string? Source => Result.GeneratedSources.SingleOrDefault(s => s.HintName == "PluginRegistry.g.cs").SourceText?.ToString();

    /// <summary>The one diagnostic reported, asserting there is exactly one.</summary>
    public Diagnostic Single() => Assert.Single(Diagnostics);

    /// <summary>Errors of the compilation with the generated source, other than the generator's own.</summary>
    public IEnumerable<Diagnostic> CompilerErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
}
