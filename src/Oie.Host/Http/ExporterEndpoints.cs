using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Oie.Host.Exposition;

namespace Oie.Host.Http;

/// <summary>
/// GET {telemetry path} serves the last rendered exposition (a copy of bytes: no libvirt call, no process, no parsing);
/// GET / answers with a small page linking to it; <see cref="LogLevelEndpoint.Path"/> is the run-time log level, unless disabled.
/// </summary>
internal static class ExporterEndpoints
{
    public static void Map(WebApplication app, string telemetryPath, ExpositionStore store, ScrapeLimiter limiter, LogLevelEndpoint? logLevel)
    {
        var landingPage = System.Text.Encoding.UTF8.GetBytes(
            $"<html><head><title>OpenStack Instance Exporter</title></head><body><h1>OpenStack Instance Exporter</h1>" +
            $"<p><a href=\"{WebUtility.HtmlEncode(telemetryPath)}\">Metrics</a></p></body></html>\n");
        app.Run(context =>
        {
            var request = context.Request;
            var response = context.Response;
            if (request.Path.Value == telemetryPath)
                return ServeMetrics(context, store, limiter);
            if (request.Path.Value == "/")
            {
                if (!IsGetOrHead(request, response))
                    return Task.CompletedTask;
                response.ContentType = "text/html; charset=utf-8";
                return Write(context, landingPage);
            }
            if (logLevel is not null && request.Path.Value == LogLevelEndpoint.Path)
                return logLevel.Handle(context);
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    private static async Task ServeMetrics(HttpContext context, ExpositionStore store, ScrapeLimiter limiter)
    {
        if (!IsGetOrHead(context.Request, context.Response))
            return;
        if (!limiter.TryEnter())
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync(
                $"too many concurrent scrapes (-web.max-requests={limiter.MaxConcurrent}), try again\n");
            return;
        }
        try
        {
            await WriteExposition(context, store);
        }
        finally
        {
            limiter.Exit();
        }
    }

    private static Task WriteExposition(HttpContext context, ExpositionStore store)
    {
        var exposition = store.Current();
        var response = context.Response;
        response.ContentType = TextFormat.ContentType;
        response.Headers.Vary = "Accept-Encoding";
        if (AcceptsGzip(context.Request.Headers.AcceptEncoding))
        {
            response.Headers.ContentEncoding = "gzip";
            return Write(context, exposition.GzipBody);
        }
        return Write(context, exposition.Body);
    }

    private static Task Write(HttpContext context, byte[] body)
    {
        context.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : WriteInChunks(context.Response.Body, body);
    }

    /// <summary>The most a response hands Kestrel at once.</summary>
    internal const int WriteChunkBytes = 64 * 1024;

    /// <summary>
    /// Kestrel copies what one write hands it into blocks of its memory pool before sending, and the pool keeps them:
    /// a 9 MB plain body written at once left ≈ 16 MB in the process for good (RSS 74 → 92 MiB on a 1,000-instance
    /// node after one plain scrape). Written a chunk at a time, each awaited until Kestrel has taken it, a response
    /// holds about one chunk of the pool whatever the body's size.
    /// </summary>
    internal static async Task WriteInChunks(Stream body, byte[] bytes)
    {
        for (var at = 0; at < bytes.Length; at += WriteChunkBytes)
            await body.WriteAsync(bytes.AsMemory(at, Math.Min(WriteChunkBytes, bytes.Length - at)));
    }

    private static bool IsGetOrHead(HttpRequest request, HttpResponse response)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            return true;
        response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        response.Headers.Allow = "GET, HEAD";
        return false;
    }

    /// <summary>True when the Accept-Encoding header lists gzip (or *) without q=0.</summary>
    internal static bool AcceptsGzip(IEnumerable<string?> headerValues)
    {
        foreach (var header in headerValues)
        {
            if (header is null)
                continue;
            foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var semicolon = part.IndexOf(';');
                var coding = (semicolon < 0 ? part : part[..semicolon]).Trim();
                if (!coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) && coding != "*")
                    continue;
                if (semicolon < 0)
                    return true;
                var parameter = part[(semicolon + 1)..].Replace(" ", "");
                if (!parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase) ||
                    !double.TryParse(parameter.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture, out var q) || q > 0)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
