using Microsoft.Extensions.Logging;

namespace Oie.Host.Logging;

/// <summary>
/// The run-time log level (the seed's error, info, debug), consulted by the logging filter on every call, so a change
/// takes effect at once for every logger. Framework categories (Microsoft.*, System.*) stay at Warning unless debug,
/// where their Information shows too. The switch's own category (a level change, a refused change) and the start notices
/// about the command line always pass at Warning and above: an operator action leaves a trace whatever the level; so do
/// failed logins and plain HTTP on the TLS port (throttled), which an operator must see without turning on info.
/// </summary>
internal sealed class LogLevelSwitch(LogLevel initial)
{
    public const string ChangeCategory = "Oie.Host.Logging.LogLevelSwitch";
    public const string ValidNames = "error, info, debug";

    /// <summary>The category of what is said once at start about the command line (a stray boolean value, a flag
    /// value partly ignored): at Warning and above it always passes, so the operator sees it at the default level.</summary>
    public const string StartCategory = "Oie.Host.CommandLine.ExporterCommandLine";

    /// <summary>Failed logins and plain HTTP on the TLS port (both throttled): security signals, at Warning whatever the level.</summary>
    public const string AuthCategory = "Oie.Host.Web.BasicAuth";
    public const string TlsCategory = "Oie.Host.Web.Tls";

    private volatile int _level = (int)Normalise(initial);

    /// <summary>The minimum level of the exporter's own categories: Error, Information or Debug.</summary>
    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)Normalise(value);
    }

    /// <summary>The seed's number for the level: 0 error, 1 info, 2 debug.</summary>
    public int Number => Level switch
    {
        LogLevel.Debug => 2,
        LogLevel.Information => 1,
        _ => 0,
    };

    public bool IsDebug => Level == LogLevel.Debug;

    public bool IsEnabled(string? category, LogLevel level)
    {
        if (level == LogLevel.None)
            return false;
        var minimum = Level;
        if (category is not null)
        {
            if (level >= LogLevel.Warning && category is ChangeCategory or StartCategory or AuthCategory or TlsCategory)
                return true;
            if (category.StartsWith("Microsoft.", StringComparison.Ordinal) || category.StartsWith("System.", StringComparison.Ordinal))
                return level >= (minimum == LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
        }
        return level >= minimum;
    }

    /// <summary>The seed's level names, in any case (Go lowercased them); null (and Error) for anything else.</summary>
    public static string? Parse(string text, out LogLevel level)
    {
        (level, var error) = text.ToLowerInvariant() switch
        {
            "error" => (LogLevel.Error, null),
            "info" => (LogLevel.Information, null),
            "debug" => (LogLevel.Debug, (string?)null),
            _ => (LogLevel.Error, "must be one of " + ValidNames),
        };
        return error;
    }

    /// <summary>
    /// <c>-log.level</c> as the Go exporter read it (<c>parseLogLevel</c>): a known name in any case, anything else
    /// error. Unlike Go, which fell back silently, what was ignored is said once at start.
    /// </summary>
    public static string? ParseFlag(string text, out LogLevel level, out string? ignored)
    {
        ignored = Parse(text, out level) is null
            ? null
            : $"unknown level \"{text}\" ignored, starting at error (the Go exporter's fallback); want one of {ValidNames}";
        return null;
    }

    public static string Name(LogLevel level) => Normalise(level) switch
    {
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        _ => "error",
    };

    private static LogLevel Normalise(LogLevel level) => level switch
    {
        <= LogLevel.Debug => LogLevel.Debug,
        LogLevel.Information => LogLevel.Information,
        _ => LogLevel.Error,
    };
}
