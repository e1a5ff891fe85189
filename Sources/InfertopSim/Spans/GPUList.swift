/// GPU indexes as infertop writes them in `infertop.gpus`: `0-7`, `4-7`, `3`, or `0,2,5`.
enum GPUList {
    static func text(_ indexes: [Int]) -> String {
        let sorted = indexes.sorted()
        guard let first = sorted.first, let last = sorted.last else { return "" }
        if sorted.count == 1 { return String(first) }
        if last - first == sorted.count - 1 { return "\(first)-\(last)" }
        return sorted.map(String.init).joined(separator: ",")
    }
}
