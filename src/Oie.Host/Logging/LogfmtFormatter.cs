using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Oie.Host.Logging;

/// <summary>
/// One logfmt line per event: <c>ts=… level=… logger=… msg="…" Key=value … err="…"</c>, the keys being the message
/// template's named values. Values are quoted when they hold a space, '=', '"', a control character or are empty.
/// </summary>
internal sealed class LogfmtFormatter(LogLevelSwitch levels, TimeProvider time) : ConsoleFormatter("logfmt")
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "ts", "level", "logger", "msg", "err" };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var line = new StringBuilder(256);
        line.Append("ts=").Append(LogEvent.Timestamp(time));
        line.Append(" level=").Append(LogEvent.LevelName(logEntry.LogLevel));
        Pair(line, "logger", logEntry.Category);
        Pair(line, "msg", LogEvent.Message(logEntry.State, logEntry.Exception, logEntry.Formatter));
        foreach (var (key, value) in LogEvent.Fields(logEntry.State))
            Pair(line, Reserved.Contains(key) ? key + "_" : key, LogEvent.Render(value));
        if (logEntry.Exception is { } exception)
            Pair(line, "err", LogEvent.Error(exception, levels.IsDebug));
        line.Append('\n');
        textWriter.Write(line.ToString());
    }

    private static void Pair(StringBuilder line, string key, string value)
    {
        line.Append(' ');
        AppendKey(line, key);
        line.Append('=');
        AppendValue(line, value);
    }

    private static void AppendKey(StringBuilder line, string key)
    {
        if (key.Length == 0)
        {
            line.Append('_');
            return;
        }
        foreach (var c in key)
            line.Append(c <= ' ' || c is '=' or '"' or '\u007f' ? '_' : c);
    }

    internal static void AppendValue(StringBuilder line, string value)
    {
        if (value.Length > 0 && !NeedsQuotes(value))
        {
            line.Append(value);
            return;
        }
        line.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': line.Append("\\\""); break;
                case '\\': line.Append("\\\\"); break;
                case '\n': line.Append("\\n"); break;
                case '\r': line.Append("\\r"); break;
                case '\t': line.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                        line.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else
                        line.Append(c);
                    break;
            }
        }
        line.Append('"');
    }

    private static bool NeedsQuotes(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c is '=' or '"' or '\\' || char.IsControl(c))
                return true;
        }
        return false;
    }
}
