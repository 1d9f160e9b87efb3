using System.Collections.Generic;

namespace Oie.Generators.Model
{
    /// <summary>
    /// Everything that differs between kinds of plugin: adding one (the threat feeds) is a new <see cref="PluginKind"/>
    /// and a new row in <see cref="All"/>; the parser, the type checks and the emitter are shared.
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
                contractInterfaces: new[] { "Oie.Abstractions.ICollectorPlugin", "Oie.Abstractions.ICollector" },
                setupInterface: "Oie.Abstractions.ICollectorPlugin",
                registrationType: "Oie.Abstractions.CollectorRegistration",
                registryProperty: "Collectors"),
        };

        private PluginSection(PluginKind kind, string jsonName, string noun, string flagPrefix, string[] contractInterfaces,
            string setupInterface, string registrationType, string registryProperty)
        {
            Kind = kind;
            JsonName = jsonName;
            Noun = noun;
            FlagPrefix = flagPrefix;
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

        /// <summary>The run-time switch is <c>-{FlagPrefix}{name}</c>.</summary>
        public string FlagPrefix { get; }

        /// <summary>Metadata names of the interfaces an entry's type must implement.</summary>
        public IReadOnlyList<string> ContractInterfaces { get; }

        /// <summary>The interface whose static <c>Setup</c> the registry calls.</summary>
        public string SetupInterface { get; }

        /// <summary>Metadata name of the record the registry lists (constructed as (name, enabled, setup)).</summary>
        public string RegistrationType { get; }

        /// <summary>The PluginRegistry property listing this kind.</summary>
        public string RegistryProperty { get; }

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
