using Oie.Abstractions;

namespace Oie.Conntrack.Reading;

/// <summary>
/// <c>-conntrack.path</c>: the file is opened afresh each cycle (a saved <c>conntrack -L -o extended</c> capture, or
/// <c>/proc/net/nf_conntrack</c>) and streamed through the parser. A missing or unreadable file fails the read.
/// </summary>
internal sealed class FileConntrackSource(string path, TimeSpan timeout) : IConntrackSource
{
    public string Display => "-conntrack.path=" + path;

    public IReadOnlyList<ListingRead> Read(FlowAttribution sink, CancellationToken deadline)
    {
        try
        {
            return [new ListingRead(ConntrackFamilies.Both, ReadFile(sink, deadline), null)];
        }
        catch (ConntrackSourceException ex)
        {
            return [ListingRead.Failed(ConntrackFamilies.Both, ex.Message)];
        }
    }

    private ConntrackReadResult ReadFile(FlowAttribution sink, CancellationToken deadline)
    {
        var what = Display;
        FileStream stream;
        try
        {
            // bufferSize 1: no FileStream buffer under the reader's own; /proc files report length 0, so read to EOF.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ConntrackReadPolicy.Error($"cannot open {what}: {ex.Message}", ex);
        }

        ConntrackReadResult result;
        using (stream)
        {
            try
            {
                result = ConntrackTableReader.Read(stream, sink, deadline);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw ConntrackReadPolicy.Error($"reading {what} did not finish within -conntrack.timeout={GoDuration.Format(timeout)}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw ConntrackReadPolicy.Error($"cannot read {what}: {ex.Message}", ex);
            }
        }
        ConntrackReadPolicy.ThrowIfGarbage(result, what);
        return result;
    }
}
