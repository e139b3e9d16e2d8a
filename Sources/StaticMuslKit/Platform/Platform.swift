// The only file that imports the C library module. Everything else in
// StaticMuslKit imports Foundation (or nothing) and uses these re-exports.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#endif
// The libc name and version, from CShim's platform target: an
// implementation detail, not re-exported to the kit's clients.
internal import CShimPlatform

/// The libc this StaticMuslKit build runs on, as CShim was compiled.
public enum HostLibc {
    public static var name: String { String(cString: cshim_libc_name()) }
    public static var version: String { String(cString: cshim_libc_version()) }
}

/// errno as a readable string, for error messages.
func errnoDescription(_ code: Int32 = errno) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
