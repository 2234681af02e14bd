// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

/// The RSA public-key operation `s^e mod n` on libcrypto's Montgomery arithmetic, set up once per key, and the
/// RSASSA-PKCS1-v1_5 check done by re-encoding (RFC 8017 §8.2.2 step 3–4: build the expected `EM` from the digest
/// and compare; never parse the decoded block).
///
/// Why not `EVP_PKEY_verify`: on OpenSSL 3.0 it makes 12 heap allocations per call (a `BN_CTX`, its pool, a
/// decode buffer, the DigestInfo), and its digest step 2 more, even with pooled contexts. Here the Montgomery
/// context is built once at key load, and every verifying thread owns a ``PublicOperationScratch`` (a `BN_CTX` whose
/// pool keeps its `BIGNUM`s between calls), so a verification allocates nothing in steady state. The arithmetic is
/// OpenSSL's own (`BN_mod_exp_mont`, which runs its `bn_mul_mont`/`bn_sqr8x_mont` assembly), and the operation
/// involves no secret, so there is nothing to keep constant-time.
///
/// Immutable after creation; `BN_mod_exp_mont` only reads `n`, `e` and the Montgomery context, so one instance
/// serves any number of threads, each with its own scratch.
///
/// The SHA-2 block functions and `BN_mod_exp_mont` are libcrypto's own code, not fetched from a provider: with the
/// FIPS provider as the default, verification would run outside the FIPS module (signing stays on EVP). Cost is
/// bounded by the key checks at load: n ≤ 16,384 bits and e ≤ 64 bits (``RSAPublicKey``).
@safe final class RSAPublicOperation: @unchecked Sendable {  // immutable after init; OpenSSL only reads n, e, mont
    private let n: OpaquePointer
    private let e: OpaquePointer
    private let mont: OpaquePointer
    /// Modulus length in bytes (`k` in RFC 8017).
    let byteCount: Int
    /// Modulus length in bits (PSS's `emBits` is one less).
    let bits: Int

    init(modulus: [UInt8], exponent: [UInt8]) throws(SignetKeyError) {
        guard let n = unsafe modulus.withUnsafeBytes({ unsafe COpenSSL_BN_bin2bn($0.baseAddress, Int32($0.count)) })
        else { throw OpenSSLErrorQueue.error(.openSSL, "BN_bin2bn(n) failed") }
        guard let e = unsafe exponent.withUnsafeBytes({ unsafe COpenSSL_BN_bin2bn($0.baseAddress, Int32($0.count)) })
        else {
            unsafe BN_free(n)
            throw OpenSSLErrorQueue.error(.openSSL, "BN_bin2bn(e) failed")
        }
        // BN_MONT_CTX_free and BN_CTX_free accept NULL, so one failure path frees whichever was made.
        let mont = unsafe BN_MONT_CTX_new()
        let ctx = unsafe BN_CTX_new()
        defer { unsafe BN_CTX_free(ctx) }
        guard let mont = unsafe mont, unsafe ctx != nil, unsafe BN_MONT_CTX_set(mont, n, ctx) == 1 else {
            unsafe BN_MONT_CTX_free(mont)
            unsafe BN_free(n)
            unsafe BN_free(e)
            throw OpenSSLErrorQueue.error(.openSSL, "BN_MONT_CTX_set failed")
        }
        unsafe self.n = n
        unsafe self.e = e
        unsafe self.mont = mont
        self.byteCount = Int(unsafe COpenSSL_BN_num_bytes(n))
        self.bits = Int(unsafe BN_num_bits(n))
    }

    deinit {
        unsafe BN_MONT_CTX_free(mont)
        unsafe BN_free(n)
        unsafe BN_free(e)
    }

    /// Why a signature failed the PKCS#1 v1.5 check.
    enum Failure: Error {
        /// The signature, as an integer, is not below the modulus (RFC 8017 §5.2.2 step 1).
        case outOfRange
        /// `s^e mod n` is not the encoding of this digest.
        case mismatch
        /// OpenSSL failed (its error queue holds the reason).
        case openSSL
        /// The IFMA engine failed.
        case engine
    }

    /// Checks that `signature` (exactly ``byteCount`` bytes) is a signature of `digest` under `algorithm`
    /// (RSASSA-PKCS1-v1_5 or RSASSA-PSS).
    ///
    /// - Allocation: none once `scratch` has been used for a key of this size.
    func verify(
        signature: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm,
        scratch: PublicOperationScratch
    ) throws(Failure) {
        let k = byteCount
        guard signature.count == k, unsafe COpenSSL_BN_bin2bn_into(signature.baseAddress, Int32(k), scratch.s) != nil
        else { throw .openSSL }
        guard unsafe BN_ucmp(scratch.s, n) < 0 else { throw .outOfRange }
        guard unsafe BN_mod_exp_mont(scratch.m, scratch.s, e, n, scratch.ctx, mont) == 1 else { throw .openSSL }
        let matches = unsafe withUnsafeTemporaryAllocation(byteCount: k, alignment: 16) { em -> Bool in
            guard unsafe COpenSSL_BN_bn2binpad(scratch.m, em.baseAddress, Int32(k)) == Int32(k) else { return false }
            return unsafe RSASignaturePadding.matches(em, digest: digest, algorithm: algorithm, modulusBits: bits)
        }
        guard matches else { throw .mismatch }
    }

    /// Median time of `count` public-key operations (`BN_mod_exp_mont` on a fixed input), in nanoseconds, after one
    /// warm-up: the figure ``RSAEngine/automatic`` weighs the IFMA engine against. 0 if OpenSSL fails (so
    /// OpenSSL is kept).
    ///
    /// - Allocation: allocates (a scratch of its own).
    func measure(count: Int) -> UInt64 {
        guard let scratch = try? PublicOperationScratch() else { return 0 }
        var input = [UInt8](repeating: 0, count: byteCount)
        input[1] = 0x01  // any input below n
        let loaded = unsafe input.withUnsafeBytes {
            unsafe COpenSSL_BN_bin2bn_into($0.baseAddress, Int32($0.count), scratch.s) != nil
        }
        guard loaded else { return 0 }
        return MonotonicClock.medianNanoseconds(runs: count, warmUp: 1) {
            unsafe BN_mod_exp_mont(scratch.m, scratch.s, e, n, scratch.ctx, mont) == 1
        } ?? 0
    }
}

/// A verifying thread's own libcrypto scratch: a `BN_CTX` (whose internal pool keeps its `BIGNUM`s and their limbs
/// between calls) and the two numbers of one verification. Never shared between threads (see ``ContextPool``).
@safe final class PublicOperationScratch: @unchecked Sendable {  // used by one thread at a time (taken from a pool)
    let ctx: OpaquePointer
    let s: OpaquePointer
    let m: OpaquePointer

    init() throws(SignetKeyError) {
        // BN_free and BN_CTX_free accept NULL, so one failure path frees whichever was made.
        let ctx = unsafe BN_CTX_new()
        let s = unsafe BN_new()
        let m = unsafe BN_new()
        guard let ctx = unsafe ctx, let s = unsafe s, let m = unsafe m else {
            unsafe BN_free(m)
            unsafe BN_free(s)
            unsafe BN_CTX_free(ctx)
            throw OpenSSLErrorQueue.error(.openSSL, "BN_CTX_new/BN_new failed")
        }
        unsafe self.ctx = ctx
        unsafe self.s = s
        unsafe self.m = m
    }

    deinit {
        unsafe BN_free(m)
        unsafe BN_free(s)
        unsafe BN_CTX_free(ctx)
    }
}
