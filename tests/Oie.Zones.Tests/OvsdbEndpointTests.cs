namespace Oie.Zones.Tests;

public sealed class OvsdbEndpointTests
{
    [Theory]
    [InlineData(OvsdbEndpoint.Default, "/run/openvswitch/db.sock")]
    [InlineData("unix:/var/run/openvswitch/db.sock", "/var/run/openvswitch/db.sock")]
    [InlineData("unix:/tmp/a b/db.sock", "/tmp/a b/db.sock")]
    public void Parses_an_absolute_unix_socket(string text, string path)
    {
        Assert.Null(OvsdbEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(path, endpoint.SocketPath);
        Assert.Equal(text, endpoint.ToString());
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("  ", "is empty")]
    [InlineData("tcp:127.0.0.1:6640", "tcp: endpoints are not supported")]
    [InlineData("ssl:10.0.0.1:6640", "ssl: endpoints are not supported")]
    [InlineData("punix:/run/openvswitch/db.sock", "punix: endpoints are not supported")]
    [InlineData("/run/openvswitch/db.sock", "is not unix:/path/to/db.sock")]
    [InlineData("unix:run/db.sock", "must be absolute")]
    [InlineData("unix:", "must be absolute")]
    [InlineData("unix:/a\0b", "NUL")]
    public void Refuses_anything_else_with_a_reason(string text, string reason)
    {
        var error = OvsdbEndpoint.TryParse(text, out var endpoint);
        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Null(endpoint.SocketPath);
    }

    [Fact]
    public void Refuses_a_path_longer_than_a_socket_address()
    {
        Assert.Null(OvsdbEndpoint.TryParse("unix:/" + new string('x', 106), out _));
        Assert.Contains("longer than", OvsdbEndpoint.TryParse("unix:/" + new string('x', 107), out _), StringComparison.Ordinal);
    }
}
