using Microsoft.AspNetCore.Http;

namespace Oie.Host.Web;

/// <summary>
/// <c>rate_limit</c>: the toolkit's token bucket (Go's rate.Limiter): up to <c>burst</c> requests at once, refilled by one
/// every <c>interval</c>; a request that finds the bucket empty gets 429 Too Many Requests (before authentication). As in
/// Go, a burst of 0 admits nothing.
/// </summary>
internal sealed class RateLimit(RateLimitConfig config, TimeProvider time)
{
    private readonly object _lock = new();
    private double _tokens = config.Burst;
    private long _updated = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(config.Burst, _tokens + time.GetElapsedTime(_updated, now) / config.Interval);
            _updated = now;
            if (_tokens < 1)
                return false;
            _tokens--;
            return true;
        }
    }

    public Task Invoke(HttpContext context, RequestDelegate next)
    {
        if (TryTake())
            return next(context);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Too Many Requests\n");
    }
}
