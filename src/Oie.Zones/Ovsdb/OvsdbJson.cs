using System.Text.Json;

namespace Oie.Zones.Ovsdb;

/// <summary>
/// RFC 7047 §5.1 value encodings as they appear in select results: a map is <c>["map",[[k,v],…]]</c>, a set is
/// <c>["set",[…]]</c> or a single atom, a UUID is <c>["uuid","…"]</c>. Anything else throws
/// <see cref="OvsdbFormatException"/>.
/// </summary>
internal static class OvsdbJson
{
    /// <summary>The rows of one operation's result (<c>{"rows":[…]}</c>).</summary>
    public static JsonElement.ArrayEnumerator Rows(JsonElement result, int operation, string table)
    {
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() <= operation)
            throw new OvsdbFormatException($"the transact result has no answer for the select of {table}");
        var answer = result[operation];
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            throw new OvsdbFormatException($"the select of {table} answered without rows");
        return rows.EnumerateArray();
    }

    public static JsonElement Column(JsonElement row, string table, string column)
    {
        if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty(column, out var value))
            throw new OvsdbFormatException($"a {table} row has no {column} column");
        return value;
    }

    /// <summary>A string-to-string map column (external_ids, other_config).</summary>
    public static Dictionary<string, string> StringMap(JsonElement value, string column)
    {
        var pairs = Tagged(value, "map", column);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 ||
                pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
            {
                throw new OvsdbFormatException($"{column} is not a map of strings to strings");
            }

            map[pair[0].GetString()!] = pair[1].GetString()!;
        }
        return map;
    }

    /// <summary>A set-of-UUIDs column (Port.interfaces): <c>["set",[["uuid",…],…]]</c> or one <c>["uuid",…]</c>.</summary>
    public static List<string> UuidSet(JsonElement value, string column)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && Is(value[0], "uuid"))
            return [Uuid(value, column)];
        var members = Tagged(value, "set", column);
        var uuids = new List<string>(members.GetArrayLength());
        foreach (var member in members.EnumerateArray())
            uuids.Add(Uuid(member, column));
        return uuids;
    }

    public static string Uuid(JsonElement value, string column)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || !Is(value[0], "uuid") ||
            value[1].ValueKind != JsonValueKind.String)
        {
            throw new OvsdbFormatException($"{column} is not a [\"uuid\", …] value");
        }

        return value[1].GetString()!;
    }

    private static bool Is(JsonElement value, string text) => value.ValueKind == JsonValueKind.String && value.ValueEquals(text);

    /// <summary>The array of a <c>[tag, [...]]</c> pair.</summary>
    private static JsonElement Tagged(JsonElement value, string tag, string column)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || !Is(value[0], tag) ||
            value[1].ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbFormatException($"{column} is not a [\"{tag}\", […]] value");
        }

        return value[1];
    }
}
