namespace Oie.Conntrack;

/// <summary>Receives each well-formed conntrack entry as it is parsed. Called on the reading thread, in line order.</summary>
public interface IFlowSink
{
    void OnFlow(in ConntrackFlow flow);
}
