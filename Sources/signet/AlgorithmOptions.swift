// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import JWS
import SignetKeys

extension JWSAlgorithm: ExpressibleByArgument {
    /// Any JWS name, case-insensitively (`rs256`, `PS256`, `es256`, `eddsa`).
    public init?(argument: String) {
        guard let found = JWSAlgorithm.all.first(where: { $0.jwsName.lowercased() == argument.lowercased() }) else {
            return nil
        }
        self = found
    }

    /// Every algorithm's JWS name.
    public static var allValueStrings: [String] { JWSAlgorithm.all.map(\.jwsName) }
}

/// The algorithm a public key verifies when none is named: RS512 for RSA (NHS England's), the curve's ES
/// algorithm, EdDSA.
enum JWSSigningKeyDefaults {
    static func algorithm(for key: JWSPublicKey) -> JWSAlgorithm {
        switch key {
        case .rsa: .rs512
        case .ec(let k): JWSAlgorithm(ecdsa: k.curve)
        case .ed25519: .edDSA
        }
    }
}

/// Loads a private key of any family (RSA, EC, Ed25519) from a PEM file; an encrypted PKCS#8 key is decrypted with
/// the password of `passwords` (wiped after use), its family read from the decrypted key. Key errors exit with
/// status 1.
func loadSigningKey(_ path: String, passwords: KeyPasswordOptions? = nil) throws -> JWSSigningKey {
    let text = try readText(path)
    // One owner of the password's buffer (no copy survives the wipe).
    var password: [UInt8] = []
    var hasPassword = false
    if EncryptedPKCS8.isEncrypted(text), let given = try passwords?.password() {
        password = given
        hasPassword = true
    }
    defer { wipe(&password) }
    do throws(SignetKeyError) {
        if hasPassword {
            return try JWSSigningKey(pem: text, password: &password)
        }
        return try JWSSigningKey(pem: text)
    } catch {
        throw keyFailure(path, error)
    }
}

/// Loads a public key of any family: a PEM public key or certificate, or the public half of a private key PEM
/// (encrypted ones with `passwords`); a DER public key or certificate; RSA DER goes through
/// ``loadRSAPublicKey(_:)``.
func loadVerificationKey(_ path: String, passwords: KeyPasswordOptions? = nil) throws -> JWSPublicKey {
    let bytes = try readFile(path)
    let text = String(decoding: bytes, as: UTF8.self)
    if text.contains("-----BEGIN PUBLIC KEY-----") || text.contains("-----BEGIN CERTIFICATE-----") {
        do throws(SignetKeyError) {
            return try JWSPublicKey(pem: text)
        } catch {
            throw keyFailure(path, error)
        }
    }
    if text.contains("PRIVATE KEY-----") {
        return try loadSigningKey(path, passwords: passwords).publicKey
    }
    if !text.contains("-----BEGIN "), bytes.first == 0x30 {
        // DER of an EC or Ed25519 SubjectPublicKeyInfo; RSA keys and certificates fail both and load below.
        if let key = try? ECPublicKey(der: bytes) { return .ec(key) }
        if let key = try? Ed25519PublicKey(der: bytes) { return .ed25519(key) }
        // A DER certificate of any family (an RSA one that fails its checks is reported below).
        if let certificate = try? X509Certificate(der: bytes), certificate.keyFamily != .rsa {
            do throws(SignetKeyError) {
                return try JWSPublicKey(certificate: certificate)
            } catch {
                throw keyFailure(path, error)
            }
        }
    }
    return .rsa(try loadRSAPublicKey(path))
}
