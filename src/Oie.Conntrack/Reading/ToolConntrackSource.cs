using System.Diagnostics;
using System.IO.Pipelines;
using Oie.Abstractions;
using Oie.Processes;

namespace Oie.Conntrack.Reading;

/// <summary>
/// Runs <c>COMMAND -L -o extended -f ipv4</c> and then <c>-f ipv6</c> without a shell (some conntrack-tools versions
/// list only IPv4 without <c>-f</c>) and parses stdout as it streams. Both runs share the cycle's deadline: when it
/// passes, the whole process tree is killed. The child is always waited for, so no zombie is left behind. A family
/// whose run fails (the tool exits non-zero for IPv6 on a host without IPv6 conntrack) fails alone: the other
/// family's listing still counts.
/// </summary>
internal sealed class ToolConntrackSource(IReadOnlyList<string> command, TimeSpan timeout) : IConntrackSource
{
    private static readonly (string Name, ConntrackFamilies Families)[] Families =
        [("ipv4", ConntrackFamilies.V4), ("ipv6", ConntrackFamilies.V6)];
    private const int BufferSize = 64 * 1024;

    public string Display => string.Join(' ', command) + " -L -o extended";

    public IReadOnlyList<ListingRead> Read(FlowAttribution sink, CancellationToken deadline)
    {
        var listings = new ListingRead[Families.Length];
        for (var i = 0; i < Families.Length; i++)
        {
            var (name, families) = Families[i];
            try
            {
                listings[i] = new ListingRead(families, RunOnce(name, sink, deadline), null);
            }
            catch (ConntrackSourceException ex)
            {
                listings[i] = ListingRead.Failed(families, ex.Message);
            }
        }
        return listings;
    }

    private ConntrackReadResult RunOnce(string family, FlowAttribution sink, CancellationToken deadline)
    {
        var display = $"`{string.Join(' ', command)} -L -o extended -f {family}`";
        if (deadline.IsCancellationRequested)
            throw TimedOut(display);
        using var process = Start(family, display);
        var stderr = StderrTail.DrainAsync(process.StandardError);
        var result = default(ConntrackReadResult);
        var timedOut = false;
        string stderrText;
        try
        {
            using var onDeadline = deadline.Register(() => timedOut |= ChildProcess.KillTree(process));
            result = ReadStdout(process, sink, deadline);
            process.WaitForExitAsync(deadline).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && deadline.IsCancellationRequested)
        {
            timedOut = true;
        }
        finally
        {
            stderrText = ChildProcess.StopAndReap(process, stderr);
        }
        if (timedOut)
            throw TimedOut(display);
        if (process.ExitCode != 0)
        {
            throw ConntrackReadPolicy.Error(
                $"{display} exited with status {process.ExitCode}{(stderrText.Length > 0 ? ": " + stderrText : "")}");
        }

        ConntrackReadPolicy.ThrowIfGarbage(result, display);
        return result;
    }

    private static ConntrackReadResult ReadStdout(Process process, FlowAttribution sink, CancellationToken deadline)
    {
        if (PolledPipeStream.TryCreate(process.StandardOutput.BaseStream, deadline) is { } stdout)
            return ConntrackTableReader.Read(stdout, sink, deadline);

        var reader = PipeReader.Create(process.StandardOutput.BaseStream,
            new StreamPipeReaderOptions(bufferSize: BufferSize, minimumReadSize: BufferSize / 4, leaveOpen: true));
        try
        {
            return ConntrackReadPolicy.Wait(ConntrackTableReader.ReadAsync(reader, sink, deadline));
        }
        finally
        {
            reader.Complete();
        }
    }

    private Process Start(string family, string display)
    {
        try
        {
            return ChildProcess.Start([.. command, "-L", "-o", "extended", "-f", family], display);
        }
        catch (ChildProcessStartException ex)
        {
            throw ConntrackReadPolicy.Error($"{ex.Message} (-conntrack.command names the tool)", ex);
        }
    }

    private ConntrackSourceException TimedOut(string display) =>
        ConntrackReadPolicy.Error($"{display} did not finish within -conntrack.timeout={GoDuration.Format(timeout)} and was killed");
}
