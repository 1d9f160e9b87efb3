using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Text;
using Oie.Generators.Json;
using Oie.Generators.Model;

namespace Oie.Generators.Parsing
{
    /// <summary>
    /// Turns the text of plugins.json into a <see cref="PluginsFile"/>: the well-formed entries plus a diagnostic, located
    /// in the file, for each thing that is wrong. Bad entries are left out; the rest still make a registry.
    /// </summary>
    internal static class PluginsFileParser
    {
        private const string NameProperty = "name";
        private const string DefaultProperty = "default";
        private const string TypeProperty = "type";
        private const string ProjectProperty = "project";

        private static readonly string[] EntryProperties = { NameProperty, DefaultProperty, TypeProperty, ProjectProperty };

        public static PluginsFile Parse(string filePath, SourceText? text, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var entries = new List<PluginEntry>();
            if (text is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedJson, null, "1:1", "the file could not be read"));
                return Result(filePath, entries, diagnostics);
            }

            JsonNode root;
            try
            {
                root = JsonReader.Parse(text.ToString());
            }
            catch (JsonSyntaxException e)
            {
                var position = Math.Min(e.Position, text.Length);
                var location = LocationInfo.Create(filePath, text, new TextSpan(position, position < text.Length ? 1 : 0));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedJson, location, location.LineColumn, e.Reason));
                return Result(filePath, entries, diagnostics);
            }

            var context = new Context(filePath, text, diagnostics);
            if (root.Kind != JsonKind.Object)
            {
                context.Report(DiagnosticDescriptors.InvalidValue, root.Span, "plugins.json", "an object", root.Describe());
                return Result(filePath, entries, diagnostics);
            }

            foreach (var property in root.Properties)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var section = PluginSection.All.FirstOrDefault(s => s.JsonName == property.Name);
                if (section is null)
                {
                    context.Report(DiagnosticDescriptors.UnknownProperty, property.NameSpan,
                        property.Name, "plugins.json", Expected(PluginSection.All.Select(s => s.JsonName)));
                    continue;
                }

                ParseSection(context, section, property.Value, entries, cancellationToken);
            }

            return Result(filePath, entries, diagnostics);
        }

        private static void ParseSection(Context context, PluginSection section, JsonNode list, List<PluginEntry> entries,
            CancellationToken cancellationToken)
        {
            if (list.Kind != JsonKind.Array)
            {
                context.Report(DiagnosticDescriptors.InvalidValue, list.Span,
                    "\"" + section.JsonName + "\"", "an array of " + section.Noun + " objects", list.Describe());
                return;
            }

            var firstByName = new Dictionary<string, LocationInfo>(StringComparer.Ordinal);
            for (var i = 0; i < list.Items.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var item = list.Items[i];
                var label = section.Noun + " #" + (i + 1);
                if (item.Kind != JsonKind.Object)
                {
                    context.Report(DiagnosticDescriptors.InvalidValue, item.Span, label, "an object", item.Describe());
                    continue;
                }

                if (ParseEntry(context, section, label, item, firstByName) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        private static PluginEntry? ParseEntry(Context context, PluginSection section, string label, JsonNode item,
            Dictionary<string, LocationInfo> firstByName)
        {
            var valid = true;
            var name = Find(item, NameProperty);
            var isDefault = Find(item, DefaultProperty);
            var type = Find(item, TypeProperty);
            var project = Find(item, ProjectProperty);

            if (name is null)
            {
                valid = false;
                context.Report(DiagnosticDescriptors.MissingProperty, item.Span, label, NameProperty,
                    "it names the flag -" + section.FlagFor("<name>"));
            }
            else if (name.Kind != JsonKind.String)
            {
                valid = false;
                context.Report(DiagnosticDescriptors.InvalidValue, name.Span, Of(NameProperty, label), "a string", name.Describe());
            }
            else if (!IsValidName(name.Text!))
            {
                valid = false;
                context.Report(DiagnosticDescriptors.InvalidName, name.Span, name.Text!, section.FlagFor(name.Text!));
            }
            else
            {
                label = section.Noun + " \"" + name.Text + "\"";
                var location = context.Locate(name.Span);
                if (firstByName.TryGetValue(name.Text!, out var first))
                {
                    valid = false;
                    context.Report(DiagnosticDescriptors.DuplicateName, name.Span,
                        Capitalize(section.Noun), name.Text!, first.LineColumn, section.FlagFor(name.Text!));
                }
                else
                {
                    firstByName.Add(name.Text!, location);
                }
            }

            foreach (var property in item.Properties)
            {
                if (Array.IndexOf(EntryProperties, property.Name) < 0)
                {
                    valid = false;
                    context.Report(DiagnosticDescriptors.UnknownProperty, property.NameSpan,
                        property.Name, label, Expected(EntryProperties));
                }
            }

            if (isDefault is null)
            {
                valid = false;
                context.Report(DiagnosticDescriptors.MissingProperty, item.Span, label, DefaultProperty,
                    "true or false: whether it runs unless switched with -" + section.FlagFor("<name>"));
            }
            else if (isDefault.Kind != JsonKind.True && isDefault.Kind != JsonKind.False)
            {
                valid = false;
                context.Report(DiagnosticDescriptors.InvalidValue, isDefault.Span, Of(DefaultProperty, label), "true or false", isDefault.Describe());
            }

            if (type is null)
            {
                valid = false;
                context.Report(DiagnosticDescriptors.MissingProperty, item.Span, label, TypeProperty,
                    "the namespace-qualified name of the type implementing " + section.SetupInterface);
            }
            else if (type.Kind != JsonKind.String || string.IsNullOrWhiteSpace(type.Text))
            {
                valid = false;
                context.Report(DiagnosticDescriptors.InvalidValue, type.Span, Of(TypeProperty, label),
                    "a namespace-qualified type name", type.Kind == JsonKind.String ? "an empty string" : type.Describe());
            }

            if (project is not null && project.Kind != JsonKind.String)
            {
                valid = false;
                context.Report(DiagnosticDescriptors.InvalidValue, project.Span, Of(ProjectProperty, label), "a string", project.Describe());
            }

            if (!valid)
            {
                return null;
            }

            return new PluginEntry(section.Kind, name!.Text!, isDefault!.Kind == JsonKind.True, type!.Text!.Trim(), project?.Text,
                context.Locate(type.Span), context.Locate(name.Span));
        }

        /// <summary>^[a-z][a-z0-9_]*$: the name becomes part of a command-line flag.</summary>
        internal static bool IsValidName(string name)
        {
            if (name.Length == 0 || name[0] < 'a' || name[0] > 'z')
            {
                return false;
            }

            foreach (var c in name)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        private static JsonNode? Find(JsonNode item, string property) =>
            item.Properties.FirstOrDefault(p => p.Name == property)?.Value;

        private static string Of(string property, string label) => "\"" + property + "\" of " + label;

        private static string Expected(IEnumerable<string> names)
        {
            var quoted = names.Select(n => "\"" + n + "\"").ToList();
            return quoted.Count == 1
                ? quoted[0]
                : string.Join(", ", quoted.Take(quoted.Count - 1)) + " or " + quoted[quoted.Count - 1];
        }

        private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word.Substring(1);

        private static PluginsFile Result(string filePath, List<PluginEntry> entries, List<DiagnosticInfo> diagnostics) =>
            new PluginsFile(filePath, entries.ToEquatableArray(), diagnostics.ToEquatableArray());

        private sealed class Context
        {
            private readonly string _filePath;
            private readonly SourceText _text;
            private readonly List<DiagnosticInfo> _diagnostics;

            public Context(string filePath, SourceText text, List<DiagnosticInfo> diagnostics)
            {
                _filePath = filePath;
                _text = text;
                _diagnostics = diagnostics;
            }

            public LocationInfo Locate(TextSpan span) => LocationInfo.Create(_filePath, _text, span);

            public void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, TextSpan span, params string[] args) =>
                _diagnostics.Add(DiagnosticInfo.Create(descriptor, Locate(span), args));
        }
    }
}
