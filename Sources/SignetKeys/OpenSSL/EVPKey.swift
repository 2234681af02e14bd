// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

/// The single owner of an `EVP_PKEY`. Immutable after creation; OpenSSL 3 documents `EVP_PKEY` as safe to use
/// from many threads for signing and verifying as long as nobody modifies it, and nothing here does.
@safe final class EVPKey: @unchecked Sendable {
    let pkey: OpaquePointer

    /// Takes ownership of `pkey`.
    init(taking pkey: OpaquePointer) { unsafe self.pkey = pkey }

    deinit { unsafe EVP_PKEY_free(pkey) }

    /// Modulus size in bits.
    var bits: Int { Int(unsafe EVP_PKEY_get_bits(pkey)) }

    /// True when the key is an RSA key (not RSA-PSS restricted, not EC).
    var isRSA: Bool { unsafe EVP_PKEY_is_a(pkey, "RSA") == 1 }

    /// Big-endian bytes of a BIGNUM parameter (`n`, `e`), or `nil` when absent.
    func bigEndianParameter(_ name: String) -> [UInt8]? {
        var bn: OpaquePointer? = nil
        guard unsafe EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let bn = unsafe bn else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { unsafe BN_clear_free(bn) }
        let count = Int(unsafe COpenSSL_BN_num_bytes(bn))
        var out = [UInt8](repeating: 0, count: count)
        _ = unsafe out.withUnsafeMutableBytes { unsafe COpenSSL_BN_bn2binpad(bn, $0.baseAddress, Int32(count)) }
        return out
    }
}

/// Per-operation OpenSSL state for one private key and one algorithm: a signing `EVP_PKEY_CTX` initialised once
/// (padding PKCS#1 v1.5 or PSS, signature digest set). The digest is computed without a context
/// (``Digests/hash(_:algorithm:into:)``); verification runs on ``RSAPublicOperation``. Never shared between threads.
// @unchecked: only ever used by one thread at a time (see ContextPool).
@safe final class RSAOperationContext: @unchecked Sendable {
    let pkeyCtx: OpaquePointer

    init(key: EVPKey, algorithm: RSASignatureAlgorithm) throws(SignetKeyError) {
        let md = try unsafe Digests.md(for: algorithm)
        guard let pkeyCtx = unsafe EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil) else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_CTX_new_from_pkey failed")
        }
        unsafe self.pkeyCtx = pkeyCtx
        try openSSLCheck(unsafe EVP_PKEY_sign_init(pkeyCtx), "EVP_PKEY_sign_init")
        try unsafe Self.configure(pkeyCtx, algorithm: algorithm, md: md)
    }

    /// Sets the padding, the signature digest and, for PSS, MGF1 over the same digest and a salt as long as the
    /// digest (RFC 7518 §3.5).
    static func configure(
        _ pkeyCtx: OpaquePointer, algorithm: RSASignatureAlgorithm, md: OpaquePointer
    )
        throws(SignetKeyError)
    {
        let padding = algorithm.usesPSS ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING
        try openSSLCheck(unsafe EVP_PKEY_CTX_set_rsa_padding(pkeyCtx, padding), "EVP_PKEY_CTX_set_rsa_padding")
        try openSSLCheck(unsafe EVP_PKEY_CTX_set_signature_md(pkeyCtx, md), "EVP_PKEY_CTX_set_signature_md")
        guard algorithm.usesPSS else { return }
        try openSSLCheck(unsafe EVP_PKEY_CTX_set_rsa_mgf1_md(pkeyCtx, md), "EVP_PKEY_CTX_set_rsa_mgf1_md")
        try openSSLCheck(
            unsafe EVP_PKEY_CTX_set_rsa_pss_saltlen(pkeyCtx, Int32(algorithm.digestByteCount)),
            "EVP_PKEY_CTX_set_rsa_pss_saltlen")
    }

    deinit {
        unsafe EVP_PKEY_CTX_free(pkeyCtx)
    }
}

extension RSAEngine {
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
