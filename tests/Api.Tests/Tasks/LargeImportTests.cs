using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Xunit.Abstractions;

namespace Aicc.Api.Tests.Tasks;

public sealed class LargeImportTests(RunningHost host, ITestOutputHelper output) : IClassFixture<RunningHost>
{
    private const int Rows = 100_000;

    /// <summary>Generous: the whole file as strings is ~5 MB, parsed customers with ids and variables ~60 MB; a buffered import would exceed neither by much, so the bound is about never holding every chunk's events at once.</summary>
    private const long ManagedHeapBound = 300L * 1024 * 1024;

    /// <summary>A CSV body written row by row as the request is sent, never held whole in memory.</summary>
    private sealed class GeneratedCsv(int rows) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            await writer.WriteAsync("phone,name,plan\n");
            for (var i = 0; i < rows; i++)
            {
                await writer.WriteAsync($"138{i:D8},Customer {i},gold\n");
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Fact]
    public async Task Given100000Rows_WhenUploadedAsAStream_ThenAllAreAccepted_InBoundedMemory()
    {
        var tenant = await host.CreateTenantAsync("Big List Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        client.Timeout = TimeSpan.FromMinutes(2);
        var created = await client.PostAsJsonAsync("/api/v1/tasks", new { name = "Big list" });
        var taskId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baselineWorkingSet = process.WorkingSet64;
        long peakHeap = baseline;
        long peakWorkingSet = baselineWorkingSet;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                await Task.Delay(20);
            }
        });

        var content = new GeneratedCsv(Rows);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var watch = Stopwatch.StartNew();
        var response = await client.PostAsync($"/api/v1/tasks/{taskId}/customers", content);
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Rows, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("rejected").GetArrayLength());
        var task = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/tasks/{taskId}")).RootElement;
        Assert.Equal(Rows, task.GetProperty("setup").GetProperty("customerCount").GetInt32());
        var heapGrowth = peakHeap - baseline;
        output.WriteLine($"import of {Rows} rows: {watch.Elapsed.TotalSeconds:F1} s, managed heap peak +{heapGrowth / 1048576} MB, working set peak +{(peakWorkingSet - baselineWorkingSet) / 1048576} MB");
        Assert.True(heapGrowth < ManagedHeapBound, $"managed heap grew by {heapGrowth / 1048576} MB during the import");
    }
}
