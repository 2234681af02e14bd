// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS

/// `signet bench --report FILE`: one self-contained HTML page (inline CSS and SVG, no script, no external URL) with
/// the run's figures: a table, mint/s and verify/s per algorithm and key beside the raw EVP floor (and GMPVerifier for
/// verify), and thread scaling when more than one thread was measured. The `--json` document is embedded verbatim
/// (`<script type="application/json" id="signet-bench">`), and every figure on the page is formatted from the same
/// values, so the page and the JSON cannot disagree.
enum BenchReport {
    static func html(results: [BenchResult], cpu: String, rounds: Int, seconds: Double, json: String) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>signet bench</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:72em}
            table{border-collapse:collapse;margin:1em 0}td,th{padding:.25em .6em;border-bottom:1px solid #ddd}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left}
            .legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
            svg text{font:12px system-ui,sans-serif}
            </style></head><body>
            <h1>signet bench</h1>
            <p>CPU: \(escape(cpu)). Median of \(rounds) round(s), \(seconds) s per algorithm, mint, EVP sign, verify \
            and EVP verify interleaved in one process.</p>

            """
        page += table(results)
        let single = results.filter { $0.threads == 1 }
        page += "<h2>Mint per second (one thread)</h2>\n"
        page += legend([("Signet mint", colours[0]), ("raw EVP sign", colours[1])])
        page += bars(single.map { r in (label(r), [r.mint.median, r.evpSign.median]) })
        page += "<h2>Verify per second (one thread)</h2>\n"
        page += legend([
            ("Signet verify", colours[0]), ("raw EVP verify", colours[1]), ("GMPVerifier verify", colours[2]),
        ])
        page += bars(
            single.map { r in
                (
                    label(r),
                    [r.verify.median, r.evpVerify.median] + (r.gmpVerify.samples.isEmpty ? [] : [r.gmpVerify.median])
                )
            })
        let threadCounts = Set(results.map(\.threads))
        if threadCounts.count > 1 {
            page += "<h2>Thread scaling (operations per second by thread count)</h2>\n"
            page += legend([("mint", colours[0]), ("verify", colours[2])])
            for r1 in single {
                let series = results.filter { $0.algorithm == r1.algorithm && $0.keyDescription == r1.keyDescription }
                    .sorted { $0.threads < $1.threads }
                page += "<h3>\(escape(label(r1)))</h3>\n"
                page += bars(
                    series.flatMap { r in
                        [("mint × \(r.threads)", [r.mint.median]), ("verify × \(r.threads)", [0, 0, r.verify.median])]
                    })
            }
        }
        page += "<p>The figures as JSON (<code>signet bench --json</code>):</p>\n"
        page +=
            "<script type=\"application/json\" id=\"signet-bench\">\(json.replacingOccurrences(of: "</", with: "<\\/"))</script>\n"
        page += "<pre>\(escape(json))</pre>\n</body></html>\n"
        return page
    }

    static let colours = ["#2f6db5", "#9aa5b1", "#d9822b"]

    static func label(_ r: BenchResult) -> String { "\(r.algorithm.jwsName) \(r.keyDescription)" }

    /// The run's figures, each cell tagged with its JSON member name and formatted as the JSON formats it.
    static func table(_ results: [BenchResult]) -> String {
        func n(_ d: Double) -> String { format1(d) }
        var s = "<table><tr><th>alg</th><th>key</th><th>threads</th><th>mint/s</th><th>EVP sign/s</th>"
        s +=
            "<th>mint÷EVP</th><th>verify/s</th><th>EVP verify/s</th><th>verify÷EVP</th><th>GMPVerifier verify/s</th></tr>\n"
        for r in results {
            let cells: [(String, String)] = [
                ("mintPerSecond", n(r.mint.median)), ("evpSignPerSecond", n(r.evpSign.median)),
                ("mintToEVPSign", format4(r.mintRatio)), ("verifyPerSecond", n(r.verify.median)),
                ("evpVerifyPerSecond", n(r.evpVerify.median)), ("verifyToEVPVerify", format4(r.verifyRatio)),
                ("gmpVerifyPerSecond", r.gmpVerify.samples.isEmpty ? "n/a" : n(r.gmpVerify.median)),
            ]
            s += "<tr data-alg=\"\(r.algorithm.jwsName)\" data-threads=\"\(r.threads)\"><td>\(r.algorithm.jwsName)</td>"
            s += "<td>\(escape(r.keyDescription))</td><td class=\"n\">\(r.threads)</td>"
            for (field, value) in cells { s += "<td class=\"n\" data-field=\"\(field)\">\(value)</td>" }
            s += "</tr>\n"
        }
        return s + "</table>\n"
    }

    static func legend(_ items: [(String, String)]) -> String {
        "<p class=\"legend\">"
            + items.map { "<span style=\"background:\($0.1)\"></span>\(escape($0.0))" }.joined() + "</p>\n"
    }

    /// Horizontal bars, one group per row, one bar per value (colour by position), on one linear scale.
    static func bars(_ rows: [(String, [Double])]) -> String {
        let top = rows.flatMap(\.1).max() ?? 0
        guard top > 0 else { return "<p>(nothing measured)</p>\n" }
        let labelWidth = 170.0
        let plotWidth = 560.0
        let barHeight = 12.0
        var y = 4.0
        var body = ""
        for (name, values) in rows {
            body += "<text x=\"0\" y=\"\(format1(y + barHeight))\">\(escape(name))</text>"
            for (i, v) in values.enumerated() where v > 0 {
                let w = plotWidth * v / top
                body += "<rect x=\"\(format1(labelWidth))\" y=\"\(format1(y))\" width=\"\(format1(w))\" "
                body += "height=\"\(format1(barHeight))\" fill=\"\(colours[i % colours.count])\"/>"
                body += "<text x=\"\(format1(labelWidth + w + 4))\" y=\"\(format1(y + barHeight - 2))\">"
                body += "\(Int(v.rounded()))</text>"
                y += barHeight + 2
            }
            y += 8
        }
        return "<svg width=\"\(Int(labelWidth + plotWidth + 80))\" "
            + "height=\"\(Int(y))\" role=\"img\">\(body)</svg>\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// `%.1f` and `%.4f`, as the JSON writes its figures.
func format1(_ d: Double) -> String { String(format: "%.1f", d) }
func format4(_ d: Double) -> String { String(format: "%.4f", d) }
