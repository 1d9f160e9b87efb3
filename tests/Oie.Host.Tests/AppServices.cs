using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oie.Host.Collection;

namespace Oie.Host.Tests;

internal static class AppServices
{
    /// <summary>The app's collection loop (a hosted service).</summary>
    public static CollectionLoop CollectionLoop(this WebApplication app) =>
        app.Services.GetServices<IHostedService>().OfType<CollectionLoop>().Single();
}
