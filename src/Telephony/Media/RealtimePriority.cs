using System.Runtime.InteropServices;

namespace Aicc.Telephony.Media;

/// <summary>
/// Raises the calling thread's scheduling priority (a lower nice value) where the OS allows it.
/// Pacing threads must wake every 20 ms even when the machine is busy: a media clock that is not
/// scheduled for 100 ms loses audio on every call at once, while batch work can wait. PBXes do the
/// same with real-time priorities. Without the privilege (CAP_SYS_NICE) it changes nothing.
/// </summary>
public static class RealtimePriority
{
    private const int PrioProcess = 0;

    /// <summary>Tries to set the current thread's nice value; returns whether it worked.</summary>
    public static bool TryRaiseCurrentThread(int nice = -10)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            // On Linux, PRIO_PROCESS with a thread id applies to that thread alone.
            return SetPriority(PrioProcess, GetTid(), nice) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
