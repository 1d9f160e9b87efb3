namespace Oie.Zones.Ovsdb;

/// <summary>The server sent something that is not the JSON-RPC answer expected; the connection cannot be trusted.</summary>
internal sealed class OvsdbFormatException(string message, Exception? inner = null) : Exception(message, inner);
