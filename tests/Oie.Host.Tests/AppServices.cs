using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oie.Host.Collection;
using Oie.ThreatIntel;

namespace Oie.Host.Tests;

internal static class AppServices
{
    /// <summary>The app's collection loop (a hosted service).</summary>
    public static CollectionLoop CollectionLoop(this WebApplication app) =>
        app.Services.GetServices<IHostedService>().OfType<CollectionLoop>().Single();

    /// <summary>Completes once every enabled feed has loaded all its sources (event-driven, no polling).</summary>
    public static Task AllFeedsLoaded(ThreatIntel.ThreatIntel threatIntel)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(FeedStatus _)
        {
            if (threatIntel.Refreshers.All(r => r.Status.AllSourcesLoaded))
                done.TrySetResult();
        }
        foreach (var refresher in threatIntel.Refreshers)
            refresher.StatusUpdated += Check;
        Check(default!);
        return done.Task;
    }
}
