using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Oie.Host.CommandLine;

namespace Oie.Host;

/// <summary>A start-up failure in words that name the flag and say what to do (the web config's errors already do).</summary>
internal static class StartupError
{
    public static string Describe(Exception error, HostFlags flags)
    {
        var listen = $"-web.listen-address={flags.ListenAddress.Value}";
        if (error is AddressInUseException || error.InnerException is AddressInUseException ||
            FindSocketError(error) is SocketError.AddressAlreadyInUse)
        {
            return $"{listen}: {error.Message} Stop what holds the port (another exporter?) or choose another address.";
        }

        return FindSocketError(error) switch
        {
            SocketError.AccessDenied => $"{listen}: {error.Message} Ports below 1024 need CAP_NET_BIND_SERVICE; choose another port.",
            SocketError.AddressNotAvailable => $"{listen}: {error.Message} The address is not one of this host's; use one it has, or leave the host out.",
            _ => error.Message,
        };
    }

    private static SocketError? FindSocketError(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
                return socket.SocketErrorCode;
        }
        return null;
    }
}
