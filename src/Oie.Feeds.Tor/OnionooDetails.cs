using System.Text.Json;
using Oie.Abstractions;

namespace Oie.Feeds.Tor;

/// <summary>Reads the relay addresses of an Onionoo details document with <see cref="Utf8JsonReader"/> (no reflection,
/// no strings): first a pass that only checks the document is complete, then one that adds the addresses.</summary>
internal static class OnionooDetails
{
    /// <summary>Longer escaped strings cannot hold an address and a port.</summary>
    private const int MaxEscapedLength = 256;

    public static void Parse(ReadOnlySpan<byte> body, FeedEntriesBuilder entries)
    {
        body = FeedText.SkipByteOrderMark(body);
        if (DocumentProblem(body) is { } problem)
        {
            entries.Reject(problem);
            return;
        }

        var reader = new Utf8JsonReader(body);
        reader.Read();
        var sawRelays = false;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRelays = NameIs(ref reader, "relays"u8);
                reader.Read();
                if (isRelays && reader.TokenType == JsonTokenType.StartArray)
                {
                    sawRelays = true;
                    ReadRelays(ref reader, entries);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        if (!sawRelays)
            entries.Reject("JSON without a \"relays\" array: not an Onionoo details document (check -tor.url)");
    }

    /// <summary>Why the body is not one complete JSON document, in an operator's words; null when it is.</summary>
    private static string? DocumentProblem(ReadOnlySpan<byte> body)
    {
        var text = body.Trim(" \t\r\n"u8);
        if (text.IsEmpty)
            return "empty document";
        if (text[0] == (byte)'<')
            return "an HTML or XML page, not an Onionoo details document (an error, login or captive-portal page served instead?)";
        // Not the final block: at the end of the data the reader stops inside an unfinished document instead of failing,
        // which tells a truncated download from a malformed one.
        var reader = new Utf8JsonReader(text, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            return $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
        }
        var complete = reader.BytesConsumed == text.Length && reader.CurrentDepth == 0 && reader.TokenType is
            JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.String or JsonTokenType.True or
            JsonTokenType.False or JsonTokenType.Null;
        return complete ? null : $"the JSON document ends after {body.Length} bytes, before it is complete (a truncated download?)";
    }

    private static void ReadRelays(ref Utf8JsonReader reader, FeedEntriesBuilder entries)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                entries.CountInvalid();
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAddresses = NameIs(ref reader, "or_addresses"u8) || NameIs(ref reader, "exit_addresses"u8);
                reader.Read();
                if (isAddresses && reader.TokenType == JsonTokenType.StartArray)
                    ReadAddresses(ref reader, entries);
                else
                    reader.Skip();
            }
        }
    }

    private static void ReadAddresses(ref Utf8JsonReader reader, FeedEntriesBuilder entries)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                entries.CountInvalid();
                reader.Skip();
                continue;
            }

            if (reader.ValueIsEscaped ? !TryAddEscaped(ref reader, entries) : !TryAdd(reader.ValueSpan, entries))
                entries.CountInvalid();
        }
    }

    /// <summary>ValueTextEquals, false instead of an exception for an escaped name that is not valid UTF-16.</summary>
    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.ValueIsEscaped)
            return reader.ValueSpan.SequenceEqual(name);
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryAddEscaped(ref Utf8JsonReader reader, FeedEntriesBuilder entries)
    {
        if (reader.ValueSpan.Length > MaxEscapedLength)
            return false;
        Span<byte> buffer = stackalloc byte[MaxEscapedLength];
        try
        {
            var length = reader.CopyString(buffer);
            return TryAdd(buffer[..length], entries);
        }
        catch (InvalidOperationException)
        {
            return false; // an escape that is not valid UTF-16
        }
    }

    private static bool TryAdd(ReadOnlySpan<byte> text, FeedEntriesBuilder entries)
    {
        if (!RelayAddress.TryParse(text, out var address))
            return false;
        entries.Add(address);
        return true;
    }
}
