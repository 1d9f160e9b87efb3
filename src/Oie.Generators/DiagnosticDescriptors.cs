using Microsoft.CodeAnalysis;

namespace Oie.Generators
{
    /// <summary>Every diagnostic the plugin registry generator reports. All are errors: a wrong plugins.json must not build.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "Oie.Plugins";

        public static readonly DiagnosticDescriptor MissingPluginsFile = Error(
            "OIE001",
            "plugins.json is not an AdditionalFile",
            "No plugins.json among the AdditionalFiles: add <AdditionalFiles Include=\"path/to/plugins.json\" /> to the project that references Oie.Generators");

        public static readonly DiagnosticDescriptor MultiplePluginsFiles = Error(
            "OIE002",
            "More than one plugins.json",
            "More than one plugins.json among the AdditionalFiles ({0}); keep exactly one");

        public static readonly DiagnosticDescriptor MalformedJson = Error(
            "OIE003",
            "plugins.json is not valid JSON",
            "plugins.json is not valid JSON at {0}: {1}");

        public static readonly DiagnosticDescriptor UnknownProperty = Error(
            "OIE004",
            "Unknown property in plugins.json",
            "Unknown property \"{0}\" in {1}; expected {2}");

        public static readonly DiagnosticDescriptor MissingProperty = Error(
            "OIE005",
            "Missing required property in plugins.json",
            "{0} has no \"{1}\" property; it is required ({2})");

        public static readonly DiagnosticDescriptor InvalidValue = Error(
            "OIE006",
            "Wrong kind of value in plugins.json",
            "{0} must be {1}, not {2}");

        public static readonly DiagnosticDescriptor InvalidName = Error(
            "OIE007",
            "Invalid plugin name",
            "Name \"{0}\" is invalid: it must match ^[a-z][a-z0-9_]*$ because it becomes the flag -{1}");

        public static readonly DiagnosticDescriptor DuplicateName = Error(
            "OIE008",
            "Duplicate plugin name",
            "{0} name \"{1}\" is listed twice in plugins.json (first at {2}); names must be unique because each becomes the flag -{3}");

        public static readonly DiagnosticDescriptor UnknownType = Error(
            "OIE009",
            "Plugin type not found",
            "Type \"{0}\" of {1} \"{2}\" was not found in the compilation: check its namespace-qualified name and that this project references {3}");

        public static readonly DiagnosticDescriptor ContractNotImplemented = Error(
            "OIE010",
            "Plugin type does not implement the contract",
            "Type \"{0}\" of {1} \"{2}\" does not implement {3}");

        public static readonly DiagnosticDescriptor TypeNotUsable = Error(
            "OIE011",
            "Plugin type cannot be registered",
            "Type \"{0}\" of {1} \"{2}\" cannot be called from the generated registry: {3}");

        public static readonly DiagnosticDescriptor ContractMissing = Error(
            "OIE012",
            "Plugin contract not found",
            "Type \"{0}\" was not found: the project that reads plugins.json must reference Oie.Abstractions");

        public static readonly DiagnosticDescriptor SetupShape = Error(
            "OIE013",
            "Plugin Setup has the wrong shape",
            "Type \"{0}\" of {1} \"{2}\" has {3}, not the contract's public static {4} Setup(Oie.Abstractions.PluginEntry plugin, Oie.Abstractions.FlagSet flags): the registry passes Setup the plugin's plugins.json entry, from which it names its flags");

        public static readonly DiagnosticDescriptor NameDisagrees = Error(
            "OIE014",
            "Plugin type names itself differently from plugins.json",
            "The {0} \"{1}\" is implemented by \"{2}\", whose constant {3} is \"{4}\": plugins.json is the one place a plugin is named (its flags, metrics and labels derive from the entry passed to Setup); remove the constant or make it \"{1}\"");

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
