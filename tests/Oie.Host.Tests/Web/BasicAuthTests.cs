using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Oie.Host.Http;
using Oie.Host.Logging;
using Oie.Host.Web;

namespace Oie.Host.Tests.Web;

/// <summary>basic_auth_users with real bcrypt hashes: one made here by BCrypt.Net, one made by Apache's htpasswd.</summary>
public sealed class BasicAuthTests : IAsyncLifetime
{
    /// <summary><c>htpasswd -nbB -C 5 bob 'correct horse'</c> (apache2-utils): the format the exporter-toolkit documents.</summary>
    private const string HtpasswdHash = "$2y$05$PYPQ46ScJBii3w.eADpTEOfarQ6iOieIHIlQNxGqEGXKEiT9ewrna";

    private readonly TestPki _pki = new();
    private WebApp _app = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public async Task InitializeAsync()
    {
        var alice = BCrypt.Net.BCrypt.HashPassword("s3cret", 4);
        _app = await WebApp.StartAsync(_pki.WriteConfig($"basic_auth_users:\n  alice: {alice}\n  bob: '{HtpasswdHash}'\n"));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _http.Dispose();
        _pki.Dispose();
    }

    private async Task<HttpResponseMessage> Get(string path, string? user = null, string? password = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _app.BaseUrl + path);
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await _http.SendAsync(request);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/")]
    [InlineData("/debug/log-level")]
    public async Task The_right_password_is_served_and_wrong_or_none_get_401_with_a_challenge(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await Get(path, "alice", "s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(path, "bob", "correct horse")).StatusCode);
        foreach (var refused in new[] { await Get(path), await Get(path, "alice", "wrong"), await Get(path, "bob", "s3cret"),
                     await Get(path, "carol", "s3cret") })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Basic realm=\"openstack_instance_exporter\"", refused.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_malformed_authorization_header_gets_401()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _app.BaseUrl + "/metrics");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(request)).StatusCode);
    }

    /// <summary>Issue 15: failed logins were neither logged nor counted.</summary>
    [Fact]
    public async Task Failed_logins_are_counted_and_logged_and_a_request_without_credentials_is_not()
    {
        var self = new Oie.Host.Exposition.SelfMetrics([]);
        var recorder = new Oie.Host.Tests.Logging.LogRecorder();
        var auth = new BasicAuth(new Dictionary<string, string> { ["bob"] = HtpasswdHash }, self.AuthFailures, recorder.CreateLogger("Oie.Host.Web.BasicAuth"));

        async Task<int> Send(string? authorization)
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
            context.Response.Body = new MemoryStream();
            if (authorization is not null)
                context.Request.Headers.Authorization = authorization;
            await auth.Invoke(context, _ => Task.CompletedTask);
            return context.Response.StatusCode;
        }

        string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
        Assert.Equal(401, await Send(null));
        Assert.Equal(0, self.AuthFailures.Value);
        Assert.Equal(401, await Send(Basic("bob:wrong")));
        Assert.Equal(401, await Send(Basic("mallory:guess")));
        Assert.Equal(401, await Send("Basic !!!"));
        Assert.Equal(200, await Send(Basic("bob:correct horse")));
        Assert.Equal(3, self.AuthFailures.Value);
        Assert.Equal(["basic auth failed for user bob from 192.0.2.7", "basic auth failed for user mallory from 192.0.2.7",
            "basic auth failed for user (malformed Authorization header) from 192.0.2.7"], recorder.Events.Select(e => e.Message));
        Assert.All(recorder.Events, e => Assert.Equal(LogLevel.Warning, e.Level));
    }

    [Fact]
    public async Task The_failure_counter_is_exported_only_with_basic_auth()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("/metrics", "alice", "wrong")).StatusCode);
        var metrics = await (await Get("/metrics", "alice", "s3cret")).Content.ReadAsStringAsync();
        // Self metrics are rendered with each cycle: the family is there, the count as of the last cycle.
        Assert.Matches(@"\noie_exporter_http_auth_failures_total [01]\n", metrics);
        var plain = new Oie.Host.Exposition.SelfMetrics([]);
        using var stream = new MemoryStream();
        plain.WriteTo(stream);
        Assert.DoesNotContain("oie_exporter_http_auth_failures_total", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Successful_checks_are_cached_and_failures_are_not()
    {
        var auth = new BasicAuth(new Dictionary<string, string> { ["bob"] = HtpasswdHash });
        Assert.True(auth.Check("bob", "correct horse"));
        Assert.True(auth.Check("bob", "correct horse"));
        Assert.Equal(1, auth.Verifications);
        Assert.False(auth.Check("bob", "wrong"));
        Assert.False(auth.Check("bob", "wrong"));
        Assert.Equal(3, auth.Verifications);
        Assert.False(auth.Check("nobody", "correct horse"));
        Assert.Equal(3, auth.Verifications);
    }

    [Fact]
    public async Task An_authenticated_user_may_change_the_log_level_from_a_non_loopback_address()
    {
        var levels = new LogLevelSwitch(LogLevel.Error);
        var endpoint = new LogLevelEndpoint(levels, NullLogger<LogLevelSwitch>.Instance);
        var auth = new BasicAuth(new Dictionary<string, string> { ["bob"] = HtpasswdHash });

        HttpContext Request(string? authorization)
        {
            var context = new DefaultHttpContext();
            context.Request.Method = "POST";
            context.Request.QueryString = new QueryString("?level=debug");
            context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
            context.Connection.LocalIpAddress = IPAddress.Parse("192.0.2.1");
            context.Connection.LocalPort = 9120;
            context.Request.Host = new HostString("192.0.2.1:9120");
            context.Response.Body = new MemoryStream();
            if (authorization is not null)
                context.Request.Headers.Authorization = authorization;
            return context;
        }

        var anonymous = Request(null);
        await endpoint.Handle(anonymous);
        Assert.Equal(StatusCodes.Status403Forbidden, anonymous.Response.StatusCode);
        Assert.Equal(LogLevel.Error, levels.Level);

        var authenticated = Request("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:correct horse")));
        await auth.Invoke(authenticated, endpoint.Handle);
        Assert.Equal(StatusCodes.Status200OK, authenticated.Response.StatusCode);
        Assert.Equal(LogLevel.Debug, levels.Level);
    }
}
