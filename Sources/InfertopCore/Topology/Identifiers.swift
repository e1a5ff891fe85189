/// The name of one node (host) in the cluster, such as `node-07`.
///
/// Names order naturally: `node-2` sorts before `node-10`.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }

    public var description: String { name }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        lhs.name.compare(naturally: rhs.name) < 0
    }
}

/// One accelerator: the node it sits in and its index there (as `nvidia-smi` numbers it).
public struct GPUID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let node: NodeID
    public let index: Int

    public init(node: NodeID, index: Int) {
        self.node = node
        self.index = index
    }

    /// `node-07 gpu5`: the words an operator uses.
    public var description: String { "\(node.name) gpu\(index)" }

    public static func < (lhs: GPUID, rhs: GPUID) -> Bool {
        lhs.node == rhs.node ? lhs.index < rhs.index : lhs.node < rhs.node
    }
}

extension String {
    /// Compares two strings so that runs of digits compare by value (`n2` < `n10`).
    public func compare(naturally other: String) -> Int {
        var a = unicodeScalars.makeIterator()
        var b = other.unicodeScalars.makeIterator()
        var ca = a.next()
        var cb = b.next()
        while let x = ca, let y = cb {
            if x.properties.numericType != nil, y.properties.numericType != nil,
                let dx = Int(String(x)), let dy = Int(String(y))
            {
                var nx = dx
                var ny = dy
                ca = a.next()
                while let c = ca, let d = Int(String(c)) {
                    nx = nx &* 10 &+ d
                    ca = a.next()
                }
                cb = b.next()
                while let c = cb, let d = Int(String(c)) {
                    ny = ny &* 10 &+ d
                    cb = b.next()
                }
                if nx != ny { return nx < ny ? -1 : 1 }
                continue
            }
            if x != y { return x.value < y.value ? -1 : 1 }
            ca = a.next()
            cb = b.next()
        }
        if ca == nil && cb == nil { return 0 }
        return ca == nil ? -1 : 1
    }
}
