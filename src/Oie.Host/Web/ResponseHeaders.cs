using Microsoft.AspNetCore.Http;

namespace Oie.Host.Web;

/// <summary><c>http_server_config.headers</c>: set on every response, the 401s and 429s included, as the toolkit does.</summary>
internal sealed class ResponseHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
{
    public Task Invoke(HttpContext context, RequestDelegate next)
    {
        foreach (var (name, value) in headers)
            context.Response.Headers[name] = value;
        return next(context);
    }
}
