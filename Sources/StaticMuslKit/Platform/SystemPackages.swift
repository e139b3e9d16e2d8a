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
