using Microsoft.CodeAnalysis;

namespace Oie.Generators.Tests;

/// <summary>Diagnostics about the plugins.json file itself: presence, JSON syntax, shape and values.</summary>
public sealed class JsonDiagnosticTests
{
    [Fact]
    public void OIE001_no_plugins_json_among_the_additional_files()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Driver(new InMemoryAdditionalText("/repo/other.json", "{}")),
            GeneratorHarness.Compilation(PluginSources.Standard));

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("OIE001", diagnostic.Id);
        Assert.Contains("No plugins.json among the AdditionalFiles", diagnostic.GetMessage());
        Assert.Contains("<AdditionalFiles Include=", diagnostic.GetMessage());
        Assert.Contains("Array.Empty", run.Source); // an empty registry, so the host still compiles
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void OIE002_two_plugins_json()
    {
        var run = GeneratorHarness.Run(
            GeneratorHarness.Driver(
                new InMemoryAdditionalText("/repo/plugins.json", TestPlugins.Typical),
                new InMemoryAdditionalText("/repo/other/plugins.json", TestPlugins.Typical)),
            GeneratorHarness.Compilation(PluginSources.Standard));

        var diagnostic = run.Single();
        Assert.Equal("OIE002", diagnostic.Id);
        Assert.Contains("/repo/plugins.json, /repo/other/plugins.json", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("", 1, 1, "unexpected end of file, expected a value")]
    [InlineData("{ \"collectors\": [], }", 1, 21, "unexpected '}', expected a property name in double quotes")]
    [InlineData("{\n  \"collectors\": [\n    { \"name\": \"cpu\" },\n  ]\n}", 4, 3, "unexpected ']', expected a value")]
    [InlineData("{\n  // comment\n  \"collectors\": []\n}", 2, 3, "unexpected '/', expected a property name in double quotes")]
    [InlineData("{ 'collectors': [] }", 1, 3, "unexpected ''', expected a property name in double quotes")]
    [InlineData("{ \"collectors\" [] }", 1, 16, "unexpected '[', expected ':' after the property name")]
    [InlineData("{ \"collectors\": [] } x", 1, 22, "unexpected 'x' after the top-level value")]
    [InlineData("{ \"collectors\": [ { \"name\": \"cpu } ] }", 1, 29, "unterminated string")]
    [InlineData("{ \"collectors\": [ { \"name\": \"a\\qb\" } ] }", 1, 32, "invalid escape '\\q'")]
    [InlineData("{ \"collectors\": [ { \"default\": True } ] }", 1, 32, "unexpected 'T', expected a value")]
    [InlineData("{ \"collectors\": [], \"collectors\": [] }", 1, 21, "duplicate property \"collectors\"")]
    [InlineData("{ \"n\": 01 }", 1, 9, "unexpected '1', expected ',' or '}'")]
    public void OIE003_malformed_json_names_line_and_column(string json, int line, int column, string reason)
    {
        var run = GeneratorHarness.Run(json);

        var diagnostic = run.Single();
        Assert.Equal("OIE003", diagnostic.Id);
        Assert.Equal($"plugins.json is not valid JSON at {line}:{column}: {reason}", diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(GeneratorHarness.PluginsPath, span.Path);
        Assert.Equal(line - 1, span.StartLinePosition.Line);
        Assert.Equal(column - 1, span.StartLinePosition.Character);
        Assert.Contains("Array.Empty", run.Source);
    }

    [Fact]
    public void OIE004_unknown_top_level_property()
    {
        const string json = """{ "collectors": [], "colectors": [] }""";
        var run = GeneratorHarness.Run(json);

        var diagnostic = run.Single();
        Assert.Equal("OIE004", diagnostic.Id);
        Assert.Equal("Unknown property \"colectors\" in plugins.json; expected \"collectors\" or \"feeds\"", diagnostic.GetMessage());
        AssertAt(diagnostic, json, "\"colectors\"");
    }

    [Fact]
    public void OIE004_unknown_entry_property()
    {
        var run = GeneratorHarness.Run("""
            { "collectors": [ { "name": "cpu", "default": true, "enabled": true, "type": "Oie.Collectors.Cpu.CpuCollector" } ] }
            """);

        var diagnostic = run.Single();
        Assert.Equal("OIE004", diagnostic.Id);
        Assert.Equal(
            "Unknown property \"enabled\" in collector \"cpu\"; expected \"name\", \"default\", \"type\" or \"project\"",
            diagnostic.GetMessage());
        Assert.Contains("Array.Empty", run.Source);
    }

    [Theory]
    [InlineData("""{ "default": true, "type": "Oie.Collectors.Cpu.CpuCollector" }""", "collector #1", "name")]
    [InlineData("""{ "name": "cpu", "type": "Oie.Collectors.Cpu.CpuCollector" }""", "collector \"cpu\"", "default")]
    [InlineData("""{ "name": "cpu", "default": true }""", "collector \"cpu\"", "type")]
    public void OIE005_missing_required_property(string entry, string label, string property)
    {
        var json = $$"""{ "collectors": [ {{entry}} ] }""";
        var run = GeneratorHarness.Run(json);

        var diagnostic = run.Single();
        Assert.Equal("OIE005", diagnostic.Id);
        Assert.StartsWith($"{label} has no \"{property}\" property; it is required", diagnostic.GetMessage());
        AssertAt(diagnostic, json, entry);
    }

    [Theory]
    [InlineData("""[]""", "plugins.json must be an object, not an array")]
    [InlineData("""{ "collectors": {} }""", "\"collectors\" must be an array of collector objects, not an object")]
    [InlineData("""{ "collectors": [ "cpu" ] }""", "collector #1 must be an object, not a string")]
    [InlineData("""{ "collectors": [ { "name": 5, "default": true, "type": "T" } ] }""", "\"name\" of collector #1 must be a string, not a number")]
    [InlineData("""{ "collectors": [ { "name": "cpu", "default": "yes", "type": "T" } ] }""", "\"default\" of collector \"cpu\" must be true or false, not a string")]
    [InlineData("""{ "collectors": [ { "name": "cpu", "default": null, "type": "T" } ] }""", "\"default\" of collector \"cpu\" must be true or false, not null")]
    [InlineData("""{ "collectors": [ { "name": "cpu", "default": true, "type": "" } ] }""", "\"type\" of collector \"cpu\" must be a namespace-qualified type name, not an empty string")]
    [InlineData("""{ "collectors": [ { "name": "cpu", "default": true, "type": "T", "project": 1 } ] }""", "\"project\" of collector \"cpu\" must be a string, not a number")]
    public void OIE006_value_of_the_wrong_kind(string json, string message)
    {
        var run = GeneratorHarness.Run(json);

        var diagnostic = run.Single();
        Assert.Equal("OIE006", diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("CPU")]
    [InlineData("1cpu")]
    [InlineData("cpu-load")]
    [InlineData("_cpu")]
    [InlineData("")]
    public void OIE007_invalid_name(string name)
    {
        var json = TestPlugins.One("Oie.Collectors.Cpu.CpuCollector", name);
        var run = GeneratorHarness.Run(json);

        var diagnostic = run.Single();
        Assert.Equal("OIE007", diagnostic.Id);
        Assert.Equal(
            $"Name \"{name}\" is invalid: it must match ^[a-z][a-z0-9_]*$ because it becomes the flag -collector.{name}",
            diagnostic.GetMessage());
        AssertAt(diagnostic, json, $"\"{name}\"");
    }

    [Fact]
    public void OIE008_duplicate_name_points_at_both()
    {
        var run = GeneratorHarness.Run("""
            { "collectors": [
              { "name": "cpu", "default": true, "type": "Oie.Collectors.Cpu.CpuCollector" },
              { "name": "disk", "default": true, "type": "Oie.Collectors.Disk.DiskCollector" },
              { "name": "cpu", "default": false, "type": "Oie.Collectors.Network.NetworkCollector" }
            ] }
            """);

        var diagnostic = run.Single();
        Assert.Equal("OIE008", diagnostic.Id);
        Assert.Equal(
            "Collector name \"cpu\" is listed twice in plugins.json (first at 2:13); names must be unique because each becomes the flag -collector.cpu",
            diagnostic.GetMessage());
        Assert.Equal(3, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("new(\"cpu\", true, global::Oie.Collectors.Cpu.CpuCollector.Setup)", run.Source);
        Assert.DoesNotContain("NetworkCollector", run.Source);
    }

    /// <summary>The diagnostic is located in plugins.json (<paramref name="json"/>), exactly on <paramref name="text"/>.</summary>
    internal static void AssertAt(Diagnostic diagnostic, string json, string text)
    {
        Assert.Equal(GeneratorHarness.PluginsPath, diagnostic.Location.GetLineSpan().Path);
        var span = diagnostic.Location.SourceSpan;
        Assert.Equal(text, json.Substring(span.Start, span.Length));
    }
}
