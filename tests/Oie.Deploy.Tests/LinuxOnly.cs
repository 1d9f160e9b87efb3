// dpkg, systemd units, setpriv and /proc exist on Linux only; so does this exporter.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
