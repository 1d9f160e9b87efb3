using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Oie.Host.Logging;

/// <summary>
/// One JSON object per line with the same fields as the logfmt lines (<c>ts, level, logger, msg</c>, the named values,
/// <c>err</c>); numbers and booleans stay JSON numbers and booleans. Written with Utf8JsonWriter: no reflection.
/// </summary>
internal sealed class JsonLineFormatter(LogLevelSwitch levels, TimeProvider time) : ConsoleFormatter("json")
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "ts", "level", "logger", "msg", "err" };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("ts", LogEvent.Timestamp(time));
            json.WriteString("level", LogEvent.LevelName(logEntry.LogLevel));
            json.WriteString("logger", logEntry.Category);
            json.WriteString("msg", LogEvent.Message(logEntry.State, logEntry.Exception, logEntry.Formatter));
            var written = new HashSet<string>(Reserved, StringComparer.Ordinal);
            foreach (var (key, value) in LogEvent.Fields(logEntry.State))
            {
                var name = key;
                while (!written.Add(name))
                    name += "_";
                json.WritePropertyName(name);
                WriteValue(json, value);
            }
            if (logEntry.Exception is { } exception)
                json.WriteString("err", LogEvent.Error(exception, levels.IsDebug));
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int or long or short or sbyte or byte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case decimal m: json.WriteNumberValue(m); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            default: json.WriteStringValue(LogEvent.Render(value)); break;
        }
    }
}
