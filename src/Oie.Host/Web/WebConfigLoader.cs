using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Oie.Host.Web;

/// <summary>The web config read from disk with the TLS material it names loaded, so every problem is a startup error.</summary>
internal sealed record LoadedWebConfig(WebConfig Config, X509Certificate2? ServerCertificate, X509Certificate2Collection? ClientCas)
{
    public static readonly LoadedWebConfig None = new(WebConfig.None, null, null);
}

/// <summary>Reads <c>-web.config.file</c> (empty: no TLS, no auth) and opens the certificate, key and client CA it names.</summary>
internal static class WebConfigLoader
{
    public static LoadedWebConfig Load(string path)
    {
        if (path.Length == 0)
            return LoadedWebConfig.None;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WebConfigException(
                $"web config file {path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "not found" : e.Message)}", e);
        }
        var full = Path.GetFullPath(path);
        var config = WebConfigParser.Parse(text, path, Path.GetDirectoryName(full)!);
        if (config.Tls is not { } tls)
            return new LoadedWebConfig(config, null, null);
        return new LoadedWebConfig(config, LoadServerCertificate(tls, path), tls.ClientCaFile is { } ca ? LoadCas(ca, path) : null);
    }

    private static X509Certificate2 LoadServerCertificate(TlsServerConfig tls, string source)
    {
        Exists(tls.CertFile, "cert_file", source);
        Exists(tls.KeyFile, "key_file", source);
        try
        {
            return X509Certificate2.CreateFromPemFile(tls.CertFile.Path, tls.KeyFile.Path);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw YamlSubset.Error(source, tls.CertFile.Line,
                $"tls_server_config: cannot load the certificate {tls.CertFile.Path} with the key {tls.KeyFile.Path}: {e.Message}");
        }
    }

    private static X509Certificate2Collection LoadCas(ConfigFile ca, string source)
    {
        Exists(ca, "client_ca_file", source);
        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPemFile(ca.Path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw YamlSubset.Error(source, ca.Line, $"tls_server_config.client_ca_file: cannot read {ca.Path}: {e.Message}");
        }
        if (cas.Count == 0)
            throw YamlSubset.Error(source, ca.Line, $"tls_server_config.client_ca_file: {ca.Path} holds no PEM certificate");
        return cas;
    }

    private static void Exists(ConfigFile file, string key, string source)
    {
        if (!File.Exists(file.Path))
            throw YamlSubset.Error(source, file.Line, $"tls_server_config.{key}: {file.Path}: file not found");
    }
}
