namespace Oie.Zones;

/// <summary>
/// Reading the zones failed. The message is for the operator: what was tried, what failed and what to do about it.
/// </summary>
public sealed class ZoneMapException : Exception
{
    public ZoneMapException()
    {
    }

    public ZoneMapException(string message) : base(message)
    {
    }

    public ZoneMapException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
