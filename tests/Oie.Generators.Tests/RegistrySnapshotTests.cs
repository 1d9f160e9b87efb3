using Snapshooter.Xunit;

namespace Oie.Generators.Tests;

/// <summary>The emitted PluginRegistry.g.cs, compared with the committed snapshots in __snapshots__/.</summary>
public sealed class RegistrySnapshotTests
{
    [Fact]
    public void Typical_plugins_json()
    {
        var run = GeneratorHarness.Run(TestPlugins.Typical);

        Assert.Empty(run.Diagnostics);
        Snapshot.Match(run.Source);
    }

    [Fact]
    public void Empty_collectors_list()
    {
        var run = GeneratorHarness.Run("""{ "collectors": [] }""");

        Assert.Empty(run.Diagnostics);
        Snapshot.Match(run.Source);
    }

    [Fact]
    public void Bad_entries_are_left_out_and_the_rest_kept_in_order()
    {
        var run = GeneratorHarness.Run("""
            { "collectors": [
              { "name": "network", "default": true,  "type": "Oie.Collectors.Network.NetworkCollector" },
              { "name": "gone",    "default": true,  "type": "Oie.Collectors.Gone.GoneCollector" },
              { "name": "cpu",     "default": false, "type": "Oie.Collectors.Cpu.CpuCollector" }
            ] }
            """);

        Assert.Equal("OIE009", run.Single().Id);
        Snapshot.Match(run.Source);
    }
}
