using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Oie.Host.Logging;

/// <summary>What both line formats take from a log call: timestamp, level name, message, named values, error text.</summary>
internal static class LogEvent
{
    public const string OriginalFormat = "{OriginalFormat}";

    public static string Timestamp(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "critical",
    };

    /// <summary>The structured state's named values (a LoggerMessage's or a message template's), minus the template.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Fields<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            yield break;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Key != OriginalFormat)
                yield return values[i];
        }
    }

    /// <summary>Type and message (with inner exceptions); the whole stack trace only when <paramref name="withStack"/>.</summary>
    public static string Error(Exception exception, bool withStack)
    {
        if (withStack)
            return exception.ToString();
        var text = $"{exception.GetType().FullName}: {exception.Message}";
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            text += $" ---> {inner.GetType().FullName}: {inner.Message}";
        return text;
    }

    /// <summary>
    /// The event's message. A message with a duration in it is rendered from its template here, so the duration reads as
    /// Go prints one (<c>1m20s</c>, <c>150ms</c>) rather than as .NET's <c>00:01:20</c>; any other message is the
    /// logger's own rendering.
    /// </summary>
    public static string Message<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            return formatter(state, exception);
        string? template = null;
        var hasDuration = false;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Key == OriginalFormat)
                template = values[i].Value as string;
            else if (values[i].Value is TimeSpan)
                hasDuration = true;
        }
        return hasDuration && template is not null ? RenderTemplate(template, values) : formatter(state, exception);
    }

    /// <summary>A message template with each <c>{Name}</c> (or <c>{Name:format}</c>, <c>{Name,align}</c>) replaced by
    /// <see cref="Render"/> of its value; <c>{{</c> and <c>}}</c> are literal braces.</summary>
    internal static string RenderTemplate(string template, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        var text = new System.Text.StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }
            var end = c == '{' ? template.IndexOf('}', i + 1) : -1;
            if (end < 0)
            {
                text.Append(c);
                continue;
            }
            var hole = template.AsSpan(i + 1, end - i - 1);
            var cut = hole.IndexOfAny(',', ':');
            var name = (cut < 0 ? hole : hole[..cut]).ToString();
            var found = false;
            for (var v = 0; v < values.Count && !found; v++)
            {
                if (values[v].Key == name)
                {
                    text.Append(Render(values[v].Value));
                    found = true;
                }
            }
            if (!found)
                text.Append(template, i, end - i + 1);
            i = end;
        }
        return text.ToString();
    }

    public static string Render(object? value) => value switch
    {
        null => "null",
        string s => s,
        TimeSpan t => Oie.Abstractions.GoDuration.Format(t),
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(Render)),
        _ => value.ToString() ?? "",
    };
}
