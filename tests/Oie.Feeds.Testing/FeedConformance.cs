using Oie.Abstractions;
using Xunit;

namespace Oie.Feeds.Testing;

/// <summary>The cases of a feed's theories in <see cref="FeedConformance{TFeed, TCases}"/>.</summary>
public interface IFeedCases
{
    /// <summary>Each realistic fixture (Fixtures/), the ranges it gives (<see cref="FeedHarness.Ranges"/>) and its
    /// invalid count.</summary>
    static abstract TheoryData<string, string[], int> RealisticFixtures { get; }

    /// <summary>Every flag the feed defines and its default as <c>-h</c> shows it.</summary>
    static abstract TheoryData<string, string> FlagsWithDefaults { get; }

    /// <summary>An argument that must not parse, the flag the error names, and (or null) what else it says.</summary>
    static abstract TheoryData<string, string, string?> BadArguments { get; }
}

/// <summary>
/// What every feed must do, written once: a feed's test project instantiates it with its fixtures and expectations
/// (one small class, <c>class TorConformance : FeedConformance&lt;TorFeed, TorConformance&gt;, IFeedCases</c>), and
/// keeps beside it only the tests of what is its own (its format's details, its extra flags).
/// </summary>
/// <typeparam name="TFeed">The feed plugin under test.</typeparam>
/// <typeparam name="TCases">The instantiating class, which gives the theories' cases.</typeparam>
public abstract class FeedConformance<TFeed, TCases>
    where TFeed : IThreatFeedPlugin
    where TCases : IFeedCases
{
    public static TheoryData<string, string[], int> Realistic => TCases.RealisticFixtures;

    public static TheoryData<string, string> FlagDefaults => TCases.FlagsWithDefaults;

    public static TheoryData<string, string, string?> BadValues => TCases.BadArguments;

    /// <summary>The name a renamed entry is given, to check that every name follows the entry.</summary>
    private const string Renamed = "renamed_feed";

    /// <summary>The feed's plugins.json line; by default the one listing <typeparamref name="TFeed"/>.</summary>
    protected virtual PluginEntry Entry => global::Oie.Testing.PluginsFile.EntryOf<TFeed>();

    /// <summary>A command line on which the feed can be created (the custom list needs its path).</summary>
    protected virtual string[] WorkingArgs => [];

    /// <summary>The descriptor with <see cref="WorkingArgs"/>: its name, metric, help, sources, refresh, hit tag.</summary>
    protected abstract FeedDescriptor ExpectedDescriptor { get; }

    /// <summary>Invalid entries counted in <see cref="BadBodies.ErrorPage"/> (one per line for a line format).</summary>
    protected abstract int ErrorPageInvalid { get; }

    /// <summary>Invalid entries counted in <see cref="BadBodies.Garbage"/>, or null when only its rejection matters.</summary>
    protected virtual int? GarbageInvalid => null;

    /// <summary>The fixtures the mutation fuzz starts from.</summary>
    protected abstract string[] FuzzSeeds { get; }

    protected virtual int MutationIterations => 20_000;

    /// <summary>The feed created as the host creates it, with <see cref="WorkingArgs"/>.</summary>
    protected IThreatFeed Feed => FeedHarness.Create<TFeed>(Entry, WorkingArgs);

    [Theory]
    [MemberData(nameof(Realistic))]
    public void A_realistic_fixture_gives_exactly_its_ranges(string fixture, string[] ranges, int invalid)
    {
        var entries = Feed.Parse(FeedHarness.Fixture(fixture));

        Assert.Equal(ranges, entries.Ranges());
        Assert.Equal(invalid, entries.Invalid);
    }

    [Fact]
    public void Html_error_page_adds_nothing_and_is_invalid() =>
        Assert.Equal(ErrorPageInvalid, BadBodies.AssertRejected(Feed, BadBodies.ErrorPage));

    [Fact]
    public void Binary_garbage_adds_nothing_and_is_invalid()
    {
        var invalid = BadBodies.AssertRejected(Feed, BadBodies.Garbage());
        if (GarbageInvalid is { } expected)
            Assert.Equal(expected, invalid);
    }

    [Theory]
    [MemberData(nameof(FlagDefaults))]
    public void Flags_and_defaults(string name, string defaultText)
    {
        Assert.True(FlagsOf(Entry).TryGet(name, out var flag), $"-{name} is missing");
        Assert.Equal(defaultText, flag.DefaultText);
    }

    /// <summary>The feed defines exactly the flags of <c>FlagDefaults</c>: not <c>-NAME.enable</c>, the host's.</summary>
    [Fact]
    public void The_enable_switch_is_the_hosts()
    {
        var expected = FlagDefaultNames().Order(StringComparer.Ordinal);

        Assert.Equal(expected, FlagsOf(Entry).Flags.Select(f => f.Name));
        Assert.DoesNotContain(Entry.Flag("enable"), FlagsOf(Entry).Flags.Select(f => f.Name));
    }

    [Fact]
    public void Descriptor_with_defaults()
    {
        var descriptor = Feed.Descriptor;

        Assert.Equal(ExpectedDescriptor.Name, descriptor.Name);
        Assert.Equal(ExpectedDescriptor.MetricName, descriptor.MetricName);
        Assert.Equal(ExpectedDescriptor.Help, descriptor.Help);
        Assert.Equal(ExpectedDescriptor.Sources, descriptor.Sources);
        Assert.Equal(ExpectedDescriptor.Refresh, descriptor.Refresh);
        Assert.Equal(ExpectedDescriptor.HitTag, descriptor.HitTag);
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Bad_values_fail_naming_the_flag(string arg, string flag, string? reason)
    {
        var result = FeedHarness.ParseFlags<TFeed>(Entry, arg);

        Assert.False(result.Success);
        Assert.Contains(flag, result.Error);
        if (reason is not null)
            Assert.Contains(reason, result.Error);
    }

    /// <summary>
    /// The entry is the one name: set up under another, the feed's flags, descriptor name (the health metrics'
    /// <c>feed</c> label) and contact metric all follow it, and none keeps the old name.
    /// </summary>
    [Fact]
    public void Every_name_follows_the_plugins_json_entry()
    {
        var renamed = Entry with { Name = Renamed };
        var oldPrefix = Entry.Name + ".";

        Assert.Equal(
            FlagDefaultNames().Select(name => Renamed + "." + name[oldPrefix.Length..]).Order(StringComparer.Ordinal),
            FlagsOf(renamed).Flags.Select(f => f.Name));
        var args = WorkingArgs.Select(arg => arg.Replace("-" + oldPrefix, "-" + Renamed + ".", StringComparison.Ordinal)).ToArray();
        var descriptor = FeedHarness.Create<TFeed>(renamed, args).Descriptor;
        Assert.Equal(Renamed, descriptor.Name);
        Assert.Equal($"oie_{Renamed}_contact", descriptor.MetricName);
        Assert.Equal(ExpectedDescriptor.Help, descriptor.Help);
    }

    [Fact]
    public void Mutated_fixtures_never_throw() =>
        ParserFuzz.NeverThrows(Feed, ParserFuzz.Mutations([.. FuzzSeeds.Select(FeedHarness.Fixture)]), MutationIterations);

    [Fact]
    public void Noise_never_throws() => ParserFuzz.NeverThrows(Feed, ParserFuzz.Noise, iterations: 10_000);

    private static FlagSet FlagsOf(PluginEntry entry) => FeedHarness.FlagsOf<TFeed>(entry);

    /// <summary>The names in <see cref="IFeedCases.FlagsWithDefaults"/>.</summary>
    private static IEnumerable<string> FlagDefaultNames() => FlagDefaults.Select(row => (string)row[0]);
}
