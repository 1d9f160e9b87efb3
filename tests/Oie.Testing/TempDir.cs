namespace Oie.Testing;

/// <summary>A directory of this test run under /tmp (short: unix socket paths must fit in 107 bytes), removed with
/// everything in it on Dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "oie-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
