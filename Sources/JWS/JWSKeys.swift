// SPDX-License-Identifier: Apache-2.0

import Base64URL
@_spi(Testing) import SignetKeys

/// A public key of any family Signet verifies: RSA, EC (P-256/384/521) or Ed25519.
public enum JWSPublicKey: Sendable {
    /// An RSA key (RS256…RS512, PS256…PS512).
    case rsa(RSAPublicKey)
    /// An EC key (the ES algorithm of its curve).
    case ec(ECPublicKey)
    /// An Ed25519 key (EdDSA).
    case ed25519(Ed25519PublicKey)

    /// Bytes of a signature made with this key.
    public var signatureByteCount: Int {
        switch self {
        case .rsa(let k): k.signatureByteCount
        case .ec(let k): k.signatureByteCount
        case .ed25519(let k): k.signatureByteCount
        }
    }

    /// The key's strength in bits as usually quoted: the RSA modulus, the EC curve's order, 256 for Ed25519.
    public var bits: Int {
        switch self {
        case .rsa(let k): k.bits
        case .ec(let k): k.curve == .p521 ? 521 : k.curve.coordinateByteCount * 8
        case .ed25519: 256
        }
    }

    /// A short name for messages: `RSA-2048`, `EC P-256`, `Ed25519`.
    public var keyDescription: String {
        switch self {
        case .rsa(let k): "RSA-\(k.bits)"
        case .ec(let k): "EC \(k.curve)"
        case .ed25519: "Ed25519"
        }
    }

    /// Who decides `isValidSignature(_:for:algorithm:)` for this key, for messages: `OpenSSL` or `the IFMA
    /// engine (ifma512)` for RSA (the engine the key was loaded on), `Signet's own curve verifier` for EC and
    /// Ed25519.
    public var verifierName: String {
        switch self {
        case .rsa(let k): k.engine == .openSSL ? "OpenSSL" : "the IFMA engine (\(k.engine))"
        case .ec, .ed25519: "Signet's own curve verifier"
        }
    }

    /// The JWK `kty`: `RSA`, `EC` or `OKP`.
    public var keyType: String {
        switch self {
        case .rsa: "RSA"
        case .ec: "EC"
        case .ed25519: "OKP"
        }
    }

    /// The RSA key, when this is one.
    public var rsa: RSAPublicKey? {
        if case .rsa(let k) = self { return k }
        return nil
    }

    /// Whether `algorithm` is one this key can verify (the family and, for EC, the curve match).
    ///
    /// - Allocation: none.
    public func canVerify(_ algorithm: JWSAlgorithm) -> Bool {
        switch (self, algorithm.family) {
        case (.rsa, .rsa): true
        case (.ec(let k), .ecdsa(let curve)): k.curve == curve
        case (.ed25519, .ed25519): true
        default: false
        }
    }

    /// `true` when `signature` verifies over `message` under `algorithm`; `false` too when the algorithm is not
    /// one this key verifies. Never throws; leaves no OpenSSL errors behind.
    ///
    /// - Allocation: none on the Swift side in steady state.
    @unsafe
    public func isValidSignature(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, algorithm: JWSAlgorithm
    ) -> Bool {
        switch (self, algorithm.family) {
        case (.rsa(let k), .rsa(let a)): unsafe k.isValidSignature(signature, for: message, algorithm: a)
        case (.ec(let k), .ecdsa(let curve)) where k.curve == curve: unsafe k.isValidSignature(signature, for: message)
        case (.ed25519(let k), .ed25519): unsafe k.isValidSignature(signature, for: message)
        default: false
        }
    }

    /// `true` when the signature verifies (array convenience).
    ///
    /// - Allocation: none beyond the caller's arrays.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: JWSAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValidSignature(s, for: m, algorithm: algorithm) }
        }
    }

    /// OpenSSL EVP's verdict on the same signature, the reference Signet's own ECDSA and Ed25519 verification is
    /// compared with (`signet cross-check`, the fuzz target, the benchmarks). An RSA key has no separate OpenSSL
    /// path (its verification already runs on libcrypto or the IFMA engine), so for it this is
    /// ``isValidSignature(_:for:algorithm:)-([UInt8],_,_)``.
    ///
    /// - Allocation: none beyond the caller's arrays on the Swift side (OpenSSL's EVP allocates internally).
    @_spi(Testing) public func isValidSignatureOnOpenSSL(
        _ signature: [UInt8], for message: [UInt8], algorithm: JWSAlgorithm
    )
        -> Bool
    {
        switch (self, algorithm.family) {
        case (.ec(let k), .ecdsa(let curve)) where k.curve == curve:
            k.isValidSignatureOnOpenSSL(signature, for: message)
        case (.ed25519(let k), .ed25519): k.isValidSignatureOnOpenSSL(signature, for: message)
        default: isValidSignature(signature, for: message, algorithm: algorithm)
        }
    }

    /// The public JWK members after `kty` in RFC 7638 order of the required ones (`n`, `e` / `crv`, `x`, `y` /
    /// `crv`, `x`).
    public var jwkMembers: [(name: String, value: String)] {
        switch self {
        case .rsa(let k): [("n", k.jwk.n), ("e", k.jwk.e)]
        case .ec(let k): [("crv", k.jwk.crv), ("x", k.jwk.x), ("y", k.jwk.y)]
        case .ed25519(let k): [("crv", k.jwk.crv), ("x", k.jwk.x)]
        }
    }

    /// The RFC 7638 JWK thumbprint, base64url: a good `kid`. The one implementation for every key family: SHA-256
    /// over the required members (`e`, `kty`, `n`; `crv`, `kty`, `x`, `y`; `crv`, `kty`, `x`) in lexicographic
    /// order, without white space (RFC 7638 §3.2).
    ///
    /// - Allocation: allocates the result.
    public var thumbprint: String {
        let members = (jwkMembers + [(name: "kty", value: keyType)]).sorted { $0.name < $1.name }
        // The values are base64url and curve names: nothing to escape.
        let canonical = "{" + members.map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        // SHA-256 of a small buffer cannot fail once the digest was fetched at load time.
        return (try? Digests.sha256(Array(canonical.utf8))).map { Base64URL.encode($0) } ?? ""
    }

    /// PEM `PUBLIC KEY` (SPKI) text.
    ///
    /// - Throws: `SignetKeyError` `key.openssl` if OpenSSL cannot encode the key.
    public func pem() throws(SignetKeyError) -> String {
        switch self {
        case .rsa(let k): try k.pem()
        case .ec(let k): try k.pem()
        case .ed25519(let k): try k.pem()
        }
    }

    /// The public key an X.509 certificate holds, of any family.
    ///
    /// - Throws: `SignetKeyError` with the codes of the EC and Ed25519 DER loaders (`key.unsupported-curve`, …);
    ///   an RSA key was checked when the certificate was read.
    /// - Allocation: allocates.
    public init(certificate: X509Certificate) throws(SignetKeyError) {
        switch certificate.keyFamily {
        case .rsa:
            guard let rsa = certificate.rsaPublicKey else {
                throw SignetKeyError(.certificateInvalid, reason: "the certificate's RSA key was not loaded")
            }
            self = .rsa(rsa)
        case .ec: self = .ec(try ECPublicKey(der: certificate.subjectPublicKeyInfo))
        case .ed25519: self = .ed25519(try Ed25519PublicKey(der: certificate.subjectPublicKeyInfo))
        }
    }

    /// Loads a public key of any family from PEM (`PUBLIC KEY`, `RSA PUBLIC KEY`, or the key of a `CERTIFICATE`):
    /// the family is read once from the block's label or algorithm identifier (`KeyFamily(publicKeyPEM:)`), then
    /// that family's loader reads the key.
    ///
    /// - Parameter pem: The PEM text.
    /// - Throws: `SignetKeyError` with the codes of `KeyFamily(publicKeyPEM:)` and of the family's loader.
    /// - Allocation: allocates.
    public init(pem: String) throws(SignetKeyError) {
        switch try KeyFamily(publicKeyPEM: pem) {
        case .rsa: self = .rsa(try RSAPublicKey(pem: pem))
        case .ec: self = .ec(try ECPublicKey(pem: pem))
        case .ed25519: self = .ed25519(try Ed25519PublicKey(pem: pem))
        }
    }
}

/// A private key of any family Signet signs with: RSA, EC (P-256/384/521) or Ed25519.
public enum JWSSigningKey: Sendable {
    /// An RSA key (RS256…RS512, PS256…PS512).
    case rsa(RSAPrivateKey)
    /// An EC key (the ES algorithm of its curve).
    case ec(ECPrivateKey)
    /// An Ed25519 key (EdDSA).
    case ed25519(Ed25519PrivateKey)

    /// The public half.
    public var publicKey: JWSPublicKey {
        switch self {
        case .rsa(let k): .rsa(k.publicKey)
        case .ec(let k): .ec(k.publicKey)
        case .ed25519(let k): .ed25519(k.publicKey)
        }
    }

    /// Bytes of a signature made with this key.
    public var signatureByteCount: Int { publicKey.signatureByteCount }

    /// The RSA key, when this is one.
    public var rsa: RSAPrivateKey? {
        if case .rsa(let k) = self { return k }
        return nil
    }

    /// The algorithm a key of this family signs when none is asked for: RS256 for RSA, the curve's ES algorithm,
    /// EdDSA.
    public var defaultAlgorithm: JWSAlgorithm {
        switch self {
        case .rsa: .rs256
        case .ec(let k): JWSAlgorithm(ecdsa: k.curve)
        case .ed25519: .edDSA
        }
    }

    /// Signs `message` under `algorithm` into the start of `output`; returns the bytes written.
    ///
    /// - Throws: `SignetKeyError` `key.output-too-small`, `key.openssl`, `rsa.engine-fault`, and `key.wrong-type`
    ///   when the algorithm is not one this key signs.
    /// - Allocation: none on the Swift side in steady state.
    /// - Warning: `output` must not overlap `message`.
    @unsafe
    public func sign(
        _ message: UnsafeRawBufferPointer, algorithm: JWSAlgorithm, into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        switch (self, algorithm.family) {
        case (.rsa(let k), .rsa(let a)): return try unsafe k.sign(message, algorithm: a, into: output)
        case (.ec(let k), .ecdsa(let curve)) where k.curve == curve: return try unsafe k.sign(message, into: output)
        case (.ed25519(let k), .ed25519): return try unsafe k.sign(message, into: output)
        default:
            throw SignetKeyError(
                .wrongKeyType, reason: "a \(publicKey.keyDescription) key cannot sign \(algorithm.jwsName)")
        }
    }

    /// Signs `message` and returns the signature.
    ///
    /// - Throws: as ``sign(_:algorithm:into:)``.
    /// - Allocation: the returned array.
    public func signature(for message: [UInt8], algorithm: JWSAlgorithm) throws(SignetKeyError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: signatureByteCount)
        try unsafe message.span.withUnsafeBytes { (m) throws(SignetKeyError) in
            var span = out.mutableSpan
            var bytes = unsafe span.mutableBytes
            try unsafe bytes.withUnsafeMutableBytes { (o) throws(SignetKeyError) in
                _ = try unsafe sign(m, algorithm: algorithm, into: o)
            }
        }
        return out
    }

    /// Calls `body` with the PKCS#8 PEM text of the key in a temporary buffer that is wiped afterwards.
    ///
    /// - Parameter body: Receives the PEM bytes; must not keep the pointer.
    /// - Returns: What `body` returns.
    /// - Throws: `SignetKeyError` `key.openssl`, or what `body` throws.
    ///
    /// `@unsafe`: `body` receives a raw buffer that is valid, and holds the secret, only during the call.
    @unsafe
    public func withPKCS8PEM<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        switch self {
        case .rsa(let k): try unsafe k.withPKCS8PEM(body)
        case .ec(let k): try unsafe k.withPKCS8PEM(body)
        case .ed25519(let k): try unsafe k.withPKCS8PEM(body)
        }
    }

    /// Loads a private key of any family from PEM: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY`, `EC PRIVATE KEY`.
    /// The family is read once from the label or the PKCS#8 algorithm identifier (`KeyFamily(privateKeyPEM:)`),
    /// then that family's loader reads the key.
    ///
    /// - Parameter pem: The PEM text.
    /// - Throws: `SignetKeyError` with the codes of `KeyFamily(privateKeyPEM:)` and of the family's loader.
    /// - Allocation: allocates.
    public init(pem: String) throws(SignetKeyError) {
        switch try KeyFamily(privateKeyPEM: pem) {
        case .rsa: self = .rsa(try RSAPrivateKey(pem: pem))
        case .ec: self = .ec(try ECPrivateKey(pem: pem))
        case .ed25519: self = .ed25519(try Ed25519PrivateKey(pem: pem))
        }
    }

    /// Loads a private key of any family from PEM that may be encrypted: `ENCRYPTED PRIVATE KEY` (PKCS#8
    /// `EncryptedPrivateKeyInfo`) is decrypted with `password` and its algorithm identifier names the family;
    /// unencrypted PEM loads as ``init(pem:)`` does, the password unused.
    ///
    /// `password` and the decrypted key's DER are overwritten with zeros before this returns.
    ///
    /// - Throws: `SignetKeyError` `key.wrong-password`, `key.wrong-type` (an algorithm other than RSA, EC or
    ///   Ed25519), and the codes of ``init(pem:)``.
    /// - Allocation: allocates.
    public init(pem: String, password: inout [UInt8]) throws(SignetKeyError) {
        guard EncryptedPKCS8.isEncrypted(pem) else {
            EncryptedPKCS8.wipe(&password)
            try self.init(pem: pem)
            return
        }
        self = try EncryptedPKCS8.decrypt(pem: pem, password: &password) {
            (family, der) throws(SignetKeyError) -> JWSSigningKey in
            switch family {
            case .rsa: .rsa(try RSAPrivateKey(der: der))
            case .ec: .ec(try ECPrivateKey(der: der))
            case .ed25519: .ed25519(try Ed25519PrivateKey(der: der))
            }
        }
    }

    /// Generates a key that signs `algorithm`: RSA of `rsaBits` for RS/PS, the curve for ES, Ed25519 for EdDSA.
    ///
    /// - Throws: `SignetKeyError` `key.generation`.
    /// - Allocation: allocates.
    public static func generate(for algorithm: JWSAlgorithm, rsaBits: Int = 2048) throws(SignetKeyError) -> Self {
        switch algorithm.family {
        case .rsa: .rsa(try RSAPrivateKey.generate(bits: rsaBits))
        case .ecdsa(let curve): .ec(try ECPrivateKey.generate(curve: curve))
        case .ed25519: .ed25519(try Ed25519PrivateKey.generate())
        }
    }
}
