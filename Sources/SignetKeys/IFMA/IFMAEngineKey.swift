// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL
internal import CSignetIFMA

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// - Throws: `rsa.engine-unavailable` when the engine refuses the key's shape (not 2048/3072/4096 bits, unbalanced
    ///   primes, e ≥ 2^64), the backend cannot run here, or the load-time round trip through the engine failed.
    init(evpKey: EVPKey, engine: RSAEngine) throws(SignetKeyError) {
        guard let backend = engine.backend else {
            throw SignetKeyError(.engineUnavailable, reason: "\(engine) is not an IFMA engine")
        }
        let names = ["n", "e", "rsa-factor1", "rsa-factor2", "rsa-exponent1", "rsa-exponent2", "rsa-coefficient1"]
        var parts: [[UInt8]] = []
        defer { for i in parts.indices { secureZero(&parts[i]) } }
        for name in names {
            guard let bytes = evpKey.bigEndianParameter(name) else {
                throw SignetKeyError(
                    .engineUnavailable,
                    reason: "the key has no CRT parameters (\(name)), so only OpenSSL can sign with it")
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
                shape:
                    "takes RSA-2048, RSA-3072 and RSA-4096 keys with equal-size primes and e < 2^64 only; this key is RSA-\(evpKey.bits)",
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
    func privateOperation(_ em: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws(SignetKeyError)
    {
        let k = byteCount
        guard em.count == k else {
            throw SignetKeyError(.internalError, reason: "the encoded message has \(em.count) bytes, not \(k)")
        }
        guard out.count >= k else {
            throw SignetKeyError(.outputTooSmall, reason: "the output has \(out.count) bytes; the signature needs \(k)")
        }
        // A blinding pooled before a fork() belongs to the parent: a child must not replay its (A, Ai) sequence.
        let state: IFMABlinding
        if let b = pool.take(), b.process == getpid() {
            state = b
        } else {
            state = try IFMABlinding(key: key, byteCount: k)
        }
        let input = unsafe em.bindMemory(to: UInt8.self).baseAddress
        let output = unsafe out.bindMemory(to: UInt8.self).baseAddress
        let rc: Int32
        if unsafe signet_rsa_blinding_needs_random(state.state) != 0 {
            // Once every 32 signatures the blinding pair is regenerated from fresh CSPRNG bytes; the other calls
            // need none, so none are drawn.
            rc = try unsafe withUnsafeTemporaryAllocation(byteCount: k, alignment: 16) {
                (random) throws(SignetKeyError) -> Int32 in
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
            throw SignetKeyError(
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

extension RSAEngine {
    /// The `rsa.engine-unavailable` error for an IFMA key load that failed with the C engine's `code`: `shape` for
    /// `SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE`, a `specific` reason where one is given, else a generic one.
    static func loadFailure(
        _ engine: RSAEngine, code: Int32, shape: String, specific: [Int32: String]
    ) -> SignetKeyError {
        let why: String
        switch code {
        case SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE: why = shape
        case SIGNET_IFMA_ERR_BACKEND: why = "needs AVX-512 IFMA, which this CPU or OS does not enable"
        default: why = specific[code] ?? "failed to load the key (code \(code))"
        }
        return SignetKeyError(.engineUnavailable, reason: "the \(engine) engine \(why)")
    }
}
