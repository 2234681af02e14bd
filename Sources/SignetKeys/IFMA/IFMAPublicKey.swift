// SPDX-License-Identifier: Apache-2.0

internal import CSignetIFMA

/// A public key (n, e) loaded into the IFMA engine's public-key operation (`signet_rsa_public_engine_*`:
/// `s^e mod n` on the radix-2^52 kernel, square-and-multiply on the bits of `e`). Immutable; the operation keeps no
/// state and allocates nothing, so one instance serves any number of threads.
@safe final class IFMAPublicKey: @unchecked Sendable {  // the C key is immutable after load and safe to share
    private let pointer: OpaquePointer
    let engine: RSAEngine
    /// Modulus length in bytes.
    let byteCount: Int
    /// Modulus length in bits.
    let bits: Int

    /// Loads `n` and `e` (big-endian) for `engine`'s backend.
    ///
    /// - Throws: `rsa.engine-unavailable` when the engine does not take the key (n not exactly 2048, 3072 or 4096 bits,
    ///   e ≥ 2^64), the backend cannot run here, or its load-time self-check failed.
    init(modulus: [UInt8], exponent: [UInt8], engine: RSAEngine) throws(SignetKeyError) {
        guard let backend = engine.backend else {
            throw SignetKeyError(.engineUnavailable, reason: "\(engine) is not an IFMA engine")
        }
        var err: Int32 = 0
        let loaded = unsafe modulus.withUnsafeBufferPointer { n in
            unsafe exponent.withUnsafeBufferPointer { e in
                unsafe signet_rsa_public_engine_new(n.baseAddress, n.count, e.baseAddress, e.count, backend, &err)
            }
        }
        guard let loaded = unsafe loaded else {
            throw RSAEngine.loadFailure(
                engine, code: err,
                shape:
                    "verifies with RSA-2048, RSA-3072 and RSA-4096 keys with e < 2^64 only; this key is RSA-\(Self.bits(modulus))",
                specific: [SIGNET_IFMA_ERR_FAULT: "failed its load-time self-check against portable arithmetic"])
        }
        unsafe self.pointer = loaded
        self.engine = engine
        self.byteCount = unsafe signet_rsa_public_engine_size(loaded)
        self.bits = Self.bits(modulus)
    }

    deinit { unsafe signet_rsa_public_engine_free(pointer) }

    /// Bit length of a big-endian number.
    static func bits(_ bigEndian: [UInt8]) -> Int {
        guard let first = bigEndian.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bigEndian.count - first) * 8 - bigEndian[first].leadingZeroBitCount
    }

    /// Checks that `signature` (exactly ``byteCount`` bytes) is a signature of `digest` under `algorithm`
    /// (RSASSA-PKCS1-v1_5 or RSASSA-PSS), as ``RSAPublicOperation/verify(signature:digest:algorithm:scratch:)`` does on OpenSSL.
    ///
    /// - Allocation: none (the encoded message is a stack buffer).
    func verify(
        signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm
    ) throws(RSAPublicOperation.Failure) {
        let k = byteCount
        guard signature.count == k else { throw .engine }
        let outcome = unsafe withUnsafeTemporaryAllocation(byteCount: k, alignment: 16) {
            em -> RSAPublicOperation.Failure? in
            // The caller's bytes are only rebound for the call (their bound type is theirs); `em` is ours.
            let rc = unsafe signature.withMemoryRebound(to: UInt8.self) { sig in
                unsafe signet_rsa_public_engine_op(
                    pointer, sig.baseAddress, k, em.bindMemory(to: UInt8.self).baseAddress, k)
            }
            switch rc {
            case SIGNET_IFMA_OK:
                return unsafe RSASignaturePadding.matches(em, digest: digest, algorithm: algorithm, modulusBits: bits)
                    ? nil : .mismatch
            case SIGNET_IFMA_ERR_INPUT_RANGE: return .outOfRange
            default: return .engine
            }
        }
        if let outcome { throw outcome }
    }

    /// Median time of `count` public-key operations, in nanoseconds (for ``RSAEngine/automatic``).
    func measure(count: Int) -> UInt64 {
        var input = [UInt8](repeating: 0, count: byteCount)
        input[1] = 0x01  // any input below n
        var out = [UInt8](repeating: 0, count: byteCount)
        return MonotonicClock.medianNanoseconds(runs: count, warmUp: 1) {
            unsafe input.withUnsafeBufferPointer { i in
                unsafe out.withUnsafeMutableBufferPointer { o in
                    unsafe signet_rsa_public_engine_op(pointer, i.baseAddress, i.count, o.baseAddress, o.count)
                        == SIGNET_IFMA_OK
                }
            }
        } ?? .max
    }
}
