import Foundation

/// Makes a command available the way the project's scripts do: when it is
/// missing and we are root with apt-get, install its Debian package;
/// otherwise fail with an error that names the package.
public enum SystemPackages {
    public struct Missing: Error, CustomStringConvertible {
        public var tool: String
        public var package: String
        public var why: String
        public var description: String { "\(tool) is missing: install the Debian package '\(package)' (\(why))" }
    }

    private static let lock = NSLock()

    @discardableResult
    public static func ensure(_ tool: String, package: String) throws -> String {
        if let path = ProcessRunner.which(tool) { return path }
        lock.lock(); defer { lock.unlock() }
        if let path = ProcessRunner.which(tool) { return path }
        guard geteuid() == 0, ProcessRunner.which("apt-get") != nil else {
            throw Missing(tool: tool, package: package, why: "not root, or no apt-get: cannot install it here")
        }
        FileHandle.standardError.write("[static-musl] \(tool) is missing: installing the Debian package '\(package)'\n".data(using: .utf8)!)
        let env = ["DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        var r = try ProcessRunner.run("apt-get", ["install", "-y", "-qq", package], environment: env, timeout: 900)
        if !r.succeeded {
            _ = try? ProcessRunner.run("apt-get", ["update", "-qq"], environment: env, timeout: 600)
            r = try ProcessRunner.run("apt-get", ["install", "-y", "-qq", package], environment: env, timeout: 900)
        }
        guard r.succeeded, let path = ProcessRunner.which(tool) else {
            throw Missing(tool: tool, package: package, why: "apt-get install failed: \(r.stderr.split(separator: "\n").last ?? "")")
        }
        return path
    }
}

/// The glibc variants link the system's C libraries, which SwiftPM finds
/// only when their Debian -dev package is installed: a URLSession product
/// needs libcurl's, a systemLibrary target on SQLite needs libsqlite3's.
extension SystemPackages {
    /// What a failed SwiftPM build lacked, by the library's link name.
    static let developmentPackages: [String: String] = [
        "curl": "libcurl4-openssl-dev", "xml2": "libxml2-dev", "sqlite3": "libsqlite3-dev", "z": "zlib1g-dev",
    ]
    /// Headers whose absence names the same packages.
    static let headerLinkNames: [String: String] = [
        "curl/curl.h": "curl", "libxml/parser.h": "xml2", "libxml/xmlversion.h": "xml2", "sqlite3.h": "sqlite3", "zlib.h": "z",
    ]

    /// The -dev packages a compiler or linker log asks for: `cannot find
    /// -lcurl` (bfd, gold), `unable to find library -lcurl` (lld),
    /// `'sqlite3.h' file not found` (clang).
    public static func developmentPackages(wantedBy log: String) -> [String] {
        var names: [String] = []
        for line in log.split(separator: "\n") {
            for (name, _) in developmentPackages
            where mentions(line, "cannot find -l\(name)") || mentions(line, "find library -l\(name)") {
                names.append(name)
            }
            for (header, name) in headerLinkNames where line.contains("'\(header)' file not found") || line.contains("\(header): No such file") {
                names.append(name)
            }
        }
        return Array(Set(names.compactMap { developmentPackages[$0] })).sorted()
    }

    /// `line` contains `phrase` as a whole word: `-lcurl`, not `-lcurlpp`.
    static func mentions(_ line: Substring, _ phrase: String) -> Bool {
        var rest = line[...]
        while let r = rest.range(of: phrase) {
            if r.upperBound == rest.endIndex || [":", " ", "'", "\""].contains(rest[r.upperBound]) { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }

    /// Installs Debian packages (root with apt-get), or throws naming them.
    public static func install(_ packages: [String], forWhat: String) throws {
        guard !packages.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        guard geteuid() == 0, ProcessRunner.which("apt-get") != nil else {
            throw Missing(tool: forWhat, package: packages.joined(separator: " "), why: "not root, or no apt-get: cannot install it here")
        }
        FileHandle.standardError.write(Data("[static-musl] \(forWhat) needs \(packages.joined(separator: ", ")): installing\n".utf8))
        let env = ["DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        var r = try ProcessRunner.run("apt-get", ["install", "-y", "-qq"] + packages, environment: env, timeout: 900)
        if !r.succeeded {
            _ = try? ProcessRunner.run("apt-get", ["update", "-qq"], environment: env, timeout: 600)
            r = try ProcessRunner.run("apt-get", ["install", "-y", "-qq"] + packages, environment: env, timeout: 900)
        }
        guard r.succeeded else {
            throw Missing(tool: forWhat, package: packages.joined(separator: " "),
                          why: "apt-get install failed: \(r.stderr.split(separator: "\n").last ?? "")")
        }
    }
}
