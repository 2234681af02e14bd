// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// `signet bench --report`: one self-contained page whose figures are the JSON's.
@Suite("signet bench --report")
struct BenchReportTests {
    @Test("the page fetches nothing, embeds the --json document, and every table figure is the JSON's")
    func reportIsSelfContainedAndMatchesJSON() async throws {
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        let r = try await Signet.run([
            "bench", "--alg", "RS256,ES256,EdDSA", "--seconds", "0.3", "--rounds", "1", "--threads", "2", "--json",
            "--report", page.path,
        ])
        try #require(r.status == 0, "\(r)")
        let html = try String(contentsOf: page, encoding: .utf8)
        for external in ["http://", "https://", "src=", "<link", "@import", "url(", "//cdn"] {
            #expect(!html.contains(external), "the page refers to something outside it: \(external)")
        }
        #expect(html.contains("<svg"))
        #expect(html.contains("Thread scaling"))

        let open = #"<script type="application/json" id="signet-bench">"#
        let start = try #require(html.range(of: open)).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let embedded = String(html[start..<end]).replacingOccurrences(of: "<\\/", with: "</")
        let printed = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(embedded == printed)

        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any])
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.count == 6)
        for result in results {
            let alg = try #require(result["alg"] as? String)
            let threads = try #require(result["threads"] as? Int)
            let rowStart = try #require(html.range(of: "<tr data-alg=\"\(alg)\" data-threads=\"\(threads)\">"))
            let rowEnd = try #require(html.range(of: "</tr>", range: rowStart.upperBound..<html.endIndex))
            let row = String(html[rowStart.upperBound..<rowEnd.lowerBound])
            for (field, decimals) in [
                ("mintPerSecond", 1), ("evpSignPerSecond", 1), ("mintToEVPSign", 4), ("verifyPerSecond", 1),
                ("evpVerifyPerSecond", 1), ("verifyToEVPVerify", 4), ("gmpVerifyPerSecond", 1),
            ] {
                let expected = (result[field] as? Double).map { String(format: "%.\(decimals)f", $0) } ?? "n/a"
                #expect(row.contains("data-field=\"\(field)\">\(expected)<"), "\(alg) ×\(threads) \(field)")
            }
        }
    }
}
