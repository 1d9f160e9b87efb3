using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Oie.Host.Web;

/// <summary>The web config read from disk with the TLS material it names loaded, so every problem is a startup error.</summary>
internal sealed record LoadedWebConfig(WebConfig Config, X509Certificate2? ServerCertificate, X509Certificate2Collection? ClientCas)
{
    public static readonly LoadedWebConfig None = new(WebConfig.None, null, null);
}

/// <summary>
/// Reads <c>-web.config.file</c> (empty: no TLS, no auth) and opens the certificate, key and client CA it names. Every
/// error names the flag or the file, the line, and what to do, in our own words: the runtime's messages are not the
/// operator's vocabulary (and a trimmed build may carry only their resource keys).
/// </summary>
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
            throw new WebConfigException($"-web.config.file {path}: {FileErrors.Describe(e, path)}", e);
        }
        var full = Path.GetFullPath(path);
        var config = WebConfigParser.Parse(text, path, Path.GetDirectoryName(full)!);
        if (config.Tls is not { } tls)
            return new LoadedWebConfig(config, null, null);
        return new LoadedWebConfig(config, LoadServerCertificate(tls, path), tls.HasClientCa ? LoadCas(tls, path) : null);
    }

    private static X509Certificate2 LoadServerCertificate(TlsServerConfig tls, string source)
    {
        var (certPem, certName, certLine) = Pem(tls.CertFile, tls.Cert, "cert", source);
        var (keyPem, keyName, keyLine) = Pem(tls.KeyFile, tls.Key, "key", source);
        try
        {
            return X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            if (!certPem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                throw Error(source, certLine, $"tls_server_config: {certName} holds no PEM certificate (a -----BEGIN CERTIFICATE----- block): " +
                    "give the server certificate in PEM form");
            }

            if (keyPem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            {
                throw Error(source, keyLine, $"tls_server_config: {keyName} is an encrypted private key: give the key unencrypted " +
                    "(e.g. openssl pkey -in key.pem -out key-plain.pem), readable only by the exporter's user");
            }

            if (!keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                throw Error(source, keyLine, $"tls_server_config: {keyName} holds no PEM private key (a -----BEGIN PRIVATE KEY----- block): " +
                    "give the key that goes with the certificate");
            }

            throw Error(source, certLine, $"tls_server_config: the private key {keyName} does not match the certificate {certName} " +
                "(or is of a type that cannot be read): give the key the certificate was issued for");
        }
    }

    private static X509Certificate2Collection LoadCas(TlsServerConfig tls, string source)
    {
        var (pem, name, line) = Pem(tls.ClientCaFile, tls.ClientCa, "client_ca", source);
        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw Error(source, line, $"tls_server_config: {name} has a certificate that cannot be read: give PEM CA certificates", e);
        }
        if (cas.Count == 0)
            throw Error(source, line, $"tls_server_config: {name} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA that signs the clients' certificates");
        return cas;
    }

    /// <summary>The PEM text given by file or inline, with how to name it in an error and the line that gave it.</summary>
    private static (string Text, string Name, int Line) Pem(ConfigFile? file, InlinePem? inline, string key, string source)
    {
        if (inline is not null)
            return (inline.Text, $"the inline {key}", inline.Line);
        try
        {
            return (File.ReadAllText(file!.Path), $"{key}_file {file.Path}", file.Line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(source, file!.Line, $"tls_server_config.{key}_file: {file.Path}: {FileErrors.Describe(e, file.Path)}", e);
        }
    }

    private static WebConfigException Error(string source, int line, string message, Exception? inner = null) =>
        new($"{source}:{line}: {message}", inner);
}
