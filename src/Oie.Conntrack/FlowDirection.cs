namespace Oie.Conntrack;

public enum FlowDirection : byte
{
    /// <summary>The instance's fixed IP is the original source: the instance opened the flow.</summary>
    Outbound,

    /// <summary>The instance's fixed IP is the original destination: the remote opened the flow.</summary>
    Inbound,
}
