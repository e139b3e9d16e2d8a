import Foundation

/// Everything that can go wrong while attributing a binary's bytes or
/// writing an image; each case names the file and why.
public enum SizeError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case notALinkMap(path: String)
    case notAnELF(path: String, reason: String)
    case mapDoesNotMatch(binary: String, map: String, reason: String)
    case noLinkMap(binary: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read \(path): missing or not readable"
        case .notALinkMap(let path):
            return "\(path) is not a GNU ld or gold link map (no 'Archive member included' or memory map section); pass the file written by -Wl,-Map"
        case .notAnELF(let path, let reason): return "\(path) is not an ELF executable: \(reason)"
        case .mapDoesNotMatch(let binary, let map, let reason):
            return "link map \(map) does not describe \(binary): \(reason)"
        case .noLinkMap(let binary):
            return "no link map for \(binary): expected \(binary).map beside it (build-static.sh keeps one per variant) or pass --map FILE"
        case .unwritable(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
