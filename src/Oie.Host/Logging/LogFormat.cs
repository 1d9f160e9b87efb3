namespace Oie.Host.Logging;

/// <summary>The -log.format values.</summary>
internal enum LogFormat
{
    Logfmt,
    Json,
}

internal static class LogFormats
{
    public static string? Parse(string text, out LogFormat format)
    {
        (format, var error) = text switch
        {
            "logfmt" => (LogFormat.Logfmt, null),
            "json" => (LogFormat.Json, (string?)null),
            _ => (LogFormat.Logfmt, "must be one of logfmt, json"),
        };
        return error;
    }
}
