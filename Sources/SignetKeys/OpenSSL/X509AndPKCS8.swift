// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

/// What Signet reads from an X.509 certificate: its public key (as SPKI DER) and its validity window.
struct ParsedCertificate {
    var spki: [UInt8]
    var notBefore: Int64
    var notAfter: Int64
    var subject: String
}

/// The OpenSSL calls behind `X509Certificate` and the encrypted-PKCS#8 loader.
enum OpenSSLKeyContainers {
    /// Parses a DER `Certificate` with OpenSSL; every byte must belong to it.
    static func certificate(der: [UInt8]) throws(SignetKeyError) -> ParsedCertificate {
        var consumed = 0
        guard let x509 = unsafe der.withUnsafeBytes({ unsafe COpenSSL_d2i_X509($0.baseAddress, $0.count, &consumed) })
        else {
            throw OpenSSLErrorQueue.error(
                .certificateInvalid, "OpenSSL could not decode the bytes as an X.509 certificate")
        }
        defer { unsafe X509_free(x509) }
        guard consumed == der.count else {
            throw OpenSSLErrorQueue.error(
                .certificateInvalid, "trailing bytes after the certificate", offset: consumed)
        }
        guard let pkey = unsafe X509_get0_pubkey(x509) else {
            throw OpenSSLErrorQueue.error(.certificateInvalid, "the certificate's public key cannot be read")
        }
        // Any algorithm: X509Certificate reads the family from the SubjectPublicKeyInfo's algorithm identifier.
        let n = unsafe COpenSSL_i2d_PUBKEY(pkey, nil)
        guard n > 0 else { throw OpenSSLErrorQueue.error(.openSSL, "i2d_PUBKEY failed") }
        var spki = [UInt8](repeating: 0, count: Int(n))
        let written = unsafe spki.withUnsafeMutableBytes { unsafe COpenSSL_i2d_PUBKEY(pkey, $0.baseAddress) }
        guard written == n else { throw OpenSSLErrorQueue.error(.openSSL, "i2d_PUBKEY failed") }
        var notBefore: Int64 = 0
        var notAfter: Int64 = 0
        guard let before = unsafe X509_get0_notBefore(x509), let after = unsafe X509_get0_notAfter(x509),
            unsafe COpenSSL_ASN1_TIME_to_unix(before, &notBefore) == 1,
            unsafe COpenSSL_ASN1_TIME_to_unix(after, &notAfter) == 1
        else {
            throw OpenSSLErrorQueue.error(.certificateInvalid, "the certificate's validity dates cannot be read")
        }
        var name = [CChar](repeating: 0, count: 512)
        _ = unsafe name.withUnsafeMutableBufferPointer {
            unsafe X509_NAME_oneline(X509_get_subject_name(x509), $0.baseAddress, Int32($0.count))
        }
        let subject = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return ParsedCertificate(spki: spki, notBefore: notBefore, notAfter: notAfter, subject: subject)
    }

    /// Decrypts a DER `EncryptedPrivateKeyInfo` (PKCS#8, PBES2 or PKCS#12 PBE) into `PrivateKeyInfo` DER, which the
    /// caller wipes after use. OpenSSL clears its own copy of the decrypted key when it frees it.
    static func decryptPKCS8(der: [UInt8], password: [UInt8]) throws(SignetKeyError) -> [UInt8] {
        var consumed = 0
        guard
            let sig = unsafe der.withUnsafeBytes({
                unsafe COpenSSL_d2i_X509_SIG($0.baseAddress, $0.count, &consumed)
            }), consumed == der.count
        else {
            throw OpenSSLErrorQueue.error(.derMalformed, "not a well-formed PKCS#8 EncryptedPrivateKeyInfo")
        }
        defer { unsafe X509_SIG_free(sig) }
        guard password.count <= Int(Int32.max),
            let info = unsafe password.withUnsafeBytes({
                unsafe COpenSSL_PKCS8_decrypt(sig, $0.baseAddress, Int32($0.count))
            })
        else {
            throw OpenSSLErrorQueue.error(
                .wrongPassword,
                "the password does not decrypt the private key (wrong password, or a cipher OpenSSL lacks)")
        }
        defer { unsafe PKCS8_PRIV_KEY_INFO_free(info) }
        let n = unsafe COpenSSL_i2d_PKCS8_PRIV_KEY_INFO(info, nil)
        guard n > 0 else { throw OpenSSLErrorQueue.error(.openSSL, "i2d_PKCS8_PRIV_KEY_INFO failed") }
        var plain = [UInt8](repeating: 0, count: Int(n))
        let written = unsafe plain.withUnsafeMutableBytes {
            unsafe COpenSSL_i2d_PKCS8_PRIV_KEY_INFO(info, $0.baseAddress)
        }
        guard written == n else {
            secureZero(&plain)
            throw OpenSSLErrorQueue.error(.openSSL, "i2d_PKCS8_PRIV_KEY_INFO failed")
        }
        return plain
    }
}
