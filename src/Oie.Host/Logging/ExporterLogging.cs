using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Oie.Host.Logging;

/// <summary>
/// The exporter's logging: a console provider with the logfmt or JSON line formatter, wrapped in the repeat throttle,
/// filtered by the run-time <see cref="LogLevelSwitch"/>.
/// </summary>
internal static class ExporterLogging
{
    public static readonly TimeSpan ThrottleWindow = TimeSpan.FromMinutes(5);

    public static LogLevelSwitch Configure(ILoggingBuilder logging, LogLevel level, LogFormat format, TimeProvider time)
    {
        var levels = new LogLevelSwitch(level);
        logging.Services.AddSingleton(levels);
        logging.ClearProviders();
        // The switch decides; the builder's minimum must not cut below what it may allow.
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter(levels.IsEnabled);
        // Built by hand rather than with AddConsole/AddConsoleFormatter: those bind options from configuration.
        logging.Services.AddSingleton<ILoggerProvider>(_ =>
            new ThrottlingLoggerProvider(CreateConsole(format, levels, time), time, ThrottleWindow));
        return levels;
    }

    public static ConsoleFormatter CreateFormatter(LogFormat format, LogLevelSwitch levels, TimeProvider time) => format switch
    {
        LogFormat.Json => new JsonLineFormatter(levels, time),
        _ => new LogfmtFormatter(levels, time),
    };

    private static ConsoleLoggerProvider CreateConsole(LogFormat format, LogLevelSwitch levels, TimeProvider time)
    {
        var formatter = CreateFormatter(format, levels, time);
        return new ConsoleLoggerProvider(
            new FixedConsoleOptions(new ConsoleLoggerOptions { FormatterName = formatter.Name }), [formatter]);
    }
}
