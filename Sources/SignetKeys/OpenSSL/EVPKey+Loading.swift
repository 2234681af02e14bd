// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

extension EVPKey {
    /// Decodes DER of a known structure with OpenSSL's decoder for RSA keys only; every input byte must be consumed.
    static func decode(der: [UInt8], structure: DERKeyStructure) throws(SignetKeyError) -> EVPKey {
        // OpenSSL 3.0's decoder keeps the input type, structure and key type *pointers* until it decodes, so they
        // must outlive the context: static strings, never temporaries bridged from Swift Strings (a use-after-free
        // that ThreadSanitizer's allocator exposed as "Input type: lib.c").
        let structureName: StaticString
        switch structure {
        case .pkcs8: structureName = "PrivateKeyInfo"
        case .spki: structureName = "SubjectPublicKeyInfo"
        case .pkcs1Private, .pkcs1Public: structureName = "type-specific"
        case .encryptedPKCS8:
            throw SignetKeyError(.pemUnsupportedLabel, reason: "encrypted PKCS#8 keys are not supported; decrypt first")
        }
        let selection = structure.isPrivate ? COpenSSL_EVP_PKEY_KEYPAIR : COpenSSL_EVP_PKEY_PUBLIC_KEY
        var pkey: OpaquePointer? = nil
        func cString(_ s: StaticString) -> UnsafePointer<CChar> {
            unsafe UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
        }
        guard
            let dctx = unsafe OSSL_DECODER_CTX_new_for_pkey(
                &pkey, cString("DER"), cString(structureName), cString("RSA"), selection, nil, nil)
        else {
            throw OpenSSLErrorQueue.error(.openSSL, "OSSL_DECODER_CTX_new_for_pkey failed")
        }
        defer { unsafe OSSL_DECODER_CTX_free(dctx) }
        let rc = unsafe der.withUnsafeBytes { unsafe COpenSSL_OSSL_DECODER_from_data(dctx, $0.baseAddress, $0.count) }
        if rc == -2 {
            if let p = unsafe pkey { unsafe EVP_PKEY_free(p) }
            throw OpenSSLErrorQueue.error(.derMalformed, "trailing bytes after \(structure.name)")
        }
        guard rc == 1, let p = unsafe pkey else {
            if let p = unsafe pkey { unsafe EVP_PKEY_free(p) }
            throw OpenSSLErrorQueue.error(.derMalformed, "OpenSSL could not decode \(structure.name) as an RSA key")
        }
        return unsafe EVPKey(taking: p)
    }

    /// Builds a key from big-endian components (`n`, `e`, and for a private key `d`, `p`, `q`, `dp`, `dq`, `qi`).
    static func fromComponents(
        _ parts: [(name: StaticString, bytes: [UInt8])], isPrivate: Bool
    ) throws(SignetKeyError)
        -> EVPKey
    {
        guard let builder = unsafe OSSL_PARAM_BLD_new() else {
            throw OpenSSLErrorQueue.error(.openSSL, "OSSL_PARAM_BLD_new failed")
        }
        defer { unsafe OSSL_PARAM_BLD_free(builder) }
        var bignums: [OpaquePointer] = unsafe []
        // swift-format-ignore
        defer { for unsafe bn in unsafe bignums { unsafe BN_clear_free(bn) } }
        for part in parts {
            guard
                let bn = unsafe part.bytes.withUnsafeBytes({
                    unsafe COpenSSL_BN_bin2bn($0.baseAddress, Int32($0.count))
                })
            else { throw OpenSSLErrorQueue.error(.openSSL, "BN_bin2bn failed") }
            unsafe bignums.append(bn)
            // The builder keeps the name pointer until OSSL_PARAM_BLD_to_param, so it must be a static string.
            let name = unsafe UnsafeRawPointer(part.name.utf8Start).assumingMemoryBound(to: CChar.self)
            try openSSLCheck(unsafe OSSL_PARAM_BLD_push_BN(builder, name, bn), "OSSL_PARAM_BLD_push_BN")
        }
        guard let params = unsafe OSSL_PARAM_BLD_to_param(builder) else {
            throw OpenSSLErrorQueue.error(.openSSL, "OSSL_PARAM_BLD_to_param failed")
        }
        defer { unsafe OSSL_PARAM_free(params) }
        let rsa: StaticString = "RSA"  // kept by pointer in the context (see decode(der:structure:))
        guard
            let ctx = unsafe EVP_PKEY_CTX_new_from_name(
                nil, UnsafeRawPointer(rsa.utf8Start).assumingMemoryBound(to: CChar.self), nil)
        else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_CTX_new_from_name(RSA) failed")
        }
        defer { unsafe EVP_PKEY_CTX_free(ctx) }
        try openSSLCheck(unsafe EVP_PKEY_fromdata_init(ctx), "EVP_PKEY_fromdata_init")
        var pkey: OpaquePointer? = nil
        let selection = isPrivate ? COpenSSL_EVP_PKEY_KEYPAIR : COpenSSL_EVP_PKEY_PUBLIC_KEY
        guard unsafe EVP_PKEY_fromdata(ctx, &pkey, selection, params) == 1, let p = unsafe pkey else {
            throw OpenSSLErrorQueue.error(.jwkInvalid, "OpenSSL refused the RSA key components")
        }
        return unsafe EVPKey(taking: p)
    }

    /// Generates a fresh RSA key with e = 65537.
    static func generate(bits: Int) throws(SignetKeyError) -> EVPKey {
        guard let p = unsafe COpenSSL_EVP_RSA_gen(UInt32(bits)) else {
            throw OpenSSLErrorQueue.error(.keyGeneration, "RSA-\(bits) key generation failed")
        }
        return unsafe EVPKey(taking: p)
    }

    /// Runs OpenSSL's pairwise consistency check on a private key (n = p·q, d·e ≡ 1, CRT values).
    func checkPairwise() throws(SignetKeyError) {
        guard let ctx = unsafe EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_CTX_new_from_pkey failed")
        }
        defer { unsafe EVP_PKEY_CTX_free(ctx) }
        guard unsafe EVP_PKEY_pairwise_check(ctx) == 1 else {
            throw OpenSSLErrorQueue.error(
                .keyInconsistent, "the private key's components are inconsistent (pairwise check failed)")
        }
    }

    /// DER `SubjectPublicKeyInfo` of the public half.
    func spkiDER() throws(SignetKeyError) -> [UInt8] {
        let n = unsafe COpenSSL_i2d_PUBKEY(pkey, nil)
        guard n > 0 else { throw OpenSSLErrorQueue.error(.openSSL, "i2d_PUBKEY failed") }
        var out = [UInt8](repeating: 0, count: Int(n))
        let written = unsafe out.withUnsafeMutableBytes { unsafe COpenSSL_i2d_PUBKEY(pkey, $0.baseAddress) }
        guard written == n else { throw OpenSSLErrorQueue.error(.openSSL, "i2d_PUBKEY failed") }
        return out
    }

    /// Calls `body` with the PKCS#8 PEM of the private key in an OpenSSL memory buffer, then wipes that buffer.
    func withPKCS8PEM<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(SignetKeyError) -> Result<R, E> {
        guard let bio = unsafe BIO_new(BIO_s_mem()) else { throw OpenSSLErrorQueue.error(.openSSL, "BIO_new failed") }
        defer { unsafe BIO_free(bio) }
        guard unsafe PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLErrorQueue.error(.openSSL, "PEM_write_bio_PrivateKey failed")
        }
        var data: UnsafeMutablePointer<CChar>? = nil
        let count = unsafe COpenSSL_BIO_get_mem_data(bio, &data)
        guard count > 0, let data = unsafe data else {
            throw OpenSSLErrorQueue.error(.openSSL, "BIO_get_mem_data failed")
        }
        defer { unsafe OPENSSL_cleanse(data, Int(count)) }
        let buffer = unsafe UnsafeRawBufferPointer(start: data, count: Int(count))
        do throws(E) {
            return unsafe .success(try body(buffer))
        } catch {
            return .failure(error)
        }
    }

    /// PEM `PUBLIC KEY` (SPKI) text of the public half.
    func publicPEM() throws(SignetKeyError) -> String {
        guard let bio = unsafe BIO_new(BIO_s_mem()) else { throw OpenSSLErrorQueue.error(.openSSL, "BIO_new failed") }
        defer { unsafe BIO_free(bio) }
        guard unsafe PEM_write_bio_PUBKEY(bio, pkey) == 1 else {
            throw OpenSSLErrorQueue.error(.openSSL, "PEM_write_bio_PUBKEY failed")
        }
        var data: UnsafeMutablePointer<CChar>? = nil
        let count = unsafe COpenSSL_BIO_get_mem_data(bio, &data)
        guard count > 0, let data = unsafe data else {
            throw OpenSSLErrorQueue.error(.openSSL, "BIO_get_mem_data failed")
        }
        return unsafe String(decoding: UnsafeRawBufferPointer(start: data, count: Int(count)), as: UTF8.self)
    }
}

/// Overwrites `bytes` with zeros in a way the optimiser may not remove (`OPENSSL_cleanse`).
func secureZero(_ bytes: inout [UInt8]) {
    unsafe bytes.withUnsafeMutableBytes { unsafe OPENSSL_cleanse($0.baseAddress, $0.count) }
}
