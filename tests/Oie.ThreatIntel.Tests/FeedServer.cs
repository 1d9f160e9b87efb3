using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Oie.ThreatIntel.Tests;

/// <summary>A real HTTP server on 127.0.0.1 (Kestrel, free port) whose routes a test sets and changes at will.</summary>
internal sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new();
    private readonly ConcurrentQueue<(string Path, string? IfNoneMatch, string? IfModifiedSince)> _requests = new();

    private FeedServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<(string Path, string? IfNoneMatch, string? IfModifiedSince)> Requests => [.. _requests];

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var server = new FeedServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address + "/");
        return server;
    }

    public Uri Url(string path) => new(BaseUri, path.TrimStart('/'));

    public void Route(string path, RequestDelegate handler) => _routes["/" + path.TrimStart('/')] = handler;

    private Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        _requests.Enqueue((context.Request.Path, headers.IfNoneMatch.FirstOrDefault(), headers.IfModifiedSince.FirstOrDefault()));
        if (_routes.TryGetValue(context.Request.Path, out var handler))
            return handler(context);
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Serves <paramref name="body"/>; answers 304 to a matching If-None-Match or a recent-enough If-Modified-Since.</summary>
    public static RequestDelegate Body(string body, string? etag = null, DateTimeOffset? lastModified = null, string contentType = "text/plain") =>
        async context =>
        {
            var request = context.Request.GetTypedHeaders();
            if (etag is not null && request.IfNoneMatch.Any(t => t.Tag == etag) ||
                lastModified is not null && request.IfModifiedSince >= lastModified)
            {
                context.Response.StatusCode = 304;
                return;
            }
            if (etag is not null)
                context.Response.Headers.ETag = etag;
            if (lastModified is not null)
                context.Response.GetTypedHeaders().LastModified = lastModified;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        };

    public static RequestDelegate Status(int status) => async context =>
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync("<html><body>oops</body></html>");
    };

    /// <summary>Announces <paramref name="body"/>'s full length, sends half of it and drops the connection.</summary>
    public static RequestDelegate Truncated(string body) => async context =>
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await context.Response.Body.FlushAsync();
        context.Abort();
    };

    /// <summary><paramref name="bytes"/> bytes of list, streamed in chunks without a Content-Length.</summary>
    public static RequestDelegate Chunked(int bytes) => async context =>
    {
        var line = Encoding.UTF8.GetBytes("10.0.0.1\n");
        for (var sent = 0; sent < bytes && !context.RequestAborted.IsCancellationRequested; sent += line.Length)
            await context.Response.Body.WriteAsync(line, context.RequestAborted);
    };

    /// <summary>Never answers (or, with <paramref name="afterHeaders"/>, sends the headers and a line, then stalls).</summary>
    public static RequestDelegate Stall(bool afterHeaders = false) => async context =>
    {
        if (afterHeaders)
        {
            await context.Response.WriteAsync("10.0.0.1\n");
            await context.Response.Body.FlushAsync();
        }
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    };
}
