/// Number formatting shared by triage reasons and views: short, fixed, locale-free.
public enum Format {
    /// An age in whole units: `0s`, `12s`, `3m04s`, `2h05m`.
    public static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded(.down)))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad2(s % 60) + "s" }
        return "\(s / 3600)h" + pad2(s / 60 % 60) + "m"
    }

    /// `412ms`, `1.2s`, `38s`, `7.6ms`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        if seconds < 0.01 { return fixed(seconds * 1000, 1) + "ms" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 10 { return fixed(seconds, 1) + "s" }
        return "\(Int(seconds.rounded()))s"
    }

    /// `99%` from a 0...1 share, clamped to 0...100.
    public static func percent(_ share: Double) -> String {
        "\(Int((min(max(share, 0), 1) * 100).rounded()))%"
    }

    /// A share as a whole number 0...99 for two-column cells (100% shows as 99... never; use `percent2`).
    public static func percent2(_ share: Double) -> String {
        let p = Int((min(max(share, 0), 1) * 100).rounded())
        return p >= 100 ? "**" : (p < 10 ? " \(p)" : "\(p)")
    }

    /// GiB with one decimal below 100, whole above: `25.3`, `141`.
    public static func gib(_ bytes: UInt64) -> String {
        let g = Double(bytes) / Double(gibibyte)
        return g < 99.95 ? fixed(g, 1) : "\(Int(g.rounded()))"
    }

    /// A ratio as operators write it: `x3.1`, `x12`.
    public static func ratio(_ r: Double) -> String {
        r < 10 ? "x" + fixed(r, 1) : "x\(Int(r.rounded()))"
    }

    /// `48.2k`, `950`, `1.3M`.
    public static func count(_ value: Double) -> String {
        if value >= 999_500 { return fixed(value / 1_000_000, 1) + "M" }
        if value >= 9_995 { return "\(Int((value / 1000).rounded()))k" }
        if value >= 1000 { return fixed(value / 1000, 1) + "k" }
        return "\(Int(value.rounded()))"
    }

    /// `00:03:12` for a cluster time in seconds; Unix times show as the time of day (UTC).
    public static func clock(_ seconds: Double) -> String {
        var s = max(0, Int(seconds))
        if s > 1_000_000_000 { s %= 86_400 }
        return pad2(s / 3600) + ":" + pad2(s / 60 % 60) + ":" + pad2(s % 60)
    }

    /// A fixed-point number without Foundation: `fixed(3.14159, 2)` is `3.14`.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        let frac = scaled % Int(scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + "\(whole)" }
        var fracText = "\(frac)"
        while fracText.count < digits { fracText = "0" + fracText }
        return sign + "\(whole).\(fracText)"
    }

    /// `1,234,567`: a whole number with thousands separators.
    public static func grouped(_ value: some BinaryInteger) -> String {
        var digits = String(value.magnitude)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (value < 0 ? "-" : "") + digits + out
    }

    private static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
