// The conntrack tool, /proc and network namespaces exist on Linux only; so does this exporter.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
