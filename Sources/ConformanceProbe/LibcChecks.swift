import CShimProbe
import Foundation

func homeSummary() -> String {
    let pw = getpwuid(getuid())
    return "NSHomeDirectory=\(NSHomeDirectory()) forCurrentUser=\(FileManager.default.homeDirectoryForCurrentUser.path) user=\(NSUserName()) pwdir=\(cString(pw?.pointee.pw_dir))"
}

func localeSummary() -> String {
    let all = cString(setlocale(LC_ALL, ""))
    var buf = [CChar](repeating: 0, count: 64)
    _ = withVaList([1234.5]) { vsnprintf(&buf, buf.count, "%.1f", $0) }
    return "setlocale=\(all) printf=\(String(cString: buf)) codeset=\(cString(nl_langinfo(nl_item(CODESET)))) foundation=\(Locale.current.identifier)"
}

private func format(_ fmt: String, _ args: [CVarArg]) -> String {
    var buf = [CChar](repeating: 0, count: 256)
    _ = withVaList(args) { vsnprintf(&buf, buf.count, fmt, $0) }
    return String(cString: buf)
}

private struct Pair { var key: Int32; var tag: Int32 }

let libcChecks: [Check] = [
    Check("libc.errno.strerror") {
        [0, EPERM, ENOENT, EACCES, EAGAIN, EINVAL, ENOSYS, ETIMEDOUT, EHOSTUNREACH, 4095].map { code -> String in
            "\(code)=\(String(cString: strerror(code)))"
        }.joined(separator: "; ")
    },
    Check("libc.errno.strerror_r") {
        var buf = [CChar](repeating: 0, count: 128)
        // Swift's Glibc module has no _GNU_SOURCE: this is the XSI
        // strerror_r, which glibc's header redirects to __xpg_strerror_r.
        let rc = strerror_r(ENOENT, &buf, buf.count)
        let unknown = strerror_r(4095, &buf, buf.count)
        return "rc=\(rc) unknownRc=\(unknown) \(String(cString: buf))"
    },
    Check("libc.errno.values") {
        let fd = open("/nonexistent-conformance", O_RDONLY)
        let e1 = errno
        errno = 0
        let r = mkdir("/proc/conformance-denied", 0o755)
        let e2 = errno
        return "open=\(fd)/\(e1) mkdirProc=\(r)/\(e2) EWOULDBLOCK==EAGAIN=\(EWOULDBLOCK == EAGAIN) ENOTSUP=\(ENOTSUP) EOPNOTSUPP=\(EOPNOTSUPP)"
    },
    Check("libc.errno.posixerror") {
        let e = POSIXError(.ENOENT)
        let ns = NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))
        return "\(e.code.rawValue) \(e.localizedDescription) | \(ns.localizedDescription)"
    },
    Check("libc.pwd.getpwuid") {
        guard let pw = getpwuid(getuid()) else { return "nil errno=\(errno)" }
        let byName = getpwnam(pw.pointee.pw_name).map { $0.pointee.pw_uid == getuid() } ?? false
        let gr = getgrgid(getgid()).map { String(cString: $0.pointee.gr_name) } ?? "nil"
        return "\(String(cString: pw.pointee.pw_name)) uid=\(pw.pointee.pw_uid) dir=\(String(cString: pw.pointee.pw_dir)) shell=\(String(cString: pw.pointee.pw_shell)) byName=\(byName) group=\(gr) missing=\(getpwnam("no-such-user-conformance") == nil)"
    },
    Check("libc.pwd.home_from_env") {
        let r = try child("home", environment: environment(setting: ["HOME": "/conformance-home"]))
        return r.stdout.trimmingCharacters(in: .newlines) + (r.status == 0 ? "" : " status=\(r.status)")
    },
    Check("libc.pwd.home_without_env") {
        let r = try child("home", environment: environment(removing: ["HOME"]))
        return r.stdout.trimmingCharacters(in: .newlines) + (r.status == 0 ? "" : " status=\(r.status)")
    },
    Check("libc.getaddrinfo.host_localhost") {
        "\(Host(name: "localhost").addresses.sorted())"
    },
    Check("libc.getaddrinfo.host_reverse") {
        "\(Host(address: "127.0.0.1").names.sorted())"
    },
    Check("libc.getaddrinfo.host_missing") {
        "\(Host(name: "no-such-host.invalid").addresses)"
    },
    Check("libc.getaddrinfo.numeric") {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        var out: [String] = []
        for host in ["127.0.0.1", "::1", "not-numeric"] {
            let rc = getaddrinfo(host, "8080", &hints, &res)
            if rc != 0 { out.append("\(host):rc=\(rc)"); continue }
            var p = res
            while let a = p {
                var hostBuf = [CChar](repeating: 0, count: 64), servBuf = [CChar](repeating: 0, count: 16)
                getnameinfo(a.pointee.ai_addr, a.pointee.ai_addrlen, &hostBuf, 64, &servBuf, 16, NI_NUMERICHOST | NI_NUMERICSERV)
                out.append("\(host):fam=\(a.pointee.ai_family) len=\(a.pointee.ai_addrlen) \(String(cString: hostBuf)):\(String(cString: servBuf)) canon=\(a.pointee.ai_canonname == nil ? "nil" : "set")")
                p = a.pointee.ai_next
            }
            freeaddrinfo(res)
        }
        return out.joined(separator: " ")
    },
    Check("libc.getaddrinfo.gai_strerror") {
        [EAI_NONAME, EAI_AGAIN, EAI_FAIL, EAI_FAMILY, EAI_SERVICE, EAI_SYSTEM].map { "\($0)=\(String(cString: gai_strerror($0)))" }.joined(separator: "; ")
    },
    Check("libc.getrandom") {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = cshim_getrandom(&buf, buf.count, 0)
        var g = SystemRandomNumberGenerator()
        let r = (0..<100).map { _ in Int.random(in: 0..<10, using: &g) }
        return "n=\(n) nonZero=\(buf.contains { $0 != 0 }) inRange=\(r.allSatisfy { (0..<10).contains($0) }) uuidDistinct=\(UUID() != UUID())"
    },
    Check("libc.signal.sigaction") {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in conformanceSignalFlag = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        let rc = sigaction(SIGUSR1, &action, nil)
        // Async code runs on Dispatch worker threads, which block signals:
        // report that, then unblock so raise() reaches the handler.
        var set = sigset_t(); sigemptyset(&set); sigaddset(&set, SIGUSR1)
        var old = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &set, &old)
        let wasBlocked = sigismember(&old, SIGUSR1)
        raise(SIGUSR1)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        raise(SIGUSR1)
        var pending = sigset_t(); sigpending(&pending)
        let isPending = sigismember(&pending, SIGUSR1)
        var sig: Int32 = 0
        sigwait(&set, &sig)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGUSR1, SIG_DFL)
        return "rc=\(rc) blockedOnThisThread=\(wasBlocked) handled=\(conformanceSignalFlag) pending=\(isPending) waited=\(sig) SIGRTMIN..MAX=\(cshim_sigrtmin())..\(cshim_sigrtmax())"
    },
    Check("libc.signal.strsignal") {
        [SIGINT, SIGSEGV, SIGUSR1, SIGCHLD, cshim_sigrtmin() + 1, 99].map { "\($0)=\(cString(strsignal($0)))" }.joined(separator: "; ")
    },
    Check("libc.printf.floats") {
        format("%f|%.3e|%g|%a|%.0f|%.0f|%f|%f|%5.1f|%-6.2f|%+d|%05d|%lld", [1.5, 12345.6789, 0.0001, 1.0, 0.5, 2.5, Double.infinity, -Double.nan, 3.14159, 2.5, 42, 42, Int64.min])
    },
    Check("libc.printf.locale") {
        let name = cString(setlocale(LC_NUMERIC, "de_DE.UTF-8"))
        let s = format("%.2f %'d", [1234.5, 1234567])
        let dot = cString(localeconv().pointee.decimal_point)
        setlocale(LC_NUMERIC, "C")
        return "setlocale=\(name) printf=\(s) decimal_point=\(dot)"
    },
    Check("libc.setlocale.environment") {
        let r = try child("locale", environment: environment(setting: ["LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"]))
        let c = try child("locale", environment: environment(setting: ["LC_ALL": "C.UTF-8"]))
        return "de=\(r.stdout.trimmingCharacters(in: .newlines)) | cutf8=\(c.stdout.trimmingCharacters(in: .newlines))"
    },
    Check("libc.multibyte") {
        setlocale(LC_CTYPE, "C")
        let cMax = __ctype_get_mb_cur_max()
        var wc: wchar_t = 0
        let cLen = mbtowc(&wc, "\u{e9}", 4)
        let cWc = wc
        let utf8 = cString(setlocale(LC_CTYPE, "C.UTF-8"))
        let uLen = mbtowc(&wc, "\u{e9}", 4)
        let width = cshim_wcwidth(0x4e2d)
        setlocale(LC_CTYPE, "C")
        return "C: mbcurmax=\(cMax) mbtowc=\(cLen)/\(String(cWc, radix: 16)) C.UTF-8: setlocale=\(utf8) mbtowc=\(uLen)/\(String(wc, radix: 16)) wcwidth(中)=\(width)"
    },
    Check("libc.iconv") {
        guard let cd = iconv_open("ISO-8859-1", "UTF-8"), Int(bitPattern: cd) != -1 else { return "iconv_open failed errno=\(errno)" }
        defer { iconv_close(cd) }
        var input: [CChar] = "caf\u{e9}".utf8CString.dropLast().map { $0 }
        var out = [CChar](repeating: 0, count: 16)
        var inLeft = input.count, outLeft = out.count
        let rc = input.withUnsafeMutableBufferPointer { ib -> Int in
            out.withUnsafeMutableBufferPointer { ob -> Int in
                var ip = ib.baseAddress, op = ob.baseAddress
                return iconv(cd, &ip, &inLeft, &op, &outLeft)
            }
        }
        let cp = iconv_open("CP1252", "UTF-8")
        let cpOK = cp.map { Int(bitPattern: $0) != -1 } ?? false
        if cpOK, let cp { iconv_close(cp) }
        return "rc=\(rc) out=\(hex(out.prefix(16 - outLeft).map { UInt8(bitPattern: $0) })) cp1252=\(cpOK)"
    },
    Check("libc.qsort_bsearch") {
        var values: [Int32] = [5, -3, 99, 0, 42, 7, -3, 18]
        qsort(&values, values.count, 4) { a, b in
            let x = a!.load(as: Int32.self), y = b!.load(as: Int32.self)
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        var key: Int32 = 42
        let found = bsearch(&key, values, values.count, 4) { a, b in
            let x = a!.load(as: Int32.self), y = b!.load(as: Int32.self)
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        let idx = found.map { f in values.withUnsafeBytes { base in (UnsafeRawPointer(f) - base.baseAddress!) / 4 } } ?? -1
        return "\(values) found@\(idx)"
    },
    Check("libc.qsort.stability") {
        var pairs = (0..<12).map { Pair(key: Int32($0 % 3), tag: Int32($0)) }
        qsort(&pairs, pairs.count, MemoryLayout<Pair>.stride) { a, b in
            let x = a!.load(as: Pair.self).key, y = b!.load(as: Pair.self).key
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        return pairs.map { "\($0.key):\($0.tag)" }.joined(separator: ",")
    },
    Check("libc.strtod") {
        errno = 0
        let a = strtod("0x1p-3", nil), big = strtod("1e400", nil); let e = errno
        let n = strtod("nan(123)", nil), small = strtod("4.9e-325", nil)
        return "\(a) \(big) erange=\(e == ERANGE) \(n.isNaN) \(small) \(strtol("0777", nil, 0)) \(strtoul("-1", nil, 10))"
    },
    Check("libc.regex.posix") {
        var re = regex_t()
        let rc = regcomp(&re, "(a+)(b)?c", REG_EXTENDED)
        var m = [regmatch_t](repeating: regmatch_t(), count: 3)
        let ex = regexec(&re, "xaac", 3, &m, 0)
        var err = [CChar](repeating: 0, count: 64)
        var bad = regex_t()
        let badRc = regcomp(&bad, "(", REG_EXTENDED)
        regerror(badRc, &bad, &err, err.count)
        let nsub = re.re_nsub
        regfree(&re)
        return "rc=\(rc) re_nsub=\(nsub) exec=\(ex) m0=\(m[0].rm_so)-\(m[0].rm_eo) m2=\(m[2].rm_so) bad=\(badRc):\(String(cString: err))"
    },
    Check("libc.glob_fnmatch") {
        try withScratchFolder { dir in
            for n in ["a.txt", "b.txt", "c.md"] { FileManager.default.createFile(atPath: dir.appendingPathComponent(n).path, contents: nil) }
            var g = glob_t()
            let rc = glob(dir.path + "/{a,c}.*", GLOB_BRACE, nil, &g)
            let found = (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0).split(separator: "/").last.map(String.init) ?? "" } }
            globfree(&g)
            var g2 = glob_t()
            let rc2 = glob(dir.path + "/*.txt", 0, nil, &g2)
            let n2 = g2.gl_pathc
            globfree(&g2)
            return "brace=\(rc):\(found) plain=\(rc2):\(n2) fnmatch=\(fnmatch("*.TXT", "a.txt", cshim_fnm_casefold))/\(fnmatch("a/*", "a/b/c", FNM_PATHNAME))"
        }
    },
    Check("libc.dlopen") {
        let me = dlopen(nil, RTLD_NOW)
        let sym = me.flatMap { dlsym($0, "malloc") } != nil
        let lib = dlopen("libm.so.6", RTLD_NOW)
        let err = lib == nil ? cString(dlerror()).split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" : "loaded"
        return "self=\(me != nil) dlsym(malloc)=\(sym) libm=\(err)"
    },
    Check("libc.stdio") {
        var buf: UnsafeMutablePointer<CChar>?
        var size = 0
        guard let f = open_memstream(&buf, &size) else { return "open_memstream failed" }
        fputs("hello ", f); fputs("world", f); fflush(f)
        let first = size
        fclose(f)
        let text = cString(buf); free(buf)
        var line: UnsafeMutablePointer<CChar>?
        var cap = 0
        let mem = fmemopen(strdup("l1\nl2\n"), 6, "r")
        let n = getline(&line, &cap, mem)
        fclose(mem); free(line)
        return "\(text) \(first) getline=\(n) BUFSIZ=\(BUFSIZ) EOF=\(EOF)"
    },
    Check("libc.uname_sysconf") {
        var u = utsname(); uname(&u)
        let sys = withUnsafeBytes(of: &u.sysname) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let machine = withUnsafeBytes(of: &u.machine) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        return "\(sys) \(machine) page=\(sysconf(Int32(_SC_PAGESIZE))) clk=\(sysconf(Int32(_SC_CLK_TCK))) hostmax=\(sysconf(Int32(_SC_HOST_NAME_MAX))) getpagesize=\(getpagesize())"
    },
    Check("libc.clock") {
        var ts = timespec()
        let m = clock_gettime(CLOCK_MONOTONIC, &ts)
        var res = timespec()
        clock_getres(CLOCK_REALTIME, &res)
        var tv = timeval()
        gettimeofday(&tv, nil)
        return "monotonic=\(m) res=\(res.tv_nsec)ns realtime>2020=\(tv.tv_sec > 1_577_836_800)"
    },
    Check("libc.malloc") {
        let p = malloc(100)
        let usable = cshim_malloc_usable_size(p)
        let q = realloc(p, 1 << 20)
        let aligned = aligned_alloc(64, 128)
        let alignOK = Int(bitPattern: aligned) % 64 == 0
        free(q); free(aligned)
        var mp: UnsafeMutableRawPointer?
        let pm = posix_memalign(&mp, 4096, 10)
        free(mp)
        return "usable>=100=\(usable >= 100) realloc=\(q != nil) aligned=\(alignOK) posix_memalign=\(pm) calloc0=\(calloc(0, 1) != nil)"
    },
]

nonisolated(unsafe) var conformanceSignalFlag: Int32 = 0
