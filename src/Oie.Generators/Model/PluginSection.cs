using System.Collections.Generic;

namespace Oie.Generators.Model
{
    /// <summary>
    /// Everything that differs between kinds of plugin: adding one is a new <see cref="PluginKind"/> and a new row in
    /// <see cref="All"/>; the parser, the type checks and the emitter are shared.
    /// </summary>
    internal sealed class PluginSection
    {
        public static readonly IReadOnlyList<PluginSection> All = new[]
        {
            new PluginSection(
                PluginKind.Collector,
                jsonName: "collectors",
                noun: "collector",
                flagPrefix: "collector.",
                flagSuffix: "",
                contractInterfaces: new[] { "Oie.Abstractions.ICollectorPlugin", "Oie.Abstractions.ICollector" },
                setupInterface: "Oie.Abstractions.ICollectorPlugin",
                registrationType: "Oie.Abstractions.CollectorRegistration",
                registryProperty: "Collectors"),
            new PluginSection(
                PluginKind.Feed,
                jsonName: "feeds",
                noun: "feed",
                flagPrefix: "",
                flagSuffix: ".enable",
                contractInterfaces: new[] { "Oie.Abstractions.IThreatFeedPlugin", "Oie.Abstractions.IThreatFeed" },
                setupInterface: "Oie.Abstractions.IThreatFeedPlugin",
                registrationType: "Oie.Abstractions.FeedRegistration",
                registryProperty: "Feeds"),
        };

        private PluginSection(PluginKind kind, string jsonName, string noun, string flagPrefix, string flagSuffix,
            string[] contractInterfaces,
            string setupInterface, string registrationType, string registryProperty)
        {
            Kind = kind;
            JsonName = jsonName;
            Noun = noun;
            FlagPrefix = flagPrefix;
            FlagSuffix = flagSuffix;
            ContractInterfaces = contractInterfaces;
            SetupInterface = setupInterface;
            RegistrationType = registrationType;
            RegistryProperty = registryProperty;
        }

        public PluginKind Kind { get; }

        /// <summary>The top-level property of plugins.json that lists this kind.</summary>
        public string JsonName { get; }

        /// <summary>How messages name one entry: "collector 'cpu'".</summary>
        public string Noun { get; }

        /// <summary>The run-time switch is <c>-{FlagPrefix}{name}{FlagSuffix}</c>: <c>-collector.cpu</c>, <c>-tor.enable</c>.</summary>
        public string FlagPrefix { get; }

        /// <summary>See <see cref="FlagPrefix"/>.</summary>
        public string FlagSuffix { get; }

        /// <summary>Metadata names of the interfaces an entry's type must implement.</summary>
        public IReadOnlyList<string> ContractInterfaces { get; }

        /// <summary>The interface whose static <c>Setup</c> the registry calls.</summary>
        public string SetupInterface { get; }

        /// <summary>Metadata name of the record the registry lists (constructed as (name, enabled, setup)).</summary>
        public string RegistrationType { get; }

        /// <summary>The PluginRegistry property listing this kind.</summary>
        public string RegistryProperty { get; }

        /// <summary>The switch of the entry named <paramref name="name"/>, without the leading dash: <c>collector.cpu</c>.</summary>
        public string FlagFor(string name) => FlagPrefix + name + FlagSuffix;

        public static PluginSection For(PluginKind kind)
        {
            foreach (var section in All)
            {
                if (section.Kind == kind)
                {
                    return section;
                }
            }

            throw new KeyNotFoundException(kind.ToString());
        }
    }
}
