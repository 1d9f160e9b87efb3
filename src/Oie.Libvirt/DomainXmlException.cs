namespace Oie.Libvirt;

/// <summary>The domain XML or its Nova metadata could not be understood.</summary>
public sealed class DomainXmlException : Exception
{
    public DomainXmlException(string message) : base(message)
    {
    }

    public DomainXmlException(string message, Exception inner) : base(message, inner)
    {
    }
}
