using System.Text.Json;
using Oie.Abstractions;

namespace Oie.Feeds.Spamhaus;

/// <summary>The DROP formats. The form is recognised per line by its first character, so a file in either form (or a
/// mirror that mixes them) parses; anything else on a line is counted invalid.</summary>
internal static class DropList
{
    public static void Parse(ReadOnlySpan<byte> body, FeedEntriesBuilder entries)
    {
        foreach (var line in new FeedLines(body))
        {
            if (line.IsEmpty || line[0] == (byte)';')
                continue;
            var ok = line[0] == (byte)'{'
                ? TryAddJsonLine(line, entries)
                : entries.TryAddAddressOrCidr(FeedText.BeforeComment(line, (byte)';'));
            if (!ok)
                entries.CountInvalid();
        }
    }

    /// <summary>One JSON-lines record: adds its <c>cidr</c>; a <c>{"type":"metadata",…}</c> line is accepted and adds
    /// nothing; anything else (no cidr, not one complete object) is invalid.</summary>
    private static bool TryAddJsonLine(ReadOnlySpan<byte> line, FeedEntriesBuilder entries)
    {
        ReadOnlySpan<byte> cidr = default;
        var hasCidr = false;
        var isMetadata = false;
        var reader = new Utf8JsonReader(line);
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isCidr = reader.ValueTextEquals("cidr"u8);
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    if (isCidr)
                    {
                        cidr = reader.ValueSpan;
                        hasCidr = true;
                    }
                    else if (isType)
                    {
                        isMetadata = reader.ValueTextEquals("metadata"u8);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            while (reader.Read())
            {
                // The rest must be the end of a single complete value.
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false; // not one complete object, or an escape that is not valid UTF-16
        }

        return hasCidr ? entries.TryAddCidr(cidr) : isMetadata;
    }
}
