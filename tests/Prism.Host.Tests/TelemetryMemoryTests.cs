using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>
/// The telemetry receiver under the flood a hostile or broken exporter sends: 30 concurrent 13.5 MB
/// OTLP/HTTP bodies, five rounds. Its peak memory stays under the ceiling docs/configuration.md states.
/// </summary>
public sealed class TelemetryMemoryTests
{
    /// <summary>The documented ceiling with the default limits (docs/configuration.md, telemetry).</summary>
    private const long CeilingBytes = 768L * 1024 * 1024;

    [Fact]
    public async Task ThirtyConcurrent13MegabyteExports_FiveRounds_PeakMemoryStaysUnderTheCeiling()
    {
        using var prism = new PrismCli();
        var httpPort = prism.Environment["PRISM_TELEMETRY_OTLP_HTTP_PORT"];
        var start = CliRunner.StartInfo(typeof(ModuleCatalog).Assembly.Location, ["serve", "--modules", "telemetry"], prism.Environment);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(2) };
            await WaitListeningAsync(http, process);
            var payload = LargeExport(13_500_000);
            Assert.InRange(payload.Length, 13_400_000, 13_600_000);

            var statuses = new List<HttpStatusCode>();
            for (var round = 0; round < 5; round++)
            {
                var calls = Enumerable.Range(0, 30).Select(async _ =>
                {
                    using var content = new ByteArrayContent(payload);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                    using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
                    return response.StatusCode;
                });
                statuses.AddRange(await Task.WhenAll(calls));
            }

            var peak = PeakResidentBytes(process.Id);
            Assert.True(peak < CeilingBytes, $"peak RSS {peak / (1024 * 1024)} MiB, ceiling {CeilingBytes / (1024 * 1024)} MiB");

            // Every export was either stored or told to retry; none failed another way.
            Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
            Assert.Contains(HttpStatusCode.OK, statuses);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>One trace export of about <paramref name="bytes"/>: spans with ten 500-character attributes each.</summary>
    private static byte[] LargeExport(int bytes)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "flood" } };
        var request = new ExportTraceServiceRequest();
        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "flood" } });
        resource.ScopeSpans.Add(scope);
        request.ResourceSpans.Add(resource);
        var value = new string('x', 500);
        for (var (i, size) = (0, 0); size < bytes - 6_000; i++)
        {
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(Id(i / 100, 16)),
                SpanId = ByteString.CopyFrom(Id(i, 8)),
                Name = "span " + i.ToString(CultureInfo.InvariantCulture),
                StartTimeUnixNano = 1_700_000_000_000_000_000,
                EndTimeUnixNano = 1_700_000_000_001_000_000,
            };
            for (var a = 0; a < 10; a++)
            {
                span.Attributes.Add(new KeyValue { Key = "attribute." + a.ToString(CultureInfo.InvariantCulture), Value = new AnyValue { StringValue = value } });
            }

            scope.Spans.Add(span);
            size += span.CalculateSize() + 4;
        }

        return request.ToByteArray();
    }

    private static byte[] Id(int value, int length)
    {
        var id = new byte[length];
        BitConverter.GetBytes(value + 1).CopyTo(id, 0);
        Random.Shared.NextBytes(id.AsSpan(4));
        return id;
    }

    private static async Task WaitListeningAsync(HttpClient http, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, "the telemetry module exited");
            try
            {
                using var probe = new ByteArrayContent([]);
                probe.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), probe);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "the telemetry module did not listen within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>VmHWM: the most memory the process ever had resident.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
