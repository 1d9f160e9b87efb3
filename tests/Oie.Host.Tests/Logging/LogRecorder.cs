using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Oie.Host.Logging;

namespace Oie.Host.Tests.Logging;

/// <summary>One event as a provider received it: level, category, rendered message and the state's named values.</summary>
internal sealed record LoggedEvent(LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, object?> Fields, string Line);

/// <summary>A provider that keeps every event it is handed, each also formatted as a logfmt line.</summary>
internal sealed class LogRecorder(TimeProvider? time = null) : ILoggerProvider
{
    private readonly List<LoggedEvent> _events = [];
    private readonly ConsoleFormatter _formatter = new LogfmtFormatter(new LogLevelSwitch(LogLevel.Error), time ?? TimeProvider.System);

    public IReadOnlyList<LoggedEvent> Events
    {
        get
        {
            lock (_events)
                return [.. _events];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(LogEvent.Fields(state));
            var line = new StringWriter();
            owner._formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), null, line);
            lock (owner._events)
                owner._events.Add(new LoggedEvent(logLevel, category, formatter(state, exception), fields, line.ToString()));
        }
    }
}

/// <summary>A logger that formats each event with a console formatter into a writer, as the console provider does.</summary>
internal sealed class FormattingLogger(string category, ConsoleFormatter formatter, TextWriter output) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter1) =>
        formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter1), null, output);
}
