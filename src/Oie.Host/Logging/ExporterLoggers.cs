using Microsoft.Extensions.Logging;

namespace Oie.Host.Logging;

/// <summary>
/// The exporter's one logger factory and its run-time level switch, made before anything else so that the plugins
/// get the same loggers as the host (their <see cref="Abstractions.PluginContext"/> is made before the web app). The
/// app built with them owns them: disposing it flushes and disposes the console.
/// </summary>
internal sealed class ExporterLoggers : IDisposable
{
    private ExporterLoggers(ILoggerFactory factory, LogLevelSwitch levels)
    {
        Factory = factory;
        Levels = levels;
    }

    public ILoggerFactory Factory { get; }

    /// <summary><c>-log.level</c>, changeable at run time (<c>-web.debug-log-level.enable</c>).</summary>
    public LogLevelSwitch Levels { get; }

    /// <summary>The console logging <see cref="ExporterLogging.Configure"/> describes, at <paramref name="level"/>.</summary>
    public static ExporterLoggers Create(LogLevel level, LogFormat format, TimeProvider time)
    {
        LogLevelSwitch? levels = null;
        var factory = LoggerFactory.Create(logging => levels = ExporterLogging.Configure(logging, level, format, time));
        return new ExporterLoggers(factory, levels!);
    }

    public void Dispose() => Factory.Dispose();
}
