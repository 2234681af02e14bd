// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

// Loading, generating and exporting EC (P-256/384/521) and Ed25519 keys.
extension EVPKey {
    /// DER `SubjectPublicKeyInfo` of any key type; every byte must be consumed.
    static func decodePublic(der: [UInt8]) throws(SignetKeyError) -> EVPKey {
        var consumed = 0
        let key = unsafe der.withUnsafeBytes { unsafe COpenSSL_d2i_PUBKEY($0.baseAddress, $0.count, &consumed) }
        guard let key = unsafe key else {
            throw OpenSSLErrorQueue.error(.derMalformed, "OpenSSL could not decode the SubjectPublicKeyInfo")
        }
        let loaded = unsafe EVPKey(taking: key)
        guard consumed == der.count else {
            OpenSSLErrorQueue.clear()
            throw SignetKeyError(.derMalformed, offset: consumed, reason: "trailing bytes after the public key")
        }
        return loaded
    }

    /// DER PKCS#8 `PrivateKeyInfo` or a type-specific private key (SEC 1 `ECPrivateKey`); every byte must be consumed.
    static func decodePrivate(der: [UInt8]) throws(SignetKeyError) -> EVPKey {
        var consumed = 0
        let key = unsafe der.withUnsafeBytes {
            unsafe COpenSSL_d2i_AutoPrivateKey($0.baseAddress, $0.count, &consumed)
        }
        guard let key = unsafe key else {
            throw OpenSSLErrorQueue.error(.derMalformed, "OpenSSL could not decode the private key")
        }
        let loaded = unsafe EVPKey(taking: key)
        guard consumed == der.count else {
            OpenSSLErrorQueue.clear()
            throw SignetKeyError(.derMalformed, offset: consumed, reason: "trailing bytes after the private key")
        }
        return loaded
    }

    /// True for an EC key.
    var isEC: Bool { unsafe EVP_PKEY_is_a(pkey, "EC") == 1 }
    /// True for an Ed25519 key.
    var isEd25519: Bool { unsafe EVP_PKEY_is_a(pkey, "ED25519") == 1 }

    /// The curve of an EC key, or `nil` when it is not one Signet supports.
    var curve: ECCurve? {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        let ok = unsafe buffer.withUnsafeMutableBufferPointer {
            unsafe EVP_PKEY_get_group_name(pkey, $0.baseAddress, $0.count, &length)
        }
        guard ok == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return ECCurve(
            openSSLName: String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The affine coordinates of an EC key's public point, each left-padded to the curve's width.
    func coordinates(_ curve: ECCurve) throws(SignetKeyError) -> (x: [UInt8], y: [UInt8]) {
        guard let x = bigEndianParameter("qx"), let y = bigEndianParameter("qy"),
            x.count <= curve.coordinateByteCount, y.count <= curve.coordinateByteCount
        else { throw OpenSSLErrorQueue.error(.openSSL, "could not read the EC public point") }
        let pad = { (v: [UInt8]) in [UInt8](repeating: 0, count: curve.coordinateByteCount - v.count) + v }
        return (pad(x), pad(y))
    }

    /// The raw 32-byte public key of an Ed25519 key.
    func rawPublicKey() throws(SignetKeyError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        let ok = unsafe out.withUnsafeMutableBytes { unsafe COpenSSL_get_raw_public_key(pkey, $0.baseAddress, &length) }
        guard ok == 1, length == 32 else { throw OpenSSLErrorQueue.error(.openSSL, "could not read the Ed25519 key") }
        return out
    }

    /// A fresh key on `curve`.
    static func generate(curve: ECCurve) throws(SignetKeyError) -> EVPKey {
        guard let p = unsafe COpenSSL_EVP_EC_gen(curve.jwkName) else {
            throw OpenSSLErrorQueue.error(.keyGeneration, "\(curve) key generation failed")
        }
        return unsafe EVPKey(taking: p)
    }

    /// A fresh Ed25519 key.
    static func generateEd25519() throws(SignetKeyError) -> EVPKey {
        guard let p = unsafe COpenSSL_EVP_ED25519_gen() else {
            throw OpenSSLErrorQueue.error(.keyGeneration, "Ed25519 key generation failed")
        }
        return unsafe EVPKey(taking: p)
    }

    /// An Ed25519 key from its raw 32-byte public key, or from its 32-byte private seed.
    static func ed25519(raw: [UInt8], isPrivate: Bool) throws(SignetKeyError) -> EVPKey {
        guard raw.count == 32 else {
            throw SignetKeyError(.jwkInvalid, reason: "an Ed25519 key is 32 bytes, not \(raw.count)")
        }
        let key = unsafe raw.withUnsafeBytes {
            isPrivate
                ? unsafe COpenSSL_new_raw_private_key(COpenSSL_EVP_PKEY_ED25519, $0.baseAddress, $0.count)
                : unsafe COpenSSL_new_raw_public_key(COpenSSL_EVP_PKEY_ED25519, $0.baseAddress, $0.count)
        }
        guard let key = unsafe key else {
            throw OpenSSLErrorQueue.error(.jwkInvalid, "OpenSSL refused the Ed25519 key")
        }
        return unsafe EVPKey(taking: key)
    }

    /// An EC private key from its scalar and the public point it must match (checked pairwise).
    static func ecPrivate(curve: ECCurve, x: [UInt8], y: [UInt8], d: [UInt8]) throws(SignetKeyError) -> EVPKey {
        guard let builder = unsafe OSSL_PARAM_BLD_new() else {
            throw OpenSSLErrorQueue.error(.openSSL, "OSSL_PARAM_BLD_new failed")
        }
        defer { unsafe OSSL_PARAM_BLD_free(builder) }
        guard let bn = unsafe d.withUnsafeBytes({ unsafe COpenSSL_BN_bin2bn($0.baseAddress, Int32($0.count)) }) else {
            throw OpenSSLErrorQueue.error(.openSSL, "BN_bin2bn failed")
        }
        defer { unsafe BN_clear_free(bn) }
        let point = [0x04] + x + y
        let groupName: StaticString
        switch curve {
        case .p256: groupName = "P-256"
        case .p384: groupName = "P-384"
        default: groupName = "P-521"
        }
        // The builder keeps name pointers until OSSL_PARAM_BLD_to_param: static strings only.
        func cString(_ s: StaticString) -> UnsafePointer<CChar> {
            unsafe UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
        }
        let params = try unsafe point.span.withUnsafeBytes {
            (p) throws(SignetKeyError) -> UnsafeMutablePointer<OSSL_PARAM> in
            try openSSLCheck(
                unsafe OSSL_PARAM_BLD_push_utf8_string(builder, cString("group"), cString(groupName), 0),
                "OSSL_PARAM_BLD_push_utf8_string")
            try openSSLCheck(
                unsafe OSSL_PARAM_BLD_push_octet_string(builder, cString("pub"), p.baseAddress, p.count),
                "OSSL_PARAM_BLD_push_octet_string")
            try openSSLCheck(unsafe OSSL_PARAM_BLD_push_BN(builder, cString("priv"), bn), "OSSL_PARAM_BLD_push_BN")
            guard let params = unsafe OSSL_PARAM_BLD_to_param(builder) else {
                throw OpenSSLErrorQueue.error(.openSSL, "OSSL_PARAM_BLD_to_param failed")
            }
            return unsafe params
        }
        defer { unsafe OSSL_PARAM_free(params) }
        guard let ctx = unsafe EVP_PKEY_CTX_new_from_name(nil, cString("EC"), nil) else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_CTX_new_from_name(EC) failed")
        }
        defer { unsafe EVP_PKEY_CTX_free(ctx) }
        try openSSLCheck(unsafe EVP_PKEY_fromdata_init(ctx), "EVP_PKEY_fromdata_init")
        var pkey: OpaquePointer? = nil
        guard unsafe EVP_PKEY_fromdata(ctx, &pkey, COpenSSL_EVP_PKEY_KEYPAIR, params) == 1, let p = unsafe pkey else {
            throw OpenSSLErrorQueue.error(.jwkInvalid, "OpenSSL refused the EC key components")
        }
        return unsafe EVPKey(taking: p)
    }

    /// Checks that a public key is valid (an EC point on its curve and not the point at infinity).
    func checkPublic() throws(SignetKeyError) {
        guard let ctx = unsafe EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_CTX_new_from_pkey failed")
        }
        defer { unsafe EVP_PKEY_CTX_free(ctx) }
        guard unsafe EVP_PKEY_public_check(ctx) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidPoint, "the public key is not a valid point on its curve")
        }
    }
}

/// A signing or verifying `EVP_PKEY_CTX` for an EC key, initialised once (ECDSA signs and verifies a digest).
/// Never shared between threads (see ``ContextPool``).
@safe final class ECDSAContext: @unchecked Sendable {  // used by one thread at a time (taken from a pool)
    let pkeyCtx: OpaquePointer

    init(key: EVPKey, signing: Bool) throws(SignetKeyError) {
        guard let ctx = unsafe EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil) else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_CTX_new_from_pkey failed")
        }
        unsafe self.pkeyCtx = ctx
        if signing {
            try openSSLCheck(unsafe EVP_PKEY_sign_init(ctx), "EVP_PKEY_sign_init")
        } else {
            try openSSLCheck(unsafe EVP_PKEY_verify_init(ctx), "EVP_PKEY_verify_init")
        }
    }

    deinit { unsafe EVP_PKEY_CTX_free(pkeyCtx) }

    /// ECDSA over `digest`; the DER signature's length, or `nil` (OpenSSL's error queue holds why).
    func sign(digest: UnsafeRawBufferPointer, into der: UnsafeMutableRawBufferPointer) -> Int? {
        var length = der.count
        guard
            unsafe COpenSSL_EVP_PKEY_sign(pkeyCtx, der.baseAddress, &length, digest.baseAddress, digest.count) == 1
        else { return nil }
        return length
    }

    /// Whether the DER signature verifies over `digest`; never leaves OpenSSL errors behind.
    func verify(der: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer) -> Bool {
        let ok =
            unsafe COpenSSL_EVP_PKEY_verify(pkeyCtx, der.baseAddress, der.count, digest.baseAddress, digest.count) == 1
        if !ok { OpenSSLErrorQueue.clear() }
        return ok
    }
}

/// An `EVP_MD_CTX` for Ed25519 (pure EdDSA signs the message, not a digest, so each operation re-initialises the
/// context with the key). Never shared between threads.
@safe final class EdDSAContext: @unchecked Sendable {  // used by one thread at a time (taken from a pool)
    let mdCtx: OpaquePointer

    init() throws(SignetKeyError) {
        guard let ctx = unsafe EVP_MD_CTX_new() else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_MD_CTX_new failed")
        }
        unsafe self.mdCtx = ctx
    }

    deinit { unsafe EVP_MD_CTX_free(mdCtx) }

    /// Ed25519 signature of `message` into `signature` (64 bytes); `false` on failure (queue holds why).
    func sign(_ message: UnsafeRawBufferPointer, key: EVPKey, into signature: UnsafeMutableRawBufferPointer) -> Bool {
        var length = signature.count
        guard unsafe EVP_DigestSignInit_ex(mdCtx, nil, nil, nil, nil, key.pkey, nil) == 1 else { return false }
        let rc = unsafe COpenSSL_EVP_DigestSign(
            mdCtx, signature.baseAddress, &length, message.baseAddress, message.count)
        return rc == 1 && length == 64
    }

    /// Whether `signature` is an Ed25519 signature of `message`; never leaves OpenSSL errors behind.
    func verify(_ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, key: EVPKey) -> Bool {
        var ok = unsafe EVP_DigestVerifyInit_ex(mdCtx, nil, nil, nil, nil, key.pkey, nil) == 1
        if ok {
            ok =
                unsafe COpenSSL_EVP_DigestVerify(
                    mdCtx, signature.baseAddress, signature.count, message.baseAddress, message.count) == 1
        }
        if !ok { OpenSSLErrorQueue.clear() }
        return ok
    }
}
