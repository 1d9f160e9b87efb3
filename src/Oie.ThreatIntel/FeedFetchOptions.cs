namespace Oie.ThreatIntel;

public sealed record FeedFetchOptions
{
    /// <summary>TCP (and TLS) connection establishment.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The whole request, from sending it to the last byte of the body.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest body accepted, after decompression; a bigger one is aborted while streaming.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    public string UserAgent { get; init; } = "openstack_instance_exporter";
}
