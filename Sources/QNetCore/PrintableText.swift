extension String {
    /// The text with every character that could act on a terminal escaped: C0 and C1 control
    /// characters, DEL, and the Unicode format characters that reorder or hide text (bidi
    /// overrides, zero-width marks), each as `\u{XX}`; a backslash is doubled so the escaping
    /// cannot be faked. For names and bytes from files and peers on their way to a log or an
    /// error line.
    public var printable: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0x00..<0x20, 0x7F..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
