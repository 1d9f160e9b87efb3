using System.Text.Json;

namespace Oie.Zones.Ovsdb;

/// <summary>Writes an RFC 7047 §5.2.2 <c>select</c> of all rows of a table, only the named columns.</summary>
internal static class OvsdbSelect
{
    public static void Write(Utf8JsonWriter writer, string table, params ReadOnlySpan<string> columns)
    {
        writer.WriteStartObject();
        writer.WriteString("op", "select");
        writer.WriteString("table", table);
        writer.WriteStartArray("where");
        writer.WriteEndArray();
        writer.WriteStartArray("columns");
        foreach (var column in columns)
            writer.WriteStringValue(column);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
