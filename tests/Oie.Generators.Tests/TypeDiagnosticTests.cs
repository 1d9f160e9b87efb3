namespace Oie.Generators.Tests;

/// <summary>Diagnostics about the types plugins.json names: found, implementing the contract, callable.</summary>
public sealed class TypeDiagnosticTests
{
    private static readonly string[] Sources = [.. PluginSources.Standard, PluginSources.Bad];

    [Fact]
    public void OIE009_unknown_type_names_the_type_and_the_project()
    {
        const string json = """
            { "collectors": [ { "name": "cpu", "default": true, "type": "Oie.Collectors.Cpu.CPUCollector", "project": "src/Oie.Collectors.Cpu/Oie.Collectors.Cpu.csproj" } ] }
            """;
        var run = GeneratorHarness.Run(json, Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE009", diagnostic.Id);
        Assert.Equal(
            "Type \"Oie.Collectors.Cpu.CPUCollector\" of collector \"cpu\" was not found in the compilation: check its namespace-qualified name "
            + "and that this project references src/Oie.Collectors.Cpu/Oie.Collectors.Cpu.csproj",
            diagnostic.GetMessage());
        JsonDiagnosticTests.AssertAt(diagnostic, json, "\"Oie.Collectors.Cpu.CPUCollector\"");
        Assert.Empty(run.CompilerErrors);
    }

    [Theory]
    [InlineData("Bad.NotAPlugin", "Oie.Abstractions.ICollectorPlugin and Oie.Abstractions.ICollector")]
    [InlineData("Bad.OnlyCollector", "Oie.Abstractions.ICollectorPlugin")]
    public void OIE010_type_not_implementing_the_contract(string type, string missing)
    {
        var json = TestPlugins.One(type);
        var run = GeneratorHarness.Run(json, Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE010", diagnostic.Id);
        Assert.Equal($"Type \"{type}\" of collector \"x\" does not implement {missing}", diagnostic.GetMessage());
        JsonDiagnosticTests.AssertAt(diagnostic, json, $"\"{type}\"");
        Assert.Empty(run.CompilerErrors);
    }

    [Theory]
    [InlineData("Bad.Generic`1", "it is generic; list a non-generic type")]
    [InlineData("Bad.IPluginInterface", "it is an interface; list the class or struct that implements it")]
    [InlineData("Bad.ExplicitSetup", "its Setup is not a public static method (an explicit interface implementation cannot be called by name)")]
    public void OIE011_type_the_registry_cannot_call(string type, string reason)
    {
        var run = GeneratorHarness.Run(TestPlugins.One(type), Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE011", diagnostic.Id);
        Assert.Equal($"Type \"{type}\" of collector \"x\" cannot be called from the generated registry: {reason}", diagnostic.GetMessage());
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void OIE011_internal_type_of_another_assembly()
    {
        var plugin = GeneratorHarness.Compilation([PluginSources.Internal]).WithAssemblyName("PluginA");
        var host = GeneratorHarness.Compilation([]).AddReferences(plugin.ToMetadataReference());
        var run = GeneratorHarness.Run(
            GeneratorHarness.Driver(new InMemoryAdditionalText(GeneratorHarness.PluginsPath, TestPlugins.One("Hidden.InternalCollector"))), host);

        var diagnostic = run.Single();
        Assert.Equal("OIE011", diagnostic.Id);
        Assert.Equal(
            "Type \"Hidden.InternalCollector\" of collector \"x\" cannot be called from the generated registry: "
            + "it is not accessible from assembly Oie.Host.Test; make it public",
            diagnostic.GetMessage());
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void OIE011_type_defined_in_two_assemblies()
    {
        var one = GeneratorHarness.Compilation([PluginSources.Collector("Dup", "Twice", "a")]).WithAssemblyName("PluginA");
        var two = GeneratorHarness.Compilation([PluginSources.Collector("Dup", "Twice", "b")]).WithAssemblyName("PluginB");
        var host = GeneratorHarness.Compilation([]).AddReferences(one.ToMetadataReference(), two.ToMetadataReference());
        var run = GeneratorHarness.Run(
            GeneratorHarness.Driver(new InMemoryAdditionalText(GeneratorHarness.PluginsPath, TestPlugins.One("Dup.Twice"))), host);

        var diagnostic = run.Single();
        Assert.Equal("OIE011", diagnostic.Id);
        Assert.EndsWith("it is defined in more than one assembly (PluginA, PluginB)", diagnostic.GetMessage());
    }

    [Fact]
    public void Nested_type_is_registered_by_its_metadata_name()
    {
        const string source = """
            namespace Outer
            {
                public static class Holder
                {
                    public sealed class Inner : Oie.Abstractions.ICollector, Oie.Abstractions.ICollectorPlugin
                    {
                        public System.Collections.Generic.IReadOnlyList<Oie.Abstractions.MetricFamily> Families => new Oie.Abstractions.MetricFamily[0];
                        public void Collect(Oie.Abstractions.CycleSnapshot snapshot, Oie.Abstractions.ISampleWriter writer) { }
                        public static Oie.Abstractions.CollectorFactory Setup(Oie.Abstractions.PluginEntry plugin, Oie.Abstractions.FlagSet flags) => context => new Inner();
                    }
                }
            }
            """;
        var run = GeneratorHarness.Run(TestPlugins.One("Outer.Holder+Inner"), [source]);

        Assert.Empty(run.Diagnostics);
        Assert.Contains("new(\"x\", true, global::Outer.Holder.Inner.Setup)", run.Source);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void OIE013_setup_without_the_entry_names_the_shape_the_registry_needs()
    {
        var json = TestPlugins.One("Old.OldSetupCollector");
        var run = GeneratorHarness.Run(json, [PluginSources.OldSetup]);

        var diagnostic = run.Single();
        Assert.Equal("OIE013", diagnostic.Id);
        Assert.Equal(
            "Type \"Old.OldSetupCollector\" of collector \"x\" has Setup(Oie.Abstractions.FlagSet flags), not the contract's public static "
            + "Oie.Abstractions.CollectorFactory Setup(Oie.Abstractions.PluginEntry plugin, Oie.Abstractions.FlagSet flags): the registry passes "
            + "Setup the plugin's plugins.json entry, from which it names its flags",
            diagnostic.GetMessage());
        JsonDiagnosticTests.AssertAt(diagnostic, json, "\"Old.OldSetupCollector\"");
        Assert.DoesNotContain("OldSetupCollector", run.Source);
    }

    [Fact]
    public void OIE014_a_name_constant_that_disagrees_with_the_entry_is_reported_at_the_name()
    {
        var json = TestPlugins.One("Bad.NamedCollector", name: "processor");
        var run = GeneratorHarness.Run(json, Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE014", diagnostic.Id);
        Assert.Equal(
            "The collector \"processor\" is implemented by \"Bad.NamedCollector\", whose constant Name is \"cpu\": plugins.json is the one "
            + "place a plugin is named (its flags, metrics and labels derive from the entry passed to Setup); remove the constant or make it \"processor\"",
            diagnostic.GetMessage());
        JsonDiagnosticTests.AssertAt(diagnostic, json, "\"processor\"");
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void A_name_constant_that_agrees_is_fine()
    {
        var run = GeneratorHarness.Run(TestPlugins.One("Bad.NamedCollector", name: "cpu"), Sources);

        Assert.Empty(run.Diagnostics);
        Assert.Contains("new(\"cpu\", true, global::Bad.NamedCollector.Setup)", run.Source);
    }

    [Fact]
    public void OIE012_contract_missing_when_Oie_Abstractions_is_not_referenced()
    {
        var run = GeneratorHarness.Run(TestPlugins.One("Any.Type"), ["namespace Any { public sealed class Type { } }"],
            GeneratorHarness.ReferencesWithoutAbstractions);

        Assert.All(run.Diagnostics, d => Assert.Equal("OIE012", d.Id));
        Assert.Contains(run.Diagnostics, d => d.GetMessage() ==
            "Type \"Oie.Abstractions.ICollectorPlugin\" was not found: the project that reads plugins.json must reference Oie.Abstractions");
        Assert.Null(run.Source); // emitting would only add errors about the missing types
    }

    [Fact]
    public void Every_descriptor_is_an_error_in_the_plugins_category_and_has_a_test()
    {
        var descriptors = typeof(DiagnosticDescriptors)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => (Microsoft.CodeAnalysis.DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();
        var tested = typeof(TypeDiagnosticTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.Name)
            .ToList();

        Assert.Equal(descriptors.Select((_, i) => $"OIE{i + 1:000}"), descriptors.Select(d => d.Id));
        Assert.All(descriptors, d =>
        {
            Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal("Oie.Plugins", d.Category);
            Assert.Contains(tested, name => name.StartsWith(d.Id + "_", StringComparison.Ordinal));
        });
    }
}
