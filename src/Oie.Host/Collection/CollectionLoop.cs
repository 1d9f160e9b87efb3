using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Host.Exposition;

namespace Oie.Host.Collection;

/// <summary>
/// Runs a collection cycle at start and then on a fixed schedule: start + k × interval, independent of scrapes and of
/// how long each cycle took (no drift). A cycle that overruns its interval is reported, and the slots it overran are
/// skipped rather than run back to back (never stacked).
/// </summary>
internal sealed partial class CollectionLoop(
    CollectionCycle cycle, TimeSpan interval, TimeProvider time, SelfMetrics self, ILogger<CollectionLoop> logger)
    : BackgroundService
{
    /// <summary>Raised after each cycle, once the wait for the next slot has been scheduled: a clock advanced from
    /// here on (tests use a fake one) wakes the loop at that slot.</summary>
    public event Action<CycleSnapshot?>? WaitingForNextSlot;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var start = time.GetTimestamp();
        var intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var cycleStart = time.GetTimestamp();
                var snapshot = RunOnce();
                var took = time.GetElapsedTime(cycleStart);
                if (took > interval)
                {
                    self.Overruns.Inc();
                    LogOverrun(took.TotalSeconds, interval.TotalSeconds);
                }
                var now = time.GetTimestamp();
                var nextSlot = ((now - start) / intervalTicks + 1) * intervalTicks + start;
                var wait = Task.Delay(TimeSpan.FromSeconds((nextSlot - now) / (double)time.TimestampFrequency), time, stoppingToken);
                WaitingForNextSlot?.Invoke(snapshot);
                await wait;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private CycleSnapshot? RunOnce()
    {
        try
        {
            return cycle.Run();
        }
        catch (Exception ex)
        {
            LogCycleFailed(ex);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "collection cycle failed")]
    private partial void LogCycleFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "collection cycle took {Seconds:F2}s, longer than -collection.interval={Interval}s; skipping the slots it overran")]
    private partial void LogOverrun(double seconds, double interval);
}
