// SPDX-License-Identifier: Apache-2.0

import Base64URL
internal import COpenSSL

/// An RSA public key (at least 2048 bits) that verifies RSASSA-PKCS1-v1_5 and RSASSA-PSS signatures on OpenSSL 3's
/// libcrypto, or on Signet's AVX-512 IFMA engine where that measured faster (see ``engine``).
///
/// Immutable and `Sendable`: one instance may verify from any number of threads at once. The Montgomery context of
/// the modulus is built once at load; each verification takes a `BN_CTX` scratch from a small per-key pool (or runs
/// the IFMA engine's stateless operation on the stack) and checks the signature by re-encoding (PKCS#1 v1.5,
/// RFC 8017 §8.2.2) or by decoding in place (PSS, §9.1.2), so steady-state verification allocates nothing.
public final class RSAPublicKey: Sendable {
    let key: EVPKey
    /// The modulus `n`, big-endian, without leading zero bytes.
    public let modulus: [UInt8]
    /// The public exponent `e`, big-endian, without leading zero bytes.
    public let exponent: [UInt8]
    private let publicOperation: RSAPublicOperation
    private let scratchPool = ContextPool<PublicOperationScratch>()
    private let ifma: IFMAPublicKey?

    /// The engine that performs this key's public-key operation (`s^e mod n`): ``RSAEngine/openSSL``
    /// (`BN_mod_exp_mont`), or ``RSAEngine/ifma256`` / ``RSAEngine/ifma512`` (the IFMA engine's
    /// vectorised exponentiation, for RSA-2048, RSA-3072 and RSA-4096 keys) where ``RSAEngine/automatic`` chose it (see
    /// <doc:ChoosingAnEngine>) or where it was asked for. Never ``RSAEngine/automatic``.
    public var engine: RSAEngine { ifma?.engine ?? .openSSL }

    /// Why ``engine`` performs this key's public-key operation (under ``RSAEngine/automatic`` the measurement is made
    /// once per modulus size and exponent in a process, and later keys of that shape reuse its choice).
    public let engineChoice: RSAEngine.Choice

    private init(sharing other: RSAPublicKey, resolution: RSAEngine.Resolution<IFMAPublicKey>) {
        self.key = other.key
        self.modulus = other.modulus
        self.exponent = other.exponent
        self.publicOperation = other.publicOperation
        self.ifma = resolution.loaded
        self.engineChoice = resolution.choice
    }

    /// The same key, verifying on `engine` (e.g. to compare engines side by side, as `signet bench --engine` does).
    ///
    /// - Parameter engine: The engine; ``RSAEngine/automatic`` resolves as at load.
    /// - Returns: A key object sharing this one's OpenSSL key.
    /// - Throws: ``SignetKeyError`` `rsa.engine-unavailable` when an IFMA engine was asked for and this CPU or OS
    ///   does not enable AVX-512 IFMA, or the engine does not take this key (it takes RSA-2048, RSA-3072 and
    ///   RSA-4096 with e < 2^64).
    /// - Allocation: allocates (key loading).
    public func using(engine: RSAEngine) throws(SignetKeyError) -> RSAPublicKey {
        RSAPublicKey(
            sharing: self,
            resolution: try RSAEngine.loadPublic(
                modulus: modulus, exponent: exponent, openSSL: publicOperation, requested: engine))
    }

    init(validated key: EVPKey) throws(SignetKeyError) {
        guard key.isRSA else { throw SignetKeyError(.notRSA, reason: "the key is not an RSA key") }
        guard let n = key.bigEndianParameter("n"), let e = key.bigEndianParameter("e") else {
            throw OpenSSLErrorQueue.error(.openSSL, "could not read n and e from the key")
        }
        try Self.checkPublicNumbers(n: n, e: e)
        self.key = key
        let modulus = Self.stripped(n)
        let exponent = Self.stripped(e)
        self.modulus = modulus
        self.exponent = exponent
        let publicOperation = try RSAPublicOperation(modulus: modulus, exponent: exponent)
        self.publicOperation = publicOperation
        let resolution = try RSAEngine.loadPublic(
            modulus: modulus, exponent: exponent, openSSL: publicOperation, requested: .automatic)
        self.ifma = resolution.loaded
        self.engineChoice = resolution.choice
    }

    /// Loads a public key from PEM text: `PUBLIC KEY` (SPKI) or `RSA PUBLIC KEY` (PKCS#1), or else the RSA key of an
    /// X.509 `CERTIFICATE` (its dates and signature are not checked; ``X509Certificate`` reads them).
    ///
    /// - Parameter pem: PEM text; the first block with a public-key label is used, text around blocks is ignored.
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.pem-label-mismatch` (the label names one structure and
    ///   the body holds another), `key.wrong-kind` (a private key was given), `key.pem-unsupported-label`,
    ///   `key.der-malformed`, `key.not-rsa`, `key.too-small`, `key.invalid-exponent`, `key.invalid-modulus`,
    ///   `key.certificate-invalid`.
    /// - Allocation: allocates (key loading is not a hot path).
    public convenience init(pem: String) throws(SignetKeyError) {
        let block = try PEMReader.publicKeyBlock(in: PEMReader.blocks(in: Array(pem.utf8)))
        if block.label == "CERTIFICATE" {
            try self.init(der: OpenSSLKeyContainers.certificate(der: block.der).spki)
            return
        }
        try self.init(der: block.der, structure: DERKeyStructure.classify(block))
    }

    /// Loads a public key from DER: SPKI or PKCS#1 `RSAPublicKey`, recognised by shape.
    ///
    /// - Parameter der: The DER bytes.
    /// - Throws: ``SignetKeyError`` `key.der-malformed`, `key.wrong-kind`, `key.not-rsa`, `key.too-small`,
    ///   `key.invalid-exponent`, `key.invalid-modulus`.
    /// - Allocation: allocates.
    public convenience init(der: [UInt8]) throws(SignetKeyError) {
        try self.init(der: der, structure: DERKeyStructure.classify(der))
    }

    convenience init(der: [UInt8], structure: DERKeyStructure) throws(SignetKeyError) {
        guard !structure.isPrivate else {
            throw SignetKeyError(
                .wrongKeyKind, reason: "\(structure.name) is a private key where a public key is expected")
        }
        try structure.requireRSA()
        try self.init(validated: EVPKey.decode(der: der, structure: structure))
    }

    /// Builds a public key from its modulus and exponent (big-endian; leading zero bytes are ignored).
    ///
    /// - Parameters:
    ///   - modulus: `n`.
    ///   - exponent: `e`.
    /// - Throws: ``SignetKeyError`` `key.too-small`, `key.invalid-modulus`, `key.invalid-exponent`.
    /// - Allocation: allocates.
    public convenience init(modulus: [UInt8], exponent: [UInt8]) throws(SignetKeyError) {
        try Self.checkPublicNumbers(n: modulus, e: exponent)
        try self.init(
            validated: EVPKey.fromComponents(
                [("n", Self.stripped(modulus)), ("e", Self.stripped(exponent))], isPrivate: false))
    }

    /// Builds a public key from JWK members `n` and `e` (private members, if present, are ignored here: use
    /// ``RSAPrivateKey/init(jwk:)`` to load a private JWK).
    ///
    /// - Parameter jwk: The JWK's members.
    /// - Throws: ``SignetKeyError`` `key.jwk-invalid` (bad base64url, with the member named), and the codes of
    ///   ``init(modulus:exponent:)``.
    /// - Allocation: allocates.
    public convenience init(jwk: RSAJWKComponents) throws(SignetKeyError) {
        try self.init(modulus: jwkMember(jwk.n, "n"), exponent: jwkMember(jwk.e, "e"))
    }

    /// Modulus size in bits.
    public var bits: Int { key.bits }

    /// Signature size in bytes (the modulus length).
    public var signatureByteCount: Int { (bits + 7) / 8 }

    /// The key's public JWK members (`n`, `e`, unpadded base64url, no leading zeros; RFC 7518 §6.3.1).
    public var jwk: RSAJWKComponents {
        RSAJWKComponents(n: Base64URL.encode(modulus), e: Base64URL.encode(exponent))
    }

    /// DER `SubjectPublicKeyInfo`.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key.
    public func spkiDER() throws(SignetKeyError) -> [UInt8] { try key.spkiDER() }

    /// PEM `PUBLIC KEY` (SPKI) text.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key.
    public func pem() throws(SignetKeyError) -> String { try key.publicPEM() }

    /// Checks a signature over `message` given as raw buffers; the `@unsafe` form of
    /// ``verify(_:for:algorithm:)-(RawSpan,_,_)`` for memory that comes from C.
    ///
    /// - Throws: as ``verify(_:for:algorithm:)-(RawSpan,_,_)``.
    /// - Allocation: as ``verify(_:for:algorithm:)-(RawSpan,_,_)``.
    @unsafe
    public func verify(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm
    ) throws(SignetKeyError) {
        guard signature.count == signatureByteCount else {
            throw SignetKeyError(
                .signatureLength,
                reason: "the signature is \(signature.count) bytes; an RSA-\(bits) signature is \(signatureByteCount)")
        }
        let scratch: PublicOperationScratch?
        if ifma != nil {
            scratch = nil
        } else if let s = scratchPool.take() {
            scratch = s
        } else {
            scratch = try PublicOperationScratch()
        }
        let outcome = try unsafe withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) {
            (digest) throws(SignetKeyError) -> RSAPublicOperation.Failure? in
            let n = try unsafe Digests.hash(message, algorithm: algorithm, into: digest)
            let hash = unsafe UnsafeRawBufferPointer(rebasing: digest[..<n])
            do throws(RSAPublicOperation.Failure) {
                if let scratch {
                    try unsafe publicOperation.verify(
                        signature: signature, digest: hash, algorithm: algorithm, scratch: scratch)
                } else if let ifma {
                    try unsafe ifma.verify(signature: signature, digest: hash, algorithm: algorithm)
                }
                return nil
            } catch {
                return error
            }
        }
        // A scratch goes back to the pool unless OpenSSL failed with it.
        if let scratch, outcome != .openSSL { scratchPool.put(scratch) }
        switch outcome {
        case nil:
            return
        case .mismatch:
            throw SignetKeyError(
                .badSignature, reason: "the \(algorithm.jwsName) signature does not verify with this key")
        case .outOfRange:
            throw SignetKeyError(
                .badSignature,
                reason:
                    "the signature, read as a number, is not smaller than the key's modulus, so no RSA key could have made it"
            )
        case .engine:
            throw SignetKeyError(
                .engineFault, reason: "the \(engine) engine failed while checking the \(algorithm.jwsName) signature")
        case .openSSL:
            throw OpenSSLErrorQueue.error(
                .openSSL, "libcrypto failed while checking the \(algorithm.jwsName) signature")
        }
    }

    /// `true` when the signature verifies (see ``verify(_:for:algorithm:)-(RawSpan,_,_)``); never throws, never
    /// leaves OpenSSL errors behind.
    ///
    /// - Allocation: none in steady state on the Swift side.
    public func isValidSignature(_ signature: RawSpan, for message: RawSpan, algorithm: RSASignatureAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValidSignature(s, for: m, algorithm: algorithm) }
        }
    }

    /// `true` when the signature, given as raw buffers, verifies; the `@unsafe` form of
    /// ``isValidSignature(_:for:algorithm:)-(RawSpan,RawSpan,_)`` for memory that comes from C.
    ///
    /// - Allocation: none in steady state on the Swift side.
    @unsafe
    public func isValidSignature(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm
    ) -> Bool {
        do throws(SignetKeyError) {
            try unsafe verify(signature, for: message, algorithm: algorithm)
            return true
        } catch {
            return false
        }
    }

    /// `true` when the signature verifies (array convenience).
    ///
    /// - Allocation: none beyond the caller's arrays.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: RSASignatureAlgorithm) -> Bool {
        unsafe signature.withUnsafeBytes { s in
            unsafe message.withUnsafeBytes { m in unsafe isValidSignature(s, for: m, algorithm: algorithm) }
        }
    }

    /// Checks an RSASSA-PKCS1-v1_5 or RSASSA-PSS signature over `message` (PSS: MGF1 over the same hash, salt as long
    /// as the hash, decoded without data-dependent branches).
    ///
    /// - Parameters:
    ///   - signature: The signature bytes; must be exactly ``signatureByteCount`` long.
    ///   - message: The signed bytes (for a JWS, the ASCII signing input `header.payload`).
    ///   - algorithm: The algorithm the caller allows for this key.
    /// - Throws: ``SignetKeyError`` `key.signature-length`, `key.bad-signature`, `key.openssl`, or
    ///   `rsa.engine-fault` (the IFMA engine failed). OpenSSL's error queue is drained in every case.
    /// - Allocation: none in steady state (the digest runs on the stack; the modular exponentiation uses a pooled
    ///   `BN_CTX` whose numbers keep their storage between calls).
    public func verify(
        _ signature: RawSpan, for message: RawSpan, algorithm: RSASignatureAlgorithm
    )
        throws(SignetKeyError)
    {
        try unsafe signature.withUnsafeBytes { (s) throws(SignetKeyError) in
            try unsafe message.withUnsafeBytes { (m) throws(SignetKeyError) in
                try unsafe verify(s, for: m, algorithm: algorithm)
            }
        }
    }

    static func stripped(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return [] }
        return Array(bytes[first...])
    }

    static func bitCount(_ bytes: [UInt8]) -> Int {
        let s = stripped(bytes)
        guard let top = s.first else { return 0 }
        return (s.count - 1) * 8 + (8 - top.leadingZeroBitCount)
    }

    /// The largest modulus accepted, in bits (OpenSSL's `OPENSSL_RSA_MAX_MODULUS_BITS`): a verifier may load keys
    /// from a client's JWKS, and a bigger modulus would only make each verification slower.
    static let maximumModulusBits = 16_384
    /// The largest public exponent accepted, in bits (OpenSSL refuses more than 64 for moduli over 3,072 bits; Signet
    /// for every size): verification costs one squaring per exponent bit, so a huge `e` is a denial-of-service lever.
    static let maximumExponentBits = 64

    /// Refuses moduli under 2048 or over 16,384 bits, even moduli, and exponents that are even, 1, longer than 64
    /// bits, or not below the modulus.
    static func checkPublicNumbers(n: [UInt8], e: [UInt8]) throws(SignetKeyError) {
        let nBits = bitCount(n)
        guard nBits >= 2048 else {
            throw SignetKeyError(
                .keyTooSmall, reason: "the RSA modulus has \(nBits) bits; at least 2048 are required (RFC 7518 §3.3)")
        }
        guard nBits <= maximumModulusBits else {
            throw SignetKeyError(
                .invalidModulus, reason: "the RSA modulus has \(nBits) bits; at most \(maximumModulusBits) are accepted"
            )
        }
        guard bitCount(e) <= maximumExponentBits else {
            throw SignetKeyError(
                .invalidExponent,
                reason:
                    "the public exponent has \(bitCount(e)) bits; at most \(maximumExponentBits) are accepted (65537 is usual)"
            )
        }
        guard let nLast = n.last, nLast & 1 == 1 else {
            throw SignetKeyError(
                .invalidModulus, reason: "the RSA modulus is even, so it cannot be a product of two odd primes")
        }
        let eStripped = stripped(e)
        guard let eLast = eStripped.last, eLast & 1 == 1, eStripped != [1] else {
            throw SignetKeyError(.invalidExponent, reason: "the public exponent must be odd and greater than 1")
        }
        guard bitCount(e) < nBits else {
            throw SignetKeyError(.invalidExponent, reason: "the public exponent is not smaller than the modulus")
        }
    }
}

/// Decodes a JWK member, naming it in the error.
func jwkMember(_ value: String, _ name: String) throws(SignetKeyError) -> [UInt8] {
    let bytes: [UInt8]
    do throws(Base64URLError) {
        bytes = try Base64URL.decode(value)
    } catch {
        throw SignetKeyError(
            .jwkInvalid, offset: error.offset, reason: "JWK member '\(name)': \(error.reason)", underlying: error)
    }
    guard !bytes.isEmpty else { throw SignetKeyError(.jwkInvalid, reason: "JWK member '\(name)' is empty") }
    return bytes
}
