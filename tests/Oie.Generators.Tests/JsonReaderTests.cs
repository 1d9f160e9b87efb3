using Oie.Generators.Json;

namespace Oie.Generators.Tests;

/// <summary>The generator's strict JSON reader on its own.</summary>
public sealed class JsonReaderTests
{
    [Fact]
    public void Reads_values_with_their_spans()
    {
        const string text = "{ \"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\u0041\\n\\\"\" }";

        var root = JsonReader.Parse(text);

        Assert.Equal(JsonKind.Object, root.Kind);
        Assert.Equal(["a", "b"], root.Properties.Select(p => p.Name));
        var items = root.Properties[0].Value.Items;
        Assert.Equal([JsonKind.Number, JsonKind.Number, JsonKind.True, JsonKind.False, JsonKind.Null], items.Select(i => i.Kind));
        Assert.Equal("-2.5e3", items[1].Text);
        Assert.Equal("xA\n\"", root.Properties[1].Value.Text);
        var b = root.Properties[1].Value.Span;
        Assert.Equal("\"x\\u0041\\n\\\"\"", text.Substring(b.Start, b.Length));
    }

    [Theory]
    [InlineData("\uFEFF{}")]
    [InlineData(" \t\r\n[] \n")]
    [InlineData("\"\"")]
    [InlineData("0")]
    public void Accepts_valid_json(string text) => JsonReader.Parse(text);

    [Theory]
    [InlineData("[1,]", 3)]
    [InlineData("[.5]", 1)]
    [InlineData("[1.]", 3)]
    [InlineData("[1e]", 3)]
    [InlineData("[\"\t\"]", 2)]
    [InlineData("[\"\\u12G4\"]", 3)]
    [InlineData("[nul]", 1)]
    [InlineData("[truex]", 1)]
    [InlineData("{} {}", 3)]
    public void Rejects_invalid_json_at_the_offending_character(string text, int position)
    {
        var e = Assert.Throws<JsonSyntaxException>(() => JsonReader.Parse(text));

        Assert.Equal(position, e.Position);
    }

    [Fact]
    public void Rejects_deep_nesting_instead_of_overflowing_the_stack()
    {
        var e = Assert.Throws<JsonSyntaxException>(() => JsonReader.Parse(new string('[', 10_000)));

        Assert.Contains("nesting deeper than 64 levels", e.Reason);
    }
}
