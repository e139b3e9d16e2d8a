// The Embedded Swift probe: no runtime, no Foundation, no existentials.
// build-static.sh compiles it with -enable-experimental-feature Embedded
// -wmo and links it with musl-gcc -static. It prints deterministic output.

@_extern(c, "putchar") func putchar(_ c: Int32) -> Int32

func write(_ s: String) {
    for byte in s.utf8 { _ = putchar(Int32(byte)) }
}

struct Fibonacci: Sequence, IteratorProtocol {
    var a = 0, b = 1
    mutating func next() -> Int? { defer { (a, b) = (b, a + b) }; return a }
}

write("embedded-probe: Embedded Swift on musl\n")
let fibs = Array(Fibonacci().prefix(10))
var line = "fib:"
for f in fibs { line += " \(f)" }
write(line + "\n")
let word = "Grüße"
write("utf8-count: \(word.utf8.count) chars: \(word.count)\n")
var sorted = [5, 3, 9, 1, 7]
sorted.sort()
var s = "sorted:"
for v in sorted { s += " \(v)" }
write(s + "\n")
