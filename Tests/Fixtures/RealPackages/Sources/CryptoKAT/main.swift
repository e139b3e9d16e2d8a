// crypto-kat: known-answer tests for swift-crypto (backed by its vendored
// BoringSSL on Linux). Every check computes a value from fixed inputs, compares
// it with the expected constant embedded below (published vectors where they
// exist: FIPS 180-2, RFC 4231, RFC 5869, the GCM spec, RFC 8439, RFC 7748,
// RFC 8032, RFC 6979) and prints one line `name: value`. stdout is therefore
// identical between runs, machines and libcs; any mismatch exits 1 with a
// line on stderr. ECDSA signing is randomized, so the P-256 checks print only
// the derived public key and verification results, never a fresh signature.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

let timeoutSeconds: UInt32 = 60

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        fputs(string, stderr)
    }
}

func fail(_ message: String) -> Never {
    var errorStream = StandardError()
    print("crypto-kat: error: \(message)", to: &errorStream)
    exit(1)
}

func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Decodes a hex literal; spaces are ignored so long vectors can be grouped.
func bytes(_ hexString: String) -> [UInt8] {
    let nibbles = hexString.utf8.filter { $0 != UInt8(ascii: " ") }.map { char -> UInt8 in
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
        default: fail("bad hex digit in embedded constant: \(hexString)")
        }
    }
    guard nibbles.count % 2 == 0 else { fail("odd-length hex constant: \(hexString)") }
    return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
}

func data(_ hexString: String) -> Data {
    Data(bytes(hexString))
}

var checkCount = 0

/// Compares a computed value with its expected constant, then prints `name: value`.
func check(_ name: String, _ actual: String, expected: String) {
    let want = expected.lowercased().filter { $0 != " " }
    guard actual == want else {
        fail("\(name): got \(actual), expected \(want)")
    }
    checkCount += 1
    print("\(name): \(actual)")
}

func check<Bytes: Sequence>(_ name: String, _ actual: Bytes, expected: String) where Bytes.Element == UInt8 {
    check(name, hex(actual), expected: expected)
}

/// Runs a throwing crypto call; an unexpected error is a failed check.
func must<T>(_ name: String, _ body: () throws -> T) -> T {
    do {
        return try body()
    } catch {
        fail("\(name): unexpected error \(error)")
    }
}

// Watchdog: nothing here should take more than a moment. The handler may only
// use async-signal-safe calls, hence the literal that repeats `timeoutSeconds`.
signal(SIGALRM) { _ in
    let message: StaticString = "crypto-kat: error: timed out after 60 s\n"
    message.withUTF8Buffer { _ = write(2, $0.baseAddress, $0.count) }
    _exit(1)
}
alarm(timeoutSeconds)

guard CommandLine.arguments.count == 1 else {
    fail("usage: crypto-kat (no arguments)")
}

// MARK: SHA-2 (FIPS 180-2 appendix examples)

let abc = Data("abc".utf8)
let msg448 = Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
let msg896 = Data(
    ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8)

check("sha256-abc", SHA256.hash(data: abc),
      expected: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
check("sha256-448bit", SHA256.hash(data: msg448),
      expected: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
do {
    // One million "a", fed incrementally in 1000-byte updates.
    var hasher = SHA256()
    let chunk = Data(repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 {
        hasher.update(data: chunk)
    }
    check("sha256-million-a", hasher.finalize(),
          expected: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}
check("sha384-abc", SHA384.hash(data: abc),
      expected: "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
          + "8086072ba1e7cc2358baeca134c825a7")
check("sha384-896bit", SHA384.hash(data: msg896),
      expected: "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
          + "fcc7c71a557e2db966c3e9fa91746039")
check("sha512-abc", SHA512.hash(data: abc),
      expected: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
check("sha512-896bit", SHA512.hash(data: msg896),
      expected: "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
          + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")

// MARK: HMAC-SHA256 (RFC 4231 test case 2)

do {
    let key = SymmetricKey(data: Data("Jefe".utf8))
    let message = Data("what do ya want for nothing?".utf8)
    let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
    check("hmac-sha256-rfc4231-tc2", mac,
          expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    let verified = HMAC<SHA256>.isValidAuthenticationCode(
        data("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        authenticating: message, using: key)
    check("hmac-sha256-verify", "\(verified)", expected: "true")
}

// MARK: HKDF-SHA256 (RFC 5869 test case 1)

do {
    let ikm = SymmetricKey(data: Data(repeating: 0x0b, count: 22))
    let salt = data("000102030405060708090a0b0c")
    let info = data("f0f1f2f3f4f5f6f7f8f9")
    let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
    check("hkdf-sha256-rfc5869-tc1-prk", prk,
          expected: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
    let okm = HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: salt, info: info, outputByteCount: 42)
    check("hkdf-sha256-rfc5869-tc1-okm", okm.withUnsafeBytes { Array($0) },
          expected: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
              + "34007208d5b887185865")
}

// MARK: AES-GCM (test cases 4 and 16 of McGrew & Viega, "The Galois/Counter Mode of Operation")

do {
    let plaintext = data(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
    let aad = data("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    let nonce = must("aes-gcm-nonce") { try AES.GCM.Nonce(data: data("cafebabefacedbaddecaf888")) }
    let vectors: [(name: String, key: String, sealed: String)] = [
        ("aes128-gcm-tc4",
         "feffe9928665731c6d6a8f9467308308",
         "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
             + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
             + "5bc94fbc3221a5db94fae95ae7121a47"),
        ("aes256-gcm-tc16",
         "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
             + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
             + "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]
    for vector in vectors {
        let key = SymmetricKey(data: data(vector.key))
        let box = must("\(vector.name)-seal") {
            try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        }
        // Printed as ciphertext || tag.
        check("\(vector.name)-seal", box.ciphertext + box.tag, expected: vector.sealed)
        let opened = must("\(vector.name)-open") {
            try AES.GCM.open(box, using: key, authenticating: aad)
        }
        check("\(vector.name)-open", "\(opened == plaintext ? "round-trip" : "differs")", expected: "round-trip")
        var forged = Array(box.tag)
        forged[0] ^= 0x01
        let forgedBox = must("\(vector.name)-forged-box") {
            try AES.GCM.SealedBox(nonce: nonce, ciphertext: box.ciphertext, tag: forged)
        }
        let rejected = (try? AES.GCM.open(forgedBox, using: key, authenticating: aad)) == nil
        check("\(vector.name)-forged-tag", rejected ? "rejected" : "accepted", expected: "rejected")
    }
}

// MARK: ChaCha20-Poly1305 (RFC 8439 section 2.8.2)

do {
    let plaintext = Data(
        ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
            + "for the future, sunscreen would be it.").utf8)
    let aad = data("50515253c0c1c2c3c4c5c6c7")
    let key = SymmetricKey(data: data("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
    let nonce = must("chachapoly-nonce") { try ChaChaPoly.Nonce(data: data("070000004041424344454647")) }
    let box = must("chachapoly-seal") { try ChaChaPoly.seal(plaintext, using: key, nonce: nonce, authenticating: aad) }
    check("chacha20-poly1305-rfc8439-seal", box.ciphertext + box.tag,
          expected: "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
              + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
              + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
              + "3ff4def08e4b7a9de576d26586cec64b6116"
              + "1ae10b594f09e26a7e902ecbd0600691")
    let opened = must("chachapoly-open") { try ChaChaPoly.open(box, using: key, authenticating: aad) }
    check("chacha20-poly1305-rfc8439-open", "\(opened == plaintext ? "round-trip" : "differs")",
          expected: "round-trip")
}

// MARK: X25519 (RFC 7748 section 6.1)

do {
    let alice = must("x25519-alice") {
        try Curve25519.KeyAgreement.PrivateKey(
            rawRepresentation: data("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
    }
    let bob = must("x25519-bob") {
        try Curve25519.KeyAgreement.PrivateKey(
            rawRepresentation: data("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
    }
    check("x25519-rfc7748-alice-public", alice.publicKey.rawRepresentation,
          expected: "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
    check("x25519-rfc7748-bob-public", bob.publicKey.rawRepresentation,
          expected: "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
    let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
    let aliceShared = must("x25519-alice-shared") { try alice.sharedSecretFromKeyAgreement(with: bob.publicKey) }
    let bobShared = must("x25519-bob-shared") { try bob.sharedSecretFromKeyAgreement(with: alice.publicKey) }
    check("x25519-rfc7748-shared-alice", aliceShared.withUnsafeBytes { Array($0) }, expected: shared)
    check("x25519-rfc7748-shared-bob", bobShared.withUnsafeBytes { Array($0) }, expected: shared)
}

// MARK: Ed25519 (RFC 8032 section 7.1, test 1; EdDSA signing is deterministic in BoringSSL)

do {
    let key = must("ed25519-key") {
        try Curve25519.Signing.PrivateKey(
            rawRepresentation: data("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    }
    let expectedSignature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    check("ed25519-rfc8032-test1-public", key.publicKey.rawRepresentation,
          expected: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    let signature = must("ed25519-sign") { try key.signature(for: Data()) }
    check("ed25519-rfc8032-test1-signature", signature, expected: expectedSignature)
    let verified = key.publicKey.isValidSignature(data(expectedSignature), for: Data())
    check("ed25519-rfc8032-test1-verify", "\(verified)", expected: "true")
    let wrongMessage = key.publicKey.isValidSignature(data(expectedSignature), for: Data([0x00]))
    check("ed25519-wrong-message", "\(wrongMessage)", expected: "false")
}

// MARK: P-256 ECDSA with SHA-256 (key and "sample" signature from RFC 6979 appendix A.2.5)

do {
    let key = must("p256-key") {
        try P256.Signing.PrivateKey(
            rawRepresentation: data("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"))
    }
    // x963: 04 || X || Y
    check("p256-rfc6979-public", key.publicKey.x963Representation,
          expected: "04"
              + "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
              + "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299")
    let message = Data("sample".utf8)
    // A fresh signature differs on every run: print only that it verifies.
    let fresh = must("p256-sign") { try key.signature(for: message) }
    check("p256-ecdsa-sign-verified", "\(key.publicKey.isValidSignature(fresh, for: message))", expected: "true")
    // The deterministic (RFC 6979) signature r || s must verify too.
    let published = must("p256-signature") {
        try P256.Signing.ECDSASignature(rawRepresentation: data(
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"))
    }
    check("p256-rfc6979-sample-verified", "\(key.publicKey.isValidSignature(published, for: message))",
          expected: "true")
    let tampered = key.publicKey.isValidSignature(published, for: Data("samplf".utf8))
    check("p256-wrong-message", "\(tampered)", expected: "false")
}

print("crypto-kat: \(checkCount) checks, all match")
