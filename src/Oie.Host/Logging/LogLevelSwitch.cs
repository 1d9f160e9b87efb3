using Microsoft.Extensions.Logging;

namespace Oie.Host.Logging;

/// <summary>
/// The run-time log level (the seed's error, info, debug), consulted by the logging filter on every call, so a change
/// takes effect at once for every logger. Framework categories (Microsoft.*, System.*) stay at Warning unless debug,
/// where their Information shows too. The switch's own category (a level change, a refused change) always passes at
/// Warning and above: an operator action leaves a trace whatever the level.
/// </summary>
internal sealed class LogLevelSwitch(LogLevel initial)
{
    public const string ChangeCategory = "Oie.Host.Logging.LogLevelSwitch";
    public const string ValidNames = "error, info, debug";

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
            if (level >= LogLevel.Warning && category == ChangeCategory)
                return true;
            if (category.StartsWith("Microsoft.", StringComparison.Ordinal) || category.StartsWith("System.", StringComparison.Ordinal))
                return level >= (minimum == LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
        }
        return level >= minimum;
    }

    /// <summary>The seed's level names; null (and Error) for anything else.</summary>
    public static string? Parse(string text, out LogLevel level)
    {
        (level, var error) = text switch
        {
            "error" => (LogLevel.Error, null),
            "info" => (LogLevel.Information, null),
            "debug" => (LogLevel.Debug, (string?)null),
            _ => (LogLevel.Error, "must be one of " + ValidNames),
        };
        return error;
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
