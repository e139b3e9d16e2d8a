import Foundation

private func scalars(_ s: String) -> String { s.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ",") }

let textChecks: [Check] = [
    Check("text.locale.current") {
        let l = Locale.current
        return "\(l.identifier) dec=\(l.decimalSeparator ?? "nil") group=\(l.groupingSeparator ?? "nil") lang=\(l.language.languageCode?.identifier ?? "nil")"
    },
    Check("text.locale.names") {
        let fr = Locale(identifier: "fr_FR")
        return "\(fr.localizedString(forLanguageCode: "de") ?? "nil") \(fr.localizedString(forRegionCode: "JP") ?? "nil") \(Locale(identifier: "de_CH").currencyCode ?? "nil") available>100=\(Locale.availableIdentifiers.count > 100)"
    },
    Check("text.numberformatter.decimal") {
        let f = NumberFormatter(); f.numberStyle = .decimal; f.maximumFractionDigits = 3
        return ["en_US", "de_DE", "fr_FR", "hi_IN", "ar_EG"].map { id -> String in
            f.locale = Locale(identifier: id)
            return "\(id)=\(scalars(f.string(from: 1234567.891) ?? "nil"))"
        }.joined(separator: " ")
    },
    Check("text.numberformatter.styles") {
        let f = NumberFormatter(); f.locale = Locale(identifier: "en_US")
        var out: [String] = []
        for style: NumberFormatter.Style in [.currency, .percent, .scientific, .spellOut, .ordinal] {
            f.numberStyle = style
            out.append(f.string(from: 42.5) ?? "nil")
        }
        f.numberStyle = .decimal
        out.append("parse=\(f.number(from: "1,234.5")?.doubleValue ?? -1)")
        return out.joined(separator: " | ")
    },
    Check("text.format.describing") {
        "\(1.0/3.0) \(Float(0.1)) \(Double.pi) \(1e-7) \(Double.infinity) \(Double.nan) \(String(format: "%.3f %5d %@ %x %e", 3.14159, 42, "s", 255, 12345.678))"
    },
    Check("text.encoding.utf8") {
        let s = "héllo € 𝄞"
        return "\(hex(s.utf8)) \(s.count) \(s.utf16.count) valid=\(String(data: Data([0xff, 0xfe]), encoding: .utf8) == nil)"
    },
    Check("text.encoding.latin1") {
        let d = "héllo".data(using: .isoLatin1).map(hex) ?? "nil"
        let euro = "€".data(using: .isoLatin1).map(hex) ?? "nil"
        let back = String(data: Data([0x63, 0x61, 0x66, 0xe9]), encoding: .isoLatin1) ?? "nil"
        return "\(d) euro=\(euro) back=\(back)"
    },
    Check("text.encoding.cp1252") {
        let d = "€‚ƒ„…".data(using: .windowsCP1252).map(hex) ?? "nil"
        let back = String(data: Data([0x80, 0x93, 0x94, 0x9f]), encoding: .windowsCP1252).map(scalars) ?? "nil"
        return "\(d) back=\(back)"
    },
    Check("text.encoding.others") {
        let s = "Ünïcödé"
        return [String.Encoding.utf16BigEndian, .utf16LittleEndian, .utf32, .ascii, .macOSRoman, .shiftJIS, .japaneseEUC].map { e -> String in
            s.data(using: e, allowLossyConversion: false).map { "\($0.count)" } ?? "nil"
        }.joined(separator: ",")
    },
    Check("text.icu.normalization") {
        let composed = "\u{e9}", decomposed = "e\u{301}"
        return "\(composed == decomposed) nfd=\(scalars(composed.decomposedStringWithCanonicalMapping)) nfc=\(scalars(decomposed.precomposedStringWithCanonicalMapping)) nfkc=\(scalars("ﬁ①".precomposedStringWithCompatibilityMapping)) nfkd=\(scalars("Å".decomposedStringWithCompatibilityMapping))"
    },
    Check("text.icu.case") {
        let tr = Locale(identifier: "tr_TR")
        return "\("straße".uppercased()) \("İ".lowercased().unicodeScalars.count) \("i".uppercased(with: tr)) \("ǅ".capitalized) \("ΣΑΣ".lowercased()) \("hello wORLD".capitalized) fold=\("Straße".folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))"
    },
    Check("text.icu.compare") {
        let names = ["file10", "File2", "file1", "éa", "ea", "Zed"]
        let std = names.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        let ci = "STRASSE".compare("straße", options: [.caseInsensitive]) == .orderedSame
        let diac = "resume".compare("résumé", options: [.diacriticInsensitive]) == .orderedSame
        return "\(std) ci=\(ci) diac=\(diac) range=\("Hello World".range(of: "WORLD", options: .caseInsensitive).map { "\($0.lowerBound.utf16Offset(in: "Hello World"))" } ?? "nil")"
    },
    Check("text.regex.swift") {
        let input = "2024-07-01 id=42, 2023-12-31 id=7"
        let r = try Regex(#"(\d{4})-(\d{2})-(\d{2}) id=(\d+)"#)
        let m = input.matches(of: r).map { "\($0.output[1].substring ?? "")/\($0.output[4].substring ?? "")" }
        let unicode = "Ünïcode wörds".matches(of: try Regex(#"\w+"#)).map { String(input[$0.range].isEmpty ? "" : "Ünïcode wörds"[$0.range]) }
        return "\(m) \(unicode) \(try Regex("(?i)straße").wholeMatch(in: "STRASSE") != nil)"
    },
    Check("text.regex.nsregularexpression") {
        let re = try NSRegularExpression(pattern: #"(\w+)@(\w+)\.com"#, options: [.caseInsensitive])
        let s = "Mail A@B.com and c@d.COM now"
        let out = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "$2:$1")
        return "\(re.numberOfMatches(in: s, range: NSRange(s.startIndex..., in: s))) \(out)"
    },
    Check("text.string.ops") {
        let s = "  a,b,,c \n"
        return "\(s.components(separatedBy: ",")) \(s.trimmingCharacters(in: .whitespacesAndNewlines)) \("a-b_c".replacingOccurrences(of: "[-_]", with: " ", options: .regularExpression)) \("x".padding(toLength: 3, withPad: "ab", startingAt: 0)) \(Int("  42") == nil) \(Double("1e3")!) \(Int("0x1F".dropFirst(2), radix: 16)!)"
    },
    Check("text.scanner") {
        let s = Scanner(string: "42 3.5 word")
        return "\(s.scanInt() ?? -1) \(s.scanDouble() ?? -1) \(s.scanUpToCharacters(from: .newlines) ?? "nil")"
    },
]
