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

                public static CollectorFactory Setup(FlagSet flags)
                {
                    flags.Bool("{{flag}}", false, "test flag");
                    return context => new {{type}}();
                }
            }
        }
        """;

    /// <summary>A working feed <paramref name="ns"/>.<paramref name="type"/> whose Setup defines the flag -<paramref name="flag"/>.</summary>
    public static string Feed(string ns, string type, string flag) => Usings + $$"""
        namespace {{ns}}
        {
            public sealed class {{type}} : IThreatFeed, IThreatFeedPlugin
            {
                public FeedDescriptor Descriptor => new FeedDescriptor("x", "oie_x_contact", "help", new System.Uri[0], System.TimeSpan.FromHours(1));

                public void Parse(System.ReadOnlySpan<byte> body, System.Uri source, FeedEntriesBuilder entries) { }

                public static FeedFactory Setup(FlagSet flags)
                {
                    flags.String("{{flag}}", "", "test flag");
                    return context => new {{type}}();
                }
            }
        }
        """;

    /// <summary>The four feeds of the repository's plugins.json.</summary>
    public static readonly string[] Feeds =
    [
        Feed("Oie.Feeds.Tor", "TorFeed", "tor.url"),
        Feed("Oie.Feeds.Spamhaus", "SpamhausFeed", "spamhaus.url"),
        Feed("Oie.Feeds.EmergingThreats", "EmergingThreatsFeed", "emergingthreats.url"),
        Feed("Oie.Feeds.CustomList", "CustomListFeed", "customlist.path"),
    ];

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
                public static CollectorFactory Setup(FlagSet flags) => context => new InternalCollector();
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
                public static CollectorFactory Setup(FlagSet flags) => context => new Generic<T>();
            }

            public interface IPluginInterface : ICollector, ICollectorPlugin { }

            public sealed class ExplicitSetup : ICollector, ICollectorPlugin
            {
                public IReadOnlyList<MetricFamily> Families => new MetricFamily[0];
                public void Collect(CycleSnapshot snapshot, ISampleWriter writer) { }
                static CollectorFactory ICollectorPlugin.Setup(FlagSet flags) => context => new ExplicitSetup();
            }
        }
        """;
}
