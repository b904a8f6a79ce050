using System.Net;
using System.Net.Sockets;

namespace Aicc.Telephony.Rtp;

public sealed partial class RtpSession
{
    private readonly byte[] _rtcpBuffer = new byte[512];
    private long _nextReportAt;
    private long _rtcpSent;
    private long _rtcpReceived;
    private uint _lastSenderReportMiddle;
    private long _lastSenderReportArrival;
    private long _packetsAtLastReport;
    private RtcpReportBlock? _remoteReport;
    private TimeSpan? _roundTrip;

    // RFC 3550 §6.3.1: randomize the interval over [0.5, 1.5] of the mean so reports of many
    // sessions do not synchronize.
    private void ScheduleNextReport()
    {
        var interval = _options.RtcpInterval.Ticks * (0.5 + Random.Shared.NextDouble());
        _nextReportAt = _time.GetTimestamp() + (long)(interval * _time.TimestampFrequency / TimeSpan.TicksPerSecond);
    }

    private void OnTickRtcp()
    {
        if (_time.GetTimestamp() >= _nextReportAt)
        {
            SendReport(bye: false);
            ScheduleNextReport();
        }
    }

    // Called under _lock. An SR if we sent since the last report (§6.4), else an RR.
    private void SendReport(bool bye)
    {
        var remote = _remoteRtcp;
        if (remote is null)
        {
            return;
        }
        RtcpSenderInfo? info = null;
        if (_packetsSent > _packetsAtLastReport)
        {
            info = new RtcpSenderInfo(Rtcp.ToNtp(_time.GetUtcNow()), _timestamp, (uint)_packetsSent, (uint)_octetsSent);
        }
        _packetsAtLastReport = _packetsSent;
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[1];
        var count = 0;
        if (_statistics is { } stats)
        {
            uint delay = 0;
            if (_lastSenderReportMiddle != 0)
            {
                // DLSR is in units of 1/65536 s (§6.4.1).
                delay = (uint)(_time.GetElapsedTime(_lastSenderReportArrival).TotalSeconds * 65536);
            }
            blocks[0] = new RtcpReportBlock(stats.Ssrc, stats.TakeFractionLost(), stats.CumulativeLost, stats.ExtendedHighestSequence, stats.Jitter, _lastSenderReportMiddle, delay);
            count = 1;
        }
        try
        {
            var length = Rtcp.WriteCompound(_rtcpBuffer, Ssrc, info, blocks[..count], CanonicalName, bye);
            _rtcpSocket.SendTo(_rtcpBuffer.AsSpan(0, length), SocketFlags.None, remote);
            _rtcpSent++;
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveRtcpLoopAsync(CancellationToken cancel)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(1500, pinned: true);
        var from = new SocketAddress(_rtcpSocket.AddressFamily);
        while (!cancel.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _rtcpSocket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!cancel.IsCancellationRequested)
            {
                continue;
            }
            if (!Rtcp.TryParse(buffer.AsSpan(0, received), out var compound))
            {
                continue;
            }
            lock (_lock)
            {
                _rtcpReceived++;
                if (_remoteRtcp is null || !_remoteRtcp.Equals(from))
                {
                    // Symmetric RTCP too: reports go back where the peer's reports come from.
                    var copy = new SocketAddress(from.Family, from.Size);
                    from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
                    _remoteRtcp = copy;
                }
                foreach (var report in compound.Reports)
                {
                    if (report.SenderInfo is { } sender)
                    {
                        _lastSenderReportMiddle = sender.NtpMiddle;
                        _lastSenderReportArrival = _time.GetTimestamp();
                    }
                    foreach (var block in report.Blocks)
                    {
                        if (block.Ssrc != Ssrc)
                        {
                            continue;
                        }
                        _remoteReport = block;
                        if (block.LastSenderReport != 0)
                        {
                            // §6.4.1: RTT = A - LSR - DLSR, all in 1/65536 s.
                            var now = (uint)(Rtcp.ToNtp(_time.GetUtcNow()) >> 16);
                            var rtt = unchecked(now - block.LastSenderReport - block.DelaySinceLastSenderReport);
                            if (rtt < 65536 * 10)
                            {
                                _roundTrip = TimeSpan.FromSeconds(rtt / 65536.0);
                            }
                        }
                    }
                }
            }
        }
    }
}
