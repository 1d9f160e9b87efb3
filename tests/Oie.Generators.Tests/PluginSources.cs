namespace Oie.Generators.Tests;

/// <summary>C# source of in-memory plugin types for the test compilations.</summary>
internal static class PluginSources
{
    private const string Usings = """
        using System.Collections.Generic;
        using Oie.Abstractions;

        """;

    /// <summary>A working collector <paramref name="ns"/>.<paramref name="type"/> whose Setup defines the flag -<paramref name="flag"/>.</summary>
    public static string Collector(string ns, string type, string flag) => Usings + $$"""
        namespace {{ns}}
        {
            public sealed class {{type}} : ICollector, ICollectorPlugin
            {
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];

                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }

                public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
                {
                    flags.Bool("{{flag}}", false, "test flag");
                    return context => new {{type}}();
                }
            }
        }
        """;

    /// <summary>A working feed <paramref name="ns"/>.<paramref name="type"/> whose Setup defines the flag
    /// -NAME.<paramref name="suffix"/>, NAME being the plugins.json entry it is given; <paramref name="members"/> are
    /// added to the class.</summary>
    public static string Feed(string ns, string type, string suffix, string members = "") => Usings + $$"""
        namespace {{ns}}
        {
            public sealed class {{type}} : IThreatFeed, IThreatFeedPlugin
            {
                {{members}}
                public FeedDescriptor Descriptor => new FeedDescriptor("x", "oie_x_contact", "help", new System.Uri[0], System.TimeSpan.FromHours(1));

                public void Parse(System.ReadOnlySpan<byte> body, System.Uri source, FeedEntriesBuilder entries) { }

                public static FeedFactory Setup(PluginEntry plugin, FlagSet flags)
                {
                    flags.String(plugin.Flag("{{suffix}}"), "", "test flag");
                    return context => new {{type}}();
                }
            }
        }
        """;

    /// <summary>The four feeds of the repository's plugins.json; their flags are named from the entry they are given.</summary>
    public static readonly string[] Feeds =
    [
        Feed("Oie.Feeds.Tor", "TorFeed", "url"),
        Feed("Oie.Feeds.Spamhaus", "SpamhausFeed", "url"),
        Feed("Oie.Feeds.EmergingThreats", "EmergingThreatsFeed", "url"),
        Feed("Oie.Feeds.CustomList", "CustomListFeed", "path"),
    ];

    /// <summary>A feed that writes its name a second time, as the feeds did before the entry was passed to Setup.</summary>
    public static readonly string NamedFeed = Feed("Named", "SpamhausFeed", "url", "public const string Name = \"spamhaus\";");

    /// <summary>A collector whose Setup has the shape of the contract before the entry was passed: it does not compile
    /// (CS0535), and the generator says in plugins.json what the registry needs.</summary>
    public const string OldSetup = Usings + """
        namespace Old
        {
            public sealed class OldSetupCollector : ICollector, ICollectorPlugin
            {
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];
                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }
                public static CollectorFactory Setup(FlagSet flags) => context => new OldSetupCollector();
            }
        }
        """;

    /// <summary>A feed that lacks Setup, under namespace Bad.</summary>
    public const string BadFeed = Usings + """
        namespace Bad
        {
            public sealed class OnlyFeed : IThreatFeed
            {
                public FeedDescriptor Descriptor => null!;
                public void Parse(System.ReadOnlySpan<byte> body, System.Uri source, FeedEntriesBuilder entries) { }
            }
        }
        """;

    /// <summary>A plugin type that is complete but internal, for a separate assembly.</summary>
    public const string Internal = Usings + """
        namespace Hidden
        {
            internal sealed class InternalCollector : ICollector, ICollectorPlugin
            {
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];
                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }
                public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags) => context => new InternalCollector();
            }
        }
        """;

    /// <summary>The three collectors of the repository's plugins.json.</summary>
    public static readonly string[] Standard =
    [
        Collector("Oie.Collectors.Cpu", "CpuCollector", "cpu.test"),
        Collector("Oie.Collectors.Disk", "DiskCollector", "disk.test"),
        Collector("Oie.Collectors.Network", "NetworkCollector", "network.test"),
    ];

    /// <summary>Types that are wrong in one way each, under namespace Bad.</summary>
    public const string Bad = Usings + """
        namespace Bad
        {
            public sealed class NotAPlugin { }

            public sealed class OnlyCollector : ICollector
            {
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];
                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }
            }

            public sealed class Generic<T> : ICollector, ICollectorPlugin
            {
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];
                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }
                public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags) => context => new Generic<T>();
            }

            public interface IPluginInterface : ICollector, ICollectorPlugin { }

            public sealed class NamedCollector : ICollector, ICollectorPlugin
            {
                public const string Name = "cpu";
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];
                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }
                public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags) => context => new NamedCollector();
            }

            public sealed class ExplicitSetup : ICollector, ICollectorPlugin
            {
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];
                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }
                static CollectorFactory ICollectorPlugin.Setup(PluginEntry plugin, FlagSet flags) => context => new ExplicitSetup();
            }
        }
        """;
}
