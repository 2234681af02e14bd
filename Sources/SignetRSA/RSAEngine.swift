// SPDX-License-Identifier: Apache-2.0
internal import COpenSSL
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
/// - ``openSSL``: OpenSSL 3 EVP (`EVP_PKEY_sign`), on every CPU and for every key.
/// - ``ifma256`` / ``ifma512``: Signet's AVX-512 IFMA engine (`vendor-shims/CSignetIFMA`: radix-2^52 Montgomery
///   arithmetic, both CRT halves exponentiated together, constant-time, base blinding, verify-after-sign) with
///   256-bit or 512-bit vectors, for RSA-2048 and RSA-4096 keys with balanced primes, on CPUs and operating systems
///   that enable AVX-512 IFMA.
/// - ``automatic`` (the default): the `SIGNET_RSA_ENGINE` environment variable when it names an engine (`evp`,
///   `ifma256`, `ifma512`); otherwise the IFMA engine where the CPU, OS and key allow it and where, timed at key
///   load (median of five private-key operations each), it signs at least 5 % faster than OpenSSL, at the faster
///   vector width; OpenSSL everywhere else. On an IFMA CPU that timing adds about a dozen private-key operations to
///   loading an RSA-2048 or RSA-4096 key (some 20 ms for RSA-4096); elsewhere it costs nothing.
///
/// Whatever the engine, signatures are RSASSA-PKCS1-v1_5 and byte-identical (PKCS#1 v1.5 is deterministic).
///
/// The same engines perform the public-key operation of verification (``RSAPublicKey/engine``): OpenSSL's
/// `BN_mod_exp_mont`, or the IFMA engine's vectorised `s^e mod n` (RSA-2048 and RSA-4096, e < 2^64), chosen by the
/// same rules, timed separately for the public-key operation (median of five operations each) on the first key of
/// each size and exponent in the process, whose choice later keys of that shape reuse.
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

    /// The engine `SIGNET_RSA_ENGINE` names, or `nil` when it is unset or names none. Read once per process
    /// (`getenv` may race with a `setenv` on another thread).
    static let fromEnvironment: RSAEngine? = {
        guard let raw = unsafe getenv("SIGNET_RSA_ENGINE") else { return nil }
        guard let engine = RSAEngine(name: unsafe String(cString: raw)), engine != .automatic else { return nil }
        return engine
    }()
}

/// Owns a `signet_rsa_engine_key` (immutable once loaded; freed, and its secrets wiped, when the last owner goes).
/// Every ``IFMABlinding`` holds one, so no blinding can outlive the key it was made for.
@safe final class IFMAKeyHandle: @unchecked Sendable {  // the C key is immutable after load and safe to share
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { unsafe self.pointer = pointer }
    deinit { unsafe signet_rsa_engine_key_free(pointer) }
}

/// One private key loaded into the IFMA engine, and a pool of per-thread blinding states (each also holds the whole
/// workspace of a private operation, so signing allocates nothing).
final class IFMAEngineKey: @unchecked Sendable {  // the engine key is immutable; blindings are pooled per thread
    private let key: IFMAKeyHandle
    private let pool = ContextPool<IFMABlinding>()
    let engine: RSAEngine
    let byteCount: Int

    /// Loads the CRT components of `evpKey` into the engine.
    ///
    /// - Throws: `rsa.engine-unavailable` when the engine refuses the key's shape (not 2048/4096 bits, unbalanced
    ///   primes, e ≥ 2^64), the backend cannot run here, or the load-time round trip through the engine failed.
    init(evpKey: EVPKey, engine: RSAEngine) throws(SignetRSAError) {
        guard let backend = engine.backend else {
            throw SignetRSAError(.engineUnavailable, reason: "\(engine) is not an IFMA engine")
        }
        let names = ["n", "e", "rsa-factor1", "rsa-factor2", "rsa-exponent1", "rsa-exponent2", "rsa-coefficient1"]
        var parts: [[UInt8]] = []
        defer { for i in parts.indices { secureZero(&parts[i]) } }
        for name in names {
            guard let bytes = evpKey.bigEndianParameter(name) else {
                throw SignetRSAError(
                    .engineUnavailable, reason: "the key has no CRT parameters (\(name)), so only OpenSSL can sign with it")
            }
            parts.append(bytes)
        }
        // One contiguous copy so that the C call gets seven pointers from a single buffer (wiped like the parts).
        var joined = parts.flatMap { $0 }
        defer { secureZero(&joined) }
        var starts: [Int] = []
        var offset = 0
        for part in parts {
            starts.append(offset)
            offset += part.count
        }
        let lengths = parts.map(\.count)
        var err: Int32 = 0
        let loaded = unsafe joined.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            guard let base = buffer.baseAddress else { return nil }
            func at(_ i: Int) -> UnsafePointer<UInt8> { unsafe base + starts[i] }
            // In the order of `names`; the struct holds pointers into `joined` only for this call.
            var params = unsafe signet_rsa_key_params(
                n: at(0), n_len: lengths[0], e: at(1), e_len: lengths[1], p: at(2), p_len: lengths[2],
                q: at(3), q_len: lengths[3], dp: at(4), dp_len: lengths[4], dq: at(5), dq_len: lengths[5],
                qinv: at(6), qinv_len: lengths[6])
            return unsafe signet_rsa_engine_key_new(&params, backend, &err)
        }
        guard let loaded = unsafe loaded else {
            throw RSAEngine.loadFailure(
                engine, code: err,
                shape: "takes RSA-2048 and RSA-4096 keys with equal-size primes and e < 2^64 only; this key is RSA-\(evpKey.bits)",
                specific: [
                    SIGNET_IFMA_ERR_KEY_INCONSISTENT:
                        "found the key's CRT parameters inconsistent, or its load-time sign/verify round trip failed"
                ])
        }
        self.key = unsafe IFMAKeyHandle(loaded)
        self.engine = engine
        self.byteCount = unsafe signet_rsa_engine_key_size(loaded)
    }

    /// `out = em^d mod n` (blinded, CRT, verified against `em` before `out` is written).
    ///
    /// - Allocation: none once a blinding state is pooled for this thread's use.
    func privateOperation(_ em: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws(SignetRSAError) {
        let k = byteCount
        guard em.count == k else {
            throw SignetRSAError(.openSSL, reason: "internal: the encoded message has \(em.count) bytes, not \(k)")
        }
        guard out.count >= k else {
            throw SignetRSAError(.outputTooSmall, reason: "the output has \(out.count) bytes; the signature needs \(k)")
        }
        // A blinding pooled before a fork() belongs to the parent: a child must not replay its (A, Ai) sequence.
        let state: IFMABlinding
        if let b = pool.take(), b.process == getpid() { state = b } else { state = try IFMABlinding(key: key, byteCount: k) }
        let input = unsafe em.bindMemory(to: UInt8.self).baseAddress
        let output = unsafe out.bindMemory(to: UInt8.self).baseAddress
        let rc: Int32
        if unsafe signet_rsa_blinding_needs_random(state.state) != 0 {
            // Once every 32 signatures the blinding pair is regenerated from fresh CSPRNG bytes; the other calls
            // need none, so none are drawn.
            rc = try unsafe withUnsafeTemporaryAllocation(byteCount: k, alignment: 16) {
                (random) throws(SignetRSAError) -> Int32 in
                defer { unsafe OPENSSL_cleanse(random.baseAddress, random.count) }
                try openSSLCheck(unsafe COpenSSL_RAND_priv_bytes(random.baseAddress, Int32(k)), "RAND_priv_bytes")
                return unsafe signet_rsa_engine_private(
                    key.pointer, state.state, input, output, random.bindMemory(to: UInt8.self).baseAddress, k)
            }
        } else {
            rc = unsafe signet_rsa_engine_private(key.pointer, state.state, input, output, nil, 0)
        }
        guard rc == SIGNET_IFMA_OK else {
            // A state that failed is dropped (freed and wiped), never reused.
            throw SignetRSAError(
                .engineFault,
                reason: rc == SIGNET_IFMA_ERR_FAULT
                    ? "the \(engine) engine's verify-after-sign check failed; no signature was released"
                    : "the \(engine) engine failed (code \(rc)); no signature was released")
        }
        pool.put(state)
    }

    /// Median time of `count` private operations, in nanoseconds (for choosing the vector width at key load).
    func measure(count: Int) -> UInt64 {
        var em = [UInt8](repeating: 0, count: byteCount)
        em[1] = 0x01  // any input below n
        var out = [UInt8](repeating: 0, count: byteCount)
        return MonotonicClock.medianNanoseconds(runs: count) {
            unsafe em.withUnsafeBytes { e in
                unsafe out.withUnsafeMutableBytes { o in (try? unsafe privateOperation(e, into: o)) != nil }
            }
        } ?? .max
    }
}

/// A monotonic nanosecond clock (no Foundation in the library).
enum MonotonicClock {
    static func now() -> UInt64 {
        var ts = timespec()
        unsafe clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Median duration of `count` timed runs of `operation` (at least one), after `warmUp` untimed runs, in
    /// nanoseconds; `nil` as soon as a run reports failure.
    static func medianNanoseconds(runs count: Int, warmUp: Int = 0, _ operation: () -> Bool) -> UInt64? {
        var samples: [UInt64] = []
        for run in 0..<(warmUp + max(1, count)) {
            let start = now()
            guard operation() else { return nil }
            if run >= warmUp { samples.append(now() - start) }
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

/// One thread's blinding pair and private-operation workspace (see `signet_rsa_blinding_new`).
@safe final class IFMABlinding: @unchecked Sendable {  // used by one thread at a time (taken from a pool)
    let state: OpaquePointer
    /// The key it was made for, kept alive as long as the blinding.
    private let key: IFMAKeyHandle
    /// The process that made it (see the fork check in ``IFMAEngineKey/privateOperation(_:into:)``).
    let process: pid_t

    init(key: IFMAKeyHandle, byteCount: Int) throws(SignetRSAError) {
        var err: Int32 = 0
        let state = try unsafe withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16) {
            (random) throws(SignetRSAError) -> OpaquePointer? in
            defer { unsafe OPENSSL_cleanse(random.baseAddress, random.count) }
            try openSSLCheck(
                unsafe COpenSSL_RAND_priv_bytes(random.baseAddress, Int32(byteCount)), "RAND_priv_bytes")
            return unsafe signet_rsa_blinding_new(
                key.pointer, random.bindMemory(to: UInt8.self).baseAddress, byteCount, &err)
        }
        guard let state = unsafe state else {
            throw SignetRSAError(.engineFault, reason: "the IFMA engine could not set up blinding (code \(err))")
        }
        unsafe self.state = state
        self.key = key
        self.process = getpid()
    }

    deinit { unsafe signet_rsa_blinding_free(state) }
}

extension RSAEngine {
    /// Loads `key` into the engine `requested` resolves to (`nil`: OpenSSL signs). Under ``automatic`` an IFMA engine
    /// that refuses the key, or cannot run here, leaves it on OpenSSL (`SIGNET_RSA_ENGINE` included); an engine
    /// requested explicitly (``RSAPrivateKey/using(engine:)``) throws instead.
    static func load(_ key: EVPKey, requested: RSAEngine) throws(SignetRSAError) -> IFMAEngineKey? {
        try resolve(
            requested,
            load: { (engine) throws(SignetRSAError) in try IFMAEngineKey(evpKey: key, engine: engine) },
            time: { $0.measure(count: 5) }, openSSL: { measureOpenSSL(key, count: 5) })
    }

    /// Loads a public key into the engine `requested` resolves to for verification (`nil`: OpenSSL's
    /// `BN_mod_exp_mont` verifies), with the same rules as ``load(_:requested:)``. Under ``automatic`` the IFMA
    /// public-key operation is timed against OpenSSL's (median of five each) on the first key of each size and
    /// exponent in the process; the choice depends on the CPU, the size and `e`, not on the key, so later keys of
    /// that shape reuse it (a JWKS may hold many keys, and the timing costs a few milliseconds on an IFMA CPU).
    static func loadPublic(
        modulus: [UInt8], exponent: [UInt8], openSSL: RSAPublicOperation, requested: RSAEngine
    ) throws(SignetRSAError) -> IFMAPublicKey? {
        let load = { (engine: RSAEngine) throws(SignetRSAError) -> IFMAPublicKey in
            try IFMAPublicKey(modulus: modulus, exponent: exponent, engine: engine)
        }
        func resolved(_ engine: RSAEngine) throws(SignetRSAError) -> IFMAPublicKey? {
            try resolve(engine, load: load, time: { $0.measure(count: 5) }, openSSL: { openSSL.measure(count: 5) })
        }
        guard requested == .automatic, fromEnvironment == nil, !supportedIFMA.isEmpty else { return try resolved(requested) }
        let shape = PublicShape(bits: IFMAPublicKey.bits(modulus), exponent: exponent)
        if let chosen = publicChoices.withLock({ $0[shape] }) {
            return chosen == .openSSL ? nil : try? load(chosen)
        }
        let loaded = try resolved(.automatic)
        publicChoices.withLock { $0[shape] = loaded?.engine ?? .openSSL }
        return loaded
    }

    /// A public key's shape for the choice ``automatic`` makes: modulus size and exponent.
    private struct PublicShape: Hashable {
        let bits: Int
        let exponent: [UInt8]
    }

    /// The engine ``automatic`` chose per public-key shape in this process (see ``loadPublic``).
    private static let publicChoices = Mutex<[PublicShape: RSAEngine]>([:])

    /// The one resolution of a requested engine, for private and public keys alike: `SIGNET_RSA_ENGINE` first
    /// (under ``automatic`` only, and never failing: an engine that cannot take the key leaves it on OpenSSL), then
    /// ``openSSL`` → `nil`, ``automatic`` → the fastest loadable IFMA width if it beats OpenSSL (``fastest``), any
    /// other engine → loaded or thrown.
    private static func resolve<Loaded>(
        _ requested: RSAEngine, load: (RSAEngine) throws(SignetRSAError) -> Loaded,
        time: (Loaded) -> UInt64, openSSL: () -> UInt64
    ) throws(SignetRSAError) -> Loaded? {
        if requested == .automatic, let preferred = fromEnvironment {
            // SIGNET_RSA_ENGINE is a preference for keys loaded the default way: an IFMA engine that cannot run
            // here or does not take this key leaves it on OpenSSL rather than making key loading fail.
            return preferred == .openSSL ? nil : try? load(preferred)
        }
        switch requested {
        case .openSSL:
            return nil
        case .automatic:
            // A key the engine refuses (shape) or that fails its load-time check stays on OpenSSL.
            let candidates = supportedIFMA.compactMap { try? load($0) }
            guard !candidates.isEmpty else { return nil }
            // Measured on this CPU, not guessed from the vendor: the faster width (Zen 4 splits 512-bit operations
            // in two; Zen 5 and Sapphire Rapids do not), and only if it beats OpenSSL on this key (OpenSSL 3.0 has
            // IFMA code of its own for RSA-2048, and later versions for 3072 and 4096 too).
            let timed = candidates.map { ($0, time($0)) }
            return fastest(openSSL: openSSL(), candidates: timed)
        default:
            return try load(requested)
        }
    }

    /// The `rsa.engine-unavailable` error for an IFMA key load that failed with the C engine's `code`: `shape` for
    /// `SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE`, a `specific` reason where one is given, else a generic one.
    static func loadFailure(
        _ engine: RSAEngine, code: Int32, shape: String, specific: [Int32: String]
    ) -> SignetRSAError {
        let why: String
        switch code {
        case SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE: why = shape
        case SIGNET_IFMA_ERR_BACKEND: why = "needs AVX-512 IFMA, which this CPU or OS does not enable"
        default: why = specific[code] ?? "failed to load the key (code \(code))"
        }
        return SignetRSAError(.engineUnavailable, reason: "the \(engine) engine \(why)")
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
    @_spi(Testing) public static func fastest<Candidate>(openSSL: UInt64, candidates: [(Candidate, UInt64)]) -> Candidate? {
        guard let best = candidates.filter({ $0.1 != .max }).min(by: { $0.1 < $1.1 }),
            best.1 < openSSL - openSSL / 20
        else { return nil }
        return best.0
    }

    /// Median time of `count` OpenSSL private-key operations (RS256 signatures of a fixed digest, after one warm-up
    /// that lets OpenSSL cache its Montgomery contexts), in nanoseconds; 0 if OpenSSL fails (so OpenSSL is kept).
    static func measureOpenSSL(_ key: EVPKey, count: Int) -> UInt64 {
        guard let context = try? RSAOperationContext(key: key, algorithm: .rs256) else { return 0 }
        var digest = [UInt8](repeating: 0x5A, count: 32)
        var signature = [UInt8](repeating: 0, count: 2048)  // up to RSA-16384
        return MonotonicClock.medianNanoseconds(runs: count, warmUp: 1) {
            var written = signature.count
            let rc = unsafe signature.withUnsafeMutableBytes { out in
                unsafe digest.withUnsafeMutableBytes { d in
                    unsafe COpenSSL_EVP_PKEY_sign(context.pkeyCtx, out.baseAddress, &written, d.baseAddress, d.count)
                }
            }
            digest[0] &+= 1
            return rc == 1
        } ?? 0
    }
}


