using System.Text.Json.Nodes;

namespace Oie.Zones.Tests.Infra;

/// <summary>
/// Mutations that keep JSON valid but break the shapes a decoder expects: a value replaced by another kind of value
/// (a string, a number out of range, null, an empty array or object, a copy of some other value), an array element or
/// object member removed, or two array elements swapped. Text mutations mostly yield invalid JSON; these reach the
/// decoder.
/// </summary>
internal static class JsonTreeMutations
{
    private static readonly Func<Random, JsonNode?>[] Replacements =
    [
        _ => null,
        _ => JsonValue.Create("uuid"),
        _ => JsonValue.Create("map"),
        _ => JsonValue.Create("set"),
        _ => JsonValue.Create("ct-zone-aaaaaaaa-0000-4000-8000-00000000000a"),
        _ => JsonValue.Create("70000"),
        _ => JsonValue.Create(""),
        r => JsonValue.Create(r.Next(-2, 70000)),
        _ => JsonValue.Create(1e300),
        _ => JsonValue.Create(true),
        _ => new JsonArray(),
        _ => new JsonObject(),
        _ => new JsonArray(JsonValue.Create("uuid"), JsonValue.Create(5)),
        _ => new JsonArray(JsonValue.Create("map"), new JsonArray(new JsonArray(JsonValue.Create("tag")))),
    ];

    public static string Mutate(string json, Random random)
    {
        var root = JsonNode.Parse(json)!;
        for (var count = random.Next(1, 4); count > 0; count--)
        {
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            var target = nodes[random.Next(nodes.Count)];
            if (target.Parent is not { } parent)
                continue;
            var replacement = random.Next(4) == 0 ? nodes[random.Next(nodes.Count)].DeepClone() : Replacements[random.Next(Replacements.Length)](random);
            switch (parent, random.Next(3))
            {
                case (JsonArray array, 0):
                    array.RemoveAt(array.IndexOf(target));
                    break;
                case (JsonArray array, 1) when array.Count > 1:
                    var (i, j) = (array.IndexOf(target), random.Next(array.Count));
                    var (first, second) = (array[i]?.DeepClone(), array[j]?.DeepClone());
                    array[i] = second;
                    array[j] = first;
                    break;
                case (JsonArray array, _):
                    array[array.IndexOf(target)] = replacement;
                    break;
                case (JsonObject obj, 0):
                    obj.Remove(target.GetPropertyName());
                    break;
                case (JsonObject obj, _):
                    obj[target.GetPropertyName()] = replacement;
                    break;
            }
        }
        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                        Collect(item, nodes);
                }
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    if (value is not null)
                        Collect(value, nodes);
                }
                break;
        }
    }
}
