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

    /// The allocation counter is a library the benchmark preloads into itself, never part of `signet`: the bench
    /// counts (the verify column of an ES256 run is a number), and the executable defines no `malloc`, so no other
    /// command (`signet serve`) runs on a replaced allocator.
    @Test("bench counts allocations through the preloaded counter; signet itself defines no malloc")
    func allocationCounterIsPreloadedIntoTheBenchOnly() async throws {
        let executable = try #require(Signet.executable)
        let library = executable.deletingLastPathComponent().appendingPathComponent("libSignetMallocCounter.so")
        try #require(
            FileManager.default.fileExists(atPath: library.path),
            "swift build puts libSignetMallocCounter.so beside signet")
        let bench = try await Signet.run(["bench", "--alg", "ES256", "--seconds", "0.05", "--rounds", "1", "--json"])
        try #require(bench.status == 0, "\(bench)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        let result = try #require((document["results"] as? [[String: Any]])?.first)
        #expect(result["allocationsPerVerify"] is Double, "\(result)")
        #expect(result["allocationsPerEVPVerify"] is Double, "\(result)")

        let nm = try await Signet.run(
            ["--defined-only", "--dynamic", executable.path], program: URL(fileURLWithPath: "/usr/bin/nm"))
        try #require(nm.status == 0, "\(nm)")
        let defined = Set(
            nm.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) })
        for symbol in ["malloc", "calloc", "realloc", "free", "signet_thread_allocation_count"] {
            #expect(!defined.contains(symbol), "signet defines \(symbol)")
        }
    }
}
