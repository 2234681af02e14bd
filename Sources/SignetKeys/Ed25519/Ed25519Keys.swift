// SPDX-License-Identifier: Apache-2.0

import Base64URL
internal import COpenSSL
internal import CSignetEC

/// An Ed25519 public key (RFC 8032) that verifies JWS `EdDSA` signatures (RFC 8037).
///
/// Immutable and `Sendable`. ``isValidSignature(_:for:)-(UnsafeRawBufferPointer,_)`` runs Signet's own verification
/// (`CSignetEC`, cofactorless as RFC 8032 §5.1.7, no allocation) on tables built at load;
/// `isValidSignatureOnOpenSSL(_:for:)` (SPI `Testing`) runs OpenSSL's on a pooled `EVP_MD_CTX`, the
/// reference it is held to.
/// A key whose 32 bytes are not a canonical point encoding loads (OpenSSL takes any 32 bytes) but verifies nothing:
/// RFC 8032 §5.1.7 rejects it.
public final class Ed25519PublicKey: Sendable {
    let key: EVPKey
    /// The 32-byte public key (JWK `x`).
    public let rawRepresentation: [UInt8]
    private let pool = ContextPool<EdDSAContext>()
    private let tables: CurveTables<signet_ed25519_key>?

    init(validated key: EVPKey) throws(SignetKeyError) {
        guard key.isEd25519 else { throw SignetKeyError(.wrongKeyType, reason: "the key is not an Ed25519 key") }
        self.key = key
        self.rawRepresentation = try key.rawPublicKey()
        self.tables = CurveTables(ed25519: rawRepresentation)
    }

    /// Loads a public key from PEM text: `PUBLIC KEY` (SPKI), or else the key of an X.509 `CERTIFICATE` (its dates
    /// and signature are not checked; ``X509Certificate`` reads them).
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.wrong-kind`, `key.pem-unsupported-label`,
    ///   `key.der-malformed`, `key.wrong-type`, `key.certificate-invalid`.
    /// - Allocation: allocates.
    public convenience init(pem: String) throws(SignetKeyError) {
        try self.init(der: PEMReader.spkiDER(in: pem, kind: "Ed25519"))
    }

    /// Loads a public key from DER `SubjectPublicKeyInfo`.
    ///
    /// - Throws: as ``init(pem:)``.
    /// - Allocation: allocates.
    public convenience init(der: [UInt8]) throws(SignetKeyError) {
        try self.init(validated: EVPKey.decodePublic(der: der))
    }

    /// Builds a public key from its 32 bytes (JWK `x`, RFC 8037 §2).
    ///
    /// - Throws: ``SignetKeyError`` `key.jwk-invalid`.
    /// - Allocation: allocates.
    public convenience init(rawRepresentation: [UInt8]) throws(SignetKeyError) {
        try self.init(validated: EVPKey.ed25519(raw: rawRepresentation, isPrivate: false))
    }

    /// Builds a public key from OKP JWK members `crv` (`Ed25519`) and `x` (RFC 8037 §2; the caller checks `kty`).
    ///
    /// - Throws: ``SignetKeyError`` `key.unsupported-curve` (another `crv`), `key.jwk-invalid`.
    /// - Allocation: allocates.
    public convenience init(jwk: OKPJWKComponents) throws(SignetKeyError) {
        try jwk.requireEd25519()
        try self.init(rawRepresentation: jwkMember(jwk.x, "x"))
    }

    /// Bytes of a signature (64).
    public var signatureByteCount: Int { 64 }

    /// The public JWK members (`crv`, `x`).
    public var jwk: OKPJWKComponents { OKPJWKComponents(crv: "Ed25519", x: Base64URL.encode(rawRepresentation)) }

    /// DER `SubjectPublicKeyInfo`.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key.
    public func spkiDER() throws(SignetKeyError) -> [UInt8] { try key.spkiDER() }

    /// PEM `PUBLIC KEY` text.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key.
    public func pem() throws(SignetKeyError) -> String { try key.publicPEM() }

    /// `true` when `signature` (64 bytes) is an Ed25519 signature of `message`; never throws.
    ///
    /// - Allocation: none.
    @unsafe
    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == 64, let tables, let s = signature.baseAddress else { return false }
        return unsafe withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) { hram in
            let n = unsafe rawRepresentation.withUnsafeBytes { a in
                unsafe COpenSSL_sha512_parts(
                    s, 32, a.baseAddress, 32, message.baseAddress, message.count, hram.baseAddress)
            }
            guard n == 64 else { return false }
            return unsafe tables.verify(signature: signature, hram: UnsafeRawBufferPointer(hram))
        }
    }

    /// The verdict of OpenSSL's Ed25519 for the same signature: the reference that Signet's own verification is
    /// compared with. Never throws, never leaves OpenSSL errors behind.
    ///
    /// - Allocation: none on the Swift side in steady state (OpenSSL's EVP initialisation allocates internally).
    @unsafe
    @_spi(Testing) public func isValidSignatureOnOpenSSL(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer
    )
        -> Bool
    {
        guard signature.count == 64 else { return false }
        let context: EdDSAContext
        if let c = pool.take() {
            context = c
        } else if let c = try? EdDSAContext() {
            context = c
        } else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { pool.put(context) }
        return unsafe context.verify(signature, for: message, key: key)
    }

    /// OpenSSL's verdict (see `isValidSignatureOnOpenSSL(_:for:)` (SPI `Testing`)).
    @_spi(Testing) public func isValidSignatureOnOpenSSL(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValidSignatureOnOpenSSL(s, for: m) }
        }
    }

    /// `true` when the signature verifies (see ``isValidSignature(_:for:)-(UnsafeRawBufferPointer,_)``).
    ///
    /// - Allocation: none on the Swift side beyond the caller's arrays.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValidSignature(s, for: m) }
        }
    }
}

/// An Ed25519 private key (RFC 8032) that signs JWS `EdDSA` (RFC 8037). Signatures are deterministic.
///
/// Load once and share: immutable and `Sendable`. Nothing here prints the key.
public final class Ed25519PrivateKey: Sendable {
    let key: EVPKey
    /// The matching public key.
    public let publicKey: Ed25519PublicKey
    private let pool = ContextPool<EdDSAContext>()

    private init(checked key: EVPKey) throws(SignetKeyError) {
        guard key.isEd25519 else { throw SignetKeyError(.wrongKeyType, reason: "the key is not an Ed25519 key") }
        self.key = key
        self.publicKey = try Ed25519PublicKey(rawRepresentation: key.rawPublicKey())
    }

    /// Loads a private key from PEM text (`PRIVATE KEY`, PKCS#8).
    ///
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.wrong-kind`, `key.pem-unsupported-label`,
    ///   `key.der-malformed`, `key.wrong-type`.
    /// - Allocation: allocates.
    public convenience init(pem: String) throws(SignetKeyError) {
        var der = try PEMReader.privateKeyDER(in: pem, labels: ["PRIVATE KEY"], kind: "Ed25519")
        defer { secureZero(&der) }
        try self.init(der: der)
    }

    /// Loads a private key from DER PKCS#8 `PrivateKeyInfo`.
    ///
    /// - Throws: as ``init(pem:)``.
    /// - Allocation: allocates.
    public convenience init(der: [UInt8]) throws(SignetKeyError) {
        try self.init(checked: EVPKey.decodePrivate(der: der))
    }

    /// Loads a private key from OKP JWK members `crv` (`Ed25519`), `x` and `d` (the 32-byte seed; RFC 8037 §2),
    /// checking that `x` is the seed's public key.
    ///
    /// - Throws: ``SignetKeyError`` `key.unsupported-curve`, `key.jwk-invalid`, `key.inconsistent` (`x` is not the
    ///   seed's public key).
    /// - Allocation: allocates.
    public convenience init(jwk: OKPJWKComponents) throws(SignetKeyError) {
        try jwk.requireEd25519()
        guard let d = jwk.d else { throw SignetKeyError(.jwkInvalid, reason: "private JWK member 'd' is missing") }
        var seed = try jwkMember(d, "d")
        defer { secureZero(&seed) }
        try self.init(checked: EVPKey.ed25519(raw: seed, isPrivate: true))
        if try jwkMember(jwk.x, "x") != publicKey.rawRepresentation {
            throw SignetKeyError(.keyInconsistent, reason: "JWK member 'x' is not the public key of 'd'")
        }
    }

    /// Generates a fresh key.
    ///
    /// - Throws: ``SignetKeyError`` `key.generation`.
    /// - Allocation: allocates.
    public static func generate() throws(SignetKeyError) -> Ed25519PrivateKey {
        try Ed25519PrivateKey(checked: EVPKey.generateEd25519())
    }

    /// Bytes of a signature (64).
    public var signatureByteCount: Int { 64 }

    /// Calls `body` with the PKCS#8 PEM text of this key in a temporary buffer that is wiped afterwards.
    ///
    /// - Parameter body: Receives the PEM bytes; must not keep the pointer.
    /// - Returns: What `body` returns.
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key, or what `body` throws.
    ///
    /// `@unsafe`: `body` receives a raw buffer that is valid, and holds the secret, only during the call.
    @unsafe
    public func withPKCS8PEM<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try unsafe key.withPKCS8PEM(body).get()
    }

    /// Signs `message` and writes the 64-byte signature at the start of `output`.
    ///
    /// - Returns: 64.
    /// - Throws: ``SignetKeyError`` `key.output-too-small`, `key.openssl`.
    /// - Allocation: none on the Swift side in steady state (OpenSSL's EVP initialisation allocates internally).
    /// - Warning: `output` must not overlap `message`.
    @unsafe
    public func sign(
        _ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        guard output.count >= 64 else {
            throw SignetKeyError(.outputTooSmall, reason: "the output has \(output.count) bytes; Ed25519 needs 64")
        }
        let context: EdDSAContext
        if let c = pool.take() {
            context = c
        } else {
            context = try EdDSAContext()
        }
        guard unsafe context.sign(message, key: key, into: UnsafeMutableRawBufferPointer(rebasing: output[..<64]))
        else { throw OpenSSLErrorQueue.error(.openSSL, "EVP_DigestSign failed (Ed25519)") }
        pool.put(context)
        return 64
    }

    /// Signs `message` and returns the signature.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl`.
    /// - Allocation: the returned array.
    public func signature(for message: [UInt8]) throws(SignetKeyError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        try unsafe message.span.withUnsafeBytes { (m) throws(SignetKeyError) in
            var span = out.mutableSpan
            var bytes = unsafe span.mutableBytes
            try unsafe bytes.withUnsafeMutableBytes { (o) throws(SignetKeyError) in _ = try unsafe sign(m, into: o) }
        }
        return out
    }
}

/// The members of an OKP JWK (RFC 8037 §2), base64url text as in the JSON; Signet reads the `Ed25519` curve only.
public struct OKPJWKComponents: Sendable, Equatable {
    /// `crv`: `Ed25519`.
    public var crv: String
    /// `x`: the 32-byte public key.
    public var x: String
    /// `d`: the 32-byte seed (private keys only).
    public var d: String?

    /// Creates the members.
    ///
    /// - Parameters:
    ///   - crv: The curve name.
    ///   - x: The public key, base64url.
    ///   - d: The private seed, base64url (private keys only).
    public init(crv: String, x: String, d: String? = nil) {
        self.crv = crv
        self.x = x
        self.d = d
    }

    /// Throws unless `crv` is `Ed25519`.
    func requireEd25519() throws(SignetKeyError) {
        guard crv == "Ed25519" else {
            throw SignetKeyError(.unsupportedCurve, reason: "the OKP JWK's crv is \"\(crv)\", not \"Ed25519\"")
        }
    }
}
