namespace PrismService;

/// <summary>The HTTP port of the API and probes, and the Prometheus port (0: no metrics listener).</summary>
public sealed record ServicePorts(int Http, int Metrics)
{
    /// <summary>Reads <c>Service:Port</c> (8080) and <c>Service:MetricsPort</c> (9090).</summary>
    public static ServicePorts Read(IConfiguration configuration)
    {
        var http = configuration.GetValue("Service:Port", 8080);
        var metrics = configuration.GetValue("Service:MetricsPort", 9090);
        if (http is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Service:Port (Service__Port) must be a port number, got {http}.");
        }

        if (metrics is < 0 or > 65535 || metrics == http)
        {
            throw new InvalidOperationException($"Service:MetricsPort (Service__MetricsPort) must be 0 or a port number other than Service:Port, got {metrics}.");
        }

        return new ServicePorts(http, metrics);
    }
}
