extension Theme {
    /// The built-in theme: a calm palette for dark terminals, Nord-like greys with clear accents.
    ///
    /// It is built in code so that infertop draws correctly with no theme file at all;
    /// `themes/default.toml` spells out the same values (a test keeps the two equal) as a
    /// starting point for custom themes. Memory segments use hues that stay apart at 256 and
    /// at 8 colours (weights blue, KV magenta, activations yellow, other cyan), and the heat
    /// gradient runs from dim blue through green and yellow to red.
    public static let `default` = Theme { role in
        switch role {
        case .text: ThemeColor(fg: RGB(0xD8, 0xDE, 0xE9))
        case .dim: ThemeColor(fg: RGB(0x7B, 0x83, 0x94))
        case .accent: ThemeColor(fg: RGB(0x88, 0xC0, 0xD0))
        case .title: ThemeColor(fg: RGB(0xEC, 0xEF, 0xF4), bold: true)
        case .border: ThemeColor(fg: RGB(0x4C, 0x56, 0x6A))
        case .selection: ThemeColor(fg: RGB(0xEC, 0xEF, 0xF4), bg: RGB(0x43, 0x4C, 0x5E))
        case .footer: ThemeColor(fg: RGB(0x9A, 0xA5, 0xB8))
        case .key: ThemeColor(fg: RGB(0x81, 0xA1, 0xC1), bold: true)

        case .ok: ThemeColor(fg: RGB(0x98, 0xC3, 0x79))
        case .warn: ThemeColor(fg: RGB(0xE5, 0xC0, 0x7B))
        case .crit: ThemeColor(fg: RGB(0xE0, 0x56, 0x5B), bold: true)
        case .stale: ThemeColor(fg: RGB(0x6B, 0x72, 0x80))

        case .memWeights: ThemeColor(fg: RGB(0x52, 0x8B, 0xD9))
        case .memKVUsed: ThemeColor(fg: RGB(0xC6, 0x78, 0xDD))
        case .memKVFree: ThemeColor(fg: RGB(0x78, 0x52, 0x82))
        case .memActivations: ThemeColor(fg: RGB(0xD8, 0xB4, 0x5A))
        case .memOther: ThemeColor(fg: RGB(0x56, 0xB6, 0xC2))
        case .memFree: ThemeColor(fg: RGB(0x3B, 0x42, 0x52))

        case .heat0: ThemeColor(fg: RGB(0x14, 0x28, 0x5A))
        case .heat1: ThemeColor(fg: RGB(0x2F, 0x5D, 0x7A))
        case .heat2: ThemeColor(fg: RGB(0x3A, 0x7F, 0x7A))
        case .heat3: ThemeColor(fg: RGB(0x4E, 0x9A, 0x5E))
        case .heat4: ThemeColor(fg: RGB(0x8A, 0xB0, 0x5A))
        case .heat5: ThemeColor(fg: RGB(0xB4, 0xB4, 0x5A))
        case .heat6: ThemeColor(fg: RGB(0xEB, 0xCB, 0x5B))
        case .heat7: ThemeColor(fg: RGB(0xEB, 0xA3, 0x52))
        case .heat8: ThemeColor(fg: RGB(0xE0, 0x78, 0x4A))
        case .heat9: ThemeColor(fg: RGB(0xD9, 0x47, 0x3F))
        }
    }
}
