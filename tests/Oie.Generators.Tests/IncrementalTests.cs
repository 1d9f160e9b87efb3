using System.Collections;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Oie.Generators.Tests;

/// <summary>The pipeline's model is cached: edits that do not touch plugins.json or the plugin types emit nothing new.</summary>
public sealed class IncrementalTests
{
    private const string Parse = PluginRegistryGenerator.TrackingNames.ParsePluginsFile;
    private const string Resolve = PluginRegistryGenerator.TrackingNames.ResolvePlugins;

    [Fact]
    public void Unrelated_edit_reuses_the_parsed_file_and_the_generated_source()
    {
        var first = GeneratorHarness.Run(TestPlugins.Typical);
        var edited = first.Input.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Elsewhere { public sealed class Unrelated { } }", GeneratorHarness.ParseOptions));

        var second = GeneratorHarness.Run(first.Driver, edited);

        Assert.All(Outputs(second, Parse), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Outputs(second, Resolve), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.All(second.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(first.Source, second.Source);
    }

    [Fact]
    public void Editing_plugins_json_reparses_it()
    {
        var original = new InMemoryAdditionalText(GeneratorHarness.PluginsPath, TestPlugins.Typical);
        var first = GeneratorHarness.Run(GeneratorHarness.Driver(original), GeneratorHarness.Compilation(PluginSources.Standard));
        var driver = first.Driver.ReplaceAdditionalText(original,
            new InMemoryAdditionalText(GeneratorHarness.PluginsPath, TestPlugins.Typical.Replace("\"default\": false", "\"default\": true")));

        var second = GeneratorHarness.Run(driver, first.Input);

        Assert.Equal([IncrementalStepRunReason.Modified], Outputs(second, Parse));
        Assert.Equal([IncrementalStepRunReason.Modified], Outputs(second, Resolve));
        Assert.Contains("new(\"network\", true,", second.Source);
    }

    [Fact]
    public void Pipeline_model_holds_no_symbols_or_compilations()
    {
        var run = GeneratorHarness.Run(TestPlugins.Typical);

        foreach (var name in new[] { Parse, Resolve })
        {
            foreach (var output in run.Result.TrackedSteps[name].SelectMany(step => step.Outputs))
            {
                AssertPlainData(output.Value, name, depth: 0);
            }
        }
    }

    private static IEnumerable<IncrementalStepRunReason> Outputs(GeneratorRun run, string step) =>
        run.Result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static void AssertPlainData(object? value, string path, int depth)
    {
        Assert.True(depth < 20, $"{path} nests too deep");
        switch (value)
        {
            case null or string or bool or int or Enum or TextSpan or LinePositionSpan or DiagnosticDescriptor:
                return;
            case ISymbol or Compilation or SyntaxNode or SemanticModel or Location:
                Assert.Fail($"{path} holds a {value.GetType().Name}, which defeats incremental caching");
                return;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    AssertPlainData(item, $"{path}[{i++}]", depth + 1);
                }

                return;
            default:
                foreach (var property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
                {
                    AssertPlainData(property.GetValue(value), $"{path}.{property.Name}", depth + 1);
                }

                return;
        }
    }
}
