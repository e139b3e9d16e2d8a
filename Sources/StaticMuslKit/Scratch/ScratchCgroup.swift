import Foundation

/// One limit a scratch run asked for, and whether it holds: `scratch
/// --json` lists them all under "limits", so a limit that could not be
/// applied is never silently missing.
public struct ScratchLimit: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case disk             // the root's tmpfs size
        case pids             // the cgroup's pids.max
        case memory           // the cgroup's memory limit
        case capabilities     // Docker's default set, or all of them (--privileged)
        case noNewPrivs = "no_new_privs"
    }

    public var kind: Kind
    /// The value asked for: "268435456" (bytes), "1024", "docker-default", "all", "on"; "none" when not asked for.
    public var value: String
    public var applied: Bool
    /// How it is applied (the tmpfs, the cgroup folder), or why it is not.
    public var detail: String

    public init(_ kind: Kind, value: String, applied: Bool, detail: String) {
        self.kind = kind; self.value = value; self.applied = applied; self.detail = detail
    }
}

/// A cgroup made for one scratch run: one folder with cgroup v2, one per
/// controller (pids, memory) with v1 (this machine's hybrid mode mounts the
/// v1 controllers under /sys/fs/cgroup/<controller> and an empty cgroup2
/// at /sys/fs/cgroup/unified). Each folder is made under the cgroup the
/// caller is in, so limits set above us still hold. The sandbox writes
/// itself into `procsFiles` before anything else; `remove` deletes the
/// folders once it has exited.
struct ScratchCgroup: Sendable {
    enum Version: String, Sendable { case v1, v2 }

    /// The folders made, deepest last (removed in reverse).
    private(set) var folders: [String] = []
    /// cgroup.procs of each folder, for the sandbox to join.
    private(set) var procsFiles: [String] = []
    /// What was asked for and what holds.
    private(set) var limits: [ScratchLimit] = []

    /// A cgroup mount point: its path, the controllers it carries (v1) and
    /// the cgroup path it shows as its root.
    struct Mount: Equatable {
        var version: Version
        var point: String
        var root: String
        var controllers: Set<String>
    }

    /// Makes the run's cgroup(s) and applies the limits that are asked for
    /// (nil: not asked for). Never throws: each limit records whether it
    /// holds, and why not.
    static func create(name: String, pids: Int?, memoryBytes: UInt64?,
                       mountinfo: String = readFile("/proc/self/mountinfo"),
                       membership: String = readFile("/proc/self/cgroup")) -> ScratchCgroup {
        var group = ScratchCgroup()
        let mounts = parseMounts(mountinfo)
        let paths = parseMembership(membership)
        let asked: [(controller: String, kind: ScratchLimit.Kind, value: String?)] = [
            ("pids", .pids, pids.map(String.init)), ("memory", .memory, memoryBytes.map(String.init)),
        ]
        for (controller, kind, value) in asked {
            guard let value else {
                group.limits.append(ScratchLimit(kind, value: "none", applied: false, detail: "not asked for"))
                continue
            }
            switch group.apply(controller, value: value, name: name, mounts: mounts, paths: paths) {
            case .success(let detail): group.limits.append(ScratchLimit(kind, value: value, applied: true, detail: detail))
            case .failure(let why): group.limits.append(ScratchLimit(kind, value: value, applied: false, detail: why.message))
            }
        }
        return group
    }

    struct NotApplied: Error { var message: String }

    /// The folders under which runs' cgroups are made (one per v1
    /// controller, or the v2 one): where to look for leftovers.
    static func parentFolders(mountinfo: String = readFile("/proc/self/mountinfo"),
                              membership: String = readFile("/proc/self/cgroup")) -> [String] {
        let mounts = parseMounts(mountinfo), paths = parseMembership(membership)
        var parents: [String] = []
        for controller in ["pids", "memory"] {
            if let v1 = mounts.first(where: { $0.version == .v1 && $0.controllers.contains(controller) }) {
                parents.append(join(v1.point, relative(paths[controller] ?? "/", to: v1.root)))
            } else if let v2 = mounts.first(where: { $0.version == .v2 }) {
                parents.append(join(v2.point, relative(paths[""] ?? "/", to: v2.root)))
            }
        }
        return Array(Set(parents)).sorted()
    }

    private mutating func apply(_ controller: String, value: String, name: String, mounts: [Mount],
                                paths: [String: String]) -> Result<String, NotApplied> {
        if let v1 = mounts.first(where: { $0.version == .v1 && $0.controllers.contains(controller) }) {
            let own = paths[controller] ?? "/"
            let folder = Self.join(v1.point, Self.relative(own, to: v1.root), name)
            let file = controller == "pids" ? "pids.max" : "memory.limit_in_bytes"
            return make(folder).flatMap { write(value, to: folder + "/" + file) }.flatMap {
                if controller == "memory" {
                    // No swap to escape the limit into (absent without swap accounting: ignored).
                    _ = try? value.write(toFile: folder + "/memory.memsw.limit_in_bytes", atomically: false, encoding: .utf8)
                }
                return .success("cgroup v1 \(folder)/\(file)")
            }
        }
        guard let v2 = mounts.first(where: { $0.version == .v2 }) else {
            return .failure(NotApplied(message: "no cgroup hierarchy carries the \(controller) controller (none in /proc/self/mountinfo)"))
        }
        let parent = Self.join(v2.point, Self.relative(paths[""] ?? "/", to: v2.root))
        let available = Self.readFile(parent + "/cgroup.controllers").split(whereSeparator: \.isWhitespace).map(String.init)
        guard available.contains(controller) else {
            return .failure(NotApplied(message: "cgroup v2 at \(parent) does not offer the \(controller) controller (cgroup.controllers: \(available.joined(separator: " ")))"))
        }
        let enabled = Self.readFile(parent + "/cgroup.subtree_control").split(whereSeparator: \.isWhitespace).map(String.init)
        if !enabled.contains(controller), case .failure(let why) = write("+" + controller, to: parent + "/cgroup.subtree_control") {
            // cgroup v2's "no internal processes" rule: a cgroup that holds
            // processes (ours) cannot hand controllers to its children.
            return .failure(NotApplied(message: "cannot enable \(controller) for children of \(parent): \(why.message)"))
        }
        let folder = Self.join(parent, name)
        let file = controller == "pids" ? "pids.max" : "memory.max"
        return make(folder).flatMap { write(value, to: folder + "/" + file) }.flatMap {
            if controller == "memory" { _ = try? "0".write(toFile: folder + "/memory.swap.max", atomically: false, encoding: .utf8) }
            return .success("cgroup v2 \(folder)/\(file)")
        }
    }

    private mutating func make(_ folder: String) -> Result<Void, NotApplied> {
        if folders.contains(folder) { return .success(()) }
        guard mkdir(folder, 0o755) == 0 else {
            return .failure(NotApplied(message: "cannot create the cgroup \(folder): \(errnoDescription())"))
        }
        folders.append(folder)
        procsFiles.append(folder + "/cgroup.procs")
        return .success(())
    }

    private func write(_ value: String, to file: String) -> Result<Void, NotApplied> {
        let fd = open(file, O_WRONLY)
        guard fd >= 0 else { return .failure(NotApplied(message: "cannot open \(file): \(errnoDescription())")) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        guard Foundation.write(fd, bytes, bytes.count) == bytes.count else {
            return .failure(NotApplied(message: "cannot write \(value) to \(file): \(errnoDescription())"))
        }
        return .success(())
    }

    /// How many times the kernel's OOM killer acted in the run's memory
    /// cgroup (v1 memory.oom_control, v2 memory.events); 0 when unknown.
    func oomKills() -> Int {
        for folder in folders {
            for file in ["memory.oom_control", "memory.events"] {
                for line in Self.readFile(folder + "/" + file).split(separator: "\n") where line.hasPrefix("oom_kill ") {
                    return Int(line.split(separator: " ").last ?? "") ?? 0
                }
            }
        }
        return 0
    }

    /// Removes the folders (a cgroup folder is removed with rmdir, and only
    /// once no process is left in it: retried for up to `patience` seconds
    /// while the sandbox's last processes are reaped). Returns one line per
    /// folder that is still there.
    func remove(patience: Double = 3) -> [String] {
        var problems: [String] = []
        for folder in folders.reversed() {
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(patience * 1e9)
            var result = rmdir(folder)
            var failure = errno
            while result != 0, failure == EBUSY, DispatchTime.now().uptimeNanoseconds < deadline {
                usleep(20_000)
                result = rmdir(folder)
                failure = errno
            }
            if result != 0, failure != ENOENT {
                problems.append("cannot remove the cgroup \(folder): \(String(cString: strerror(failure)))")
            }
        }
        return problems
    }

    // MARK: Parsing

    /// The cgroup mounts in a mountinfo text: "id parent dev root point
    /// options [optional...] - fstype source superoptions".
    static func parseMounts(_ mountinfo: String) -> [Mount] {
        mountinfo.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, fields.count > dash + 3 else { return nil }
            let type = fields[dash + 1]
            let point = unescape(fields[4]), root = unescape(fields[3])
            if type == "cgroup2" { return Mount(version: .v2, point: point, root: root, controllers: []) }
            guard type == "cgroup" else { return nil }
            let options = Set(fields[dash + 3].split(separator: ",").map(String.init))
            return Mount(version: .v1, point: point, root: root, controllers: options.intersection(["pids", "memory"]))
        }
    }

    /// /proc/self/cgroup → controller → path ("" for the v2 line "0::/path").
    static func parseMembership(_ text: String) -> [String: String] {
        var paths: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            if parts[1].isEmpty { paths[""] = parts[2]; continue }
            for controller in parts[1].split(separator: ",") { paths[String(controller)] = parts[2] }
        }
        return paths
    }

    /// `path` as seen below a mount whose root is `root` (in a container,
    /// the mount's root is the container's own cgroup).
    static func relative(_ path: String, to root: String) -> String {
        if root == "/" { return path }
        if path == root { return "/" }
        if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count)) }
        return path
    }

    static func join(_ parts: String...) -> String {
        let joined = parts.filter { !$0.isEmpty && $0 != "/" }.joined(separator: "/")
        return "/" + joined.split(separator: "/").joined(separator: "/")
    }

    /// mountinfo escapes space, tab, newline and backslash as \ooo.
    static func unescape(_ field: String) -> String {
        field.replacingOccurrences(of: "\\040", with: " ").replacingOccurrences(of: "\\011", with: "\t")
            .replacingOccurrences(of: "\\012", with: "\n").replacingOccurrences(of: "\\134", with: "\\")
    }

    static func readFile(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
