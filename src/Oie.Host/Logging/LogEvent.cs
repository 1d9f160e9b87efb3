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

    public static string Render(object? value) => value switch
    {
        null => "null",
        string s => s,
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(Render)),
        _ => value.ToString() ?? "",
    };
}
