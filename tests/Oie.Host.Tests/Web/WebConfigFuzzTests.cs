using System.Security.Authentication;
using System.Text;
using CsCheck;
using Oie.Host.Web;
using Oie.Tests;

namespace Oie.Host.Tests.Web;

/// <summary>
/// <see cref="WebConfigParser"/> (and YamlDotNet under it) fed 100k inputs from a fixed seed:
/// 50k generated web configs (every TLS key and client_auth_type, users with plain, single- and double-quoted names
/// and hashes, comments, blank lines, CRLF, indentation widths, the document marker) that must parse to exactly the
/// config they describe, and 50k mutations of those and of the documented examples. Only <see cref="WebConfigException"/>
/// may escape, and its message names the file and a line.
/// </summary>
public class WebConfigFuzzTests
{
    private const int Iterations = 50_000;
    private const string Hash = "$2y$05$PYPQ46ScJBii3w.eADpTEOfarQ6iOieIHIlQNxGqEGXKEiT9ewrna";
    private const string Base = "/etc/oie";

    private static readonly string[] Examples =
    [
        $"---\n# TLS and auth\ntls_server_config:\n  cert_file: /path/server.crt   # absolute\n  key_file: 'server.key'\n  client_auth_type: \"RequireAndVerifyClientCert\"\n  client_ca_file: ca/ca.crt\n\n  min_version: TLS13\nbasic_auth_users:\n  alice: {Hash}\n  \"bob smith\": '{Hash}'\n",
        "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n",
        "# nothing\n\ntls_server_config:\nbasic_auth_users:\n",
    ];

    private static readonly string[] Tokens =
    [
        "tls_server_config:", "basic_auth_users:", "cert_file: ", "key_file: ", "client_ca_file: ", "client_auth_type: ", "min_version: ",
        "TLS10", "TLS13", "RequireAndVerifyClientCert", "VerifyClientCertIfGiven", Hash, "$2a$04$", "$2b$99$", ": ", ":", " #", "#", "'",
        "''", "\"", "\\", "\\u", "\\u00", "\\uD800", "\\u0000", "\\0", "\\x", "\\n", "---", "- ", "[", "{", "&a", "*a", "!tag", "|", ">",
        "%", "@", "`", ",", "?", "~", "null", "  ", "\t", "\r\n", "\n", "\n  ", "\n   ", "\n\t", "\0", "\uFEFF",
    ];

    [Fact]
    public void Generated_configs_parse_to_what_they_describe_and_mutations_only_throw_WebConfigException()
    {
        long accepted = 0, refused = 0;
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var (text, expected) = Generate(random);
            var config = WebConfigParser.Parse(text, "web.yml", Base);
            Assert.Equal(Core(expected.Tls), Core(config.Tls));
            Assert.Equal(expected.BasicAuthUsers.OrderBy(u => u.Key, StringComparer.Ordinal),
                config.BasicAuthUsers.OrderBy(u => u.Key, StringComparer.Ordinal));

            var mutated = TextMutations.Mutate(random.Next(4) == 0 ? Examples[random.Next(Examples.Length)] : text, random, Tokens);
            try
            {
                var parsed = WebConfigParser.Parse(mutated, "web.yml", Base);
                Assert.All(parsed.BasicAuthUsers, u => Assert.True(Bcrypt.IsHash(u.Value) && u.Key.Length > 0 && !u.Key.Contains(':')));
                if (parsed.Tls is { } tls)
                    Assert.True(!tls.HasClientCa || tls.ClientAuth != ClientAuth.NoClientCert);
                accepted++;
            }
            catch (WebConfigException e)
            {
                Assert.StartsWith("web.yml:", e.Message, StringComparison.Ordinal);
                refused++;
            }
        }, iter: Iterations);
        Assert.True(accepted > Iterations / 20 && refused > Iterations / 10, $"accepted {accepted}, refused {refused}");
    }

    private static object? Core(TlsServerConfig? tls) =>
        tls is null ? null : (tls.CertFile, tls.KeyFile, tls.ClientAuth, tls.ClientCaFile, tls.Protocols);

    /// <summary>Found by the fuzzer: a NUL in a quoted path made Path.GetFullPath throw ArgumentException, which
    /// escaped startup's WebConfigException handling.</summary>
    [Theory]
    [InlineData("tls_server_config:\n  cert_file: \"a\\0b\"\n  key_file: k\n", "web.yml:2: tls_server_config.cert_file: the path contains a NUL")]
    [InlineData("tls_server_config:\n  cert_file: c\n  key_file: \"\\u0000\"\n", "web.yml:3: tls_server_config.key_file: the path contains a NUL")]
    public void A_NUL_in_a_path_is_a_config_error(string text, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<WebConfigException>(() => WebConfigParser.Parse(text, "web.yml", Base)).Message, StringComparison.Ordinal);

    private static readonly string[] Auths = ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"];

    private const string NameAlphabet = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_. #'\"\\é€";


    internal static (string Text, WebConfig Expected) Generate(Random random)
    {
        var lines = new List<string>();
        var line = 0;
        int Add(string text)
        {
            lines.Add(text);
            return ++line;
        }
        void Noise()
        {
            for (var n = random.Next(3) == 0 ? random.Next(1, 3) : 0; n > 0; n--)
                Add(random.Next(2) == 0 ? "" : new string(' ', random.Next(4)) + "# " + Name(random));
        }

        if (random.Next(4) == 0)
            Add("---");
        Noise();
        TlsServerConfig? tls = null;
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = random.Next(4) switch { 0 => new[] { "tls" }, 1 => ["users"], 2 => ["tls", "users"], _ => ["users", "tls"] };
        foreach (var section in sections)
        {
            var indent = new string(' ', random.Next(1, 5));
            if (section == "tls")
            {
                var header = Add("tls_server_config:" + Comment(random));
                var auth = Auths[random.Next(Auths.Length)];
                var verifies = auth is "VerifyClientCertIfGiven" or "RequireAndVerifyClientCert";
                var min = random.Next(3) switch { 0 => "TLS13", 1 => "TLS12", _ => null };
                var entries = new List<(string Key, string Value)> { ("cert_file", Path(random)), ("key_file", Path(random)) };
                if (auth != "NoClientCert" || random.Next(2) == 0)
                    entries.Add(("client_auth_type", auth));
                if (verifies)
                    entries.Add(("client_ca_file", Path(random)));
                if (min is not null)
                    entries.Add(("min_version", min));
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries));
                ConfigFile? cert = null, key = null, ca = null;
                foreach (var (k, v) in entries)
                {
                    Noise();
                    var at = Add(indent + k + ":" + new string(' ', random.Next(1, 3)) + Scalar(random, v) + Comment(random));
                    var file = new ConfigFile(System.IO.Path.GetFullPath(v, Base), at);
                    switch (k)
                    {
                        case "cert_file": cert = file; break;
                        case "key_file": key = file; break;
                        case "client_ca_file": ca = file; break;
                    }
                }
                tls = new TlsServerConfig(cert!, key!, Enum.Parse<ClientAuth>(auth), ca,
                    min == "TLS13" ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13);
                _ = header;
            }
            else
            {
                Add("basic_auth_users:" + Comment(random));
                for (var n = random.Next(0, 5); n > 0; n--)
                {
                    var name = Name(random);
                    if (users.ContainsKey(name))
                        continue;
                    var hash = "$2" + "aby"[random.Next(3)] + "$" + random.Next(4, 32).ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "$" +
                        new string(random.GetItems("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".AsSpan(), 53));
                    users[name] = hash;
                    Noise();
                    Add(indent + Scalar(random, name, key: true) + ": " + Scalar(random, hash) + Comment(random));
                }
            }
        }
        Noise();
        var newline = random.Next(4) == 0 ? "\r\n" : "\n";
        var text = string.Join(newline, lines) + (random.Next(2) == 0 ? newline : "");
        return (text, new WebConfig(tls, users));
    }

    private static string Comment(Random random) => random.Next(4) == 0 ? "  # " + Name(random) : "";

    private static string Path(Random random) =>
        (random.Next(2) == 0 ? "/" : "") + string.Join('/', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Name(random).Replace("#", "", StringComparison.Ordinal).Trim() is { Length: > 0 } s ? s : "f"));

    /// <summary>A user name: no ':', not blank; any of the other characters, quoting decides how it is written.</summary>
    private static string Name(Random random)
    {
        var name = new string(random.GetItems(NameAlphabet.AsSpan(), random.Next(1, 12))).Trim();
        return name.Length == 0 ? "u" : name;
    }

    /// <summary>Plain when it is safe, else single- or double-quoted with the escapes each needs.</summary>
    private static string Scalar(Random random, string value, bool key = false)
    {
        var plainSafe = !value.Contains(" #", StringComparison.Ordinal) && !value.Contains(": ", StringComparison.Ordinal) && !value.EndsWith(':') &&
            !"[]{}&*!|>%@`,?\"'#-".Contains(value[0]) && value == value.Trim() && value is not ("~" or "null" or "Null" or "NULL");
        return (plainSafe ? random.Next(3) : random.Next(1, 3)) switch
        {
            0 => value,
            1 => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
            _ => "\"" + new StringBuilder(value).Replace("\\", "\\\\").Replace("\"", "\\\"").ToString() + "\"",
        };
    }
}
