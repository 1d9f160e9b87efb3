using System;
using System.IO;
using Microsoft.CodeAnalysis;
using Oie.Generators.Emitting;
using Oie.Generators.Parsing;

namespace Oie.Generators
{
    /// <summary>
    /// Reads plugins.json (an AdditionalFile) and emits <c>Oie.Generated.PluginRegistry</c>, the compile-time list of
    /// plugins the host wires up. Pipeline: parse the JSON (cached on the file's text) → resolve the types against the
    /// compilation (a symbol-free, equatable model) → emit.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class PluginRegistryGenerator : IIncrementalGenerator
    {
        public const string PluginsFileName = "plugins.json";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var files = context.AdditionalTextsProvider
                .Where(static text => string.Equals(Path.GetFileName(text.Path), PluginsFileName, StringComparison.Ordinal))
                .Select(static (text, cancellationToken) => PluginsFileParser.Parse(text.Path, text.GetText(cancellationToken), cancellationToken))
                .WithTrackingName(TrackingNames.ParsePluginsFile)
                .Collect();

            var model = files
                .Combine(context.CompilationProvider)
                .Select(static (input, cancellationToken) => PluginTypeResolver.Resolve(input.Left, input.Right, cancellationToken))
                .WithTrackingName(TrackingNames.ResolvePlugins);

            context.RegisterSourceOutput(model, static (context, model) =>
            {
                foreach (var diagnostic in model.Diagnostics)
                {
                    context.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                if (model.CanEmit)
                {
                    context.AddSource(PluginRegistryEmitter.HintName, PluginRegistryEmitter.Emit(model.Plugins));
                }
            });
        }

        /// <summary>Names of the pipeline steps, for tests that check what incremental runs reuse.</summary>
        public static class TrackingNames
        {
            public const string ParsePluginsFile = nameof(ParsePluginsFile);
            public const string ResolvePlugins = nameof(ResolvePlugins);
        }
    }
}
