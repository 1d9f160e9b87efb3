using System.Reflection;
using System.Runtime.Loader;
using Oie.Abstractions;
using Snapshooter.Xunit;

namespace Oie.Generators.Tests;

/// <summary>The "feeds" section: registered like the collectors, switched with -NAME.enable, checked against
/// IThreatFeedPlugin and IThreatFeed.</summary>
public sealed class FeedSectionTests
{
    private static readonly string[] Sources = [.. PluginSources.Standard, .. PluginSources.Feeds, PluginSources.Bad, PluginSources.BadFeed];

    [Fact]
    public void Collectors_and_feeds()
    {
        var run = GeneratorHarness.Run(TestPlugins.WithFeeds, Sources);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompilerErrors);
        Snapshot.Match(run.Source);
    }

    [Fact]
    public void Loaded_registry_lists_the_feeds_in_file_order_and_calls_their_Setup()
    {
        var run = GeneratorHarness.Run(TestPlugins.WithFeeds, Sources);
        using var image = new MemoryStream();
        var emit = run.Output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));

        var context = new AssemblyLoadContext("feeds", isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var property = assembly.GetType("Oie.Generated.PluginRegistry")!.GetProperty("Feeds", BindingFlags.Public | BindingFlags.Static)!;
            var feeds = (IReadOnlyList<FeedRegistration>)property.GetValue(null)!;

            Assert.Equal(["tor", "spamhaus", "emergingthreats", "customlist"], feeds.Select(f => f.Name));
            Assert.Equal([false, false, false, true], feeds.Select(f => f.EnabledByDefault));
            var flags = new FlagSet();
            Assert.All(feeds, feed => Assert.NotNull(feed.Setup(flags)));
            Assert.Equal(["customlist.path", "emergingthreats.url", "spamhaus.url", "tor.url"], flags.Flags.Select(f => f.Name));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void OIE004_unknown_property_of_a_feed_entry()
    {
        var run = GeneratorHarness.Run("""{ "feeds": [ { "name": "tor", "default": false, "url": "x", "type": "Oie.Feeds.Tor.TorFeed" } ] }""", Sources);

        Assert.Equal(
            "Unknown property \"url\" in feed \"tor\"; expected \"name\", \"default\", \"type\" or \"project\"",
            run.Single().GetMessage());
    }

    [Fact]
    public void OIE005_missing_name_says_it_becomes_the_enable_switch()
    {
        var run = GeneratorHarness.Run("""{ "feeds": [ { "default": false, "type": "Oie.Feeds.Tor.TorFeed" } ] }""", Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE005", diagnostic.Id);
        Assert.Equal("feed #1 has no \"name\" property; it is required (it names the flag -<name>.enable)", diagnostic.GetMessage());
    }

    [Fact]
    public void OIE006_feeds_must_be_an_array()
    {
        var run = GeneratorHarness.Run("""{ "feeds": { "tor": true } }""", Sources);

        Assert.Equal("\"feeds\" must be an array of feed objects, not an object", run.Single().GetMessage());
    }

    [Theory]
    [InlineData("Tor")]
    [InlineData("drop-v6")]
    [InlineData("6to4")]
    public void OIE007_invalid_feed_name_names_the_enable_switch(string name)
    {
        var json = TestPlugins.OneFeed("Oie.Feeds.Tor.TorFeed", name);
        var run = GeneratorHarness.Run(json, Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE007", diagnostic.Id);
        Assert.Equal(
            $"Name \"{name}\" is invalid: it must match ^[a-z][a-z0-9_]*$ because it becomes the flag -{name}.enable",
            diagnostic.GetMessage());
        JsonDiagnosticTests.AssertAt(diagnostic, json, $"\"{name}\"");
    }

    [Fact]
    public void OIE008_duplicate_feed_name()
    {
        var run = GeneratorHarness.Run("""
            { "feeds": [
              { "name": "tor", "default": false, "type": "Oie.Feeds.Tor.TorFeed" },
              { "name": "tor", "default": true,  "type": "Oie.Feeds.Spamhaus.SpamhausFeed" }
            ] }
            """, Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE008", diagnostic.Id);
        Assert.Equal(
            "Feed name \"tor\" is listed twice in plugins.json (first at 2:13); names must be unique because each becomes the flag -tor.enable",
            diagnostic.GetMessage());
        Assert.DoesNotContain("SpamhausFeed", run.Source);
    }

    [Fact]
    public void A_collector_and_a_feed_may_share_a_name()
    {
        var run = GeneratorHarness.Run("""
            {
              "collectors": [ { "name": "tor", "default": true,  "type": "Oie.Collectors.Cpu.CpuCollector" } ],
              "feeds":      [ { "name": "tor", "default": false, "type": "Oie.Feeds.Tor.TorFeed" } ]
            }
            """, Sources);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void OIE009_unknown_feed_type_names_the_project()
    {
        var run = GeneratorHarness.Run("""
            { "feeds": [ { "name": "abuse", "default": false, "type": "Oie.Feeds.Abuse.AbuseFeed", "project": "src/Oie.Feeds.Abuse/Oie.Feeds.Abuse.csproj" } ] }
            """, Sources);

        Assert.Equal(
            "Type \"Oie.Feeds.Abuse.AbuseFeed\" of feed \"abuse\" was not found in the compilation: check its namespace-qualified name "
            + "and that this project references src/Oie.Feeds.Abuse/Oie.Feeds.Abuse.csproj",
            run.Single().GetMessage());
        Assert.Empty(run.CompilerErrors);
    }

    [Theory]
    [InlineData("Oie.Collectors.Cpu.CpuCollector", "Oie.Abstractions.IThreatFeedPlugin and Oie.Abstractions.IThreatFeed")]
    [InlineData("Bad.OnlyFeed", "Oie.Abstractions.IThreatFeedPlugin")]
    public void OIE010_feed_type_not_implementing_the_feed_contract(string type, string missing)
    {
        var json = TestPlugins.OneFeed(type);
        var run = GeneratorHarness.Run(json, Sources);

        var diagnostic = run.Single();
        Assert.Equal("OIE010", diagnostic.Id);
        Assert.Equal($"Type \"{type}\" of feed \"x\" does not implement {missing}", diagnostic.GetMessage());
        JsonDiagnosticTests.AssertAt(diagnostic, json, $"\"{type}\"");
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void OIE010_a_feed_listed_as_a_collector()
    {
        var run = GeneratorHarness.Run(TestPlugins.One("Oie.Feeds.Tor.TorFeed"), Sources);

        Assert.Equal(
            "Type \"Oie.Feeds.Tor.TorFeed\" of collector \"x\" does not implement Oie.Abstractions.ICollectorPlugin and Oie.Abstractions.ICollector",
            run.Single().GetMessage());
    }

    /// <summary>The case: spamhaus renamed to drop in plugins.json while the class still says spamhaus.</summary>
    [Fact]
    public void OIE014_a_feed_renamed_in_plugins_json_but_not_in_its_class()
    {
        var json = TestPlugins.OneFeed("Named.SpamhausFeed", name: "drop");
        var run = GeneratorHarness.Run(json, [.. Sources, PluginSources.NamedFeed]);

        var diagnostic = run.Single();
        Assert.Equal("OIE014", diagnostic.Id);
        Assert.StartsWith("The feed \"drop\" is implemented by \"Named.SpamhausFeed\", whose constant Name is \"spamhaus\"", diagnostic.GetMessage());
        JsonDiagnosticTests.AssertAt(diagnostic, json, "\"drop\"");
    }

    [Fact]
    public void OIE013_a_feed_whose_setup_has_another_shape()
    {
        const string source = """
            namespace Old
            {
                public sealed class OldFeed : Oie.Abstractions.IThreatFeed, Oie.Abstractions.IThreatFeedPlugin
                {
                    public Oie.Abstractions.FeedDescriptor Descriptor => null!;
                    public void Parse(System.ReadOnlySpan<byte> body, System.Uri source, Oie.Abstractions.FeedEntriesBuilder entries) { }
                    public static Oie.Abstractions.FeedFactory Setup(Oie.Abstractions.FlagSet flags, string name) => context => new OldFeed();
                }
            }
            """;
        var run = GeneratorHarness.Run(TestPlugins.OneFeed("Old.OldFeed"), [source]);

        var diagnostic = run.Single();
        Assert.Equal("OIE013", diagnostic.Id);
        Assert.Contains("has Setup(Oie.Abstractions.FlagSet flags, string name), not the contract's public static Oie.Abstractions.FeedFactory Setup(",
            diagnostic.GetMessage());
    }

    [Fact]
    public void OIE012_names_the_feed_contract_when_Oie_Abstractions_is_not_referenced()
    {
        var run = GeneratorHarness.Run(TestPlugins.OneFeed("Any.Type"), ["namespace Any { public sealed class Type { } }"],
            GeneratorHarness.ReferencesWithoutAbstractions);

        Assert.Contains(run.Diagnostics, d => d.GetMessage() ==
            "Type \"Oie.Abstractions.IThreatFeedPlugin\" was not found: the project that reads plugins.json must reference Oie.Abstractions");
        Assert.Contains(run.Diagnostics, d => d.GetMessage().StartsWith("Type \"Oie.Abstractions.FeedRegistration\"", StringComparison.Ordinal));
    }
}
