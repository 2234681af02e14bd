// SPDX-License-Identifier: Apache-2.0

internal import CSignetIFMA
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which code performs an RSA key's operations: the private-key operation of signing and the public-key operation
/// of verification.
///
/// ``openSSL`` (every CPU, every key), ``ifma256`` / ``ifma512`` (Signet's AVX-512 IFMA engine, `Sources/CSignetIFMA`,
/// for RSA-2048, RSA-3072 and RSA-4096 keys on CPUs that enable IFMA), or ``automatic`` (the default: the environment's
/// `SIGNET_RSA_ENGINE`, else the IFMA engine where it measured faster on the key at load, else OpenSSL). The policy
/// in full: <doc:ChoosingAnEngine>. Whatever the engine, PKCS#1 v1.5 signatures are byte-identical (the padding is
/// deterministic); PSS signatures differ by their random salt and verify alike.
public struct RSAEngine: Hashable, Sendable, CustomStringConvertible {
    /// The engine's name as `signet bench --engine` and `SIGNET_RSA_ENGINE` spell it.
    public let name: String
    let backend: Int32?

    private init(_ name: String, backend: Int32?) {
        self.name = name
        self.backend = backend
    }

    /// Resolve at key load (see the type's documentation).
    public static let automatic = Self("auto", backend: nil)
    /// OpenSSL 3 EVP.
    public static let openSSL = Self("evp", backend: nil)
    /// The IFMA engine with 256-bit (ymm) vectors.
    public static let ifma256 = Self("ifma256", backend: SIGNET_IFMA_BACKEND_NATIVE256)
    /// The IFMA engine with 512-bit (zmm) vectors.
    public static let ifma512 = Self("ifma512", backend: SIGNET_IFMA_BACKEND_NATIVE512)
    /// The IFMA engine's arithmetic on portable C "lanes" (4 per vector, mirroring ``ifma256``): same algorithm,
    /// same control flow, any CPU, about a hundred times slower. For tests on machines without IFMA.
    @_spi(Testing) public static let emulated = Self("emulated", backend: SIGNET_IFMA_BACKEND_EMULATED)
    /// As ``emulated`` with 8 lanes, mirroring ``ifma512``.
    @_spi(Testing) public static let emulated512 = Self("emulated512", backend: SIGNET_IFMA_BACKEND_EMULATED512)

    /// The engine named `name` (`auto`, `evp`, `ifma256`, `ifma512`), or `nil`.
    ///
    /// - Parameter name: An engine name.
    /// - Allocation: none.
    public init?(name: String) {
        switch name {
        case "auto": self = .automatic
        case "evp": self = .openSSL
        case "ifma256": self = .ifma256
        case "ifma512": self = .ifma512
        default: return nil
        }
    }

    /// Which engine a key's operations run on, and why: requested, `SIGNET_RSA_ENGINE`, no IFMA here, the engine
    /// refusing the key, or ``automatic``'s measurement (each contender's time and the ratio).
    public struct Choice: Hashable, Sendable, CustomStringConvertible {
        /// The engine chosen (never ``automatic``).
        public let engine: RSAEngine
        /// One line saying why.
        public let reason: String

        /// `engine: reason`.
        public var description: String { "\(engine): \(reason)" }
    }

    /// The engine's name.
    public var description: String { name }

    /// The IFMA engines this CPU and operating system can run (empty without AVX-512 IFMA).
    ///
    /// - Allocation: the returned array.
    public static var supportedIFMA: [RSAEngine] { supported }

    /// Asked once per process: CPUID and XGETBV (which trap to the hypervisor in a VM) do not change while it runs,
    /// and every key load (each key of a JWKS included) consults this.
    private static let supported: [RSAEngine] = {
        let bits = signet_ifma_support()
        var out: [RSAEngine] = []
        if bits & SIGNET_IFMA_SUPPORT_256 != 0 { out.append(.ifma256) }
        if bits & SIGNET_IFMA_SUPPORT_512 != 0 { out.append(.ifma512) }
        return out
    }()

    /// The engine `SIGNET_RSA_ENGINE` names: `nil` when it is unset, empty or `auto`; a failure (`rsa.engine-unknown`,
    /// with the names it may take) when it names no engine, so that a typo is not silently ignored. Read once per
    /// process (`getenv` may race with a `setenv` on another thread).
    static let fromEnvironment: Result<RSAEngine?, SignetKeyError> = {
        guard let raw = unsafe getenv("SIGNET_RSA_ENGINE") else { return .success(nil) }
        return environmentPreference(unsafe String(cString: raw))
    }()

    /// What a `SIGNET_RSA_ENGINE` value asks for: `nil` for empty or `auto`, the engine it names, or
    /// `rsa.engine-unknown` (the process reads the variable once; tests ask about any value).
    @_spi(Testing) public static func environmentPreference(_ value: String) -> Result<RSAEngine?, SignetKeyError> {
        if value.isEmpty { return .success(nil) }
        guard let engine = RSAEngine(name: value) else {
            let shown = value.count <= 64 ? value : String(value.prefix(64)) + "…"
            return .failure(
                SignetKeyError(
                    .engineUnknown,
                    reason:
                        "SIGNET_RSA_ENGINE=\(shown) names no engine: use auto, evp, ifma256 or ifma512 (or unset it)"
                ))
        }
        return .success(engine == .automatic ? nil : engine)
    }
}

extension RSAEngine {
    /// Loads `key` into the engine `requested` resolves to (`nil`: OpenSSL signs). Under ``automatic`` an IFMA engine
    /// that refuses the key, or cannot run here, leaves it on OpenSSL (`SIGNET_RSA_ENGINE` included); an engine
    /// requested explicitly (``RSAPrivateKey/using(engine:)``) throws instead.
    static func load(_ key: EVPKey, requested: RSAEngine) throws(SignetKeyError) -> Resolution<IFMAEngineKey> {
        try resolve(
            requested,
            load: { (engine) throws(SignetKeyError) in try IFMAEngineKey(evpKey: key, engine: engine) },
            time: { $0.measure(count: 5) }, openSSL: { measureOpenSSL(key, count: 5) })
    }

    /// Loads a public key into the engine `requested` resolves to for verification (`nil`: OpenSSL's
    /// `BN_mod_exp_mont` verifies), with the same rules as ``load(_:requested:)``. Under ``automatic`` the IFMA
    /// public-key operation is timed against OpenSSL's (median of five each) on the first key of each size and
    /// exponent in the process; the choice depends on the CPU, the size and `e`, not on the key, so later keys of
    /// that shape reuse it (a JWKS may hold many keys, and the timing costs a few milliseconds on an IFMA CPU).
    static func loadPublic(
        modulus: [UInt8], exponent: [UInt8], openSSL: RSAPublicOperation, requested: RSAEngine
    ) throws(SignetKeyError) -> Resolution<IFMAPublicKey> {
        let load = { (engine: RSAEngine) throws(SignetKeyError) -> IFMAPublicKey in
            try IFMAPublicKey(modulus: modulus, exponent: exponent, engine: engine)
        }
        func resolved(_ engine: RSAEngine) throws(SignetKeyError) -> Resolution<IFMAPublicKey> {
            try resolve(engine, load: load, time: { $0.measure(count: 5) }, openSSL: { openSSL.measure(count: 5) })
        }
        guard requested == .automatic, case .success(.none) = fromEnvironment, !supportedIFMA.isEmpty else {
            return try resolved(requested)
        }
        let shape = PublicShape(bits: IFMAPublicKey.bits(modulus), exponent: exponent)
        if let chosen = publicChoices.withLock({ $0[shape] }) {
            let loaded = chosen.engine == .openSSL ? nil : try? load(chosen.engine)
            return Resolution(
                loaded: loaded,
                choice: loaded == nil && chosen.engine != .openSSL
                    ? Choice(
                        engine: .openSSL,
                        reason: "the \(chosen.engine) engine, chosen for this key shape, does not take this key")
                    : chosen)
        }
        let resolution = try resolved(.automatic)
        publicChoices.withLock { $0[shape] = resolution.choice }
        return resolution
    }

    /// A public key's shape for the choice ``automatic`` makes: modulus size and exponent.
    private struct PublicShape: Hashable {
        let bits: Int
        let exponent: [UInt8]
    }

    /// The engine ``automatic`` chose per public-key shape in this process, and why (see ``loadPublic``).
    private static let publicChoices = Mutex<[PublicShape: Choice]>([:])

    /// An engine resolved at key load: the loaded IFMA key (`nil`: OpenSSL) and the choice with its reason.
    struct Resolution<Loaded> {
        let loaded: Loaded?
        let choice: Choice
    }

    /// The one resolution of a requested engine, for private and public keys alike: `SIGNET_RSA_ENGINE` first
    /// (under ``automatic`` only; an engine that cannot take the key leaves it on OpenSSL, a value that names no
    /// engine throws `rsa.engine-unknown`), then
    /// ``openSSL`` → `nil`, ``automatic`` → the fastest loadable IFMA width if it beats OpenSSL (``fastest``), any
    /// other engine → loaded or thrown.
    private static func resolve<Loaded>(
        _ requested: RSAEngine, load: (RSAEngine) throws(SignetKeyError) -> Loaded,
        time: (Loaded) -> UInt64, openSSL: () -> UInt64
    ) throws(SignetKeyError) -> Resolution<Loaded> {
        if requested == .automatic, let preferred = try fromEnvironment.get() {
            // SIGNET_RSA_ENGINE is a preference for keys loaded the default way: an IFMA engine that cannot run
            // here or does not take this key leaves it on OpenSSL rather than making key loading fail (a name that
            // is no engine at all does: `rsa.engine-unknown`).
            if preferred == .openSSL {
                return Resolution(loaded: nil, choice: Choice(engine: .openSSL, reason: "SIGNET_RSA_ENGINE=evp"))
            }
            do {
                let loaded = try load(preferred)
                return Resolution(
                    loaded: loaded, choice: Choice(engine: preferred, reason: "SIGNET_RSA_ENGINE=\(preferred)"))
            } catch {
                return Resolution(
                    loaded: nil,
                    choice: Choice(engine: .openSSL, reason: "SIGNET_RSA_ENGINE=\(preferred), but \(error.reason)"))
            }
        }
        switch requested {
        case .openSSL:
            return Resolution(loaded: nil, choice: Choice(engine: .openSSL, reason: "requested"))
        case .automatic:
            guard !supportedIFMA.isEmpty else {
                return Resolution(
                    loaded: nil, choice: Choice(engine: .openSSL, reason: "this CPU or OS does not enable AVX-512 IFMA")
                )
            }
            // A key the engine refuses (shape) or that fails its load-time check stays on OpenSSL.
            var refusal = ""
            var candidates: [(RSAEngine, Loaded)] = []
            for engine in supportedIFMA {
                do { candidates.append((engine, try load(engine))) } catch { refusal = error.reason }
            }
            guard !candidates.isEmpty else {
                return Resolution(loaded: nil, choice: Choice(engine: .openSSL, reason: refusal))
            }
            // Measured on this CPU, not guessed from the vendor: the faster width (Zen 4 splits 512-bit operations
            // in two; Zen 5 and Sapphire Rapids do not), and only if it beats OpenSSL on this key by the margin
            // (OpenSSL 3.0 has IFMA code of its own for RSA-2048, and later versions for 3072 and 4096 too). In
            // interleaved rounds, so that a burst of load on a shared machine hits every contender alike; each
            // contender's figure is the median of its rounds' medians.
            var openSSLRounds: [UInt64] = []
            var rounds = candidates.map { _ in [UInt64]() }
            for _ in 0..<Self.timingRounds {
                openSSLRounds.append(openSSL())
                for (i, candidate) in candidates.enumerated() { rounds[i].append(time(candidate.1)) }
            }
            let timed = candidates.indices.map { (candidates[$0], Self.median(rounds[$0])) }
            let decision = decide(openSSL: Self.median(openSSLRounds), candidates: timed.map { ($0.0.0, $0.1) })
            let loaded = timed.first { $0.0.0 == decision.engine }?.0.1
            return Resolution(loaded: loaded, choice: decision)
        default:
            return Resolution(loaded: try load(requested), choice: Choice(engine: requested, reason: "requested"))
        }
    }

    /// Rounds of timing (five operations each) per contender under ``automatic``.
    static let timingRounds = 3

    static func median(_ values: [UInt64]) -> UInt64 {
        let sorted = values.sorted()
        return sorted.isEmpty ? .max : sorted[sorted.count / 2]
    }

    /// ``automatic``'s decision from measured times, with its reason: the fastest IFMA width when it is at least 5 %
    /// faster than OpenSSL (``fastest``), else OpenSSL.
    ///
    /// - Parameters:
    ///   - openSSL: OpenSSL's median time per operation, in nanoseconds (0: it failed to time).
    ///   - candidates: Each IFMA width with its median time, in nanoseconds (`.max`: its operation failed).
    /// - Returns: The engine and why.
    @_spi(Testing) public static func decide(openSSL: UInt64, candidates: [(RSAEngine, UInt64)]) -> Choice {
        let best = candidates.filter { $0.1 != .max }.min { $0.1 < $1.1 }
        func micro(_ ns: UInt64) -> String {
            let tenths = (ns + 50) / 100
            return "\(tenths / 10).\(tenths % 10) µs"
        }
        guard let best, openSSL > 0 else {
            return Choice(engine: .openSSL, reason: "no IFMA width or OpenSSL could be timed on this key")
        }
        let hundredths = (openSSL.multipliedReportingOverflow(by: 100).partialValue + best.1 / 2) / max(best.1, 1)
        let ratio = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        let measured =
            "\(best.0) \(micro(best.1)) vs OpenSSL \(micro(openSSL)) per operation, \(ratio)x"
            + " (medians of \(timingRounds) interleaved rounds)"
        if let winner = fastest(openSSL: openSSL, candidates: [best]) {
            return Choice(engine: winner, reason: "measured faster: \(measured)")
        }
        return Choice(engine: .openSSL, reason: "kept: \(measured), within the 5 % margin or slower")
    }

    /// The choice ``automatic`` makes from measured times: the candidate with the lowest median time if it is at
    /// least 5 % faster than OpenSSL's, else `nil` (OpenSSL). The margin keeps near-ties (OpenSSL 3.0 has IFMA code
    /// of its own for RSA-2048) on OpenSSL, so that the choice does not flip with timing noise from one process to
    /// the next. A candidate timed at `.max` (its private operation failed) is never chosen.
    ///
    /// - Parameters:
    ///   - openSSL: OpenSSL's median time per private-key operation, in nanoseconds.
    ///   - candidates: Each IFMA candidate with its median time, in nanoseconds.
    /// - Returns: The candidate to sign with, or `nil` for OpenSSL.
    /// - Allocation: a filtered copy of `candidates`.
    @_spi(Testing) public static func fastest<Candidate>(
        openSSL: UInt64, candidates: [(Candidate, UInt64)]
    ) -> Candidate? {
        guard let best = candidates.filter({ $0.1 != .max }).min(by: { $0.1 < $1.1 }),
            best.1 < openSSL - openSSL / 20
        else { return nil }
        return best.0
    }
}
