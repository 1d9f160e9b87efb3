using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Oie.ThreatIntel.Tests;

/// <summary>Records formatted log lines; one instance serves every category.</summary>
internal sealed class CapturingLogger : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public IReadOnlyList<string> At(LogLevel level) => [.. _lines.Where(l => l.Level == level).Select(l => l.Message)];

    public ILogger<T> For<T>() => new Logger<T>(this);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((logLevel, formatter(state, exception)));

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
