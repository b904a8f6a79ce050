using System.Runtime.InteropServices;

namespace Aicc.Telephony.Speech;

/// <summary>
/// The few pocketsphinx 5prealpha / sphinxbase entry points we call (Debian libpocketsphinx3),
/// declared once for the English and the Mandarin recogniser.
/// </summary>
internal static class PocketSphinxNative
{
    public const string Lib = "libpocketsphinx.so.3";
    private const string SphinxBase = "libsphinxbase.so.3";

    [DllImport(Lib)]
    public static extern IntPtr ps_args();

    [DllImport(SphinxBase)]
    public static extern IntPtr cmd_ln_parse_r(IntPtr inout, IntPtr definitions, int argc, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string[] argv, int strict);

    [DllImport(Lib)]
    public static extern IntPtr ps_init(IntPtr config);

    [DllImport(Lib)]
    public static extern int ps_free(IntPtr ps);

    [DllImport(Lib)]
    public static extern int ps_add_word(IntPtr ps, [MarshalAs(UnmanagedType.LPUTF8Str)] string word, [MarshalAs(UnmanagedType.LPUTF8Str)] string phones, int update);

    [DllImport(Lib)]
    public static extern int ps_set_jsgf_string(IntPtr ps, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string jsgf);

    [DllImport(Lib)]
    public static extern int ps_set_lm_file(IntPtr ps, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport(Lib)]
    public static extern int ps_set_allphone_file(IntPtr ps, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string? path);

    [DllImport(Lib)]
    public static extern int ps_set_search(IntPtr ps, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Lib)]
    public static extern int ps_start_utt(IntPtr ps);

    [DllImport(Lib)]
    public static extern int ps_process_raw(IntPtr ps, ref short data, nint samples, int noSearch, int fullUtterance);

    [DllImport(Lib)]
    public static extern int ps_end_utt(IntPtr ps);

    [DllImport(Lib)]
    public static extern IntPtr ps_get_hyp(IntPtr ps, out int score);

    [DllImport(Lib)]
    public static extern int ps_get_n_frames(IntPtr ps);
}
