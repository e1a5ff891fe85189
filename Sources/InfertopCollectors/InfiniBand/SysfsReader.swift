import InfertopCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What reading one sysfs file gave: its trimmed text, nothing there, or a failure in words.
enum SysfsText: Equatable, Sendable {
    case text(String)
    case missing
    case failed(String)
}

/// Plain POSIX access to sysfs files and folders, without Foundation.
///
/// sysfs files report a size of 4096 whatever they hold and some fail on read (a counter the
/// hardware lacks answers EIO), so they are read with `read(2)` until end of file and every
/// failure is turned into a value rather than thrown.
enum Sysfs {
    /// The trimmed content of `path`; `missing` when the path does not exist.
    static func readFile(_ path: String) -> SysfsText {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .missing : .failed(describe(code))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(describe(errno))
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return .text(text.trimmedForSysfs())
    }

    /// The names in folder `path`, sorted naturally (`card2` before `card10`); nil when it is
    /// not a readable folder.
    static func entries(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.compare(naturally: $1) < 0 }
    }

    /// `root` and the parts joined with single slashes.
    static func path(_ root: String, _ parts: String...) -> String {
        var out = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        for part in parts {
            let trimmed = part.hasPrefix("/") ? String(part.dropFirst()) : part
            out += out.hasSuffix("/") ? trimmed : "/" + trimmed
        }
        return out
    }

    private static func describe(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "errno \(code)"
    }
}

/// Reads sysfs values, turning unreadable files and garbage into lines in `errors`.
///
/// A missing file is not an error: drivers and kernels differ in what they expose.
struct SysfsReader {
    var errors: [String] = []

    mutating func text(_ path: String) -> String? {
        switch Sysfs.readFile(path) {
        case .text(let text): return text
        case .missing: return nil
        case .failed(let why):
            errors.append("\(path): \(why)")
            return nil
        }
    }

    /// A decimal (or `0x` hex) unsigned number; `N/A ...` (a counter without a PMA) is skipped.
    mutating func unsigned(_ path: String) -> UInt64? {
        guard let text = text(path), !text.hasPrefix("N/A") else { return nil }
        let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        if value == nil { errors.append("\(path): not a number: \"\(text.prefix(40))\"") }
        return value
    }

    /// A decimal signed number (temperatures may be negative).
    mutating func signed(_ path: String) -> Int64? {
        guard let text = text(path), !text.hasPrefix("N/A") else { return nil }
        let value = Int64(text)
        if value == nil { errors.append("\(path): not a number: \"\(text.prefix(40))\"") }
        return value
    }
}

extension String {
    /// The string without leading and trailing blanks, newlines and NULs.
    fileprivate func trimmedForSysfs() -> String {
        let drop: Set<Character> = [" ", "\t", "\r", "\n", "\r\n", "\0"]
        guard let start = firstIndex(where: { !drop.contains($0) }),
            let end = lastIndex(where: { !drop.contains($0) })
        else { return "" }
        return String(self[start...end])
    }
}
