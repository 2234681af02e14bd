// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import CrossCheck
import Dispatch
import Foundation
import GMPVerifier
import JWS
@_spi(Testing) import SignetKeys

/// `signet cross-check`: a randomized differential campaign between OpenSSL (SignetKeys) and GMPVerifier, and optionally
/// between OpenSSL's signatures and a signing engine's.
struct CrossCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cross-check",
        abstract: "Run a randomized differential campaign between OpenSSL and the independent GMPVerifier verifier.",
        discussion: """
            Fresh keys per size (a new key every 10,000 cases, or --keys), random messages, RS256 and RS512; valid \
            signatures and mutations (bit flips in signature and message, truncation, extension, 0, 1, n-1, n, n+1, \
            random values, another algorithm). Prints the counts; any disagreement is printed with a reproducer (n, \
            e, message, signature in hex) and makes the exit status 2.

            With --engine, every case is a fresh random message (no mutations) signed twice: by OpenSSL EVP and by \
            the named engine. The two signatures must be byte-identical and GMPVerifier must accept the engine's (and \
            where the engine also does the public-key operation, its verdict on each case must be OpenSSL's); a \
            mismatch is a disagreement (printed with both signatures) and makes the exit status 2. An engine that \
            cannot run here or does not take a key is an error (exit status 1), never skipped. A full campaign is \
            --count 100000 (or --engine ifma512 --keys 100 --count 20000 on an IFMA CPU); the examples are short.

            Examples:
              signet cross-check --count 100 --bits 2048
              signet cross-check --count 100 --bits 2048,4096 --threads 2
              signet cross-check --engine emulated --bits 2048 --keys 2 --count 20
              signet cross-check --alg RS256,RS384,RS512 --count 100 --bits 2048
              signet cross-check --alg PS256,PS512 --count 100 --bits 2048
              signet cross-check --alg ES256,ES384,ES512,EdDSA --count 100

            --alg takes any of RS256…RS512, PS256…PS512 (GMPVerifier's own EMSA-PSS, salt = hash length), ES256…ES512 \
            (GMPVerifier's own ECDSA) and EdDSA (GMPVerifier's own Ed25519). ES and EdDSA run --count cases each on fresh \
            keys (--bits does not apply); ECDSA's malleated (r, n-s) signatures are valid in JWS, so both verifiers \
            must accept them, and they are counted, not failed. --engine takes RS and PS algorithms only.
            """)

    @Option(help: "Total number of cases.") var count: Int = 10_000
    @Option(help: "Key sizes, comma-separated.") var bits: String = "2048,4096"
    @Option(
        help: ArgumentHelp(
            "Fresh keys per size (default: one per 10,000 cases); the cases are spread evenly over them.",
            valueName: "k"))
    var keys: Int?
    @Option(
        help: ArgumentHelp(
            """
            Also sign every case on this engine and require signatures byte-identical to OpenSSL's: auto, evp, ifma256, \
            ifma512, or emulated / emulated512 (test-only: the IFMA engine's arithmetic on portable C lanes, 4 or 8 per \
            vector, for machines without AVX-512 IFMA; about 100x slower than native).
            """,
            valueName: "name"))
    var engine: String?
    @Option(help: "Threads; each works on whole keys (generation and cases).") var threads: Int = 1
    @Option(help: "Algorithms, comma-separated, alternating over the rounds (default RS256,RS512).") var alg: String =
        "RS256,RS512"

    /// The algorithms `--alg` names (each has an independent verifier in GMPVerifier); throws for any other name.
    func algorithms() throws -> [JWSAlgorithm] {
        var out: [JWSAlgorithm] = []
        for name in alg.split(separator: ",") {
            guard let jws = JWSAlgorithm(argument: String(name)) else {
                throw ValidationError("--alg: unknown algorithm \(name)")
            }
            if let rsa = jws.rsa, GMPRSAAlgorithm(jwsName: rsa.jwsName) == nil {
                throw ValidationError(
                    "--alg: \(jws) has no independent verifier in GMPVerifier, so it cannot be cross-checked")
            }
            out.append(jws)
        }
        guard !out.isEmpty else { throw ValidationError("--alg names no algorithm") }
        return out
    }

    /// The key sizes `--bits` names (empty when malformed).
    var sizes: [Int] { bits.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// Cases per key size (the total is split evenly over the sizes, rounded up).
    var casesPerSize: Int { (count + max(1, sizes.count) - 1) / max(1, sizes.count) }

    /// Keys per size: `--keys`, or one per 10,000 cases.
    var keysPerSize: Int { keys ?? (casesPerSize + 9_999) / 10_000 }

    /// The engine a name stands for: `RSAEngine(name:)`'s names plus the test-only emulated lanes.
    static func engine(named name: String) -> RSAEngine? {
        switch name {
        case "emulated": .emulated
        case "emulated512": .emulated512
        default: RSAEngine(name: name)
        }
    }

    func validate() throws {
        let sizes = self.sizes
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 2048 && $0 <= 16384 && $0 % 8 == 0 }) else {
            throw ValidationError("--bits takes sizes from 2048 to 16384, e.g. 2048,4096")
        }
        guard count > 0 else { throw ValidationError("--count must be positive") }
        if let keys {
            guard keys > 0 else { throw ValidationError("--keys must be positive") }
            guard keys <= casesPerSize else {
                throw ValidationError(
                    "--keys \(keys) is more than the \(casesPerSize) case(s) per key size; raise --count or lower --keys"
                )
            }
        }
        if let engine, Self.engine(named: engine) == nil {
            throw ValidationError("--engine is auto, evp, ifma256, ifma512, emulated or emulated512 (got '\(engine)')")
        }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        let algorithms = try algorithms()
        if engine != nil, algorithms.contains(where: { $0.rsa == nil }) {
            throw ValidationError("--engine compares RSA signing engines: name only RS and PS algorithms in --alg")
        }
    }

    /// One key's share of the campaign: the key to generate (an RSA size, or an ES/EdDSA algorithm), which key of
    /// its group, how many cases, and the algorithms they take turns over.
    struct Job: Sendable {
        /// `RSA-2048`, or the algorithm's name for ES and EdDSA.
        let group: String
        /// RSA bits, or `nil` for a curve key.
        let rsaBits: Int?
        let algorithms: [JWSAlgorithm]
        let keyIndex: Int
        let cases: Int

        func generateKey() throws -> JWSSigningKey {
            if let rsaBits { return .rsa(try RSAPrivateKey.generate(bits: rsaBits)) }
            return try JWSSigningKey.generate(for: algorithms[0])
        }
    }

    /// What the workers share: the next job, results in job order, the first error, and progress.
    struct Shared {
        var next = 0
        var results: [DifferentialCampaign.Totals?]
        var resolvedEngines: Set<String> = []
        var failure: (any Error)?
        var casesDone = 0
        var disagreements = 0
    }

    /// The jobs: RSA keys per `--bits` size sharing the cases of that size (RS and PS algorithms alternating), then
    /// `--count` cases per ES or EdDSA algorithm over fresh keys (`--keys` per algorithm, or one per 10,000 cases).
    func jobs(_ all: [JWSAlgorithm]) -> [Job] {
        let rsa = all.filter { $0.rsa != nil }
        var jobs: [Job] = []
        if !rsa.isEmpty {
            let perSize = casesPerSize
            for size in sizes {
                // Cases spread evenly over the keys of a size: the first (target mod keys) keys take one more.
                for k in 0..<keysPerSize {
                    let extra = k < perSize % keysPerSize ? 1 : 0
                    jobs.append(
                        Job(
                            group: "RSA-\(size)", rsaBits: size, algorithms: rsa, keyIndex: k,
                            cases: perSize / keysPerSize + extra))
                }
            }
        }
        let keysPerAlgorithm = min(count, keys ?? (count + 9_999) / 10_000)
        for alg in all where alg.rsa == nil {
            for k in 0..<keysPerAlgorithm {
                jobs.append(
                    Job(
                        group: alg.jwsName, rsaBits: nil, algorithms: [alg], keyIndex: k,
                        cases: count / keysPerAlgorithm + (k < count % keysPerAlgorithm ? 1 : 0)))
            }
        }
        return jobs
    }

    func run() throws {
        let all = try algorithms()
        let jobs = self.jobs(all)
        let requested = engine.flatMap(Self.engine(named:))
        let total = jobs.reduce(0) { $0 + $1.cases }
        let progress = Progress(enabled: isatty(STDERR_FILENO) == 1)
        let shared = LockedBox(Shared(results: Array(repeating: nil, count: jobs.count)))
        let start = DispatchTime.now().uptimeNanoseconds
        let work = { @Sendable () in
            var rng = SystemRandomNumberGenerator()
            while true {
                let index: Int? = shared.withLock { s in
                    guard s.failure == nil, s.next < jobs.count else { return nil }
                    s.next += 1
                    return s.next - 1
                }
                guard let index else { return }
                let job = jobs[index]
                do {
                    shared.withLock { _ in progress.say("cross-check: generating \(job.group) key \(job.keyIndex + 1)…")
                    }
                    let totals = try Self.runJob(job, engine: requested, rng: &rng) { cases, disagreements in
                        shared.withLock { s in
                            s.casesDone += cases
                            s.disagreements += disagreements
                            guard progress.enabled else { return }
                            let filled = min(30, Int(Double(s.casesDone) / Double(total) * 30))
                            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled)
                            progress.say(
                                "cross-check \(job.group) key \(job.keyIndex + 1) [\(bar)] "
                                    + "\(s.casesDone)/\(total)  disagreements: \(s.disagreements)")
                        }
                    }
                    shared.withLock { s in
                        s.results[index] = totals.totals
                        if let e = totals.engine { s.resolvedEngines.insert(e.name) }
                    }
                } catch {
                    shared.withLock { s in if s.failure == nil { s.failure = error } }
                    return
                }
            }
        }
        let workers = min(threads, jobs.count)
        if workers <= 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
        }
        progress.clear()
        let outcome = shared.withLock { $0 }
        if let failure = outcome.failure {
            if let error = failure as? SignetKeyError, error.code == .engineUnavailable {
                printError("signet cross-check: --engine \(engine ?? ""): \(error.reason)")
                throw ExitCode.failure
            }
            throw failure
        }
        // Totals per group, merged in job order so that the disagreements print in a stable order.
        var groups: [String] = []
        var perGroup: [String: DifferentialCampaign.Totals] = [:]
        var keysPerGroup: [String: Int] = [:]
        var totals = DifferentialCampaign.Totals()
        for (job, result) in zip(jobs, outcome.results) {
            guard let result else { continue }
            if perGroup[job.group] == nil { groups.append(job.group) }
            perGroup[job.group, default: DifferentialCampaign.Totals()].merge(result)
            keysPerGroup[job.group, default: 0] += 1
            totals.merge(result)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let counts = groups.map { "\($0): \(perGroup[$0]?.cases ?? 0)" }.joined(separator: ", ")
        let names = all.map(\.jwsName).joined(separator: ", ")
        let hasRSA = all.contains { $0.rsa != nil }
        let hasCurves = all.contains { $0.rsa == nil }
        let mix =
            requested != nil
            ? "\(names), each a fresh message signed by OpenSSL and by the engine"
            : "\(names): valid signatures and mutations" + (hasRSA ? ", plus other-algorithm probes" : "")
        print("cross-check: \(totals.cases) cases (\(counts); \(mix))")
        print("  keys generated: " + groups.map { "\($0): \(keysPerGroup[$0] ?? 0)" }.joined(separator: ", "))
        let malleated = hasCurves ? " (malleated ECDSA (r, n-s) accepted by all: \(totals.malleatedAccepted))" : ""
        print(
            "  all valid: \(totals.allValid)\(malleated)   all invalid: \(totals.allInvalid)   disagreements: \(totals.disagreements.count)"
        )
        if let requested, let name = engine {
            print(
                engineTally(
                    totals, perGroup: perGroup, groups: groups, name: name, requested: requested,
                    resolved: outcome.resolvedEngines.sorted()))
        }
        let verifiers =
            hasCurves
            ? "by OpenSSL and GMPVerifier, ES and EdDSA also by Signet's own verifier"
            : "by OpenSSL and by GMPVerifier"
        print(
            String(
                format: "  time: %.1f s (%.0f cases/s, each verified %@)", seconds, Double(totals.cases) / seconds,
                verifiers))
        for d in totals.disagreements.prefix(10) { print(d.description) }
        if !totals.disagreements.isEmpty { throw ExitCode(2) }
    }

    /// The engine line, e.g. `  engine emulated: 200 signatures byte-identical to OpenSSL (RSA-2048: 100 over 2 keys,
    /// …), 0 mismatches; GMPVerifier verified all`.
    func engineTally(
        _ totals: DifferentialCampaign.Totals, perGroup: [String: DifferentialCampaign.Totals], groups: [String],
        name: String, requested: RSAEngine, resolved: [String]
    ) -> String {
        let label = resolved == [requested.name] ? name : "\(name) (ran as \(resolved.joined(separator: ", ")))"
        let keysText = "\(keysPerSize) key\(keysPerSize == 1 ? "" : "s")"
        let bySize = groups.map { "\($0): \(perGroup[$0]?.engineSignatures ?? 0) over \(keysText)" }
            .joined(separator: ", ")
        let mismatches = "\(totals.engineMismatches) mismatch\(totals.engineMismatches == 1 ? "" : "es")"
        let gmp =
            totals.engineVerifiedByGMP == totals.engineSignatures
            ? "GMPVerifier verified all"
            : "GMPVerifier verified \(totals.engineVerifiedByGMP) of \(totals.engineSignatures)"
        let verdictMismatches = totals.disagreements.filter { $0.engineVerdict != nil }.count
        let verified =
            totals.engineVerifications == 0
            ? ""
            : "; all \(totals.engineVerifications) cases also verified on the engine's public-key operation, "
                + (verdictMismatches == 0
                    ? "same verdicts as OpenSSL" : "\(verdictMismatches) verdicts differ from OpenSSL's")
        // PSS signatures carry a random salt: they match OpenSSL's when OpenSSL verifies them, not byte for byte.
        let pss = (try? algorithms())?.contains { $0.rsa?.usesPSS == true } ?? false
        let identical =
            pss ? "matching OpenSSL (RS: byte-identical; PS: verified by OpenSSL EVP)" : "byte-identical to OpenSSL"
        if totals.engineIdentical == totals.engineSignatures {
            return "  engine \(label): \(totals.engineSignatures) signatures \(identical) (\(bySize)), "
                + "\(mismatches); \(gmp)\(verified)"
        }
        return "  engine \(label): \(totals.engineSignatures) signatures compared with OpenSSL (\(bySize)): "
            + "\(totals.engineIdentical) byte-identical, \(mismatches); \(gmp)\(verified)"
    }

    /// Generates one key and runs its cases: 1 valid case and up to 49 mutations per round, or (engine campaign)
    /// one fresh message per case, the algorithms taking turns.
    static func runJob<R: RandomNumberGenerator>(
        _ job: Job, engine: RSAEngine?, rng: inout R, progress: (_ cases: Int, _ disagreements: Int) -> Void
    ) throws -> (totals: DifferentialCampaign.Totals, engine: RSAEngine?) {
        var campaign = try DifferentialCampaign(key: job.generateKey())
        if let engine { campaign = try campaign.comparingEngine(engine) }
        var totals = DifferentialCampaign.Totals()
        var round = job.keyIndex  // odd case counts alternate the first algorithm over the keys
        while totals.cases < job.cases {
            let mutations = engine == nil ? min(49, job.cases - totals.cases - 1) : 0
            let before = (totals.cases, totals.disagreements.count)
            try campaign.run(
                algorithm: job.algorithms[round % job.algorithms.count], mutations: max(0, mutations), using: &rng,
                into: &totals)
            round += 1
            progress(totals.cases - before.0, totals.disagreements.count - before.1)
        }
        return (totals, campaign.engine)
    }
}

/// A value guarded by an `NSLock`: pthread-based, so ThreadSanitizer sees it (`Synchronization.Mutex` is built on raw
/// futexes on Linux, which TSan cannot see; see `ContextPool` in SignetKeys).
final class LockedBox<Value>: @unchecked Sendable {  // every access to `value` holds `lock`
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
