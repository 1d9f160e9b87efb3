using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Oie.Host.Collection;

/// <summary>
/// Runs a collection cycle at start and then every interval on a fixed schedule (PeriodicTimer: no drift, and a cycle
/// that overruns is not stacked on top of the next one). Independent of scrapes.
/// </summary>
internal sealed partial class CollectionLoop(CollectionCycle cycle, TimeSpan interval, TimeProvider time, ILogger<CollectionLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                RunOnce();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void RunOnce()
    {
        try
        {
            cycle.Run();
        }
        catch (Exception ex)
        {
            LogCycleFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "collection cycle failed")]
    private partial void LogCycleFailed(Exception exception);
}
