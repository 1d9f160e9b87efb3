using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oie.Host.Exposition;

namespace Oie.Host.Collection;

/// <summary>
/// Once a minute, drops cached instances whose every sample has expired — the ones left behind while libvirt could not be
/// read — so memory stays bounded. (Instances libvirt no longer lists are dropped by the cycle that notices.)
/// </summary>
internal sealed partial class CacheCleanupService(ExpositionStore store, TimeProvider time, ILogger<CacheCleanupService> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var removed = store.RemoveExpired();
                if (removed > 0)
                    LogRemoved(removed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cache cleanup dropped {Count} expired instances")]
    private partial void LogRemoved(int count);
}
