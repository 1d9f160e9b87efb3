using System.Reflection;
using System.Runtime.Loader;
using Oie.Abstractions;

namespace Oie.Generators.Tests;

/// <summary>The registry compiles in the consuming compilation and, loaded, calls the plugins' Setup.</summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public void Generated_registry_compiles_without_errors()
    {
        var run = GeneratorHarness.Run(TestPlugins.Typical);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompilerErrors);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Registry_with_errors_in_entries_still_compiles()
    {
        var run = GeneratorHarness.Run("""
            { "collectors": [
              { "name": "cpu", "default": true, "type": "Oie.Collectors.Cpu.CpuCollector" },
              { "name": "cpu", "default": true, "type": "Oie.Collectors.Disk.DiskCollector" },
              { "name": "x",   "default": true, "type": "Nope.Missing" }
            ] }
            """);

        Assert.Equal(["OIE008", "OIE009"], run.Diagnostics.Select(d => d.Id));
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void Loaded_registry_lists_the_plugins_in_file_order_and_calls_their_Setup()
    {
        var run = GeneratorHarness.Run(TestPlugins.Typical);
        using var image = new MemoryStream();
        var emit = run.Output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));

        var context = new AssemblyLoadContext("registry", isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var property = assembly.GetType("Oie.Generated.PluginRegistry")!.GetProperty("Collectors", BindingFlags.Public | BindingFlags.Static)!;
            var collectors = (IReadOnlyList<CollectorRegistration>)property.GetValue(null)!;

            Assert.Equal(["cpu", "disk", "network"], collectors.Select(c => c.Name));
            Assert.Equal([true, true, false], collectors.Select(c => c.EnabledByDefault));
            var flags = new FlagSet();
            foreach (var collector in collectors)
            {
                Assert.NotNull(collector.Setup(flags));
            }

            Assert.Equal(["cpu.test", "disk.test", "network.test"], flags.Flags.Select(f => f.Name));
        }
        finally
        {
            context.Unload();
        }
    }
}
