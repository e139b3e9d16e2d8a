import Foundation

/// Debian's source package of a library or of musl, unpacked with Debian's
/// patches applied (`apt-get source --download-only`, then `dpkg-source -x`):
/// how every third-party source reaches the build (musl 1.2.5, c-ares,
/// curl, sqlite3, mimalloc). A tree unpacked before is reused without asking
/// apt; two callers at once share one fetch (the second waits on a lock).
///
/// Which version:
/// - `suite`: a Debian release codename (bookworm, trixie): the newest
///   version that it, its -updates or its -security lists. Default: the
///   system's own release, so adding another release's sources never changes
///   what a plain request fetches.
/// - `version`: exactly that source version; without `suite`, from any
///   release apt knows sources for.
///
/// Where apt finds sources (as root; the system's own entries are never
/// changed), when it lists none yet:
/// - the system's release: /etc/apt/sources.list.d/static-musl-deb-src.sources
///   mirrors the system's Debian "deb" entries as "deb-src";
/// - another release: /etc/apt/sources.list.d/static-musl-SUITE-src.sources,
///   deb-src only, signed by Debian's archive keyring.
/// Then `apt-get update`.
public struct DebianSource: Sendable, Equatable {
    public var package: String
    public var version: String?
    public var suite: String?

    /// `spec` is PACKAGE or PACKAGE=VERSION.
    public init(_ spec: String, suite: String? = nil) throws {
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        package = parts[0]
        version = parts.count == 2 ? parts[1] : nil
        self.suite = suite
        let nameCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.+-")
        guard package.count >= 2, package.first?.isLetter == true || package.first?.isNumber == true,
              package.unicodeScalars.allSatisfy(nameCharacters.contains) else { throw DebianSourceError.badPackage(package) }
        if let version, version.isEmpty { throw DebianSourceError.emptyVersion(spec) }
        if let suite, suite.isEmpty || !suite.allSatisfy({ $0.isASCII && $0.isLowercase }) { throw DebianSourceError.badSuite(suite) }
    }

    /// The system's release codename (/etc/os-release), bookworm when it says none.
    public static var systemSuite: String {
        let text = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        return OSRelease.value("VERSION_CODENAME", in: text).flatMap { $0.isEmpty ? nil : $0 } ?? "bookworm"
    }

    /// The releases whose lists count: the suite, else with a version any (nil), else the system's.
    var matchSuite: String? { suite ?? (version == nil ? Self.systemSuite : nil) }

    // MARK: fetching

    /// Unpacks the package under `folder` and returns the tree's path.
    public func fetch(into folder: String, progress: Progress? = nil) throws -> String {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw DebianSourceError.failed("cannot create \(folder): \(error)")
        }
        let out = URL(fileURLWithPath: folder).standardizedFileURL.path
        let lock = try FileLock(path: out + "/.lock-" + package)
        defer { lock.unlock() }
        if let tree = unpackedTree(in: out) { return tree }
        _ = try SystemPackages.ensure("dpkg-source", package: "dpkg-dev")
        try ensureSourceEntries(progress: progress)
        if let tree = unpackedTree(in: out) { return tree }
        let listed = candidates()
        let versions = version.map { [$0] } ?? listed.map(\.text)
        guard !versions.isEmpty else {
            throw DebianSourceError.notListed("apt lists no source package \(package) for \(matchSuite ?? "any release") (apt-cache madison \(package))")
        }
        if let version, !listed.contains(where: { $0.text == version }) {
            throw DebianSourceError.notListed("apt lists no source \(package)=\(version)\(suite.map { " in \($0)" } ?? "") (it lists: "
                                              + "\(listed.map(\.text).joined(separator: " "))); name its release")
        }
        progress?.note("downloading Debian source package \(package) into \(out) (\(matchSuite ?? "any release"): \(versions.joined(separator: " ")))")
        // The newest first; when its files are missing from the mirror (a
        // security update whose pool is not reachable here), the next one.
        var fetched: DebianVersion?
        for v in versions {
            let r = try ProcessRunner.run("apt-get", ["source", "--download-only", "\(package)=\(v)"], currentDirectory: out, timeout: 900)
            if r.succeeded { fetched = DebianVersion(v); break }
            progress?.note("apt-get source \(package)=\(v) failed; trying the next version")
            let prefix = "\(package)_\(DebianVersion(v).withoutEpoch)."
            for name in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [] where name.hasPrefix(prefix) {
                try? FileManager.default.removeItem(atPath: out + "/" + name)
            }
        }
        guard let fetched else {
            throw DebianSourceError.failed("apt-get source \(package) failed for every version listed: \(versions.joined(separator: " "))")
        }
        let plain = fetched.withoutEpoch
        let dsc = "\(package)_\(plain).dsc", tree = "\(out)/\(package)-\(plain)"
        guard FileManager.default.fileExists(atPath: out + "/" + dsc) else { throw DebianSourceError.failed("no \(dsc) in \(out) after apt-get source") }
        try? FileManager.default.removeItem(atPath: tree)
        let unpack = try ProcessRunner.run("dpkg-source", ["--no-check", "-x", dsc, "\(package)-\(plain)"], currentDirectory: out, timeout: 900)
        guard unpack.succeeded else { throw DebianSourceError.failed("dpkg-source -x \(dsc) failed: \(SysrootError.tail(unpack.stderr, lines: 2))") }
        guard FileManager.default.fileExists(atPath: tree + "/debian") else {
            throw DebianSourceError.failed("the unpacked \(package) has no debian/ folder")
        }
        let from = suite ?? (version != nil ? releaseListing(fetched) : nil) ?? Self.systemSuite
        if from != Self.systemSuite { try from.write(toFile: suiteNote(tree), atomically: true, encoding: .utf8) }
        return tree
    }

    /// Each unpacked tree from another release than the system's has a note
    /// beside it naming that release.
    func suiteNote(_ tree: String) -> String {
        let url = URL(fileURLWithPath: tree)
        return url.deletingLastPathComponent().path + "/.suite-" + url.lastPathComponent
    }

    /// A tree unpacked before (no apt query): the version's, or the newest from the suite.
    func unpackedTree(in out: String) -> String? {
        func isTree(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path + "/debian") }
        if let version {
            let tree = "\(out)/\(package)-\(DebianVersion(version).withoutEpoch)"
            return isTree(tree) ? tree : nil
        }
        let wanted = suite ?? Self.systemSuite
        let trees = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])
            .filter { $0.hasPrefix(package + "-") && isTree(out + "/" + $0) }
            .sorted { DebianVersion(String($0.dropFirst(package.count + 1))) > DebianVersion(String($1.dropFirst(package.count + 1))) }
        return trees.map { out + "/" + $0 }.first { tree in
            let noted = (try? String(contentsOfFile: suiteNote(tree), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            return (noted ?? Self.systemSuite) == wanted
        }
    }

    // MARK: apt's lists

    /// The source versions apt lists for the package in `matchSuite`'s
    /// family, newest first. Reads apt's lists only: no network.
    func candidates() -> [DebianVersion] {
        AptMadison.sources(of: package, in: madison(), suite: matchSuite)
    }

    /// The release (without -updates or -security) whose lists name this version.
    func releaseListing(_ v: DebianVersion) -> String? {
        madison().first { $0.package == package && $0.isSource && $0.version == v.text }?.release
    }

    /// What apt's lists say of the package now (they change when sources are added).
    func madison() -> [AptMadison.Line] {
        AptMadison.parse((try? ProcessRunner.run("apt-cache", ["madison", package], timeout: 120))?.stdout ?? "")
    }

    /// Adds deb-src entries when apt lists no source for the request, then updates apt's lists.
    func ensureSourceEntries(progress: Progress?) throws {
        func listed() -> Bool {
            let found = candidates()
            return version.map { v in found.contains { $0.text == v } } ?? !found.isEmpty
        }
        if listed() { return }
        guard getuid() == 0 else {
            throw DebianSourceError.notListed("apt lists no source of \(package)\(version.map { "=" + $0 } ?? "") for "
                                              + "\(matchSuite ?? "any release") and this is not root: add a deb-src entry for it (docs/sysroot.md)")
        }
        // One caller at a time edits the lists and updates.
        let lock = try FileLock(path: NSTemporaryDirectory() + ".static-musl-apt-sources.lock")
        defer { lock.unlock() }
        let lists = AptSourceLists()
        let added: Bool
        if let suite, suite != Self.systemSuite {
            added = try lists.addRelease(suite, progress: progress)
        } else {
            added = try lists.addSystemMirror(suite: Self.systemSuite, progress: progress)
        }
        // Someone else may have added and updated while we waited.
        if added || !listed() { lists.update(progress: progress) }
    }
}

/// `apt-cache madison PACKAGE`, one line per version and list:
/// `  musl | 1.2.5-3.1~deb13u1 | http://deb.debian.org/debian trixie/main Sources`.
public enum AptMadison {
    public struct Line: Equatable, Sendable {
        public var package: String
        public var version: String
        /// "trixie-security"
        public var dist: String
        public var isSource: Bool
        /// The dist without -updates or -security: "trixie".
        public var release: String {
            for suffix in ["-updates", "-security"] where dist.hasSuffix(suffix) { return String(dist.dropLast(suffix.count)) }
            return dist
        }
    }

    public static func parse(_ text: String) -> [Line] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { return nil }
            let words = fields[2].split(separator: " ")
            guard words.count >= 2 else { return nil }
            let dist = String(words[1].split(separator: "/").first ?? "")
            return Line(package: fields[0], version: fields[1], dist: dist, isSource: words.last == "Sources")
        }
    }

    /// The source versions of `package` in `suite`'s family (nil: any), newest first, each once.
    public static func sources(of package: String, in lines: [Line], suite: String?) -> [DebianVersion] {
        let versions = lines.filter { $0.package == package && $0.isSource && (suite == nil || $0.release == suite) }.map(\.version)
        return Array(Set(versions)).map(DebianVersion.init).sorted(by: >)
    }
}

/// The project's own files under /etc/apt/sources.list.d: deb-src entries,
/// added only when needed. The system's own entries are never changed.
struct AptSourceLists {
    var folder = "/etc/apt/sources.list.d"
    var keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"

    /// The system's Debian "deb" entries (deb822 files naming deb.debian.org
    /// or security.debian.org), mirrored as "deb-src"; a plain entry for
    /// `suite` when there is none.
    static func systemMirror(_ files: [String], suite: String, keyring: String) -> String {
        let mirrored = files.filter { $0.contains("deb.debian.org") || $0.contains("security.debian.org") }.map { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("Types:") ? "Types: deb-src" : String($0) }
                .joined(separator: "\n") + "\n"
        }
        if mirrored.isEmpty { return "Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: \(suite)\nComponents: main\nSigned-By: \(keyring)\n" }
        return mirrored.joined()
    }

    /// deb-src entries for another release: `suites` from the main archive
    /// (the release, and -updates when the mirror has it), then -security when it has that.
    static func release(_ suite: String, suites: [String], security: Bool, keyring: String) -> String {
        var text = "Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: \(suites.joined(separator: " "))\nComponents: main\nSigned-By: \(keyring)\n"
        if security {
            text += "\nTypes: deb-src\nURIs: http://deb.debian.org/debian-security\nSuites: \(suite)-security\nComponents: main\nSigned-By: \(keyring)\n"
        }
        return text
    }

    /// Returns false when the file was there already.
    func addSystemMirror(suite: String, progress: Progress?) throws -> Bool {
        let file = folder + "/static-musl-deb-src.sources"
        guard !FileManager.default.fileExists(atPath: file) else { return false }
        progress?.note("adding deb-src entries in \(file)")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            .filter { $0.hasSuffix(".sources") && !$0.hasPrefix("static-musl-") }
        let texts = names.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
        try write(Self.systemMirror(texts, suite: suite, keyring: keyring), to: file)
        return true
    }

    func addRelease(_ suite: String, progress: Progress?) throws -> Bool {
        let file = folder + "/static-musl-\(suite)-src.sources"
        guard !FileManager.default.fileExists(atPath: file) else { return false }
        guard FileManager.default.fileExists(atPath: keyring) else {
            throw DebianSourceError.failed("\(keyring) is missing: apt-get install debian-archive-keyring")
        }
        if let gpg = try? ProcessRunner.run("gpg", ["--no-default-keyring", "--keyring", keyring, "--list-keys"], timeout: 60), gpg.succeeded,
           !gpg.stdout.lowercased().contains("(\(suite))"), !gpg.stdout.lowercased().contains("/\(suite))") {
            throw DebianSourceError.failed("\(keyring) has no key for \(suite): install a newer debian-archive-keyring")
        }
        var suites = [suite]
        if resolves("http://deb.debian.org/debian", "\(suite)-updates") { suites.append("\(suite)-updates") }
        let security = resolves("http://deb.debian.org/debian-security", "\(suite)-security")
        progress?.note("adding deb-src entries for \(suite) in \(file) (\(suites.joined(separator: " ")))")
        try write(Self.release(suite, suites: suites, security: security, keyring: keyring), to: file)
        return true
    }

    /// Does the mirror have dists/SUITE? (Its InRelease, fetched by apt's own helper.)
    func resolves(_ uri: String, _ suite: String) -> Bool {
        let temporary = NSTemporaryDirectory() + "static-musl-inrelease-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        guard let r = try? ProcessRunner.run("/usr/lib/apt/apt-helper", ["download-file", "\(uri)/dists/\(suite)/InRelease", temporary],
                                             timeout: 120), r.succeeded else { return false }
        return ((try? FileManager.default.attributesOfItem(atPath: temporary))?[.size] as? Int ?? 0) > 0
    }

    /// `apt-get update`, retried: a mirror may refuse for a while.
    func update(progress: Progress?) {
        for attempt in 1...6 {
            if let r = try? ProcessRunner.run("apt-get", ["update", "-o", "DPkg::Lock::Timeout=60"], timeout: 900), r.succeeded { return }
            progress?.note("apt-get update failed (try \(attempt)), retrying in 10 s")
            if attempt < 6 { Thread.sleep(forTimeInterval: 10) }
        }
    }

    private func write(_ text: String, to file: String) throws {
        do { try text.write(toFile: file, atomically: true, encoding: .utf8) } catch {
            throw DebianSourceError.failed("cannot write \(file): \(error)")
        }
    }
}

/// /etc/os-release's `KEY=value` lines (values may be quoted).
enum OSRelease {
    static func value(_ key: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(key + "=") {
            return String(line.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }
}

public enum DebianSourceError: Error, CustomStringConvertible, Equatable {
    case badPackage(String)
    case emptyVersion(String)
    case badSuite(String)
    case notListed(String)
    case failed(String)

    public var description: String {
        switch self {
        case .badPackage(let name): return "bad package name '\(name)'"
        case .emptyVersion(let spec): return "empty version in '\(spec)'"
        case .badSuite(let suite): return "bad suite '\(suite)': a release codename such as bookworm or trixie"
        case .notListed(let why), .failed(let why): return why
        }
    }
}
