import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

// XMLParser (libxml2 underneath) on a document with a default and a
// prefixed namespace, predefined and numeric entities, an internal DTD
// entity, CDATA and a comment; every event printed in order.
let document = """
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE catalog [ <!ENTITY company "Static &amp; Sons"> ]>
<catalog xmlns="urn:example:catalog" xmlns:p="urn:example:price">
  <!-- two books -->
  <book id="b1" p:currency="EUR">
    <title>Musl &amp; Glibc &#x2014; a &lt;comparison&gt;</title>
    <publisher>&company;</publisher>
    <p:price>12.50</p:price>
    <notes><![CDATA[<not> & parsed]]></notes>
  </book>
  <book id="b2" p:currency="USD"><title>Zürich &#233;dition</title><p:price>7</p:price></book>
</catalog>
"""

final class Printer: NSObject, XMLParserDelegate {
    var lines: [String] = []
    var text = ""
    /// Prefix mappings arrive in the order of a Swift dictionary, which is
    /// seeded per process: printed sorted, before their element.
    var prefixes: [String] = []
    func flush() {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !t.isEmpty { lines.append("  text: \(t)") }
        text = ""
    }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        flush()
        lines += prefixes.sorted()
        prefixes = []
        let attrs = attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.append("start \(name) ns=\(namespaceURI ?? "-") qname=\(qualifiedName ?? "-")" + (attrs.isEmpty ? "" : " [\(attrs)]"))
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        flush()
        lines.append("end \(name)")
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        flush()
        lines.append("  cdata: \(String(decoding: block, as: UTF8.self))")
    }
    func parser(_ parser: XMLParser, foundComment comment: String) { lines.append("  comment: \(comment.trimmingCharacters(in: .whitespaces))") }
    func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
        prefixes.append("  prefix '\(prefix)' -> \(namespaceURI)")
    }
}

let parser = XMLParser(data: Data(document.utf8))
parser.shouldProcessNamespaces = true
parser.shouldReportNamespacePrefixes = true
parser.shouldResolveExternalEntities = false
let printer = Printer()
parser.delegate = printer
let ok = parser.parse()
for line in printer.lines { print(line) }
if ok {
    print("xml-parse: ok")
} else {
    print("xml-parse: failed: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
    exit(1)
}
