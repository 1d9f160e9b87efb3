using Oie.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Oie.Host.Web;

/// <summary>
/// Turns the text of a web config file (the exporter-toolkit format: tls_server_config, http_server_config, rate_limit,
/// basic_auth_users) into a <see cref="WebConfig"/>. As the toolkit's strict YAML reading does, an unknown key is an
/// error; so are bad values, inconsistent TLS settings and non-bcrypt hashes, each naming the line and the key. Files
/// are only named here; <see cref="WebConfigLoader"/> opens them.
/// </summary>
internal static class WebConfigParser
{
    private static readonly string[] TopKeys = ["tls_server_config", "http_server_config", "rate_limit", "basic_auth_users"];

    /// <summary>The headers the toolkit lets a config set, with the values it accepts (none listed: any value).</summary>
    private static readonly Dictionary<string, string[]> AllowedHeaders = new(StringComparer.Ordinal)
    {
        ["Strict-Transport-Security"] = [],
        ["X-Content-Type-Options"] = ["nosniff"],
        ["X-Frame-Options"] = ["deny", "sameorigin"],
        ["X-XSS-Protection"] = [],
        ["Content-Security-Policy"] = [],
    };

    public static WebConfig Parse(string text, string source, string baseDirectory)
    {
        var yaml = new WebConfigYaml(source);
        TlsServerConfig? tls = null;
        var http = HttpServerConfig.Default;
        var rateLimit = RateLimitConfig.Off;
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, line) in yaml.Entries(yaml.Root(text), ""))
        {
            switch (key)
            {
                case "tls_server_config":
                    tls = TlsConfigParser.Parse(yaml, yaml.Mapping(value, key), line, baseDirectory);
                    break;
                case "http_server_config":
                    http = ParseHttp(yaml, yaml.Mapping(value, key));
                    break;
                case "rate_limit":
                    rateLimit = ParseRateLimit(yaml, yaml.Mapping(value, key));
                    break;
                case "basic_auth_users":
                    ParseUsers(yaml, yaml.Mapping(value, key), users);
                    break;
                default:
                    throw yaml.Error(line, $"unknown key \"{key}\": want one of {string.Join(", ", TopKeys)}");
            }
        }
        return new WebConfig(tls, users) { Http = http, RateLimit = rateLimit };
    }

    private static void ParseUsers(WebConfigYaml yaml, YamlMappingNode mapping, Dictionary<string, string> users)
    {
        foreach (var (user, value, line) in yaml.Entries(mapping, "basic_auth_users"))
        {
            if (user.Length == 0 || user.Contains(':'))
                throw yaml.Error(line, $"basic_auth_users: invalid user name \"{user}\" (empty or containing ':')");
            var hash = yaml.String(value, "basic_auth_users." + user);
            if (!Bcrypt.IsHash(hash))
            {
                throw yaml.Error(line,
                    $"basic_auth_users.{user}: not a bcrypt hash (want $2a$, $2b$ or $2y$, cost and 53 characters, as htpasswd -nbB makes)");
            }

            users.Add(user, hash);
        }
    }

    private static HttpServerConfig ParseHttp(WebConfigYaml yaml, YamlMappingNode mapping)
    {
        var http2 = true;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (key, value, line) in yaml.Entries(mapping, "http_server_config"))
        {
            switch (key)
            {
                case "http2":
                    http2 = yaml.Bool(value, "http_server_config.http2");
                    break;
                case "headers":
                    foreach (var (name, headerValue, headerLine) in yaml.Entries(yaml.Mapping(value, "http_server_config.headers"), "http_server_config.headers"))
                    {
                        if (!AllowedHeaders.TryGetValue(name, out var allowed))
                        {
                            throw yaml.Error(headerLine, $"http_server_config.headers: HTTP header \"{name}\" can not be configured: want one of " +
                                string.Join(", ", AllowedHeaders.Keys));
                        }

                        var text = yaml.String(headerValue, "http_server_config.headers." + name);
                        if (allowed.Length > 0 && !allowed.Contains(text, StringComparer.Ordinal))
                            throw yaml.Error(headerLine, $"http_server_config.headers.{name}: invalid value \"{text}\": want one of {string.Join(", ", allowed)}");
                        // Blank: the header is not set, as in the toolkit.
                        if (text.Length > 0)
                            headers.Add(new(name, text));
                    }
                    break;
                default:
                    throw yaml.Error(line, $"unknown key \"http_server_config.{key}\": want http2 or headers");
            }
        }
        return new HttpServerConfig(http2, headers);
    }

    private static RateLimitConfig ParseRateLimit(WebConfigYaml yaml, YamlMappingNode mapping)
    {
        var interval = TimeSpan.Zero;
        var burst = 0;
        foreach (var (key, value, line) in yaml.Entries(mapping, "rate_limit"))
        {
            switch (key)
            {
                case "interval":
                    var text = yaml.String(value, "rate_limit.interval");
                    if (text.Length > 0 && (!GoDuration.TryParse(text, out interval) || interval < TimeSpan.Zero))
                        throw yaml.Error(line, $"rate_limit.interval: \"{text}\" is not a duration (want e.g. 1s, 500ms; 0 turns the limit off)");
                    break;
                case "burst":
                    burst = yaml.Int(value, "rate_limit.burst");
                    if (burst < 0)
                        throw yaml.Error(line, "rate_limit.burst: must not be negative");
                    break;
                default:
                    throw yaml.Error(line, $"unknown key \"rate_limit.{key}\": want interval or burst");
            }
        }
        return new RateLimitConfig(interval, burst);
    }
}
