// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import ClientAssertion
import CryptoEVP
import Dispatch
import Foundation

/// `signet cross-check`: a randomized differential campaign between OpenSSL (CryptoEVP) and RSAGMP.
struct CrossCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cross-check",
        abstract: "Run a randomized differential campaign between OpenSSL and the independent RSAGMP verifier.",
        discussion: """
            Fresh keys per size (a new key every 10,000 cases), random messages, RS256 and RS512; valid signatures and
            mutations (bit flips in signature and message, truncation, extension, 0, 1, n-1, n, n+1, random values,
            another algorithm). Prints the counts; any disagreement is printed with a reproducer (n, e, message,
            signature in hex) and makes the exit status 2.
            Examples:
              signet cross-check
              signet cross-check --count 100000 --bits 2048,4096
            """)

    @Option(help: "Total number of cases.") var count: Int = 10_000
    @Option(help: "Key sizes, comma-separated.") var bits: String = "2048,4096"

    func run() throws {
        let sizes = bits.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 2048 && $0 <= 16384 && $0 % 8 == 0 }) else {
            throw ValidationError("--bits takes sizes from 2048 to 16384, e.g. 2048,4096")
        }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        let progress = Progress(enabled: isatty(STDERR_FILENO) == 1)
        var rng = SystemRandomNumberGenerator()
        var totals = DifferentialCampaign.Totals()
        var perSize: [Int: Int] = [:]
        let start = DispatchTime.now().uptimeNanoseconds
        let perSizeTarget = (count + sizes.count - 1) / sizes.count
        for size in sizes {
            var done = 0
            var campaign: DifferentialCampaign? = nil
            var casesOnKey = 0
            var round = 0
            while done < perSizeTarget {
                if campaign == nil || casesOnKey >= 10_000 {
                    progress.say("cross-check: generating RSA-\(size) key…")
                    campaign = try DifferentialCampaign(key: RSAPrivateKey.generate(bits: size))
                    casesOnKey = 0
                }
                guard let c = campaign else { break }
                let before = totals.cases
                let mutations = min(49, perSizeTarget - done - 1)
                try c.run(algorithm: round % 2 == 0 ? .rs256 : .rs512, mutations: max(0, mutations), using: &rng, into: &totals)
                round += 1
                let n = totals.cases - before
                done += n
                casesOnKey += n
                let fraction = Double(totals.cases) / Double(count)
                let bar = String(repeating: "█", count: Int(fraction * 30)) + String(repeating: "·", count: 30 - Int(fraction * 30))
                progress.say("cross-check RSA-\(size) [\(bar)] \(totals.cases)/\(count)  disagreements: \(totals.disagreements.count)")
            }
            perSize[size] = done
        }
        progress.clear()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let sizesText = sizes.map { "RSA-\($0): \(perSize[$0] ?? 0)" }.joined(separator: ", ")
        print("cross-check: \(totals.cases) cases (\(sizesText); RS256 and RS512, plus other-algorithm probes)")
        print("  both valid: \(totals.bothValid)   both invalid: \(totals.bothInvalid)   disagreements: \(totals.disagreements.count)")
        print(String(format: "  time: %.1f s (%.0f cases/s, each verified by OpenSSL and by RSAGMP)", seconds, Double(totals.cases) / seconds))
        for d in totals.disagreements.prefix(10) { print(d.description) }
        if !totals.disagreements.isEmpty { throw ExitCode(2) }
    }
}
