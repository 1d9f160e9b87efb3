using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Oie.Host.Logging;

/// <summary>Console options fixed at start from the flags: nothing bound from configuration (reflection), nothing to reload.</summary>
internal sealed class FixedConsoleOptions(ConsoleLoggerOptions value) : IOptionsMonitor<ConsoleLoggerOptions>
{
    public ConsoleLoggerOptions CurrentValue => value;

    public ConsoleLoggerOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<ConsoleLoggerOptions, string?> listener) => null;
}
