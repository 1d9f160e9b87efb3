using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Conntrack.Reading;
using Oie.Host.Collection;
using Oie.Host.CommandLine;
using Oie.Host.Exposition;
using Oie.Host.Http;
using Oie.Host.Logging;
using Oie.Host.Web;
using Oie.Libvirt;
using Oie.ThreatIntel;

namespace Oie.Host;

/// <summary>
/// Builds the exporter's object graph around the plugins the composition root (Program.cs) created: libvirt source,
/// conntrack stage, caches, loop, cleanup and HTTP. It creates no plugin itself, so each exists once, made with the one
/// <see cref="PluginContext"/>, and a plugin's refusal of its flags was already a usage error.
/// </summary>
internal static class ExporterApp
{
    /// <param name="commandLine">The parsed flags.</param>
    /// <param name="plugins">Every switched-on plugin, created from <paramref name="commandLine"/>.</param>
    /// <param name="loggers">The logging the plugins were given; the app logs through it too and disposes it.</param>
    /// <param name="time">The clock of the loop, the caches and the plugins' context.</param>
    public static WebApplication Build(ExporterCommandLine commandLine, ExporterPlugins plugins, ExporterLoggers loggers, TimeProvider time)
    {
        var flags = commandLine.Host;
        var web = WebConfigLoader.Load(flags.WebConfigFile.Value);
        // Empty, not slim: the slim builder reads appsettings*.json and ASPNETCORE_/DOTNET_ variables and watches its
        // content root (the working directory: / under systemd) with one inotify watch per directory, recursively
        // (≈ 42,000 watches and 8 s before the first scrape on a test machine). Flags are the only configuration.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        // The one logger factory, the plugins' too; registered through a factory so that the app disposes it.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_ => loggers.Factory);
        builder.Services.AddSingleton(loggers.Levels);
        var levels = loggers.Levels;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            Listen(kestrel, flags.ListenAddress.Value, listen => KestrelTls.Apply(listen, web));
        });

        var services = builder.Services;
        // The TimeProvider is handed to our services explicitly, not registered, so Kestrel keeps the system clock.
        services.AddSingleton(_ => new SelfMetrics([.. plugins.Collectors.Select(c => c.Name)]));
        services.AddSingleton(_ => new ScrapeLimiter(flags.MaxRequests.Value));
        if (plugins.Feeds.Count > 0)
            AddThreatIntel(services, plugins.Feeds, commandLine.Feeds!, time);
        services.AddSingleton(sp => WithThreatContacts(plugins.Collectors, commandLine, sp));
        services.AddSingleton(sp => CreateConntrackStage(commandLine, sp, time));
        services.AddSingleton(sp => new FamilyTable(sp.GetRequiredService<IReadOnlyList<NamedCollector>>().Select(c => c.Collector.Families)));
        services.AddSingleton(sp => new ExpositionStore(
            sp.GetRequiredService<FamilyTable>(),
            new CacheTtls(flags.DynamicCacheExpiration.Value, flags.StaticCacheExpiration.Value, flags.CollectionInterval.Value),
            time,
            sp.GetRequiredService<SelfMetrics>().WriteTo));
        var libvirtTimeout = flags.ResolveLibvirtTimeout();
        // libvirt is asked only for what an enabled collector reads beyond the seed's counters (none: the seed's calls).
        services.AddSingleton(sp => new LibvirtInstanceSource(
            flags.LibvirtUri.Value, sp.GetRequiredService<ILogger<LibvirtInstanceSource>>(), time,
            sp.GetRequiredService<IReadOnlyList<NamedCollector>>().Select(c => c.Collector).OfType<IInstanceReadingsConsumer>()
                .Aggregate(InstanceReadings.None, (all, c) => all | c.Readings),
            LibvirtInstanceSource.JobsBudgetFor(libvirtTimeout)));
        services.AddSingleton(sp => new CollectionCycle(
            new LibvirtReadDeadline(sp.GetRequiredService<LibvirtInstanceSource>(), libvirtTimeout, time),
            sp.GetRequiredService<ConntrackStageSlot>().Stage,
            sp.GetRequiredService<IReadOnlyList<NamedCollector>>(),
            sp.GetRequiredService<FamilyTable>(), sp.GetRequiredService<ExpositionStore>(), sp.GetRequiredService<SelfMetrics>(),
            time, sp.GetRequiredService<ILogger<CollectionCycle>>()));
        services.AddHostedService(sp => new CollectionLoop(
            sp.GetRequiredService<CollectionCycle>(), flags.CollectionInterval.Value, time, sp.GetRequiredService<SelfMetrics>(),
            sp.GetRequiredService<ILogger<CollectionLoop>>()));
        services.AddHostedService(sp => new CacheCleanupService(
            sp.GetRequiredService<ExpositionStore>(), time, sp.GetRequiredService<ILogger<CacheCleanupService>>()));

        var app = builder.Build();
        LogNotices(commandLine.Notices, loggers.Factory.CreateLogger(LogLevelSwitch.StartCategory));
        LogIgnoredWebConfig(web.Config, flags.WebConfigFile.Value, loggers.Factory.CreateLogger(LogLevelSwitch.StartCategory));
        // The toolkit's order: headers on every answer, then the rate limit, then authentication.
        if (web.Config.Http.Headers.Count > 0)
            app.Use(new ResponseHeaders(web.Config.Http.Headers).Invoke);
        if (web.Config.RateLimit.Enabled)
            app.Use(new RateLimit(web.Config.RateLimit, TimeProvider.System).Invoke);
        if (web.Config.BasicAuthUsers.Count > 0)
        {
            var self = app.Services.GetRequiredService<SelfMetrics>();
            app.Use(new BasicAuth(web.Config.BasicAuthUsers, self.AuthFailures, loggers.Factory.CreateLogger(LogLevelSwitch.AuthCategory)).Invoke);
        }
        var logLevel = flags.DebugLogLevelEnabled.Value
            ? new LogLevelEndpoint(levels, app.Services.GetRequiredService<ILogger<LogLevelSwitch>>())
            : null;
        ExporterEndpoints.Map(app, flags.TelemetryPath.Value, app.Services.GetRequiredService<ExpositionStore>(),
            app.Services.GetRequiredService<ScrapeLimiter>(), logLevel);
        return app;
    }

    /// <summary>Once at start: what the command line had that Go's exporter silently dropped or misread.</summary>
    private static void LogNotices(IReadOnlyList<FlagNotice> notices, ILogger logger)
    {
        foreach (var notice in notices)
        {
#pragma warning disable CA1848, CA2254 // once at start; the message is the whole event
            logger.Log(notice.Level == FlagNoticeLevel.Error ? LogLevel.Error : LogLevel.Warning,
                notice.Message.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
#pragma warning restore CA1848, CA2254
        }
    }

    /// <summary>Once at start, at error level: what the web config asks that cannot take effect here, and why.</summary>
    private static void LogIgnoredWebConfig(WebConfig config, string path, ILogger logger)
    {
        foreach (var ignored in config.Tls?.Ignored ?? [])
        {
#pragma warning disable CA1848 // once at start
            logger.LogError("-web.config.file {File}: {Ignored}", path, ignored);
#pragma warning restore CA1848
        }
    }

    /// <summary>The name the threat-contact stage runs under (collector metrics, logs): it is not a plugin.</summary>
    private const string ContactsCollectorName = "threat_contacts";

    /// <summary>The plugins' collectors, then the threat-contact stage when a feed is enabled.</summary>
    private static IReadOnlyList<NamedCollector> WithThreatContacts(
        IReadOnlyList<NamedCollector> plugins, ExporterCommandLine commandLine, IServiceProvider services) =>
        services.GetService<ThreatIntel.ThreatIntel>() is { } threatIntel
            ? [.. plugins, new NamedCollector(ContactsCollectorName, threatIntel.CreateContacts(countFlows: commandLine.Feeds!.Flows.Value))]
            : plugins;

    /// <summary>The conntrack table (and zone map) are read when a collector uses them: the conntrack collector, or
    /// the threat contacts, which read the table even with -collector.conntrack=false.</summary>
    private static ConntrackStageSlot CreateConntrackStage(ExporterCommandLine commandLine, IServiceProvider services, TimeProvider time)
    {
        var collectors = services.GetRequiredService<IReadOnlyList<NamedCollector>>();
        if (!collectors.Any(c => c.Collector is IConntrackConsumer))
            return new ConntrackStageSlot(null);
        var interval = commandLine.Host.CollectionInterval.Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var self = services.GetRequiredService<SelfMetrics>();
        var reader = new ConntrackReader(commandLine.ConntrackSource.Resolve(interval), loggers.CreateLogger<ConntrackReader>());
        var zoneSource = commandLine.Zones.CreateSource(time);
        var zones = zoneSource is null ? null
            : new ZoneStage(zoneSource, ZoneStage.DeadlineFor(interval), self, loggers.CreateLogger<ZoneStage>());
        var recordContacts = collectors.Any(c => c.Collector is ThreatContacts);
        return new ConntrackStageSlot(new ConntrackStage(reader, zones, recordContacts, self, time, loggers.CreateLogger<ConntrackStage>()));
    }

    /// <summary>The cycle's conntrack stage, or none; disposed with the app (the zone map keeps an OVSDB connection).</summary>
    private sealed record ConntrackStageSlot(ConntrackStage? Stage) : IDisposable
    {
        public void Dispose() => Stage?.Dispose();
    }

    /// <summary>The enabled feeds' refreshers (hosted services) and the shared matcher the conntrack pass consults.</summary>
    private static void AddThreatIntel(IServiceCollection services, IReadOnlyList<IThreatFeed> feeds, ThreatIntelFlags flags, TimeProvider time)
    {
        services.AddSingleton(sp => new ThreatIntel.ThreatIntel(feeds, flags.CacheDir.Value is { Length: > 0 } dir ? dir : null,
            sp.GetRequiredService<SelfMetrics>().Registry, sp.GetRequiredService<ILoggerFactory>(), time, flags.FetchOptions));
        for (var i = 0; i < feeds.Count; i++)
        {
            var bit = i;
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ThreatIntel.ThreatIntel>().Refreshers[bit]);
        }
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, ListenAddress address,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> configure)
    {
        if (address.Host.Length == 0)
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
        else if (address.Host == "localhost")
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IPAddress.TryParse(address.Host, out var ip))
        {
            kestrel.Listen(ip, address.Port, configure);
        }
        else
        {
            foreach (var resolved in Dns.GetHostAddresses(address.Host))
                kestrel.Listen(resolved, address.Port, configure);
        }
    }
}
