// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import JWS
import SignetRSA

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

/// Loads a private key of any family (RSA, EC, Ed25519) from a PEM file; an encrypted PKCS#8 key goes through the
/// RSA loader with the password of `passwords`. Key errors exit with status 1.
func loadSigningKey(_ path: String, passwords: KeyPasswordOptions? = nil) throws -> JWSSigningKey {
    let text = try readText(path)
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        return .rsa(try loadPrivateKey(path, passwords: passwords))
    }
    do throws(SignetRSAError) {
        return try JWSSigningKey(pem: text)
    } catch {
        throw keyFailure(path, error)
    }
}

/// Loads a public key of any family: a PEM public key, or the public half of a private key PEM (EC and Ed25519
/// too); an EC or Ed25519 DER public key; anything else (RSA DER, X.509 certificates, encrypted keys) goes through
/// ``loadPublicKey(_:passwords:)``.
func loadVerificationKey(_ path: String, passwords: KeyPasswordOptions? = nil) throws -> JWSPublicKey {
    let bytes = try readFile(path)
    let text = String(decoding: bytes, as: UTF8.self)
    if text.contains("-----BEGIN PUBLIC KEY-----") {
        do throws(SignetRSAError) {
            return try JWSPublicKey(pem: text)
        } catch {
            throw keyFailure(path, error)
        }
    }
    if text.contains("PRIVATE KEY-----"), !text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        return try loadSigningKey(path).publicKey
    }
    if !text.contains("-----BEGIN "), bytes.first == 0x30 {
        // DER of an EC or Ed25519 SubjectPublicKeyInfo; RSA keys and certificates fail both and load below.
        if let key = try? ECPublicKey(der: bytes) { return .ec(key) }
        if let key = try? Ed25519PublicKey(der: bytes) { return .ed25519(key) }
    }
    return .rsa(try loadPublicKey(path, passwords: passwords))
}
