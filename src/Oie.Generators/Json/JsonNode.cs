using System.Collections.Generic;
using Microsoft.CodeAnalysis.Text;

namespace Oie.Generators.Json
{
    internal enum JsonKind
    {
        Object,
        Array,
        String,
        Number,
        True,
        False,
        Null,
    }

    /// <summary>A parsed JSON value with its span in the source text, so diagnostics can point at it.</summary>
    internal sealed class JsonNode
    {
        private static readonly IReadOnlyList<JsonProperty> NoProperties = new JsonProperty[0];
        private static readonly IReadOnlyList<JsonNode> NoItems = new JsonNode[0];

        public JsonNode(JsonKind kind, TextSpan span, string? text = null,
            IReadOnlyList<JsonProperty>? properties = null, IReadOnlyList<JsonNode>? items = null)
        {
            Kind = kind;
            Span = span;
            Text = text;
            Properties = properties ?? NoProperties;
            Items = items ?? NoItems;
        }

        public JsonKind Kind { get; }

        public TextSpan Span { get; }

        /// <summary>The unescaped value of a string, the raw text of a number; null otherwise.</summary>
        public string? Text { get; }

        /// <summary>An object's properties in source order (names are unique: the reader rejects duplicates).</summary>
        public IReadOnlyList<JsonProperty> Properties { get; }

        public IReadOnlyList<JsonNode> Items { get; }

        /// <summary>How a message names this kind of value: "a string", "an array", …</summary>
        public string Describe() => Kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.True => "true",
            JsonKind.False => "false",
            _ => "null",
        };
    }

    internal sealed class JsonProperty
    {
        public JsonProperty(string name, TextSpan nameSpan, JsonNode value)
        {
            Name = name;
            NameSpan = nameSpan;
            Value = value;
        }

        public string Name { get; }

        public TextSpan NameSpan { get; }

        public JsonNode Value { get; }
    }

    /// <summary>Thrown by <see cref="JsonReader"/> at the first character that is not valid JSON.</summary>
    internal sealed class JsonSyntaxException : System.Exception
    {
        public JsonSyntaxException(int position, string reason)
            : base(reason)
        {
            Position = position;
            Reason = reason;
        }

        /// <summary>Offset of the offending character in the text.</summary>
        public int Position { get; }

        public string Reason { get; }
    }
}
