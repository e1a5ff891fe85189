import InfertopCore

extension TOMLKeyLocator {
    /// `keys` of `section` in the order the file writes them, so the first mistake is reported first.
    func inFileOrder(_ keys: [String], section: String) -> [String] {
        keys.sorted { a, b in
            let lineA = line(of: a, in: section) ?? Int.max
            let lineB = line(of: b, in: section) ?? Int.max
            return lineA != lineB ? lineA < lineB : a < b
        }
    }
}
