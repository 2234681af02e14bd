// SPDX-License-Identifier: Apache-2.0

extension NumericDate {
    /// Exact powers of ten (10^22 is the largest that a `Double` holds exactly).
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// The value of validated JSON number text, exactly as `Double(text)` (what ``JSONNumber/doubleValue`` uses)
    /// computes it, or `nil` when it is not finite (e.g. `1e400`).
    ///
    /// Integers and decimals with at most 15 significant digits and a decimal exponent within ±22 (every realistic
    /// NumericDate, e.g. `1800000000`, `1800000000.5`, `1.8e9`) take Clinger's fast path: the digits and the power of
    /// ten are exact `Double`s, so one IEEE multiplication or division gives the correctly rounded result. Anything
    /// else goes through `Double(String)` itself, so both paths always agree.
    ///
    /// - Allocation: none on the fast path; otherwise a `String` of the text (heap-allocated above 15 bytes).
    package static func parseJSONNumber(_ text: UnsafeRawBufferPointer) -> Double? {
        let n = text.count
        var i = 0
        let negative = unsafe (n > 0 && text[0] == UInt8(ascii: "-"))
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var fast = true
        while i < n {
            let d = unsafe text[i] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            if mantissa != 0 || d != 0 {
                if significant == 15 {
                    fast = false
                    break
                }
                mantissa = mantissa * 10 + UInt64(d)
                significant += 1
            }
            i += 1
        }
        if unsafe (fast && i < n && text[i] == UInt8(ascii: ".")) {
            i += 1
            while i < n {
                let d = unsafe text[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if mantissa != 0 || d != 0 {
                    if significant == 15 {
                        fast = false
                        break
                    }
                    mantissa = mantissa * 10 + UInt64(d)
                    significant += 1
                }
                exponent -= 1
                i += 1
            }
        }
        if unsafe (fast && i < n && (text[i] | 0x20) == UInt8(ascii: "e")) {
            i += 1
            var exponentNegative = false
            if unsafe (i < n && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-"))) {
                exponentNegative = unsafe text[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            while i < n {
                let d = unsafe text[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                i += 1
            }
            exponent += exponentNegative ? -e : e
        }
        if fast && i == n {
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            if exponent >= -22 && exponent <= 22 {
                let v = Double(mantissa)
                let p = exactPowersOfTen[exponent < 0 ? -exponent : exponent]
                let r = exponent < 0 ? v / p : v * p
                return negative ? -r : r
            }
        }
        guard let d = unsafe Double(String(decoding: text, as: UTF8.self)), d.isFinite else { return nil }
        return d
    }
}
