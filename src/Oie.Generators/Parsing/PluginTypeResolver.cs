using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Oie.Generators.Model;

namespace Oie.Generators.Parsing
{
    /// <summary>
    /// Looks the entries' types up in the compilation and checks that the registry can call them. Its output holds no
    /// symbols, so it compares by value and unrelated edits stop here.
    /// </summary>
    internal static class PluginTypeResolver
    {
        public static RegistryModel Resolve(ImmutableArray<PluginsFile> files, Compilation compilation, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var plugins = new List<RegisteredPlugin>();

            var contracts = FindContracts(compilation, diagnostics);
            if (files.IsEmpty)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingPluginsFile, null));
            }
            else if (files.Length > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultiplePluginsFiles, null,
                    string.Join(", ", files.Select(f => f.FilePath))));
            }

            if (!files.IsEmpty)
            {
                var file = files[0];
                diagnostics.AddRange(file.Diagnostics);
                if (contracts is not null)
                {
                    foreach (var entry in file.Entries)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (Check(entry, compilation, contracts, diagnostics) is { } plugin)
                        {
                            plugins.Add(plugin);
                        }
                    }
                }
            }

            return new RegistryModel(plugins.ToEquatableArray(), diagnostics.ToEquatableArray(), CanEmit: contracts is not null);
        }

        /// <summary>The contract interfaces of every section, or null (with a diagnostic) when any is missing.</summary>
        private static Dictionary<string, INamedTypeSymbol>? FindContracts(Compilation compilation, List<DiagnosticInfo> diagnostics)
        {
            var found = new Dictionary<string, INamedTypeSymbol>();
            var names = PluginSection.All.SelectMany(s => s.ContractInterfaces.Concat(new[] { s.RegistrationType })).Distinct();
            foreach (var name in names)
            {
                if (compilation.GetTypeByMetadataName(name) is { } symbol)
                {
                    found[name] = symbol;
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContractMissing, null, name));
                }
            }

            return found.Count == names.Count() ? found : null;
        }

        private static RegisteredPlugin? Check(PluginEntry entry, Compilation compilation,
            Dictionary<string, INamedTypeSymbol> contracts, List<DiagnosticInfo> diagnostics)
        {
            var section = PluginSection.For(entry.Kind);
            var type = compilation.GetTypeByMetadataName(entry.TypeName);
            if (type is null)
            {
                var candidates = compilation.GetTypesByMetadataName(entry.TypeName);
                diagnostics.Add(candidates.Length > 1
                    ? Unusable(entry, section, "it is defined in more than one assembly ("
                        + string.Join(", ", candidates.Select(c => c.ContainingAssembly.Name)) + ")")
                    : DiagnosticInfo.Create(DiagnosticDescriptors.UnknownType, entry.TypeLocation,
                        entry.TypeName, section.Noun, entry.Name, entry.Project ?? "the project that defines it"));
                return null;
            }

            var missing = section.ContractInterfaces
                .Where(name => !type.AllInterfaces.Contains(contracts[name], SymbolEqualityComparer.Default))
                .ToList();
            if (missing.Count > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContractNotImplemented, entry.TypeLocation,
                    entry.TypeName, section.Noun, entry.Name, string.Join(" and ", missing)));
                return null;
            }

            var setup = contracts[section.SetupInterface].GetMembers("Setup").OfType<IMethodSymbol>().FirstOrDefault();
            if (setup is not null && WrongSetup(type, setup) is { } shape)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SetupShape, entry.TypeLocation,
                    entry.TypeName, section.Noun, entry.Name, shape, setup.ReturnType.ToDisplayString()));
                return null;
            }

            if (WhyUnusable(type, compilation, contracts[section.SetupInterface]) is { } reason)
            {
                diagnostics.Add(Unusable(entry, section, reason));
                return null;
            }

            if (NameConstant(type) is { } name && name != entry.Name)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameDisagrees, entry.NameLocation,
                    section.Noun, entry.Name, entry.TypeName, NameConstantName, name));
                return null;
            }

            return new RegisteredPlugin(entry.Kind, entry.Name, entry.EnabledByDefault,
                type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ".Setup");
        }

        /// <summary>The constant a plugin type would keep its name in, were it to write the name a second time.</summary>
        private const string NameConstantName = "Name";

        /// <summary>The value of the type's own <c>const string Name</c>, or null when it declares none.</summary>
        private static string? NameConstant(INamedTypeSymbol type) =>
            type.GetMembers(NameConstantName).OfType<IFieldSymbol>()
                .Where(field => field.IsConst && field.ConstantValue is string)
                .Select(field => (string)field.ConstantValue!)
                .FirstOrDefault();

        /// <summary>
        /// The signature of a public static <c>Setup</c> the type has instead of the contract's (the old
        /// <c>Setup(FlagSet)</c>, say), or null when it implements the contract's or has no such method. The compiler
        /// reports the missing member in the plugin's own project; this says, in plugins.json, what the registry needs.
        /// </summary>
        private static string? WrongSetup(INamedTypeSymbol type, IMethodSymbol contractSetup)
        {
            if (type.FindImplementationForInterfaceMember(contractSetup) is not null)
            {
                return null;
            }

            var other = type.GetMembers("Setup").OfType<IMethodSymbol>()
                .FirstOrDefault(m => m.IsStatic && m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility == Accessibility.Public);
            return other is null
                ? null
                : "Setup(" + string.Join(", ", other.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name)) + ")";
        }

        /// <summary>Why <c>global::The.Type.Setup</c> would not compile in the consuming assembly, or null.</summary>
        private static string? WhyUnusable(INamedTypeSymbol type, Compilation compilation, INamedTypeSymbol setupInterface)
        {
            if (type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct)
            {
                return "it is " + (type.TypeKind == TypeKind.Interface ? "an interface" : "a " + type.TypeKind.ToString().ToLowerInvariant())
                    + "; list the class or struct that implements it";
            }

            if (type.IsGenericType)
            {
                return "it is generic; list a non-generic type";
            }

            if (!compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                return "it is not accessible from assembly " + compilation.AssemblyName + "; make it public";
            }

            var setup = setupInterface.GetMembers("Setup").OfType<IMethodSymbol>().FirstOrDefault();
            if (setup is not null
                && (type.FindImplementationForInterfaceMember(setup) is not IMethodSymbol implementation
                    || implementation.MethodKind == MethodKind.ExplicitInterfaceImplementation
                    || !compilation.IsSymbolAccessibleWithin(implementation, compilation.Assembly)))
            {
                return "its Setup is not a public static method (an explicit interface implementation cannot be called by name)";
            }

            return null;
        }

        private static DiagnosticInfo Unusable(PluginEntry entry, PluginSection section, string reason) =>
            DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotUsable, entry.TypeLocation, entry.TypeName, section.Noun, entry.Name, reason);
    }
}
