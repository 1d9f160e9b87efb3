namespace Oie.Collectors.Conntrack.Tests;

/// <summary>A stand-in for the conntrack binary: a /bin/sh script the test rewrites between cycles.</summary>
internal sealed class FakeTool : IDisposable
{
    private readonly TempDir _dir = new();

    public FakeTool() => Good();

    public string Path => _dir.File("conntrack");

    /// <summary>One line per run: the arguments it was given.</summary>
    public string ArgsLog => _dir.File("args");

    /// <summary>The PIDs the script wrote (its own first).</summary>
    public string PidFile => _dir.File("pids");

    public string File(string name) => _dir.File(name);

    /// <summary>Prints the recorded IPv4 or IPv6 capture for -f ipv4 / -f ipv6, and the summary line on stderr.</summary>
    public void Good() => Script($"""
        echo "$*" >> '{ArgsLog}'
        case "$*" in
          *"-f ipv4"*) cat '{Conntrack.Fixture("conntrack-extended-ipv4.txt")}' ;;
          *"-f ipv6"*) cat '{Conntrack.Fixture("conntrack-extended-ipv6.txt")}' ;;
        esac
        echo "conntrack v1.4.7 (conntrack-tools): 4 flow entries have been shown." >&2
        """);

    public void Script(string body)
    {
        System.IO.File.WriteAllText(Path, "#!/bin/sh\n" + body + "\n");
        System.IO.File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                             UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }

    public IReadOnlyList<int> Pids() =>
        [.. System.IO.File.ReadAllLines(PidFile).Where(l => l.Length > 0).Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>True while the process exists and is not a zombie (killed, waiting for its parent to reap it).</summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = System.IO.File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        var state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X');
    }

    public void Dispose() => _dir.Dispose();
}
