import Foundation

/// Finds which of a fixed set of byte strings (libc and Swift runtime
/// markers) occur in a buffer, in one pass for all of them (Wu–Manber: a
/// shift table over 2-byte blocks skips most of the bytes). Needles of 16
/// bytes or more get their own table with a longer window, so short needles
/// do not slow down the search for long ones.
struct MarkerScanner {
    let needles: [[UInt8]]
    let longest: Int
    private let groups: [ShiftTable]

    /// - Parameter needles: each at least 2 bytes long.
    init(_ needles: [[UInt8]]) {
        precondition(needles.allSatisfy { $0.count >= 2 }, "marker needles are at least 2 bytes")
        self.needles = needles
        self.longest = needles.map(\.count).max() ?? 2
        let indices = Array(needles.indices)
        groups = [indices.filter { needles[$0].count < 16 }, indices.filter { needles[$0].count >= 16 }]
            .filter { !$0.isEmpty }
            .map { ShiftTable(needles: needles, members: $0) }
    }

    /// Marks in `found` every needle that starts inside `buffer` and ends inside it.
    func scan(_ buffer: UnsafeRawBufferPointer, into found: inout [Bool]) {
        for group in groups { group.scan(buffer, needles: needles, into: &found) }
    }

    /// One Wu–Manber table over some of the needles.
    struct ShiftTable {
        /// The shortest member's length (at most 255).
        let window: Int
        /// How far the window may move when it ends with a 2-byte block.
        let shift: [UInt8]
        /// For a block with shift 0: 1 + the first member ending its window with it (0: none).
        let firstCandidate: [UInt8]
        /// 1 + the next member with the same final block (0: none), by member position.
        let nextCandidate: [UInt8]
        let members: [Int]

        init(needles: [[UInt8]], members: [Int]) {
            self.members = members
            let window = min(members.map { needles[$0].count }.min() ?? 2, 255)
            self.window = window
            var shift = [UInt8](repeating: UInt8(window - 1), count: 1 << 16)
            var first = [UInt8](repeating: 0, count: 1 << 16)
            var next = [UInt8](repeating: 0, count: members.count)
            for (position, k) in members.enumerated() {
                let needle = needles[k]
                for j in 1..<window {
                    let block = Int(needle[j - 1]) | Int(needle[j]) << 8
                    shift[block] = min(shift[block], UInt8(window - 1 - j))
                }
                let last = Int(needle[window - 2]) | Int(needle[window - 1]) << 8
                next[position] = first[last]
                first[last] = UInt8(position + 1)
            }
            self.shift = shift; self.firstCandidate = first; self.nextCandidate = next
        }

        func scan(_ buffer: UnsafeRawBufferPointer, needles: [[UInt8]], into found: inout [Bool]) {
            guard let base = buffer.baseAddress, buffer.count >= window else { return }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            let count = buffer.count, window = self.window
            shift.withUnsafeBufferPointer { shift in
                firstCandidate.withUnsafeBufferPointer { first in
                    var i = window - 1
                    while i < count {
                        let block = Int(bytes[i - 1]) | Int(bytes[i]) << 8
                        let distance = Int(shift[block])
                        if distance > 0 { i += distance; continue }
                        let start = i - (window - 1)
                        var candidate = Int(first[block])
                        while candidate != 0 {
                            let k = members[candidate - 1]
                            let needle = needles[k]
                            if !found[k], start + needle.count <= count,
                               needle.withUnsafeBytes({ n in n.baseAddress.map { memcmp(base + start, $0, needle.count) == 0 } ?? false }) {
                                found[k] = true
                            }
                            candidate = Int(nextCandidate[candidate - 1])
                        }
                        i += 1
                    }
                }
            }
        }
    }

    /// Which needles occur in the file ranges `regions` of `source`, read in
    /// bounded chunks (a needle across two chunks is still found).
    func scan(_ regions: [Range<Int>], in source: ELFByteSource) throws -> [Bool] {
        var found = [Bool](repeating: false, count: needles.count)
        for region in regions {
            try ChunkedRegion.forEachChunk(of: region, in: source, overlap: longest - 1) { chunk, _ in
                chunk.withUnsafeBytes { scan($0, into: &found) }
                return found.contains(false)
            }
            if !found.contains(false) { break }
        }
        return found
    }
}
