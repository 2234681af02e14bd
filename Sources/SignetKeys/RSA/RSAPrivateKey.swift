// SPDX-License-Identifier: Apache-2.0

import Base64URL
internal import COpenSSL

/// An RSA private key (at least 2048 bits) that signs RSASSA-PKCS1-v1_5 (RS256/RS384/RS512) and RSASSA-PSS
/// (PS256/PS384/PS512).
///
/// Load it once (parsing and the consistency check take milliseconds) and share it: the key is immutable and
/// `Sendable`, and signing from many threads at once is safe. Each signature takes a signing context from a small
/// per-key pool, so steady-state signing sets nothing up. The private-key operation runs on OpenSSL 3 EVP, or on
/// Signet's AVX-512 IFMA engine where the CPU has it (see ``RSAEngine``; ``engine`` says which). The key
/// material lives inside OpenSSL (and the engine), which wipe it when the key is freed; decoded DER and JWK bytes
/// are wiped after loading. Nothing here prints the key.
public final class RSAPrivateKey: Sendable {
    let key: EVPKey
    /// The matching public key (a separate public-only OpenSSL key).
    public let publicKey: RSAPublicKey
    private let pools: [ContextPool<RSAOperationContext>]
    private let ifma: IFMAEngineKey?

    /// The engine that performs this key's private-key operations: ``RSAEngine/openSSL``,
    /// ``RSAEngine/ifma256`` or ``RSAEngine/ifma512`` (never ``RSAEngine/automatic``).
    public var engine: RSAEngine { ifma?.engine ?? .openSSL }

    /// Why ``engine`` performs this key's private-key operations (what `signet bench` prints).
    public let engineChoice: RSAEngine.Choice

    private init(sharing other: RSAPrivateKey, resolution: RSAEngine.Resolution<IFMAEngineKey>, publicKey: RSAPublicKey)
    {
        self.key = other.key
        self.publicKey = publicKey
        self.pools = RSASignatureAlgorithm.all.map { _ in ContextPool<RSAOperationContext>() }
        self.ifma = resolution.loaded
        self.engineChoice = resolution.choice
    }

    /// The same key, signing on `engine` (e.g. to compare engines side by side, as `signet bench --engine` does);
    /// its ``publicKey`` verifies on the same engine (``RSAPublicKey/using(engine:)``).
    ///
    /// - Parameter engine: The engine; ``RSAEngine/automatic`` resolves as at load, separately for the
    ///   private-key and the public-key operation.
    /// - Returns: A key object sharing this one's OpenSSL key.
    /// - Throws: ``SignetKeyError`` `rsa.engine-unavailable` when an IFMA engine was asked for and this CPU or OS
    ///   does not enable AVX-512 IFMA, or the engine does not take this key (it takes RSA-2048, RSA-3072 and
    ///   RSA-4096 with equal-size primes).
    /// - Allocation: allocates (key loading).
    public func using(engine: RSAEngine) throws(SignetKeyError) -> RSAPrivateKey {
        RSAPrivateKey(
            sharing: self, resolution: try RSAEngine.load(key, requested: engine),
            publicKey: try publicKey.using(engine: engine))
    }

    /// Median time of `count` OpenSSL private-key operations on this key, in nanoseconds: the figure
    /// ``RSAEngine/automatic`` weighs IFMA widths against (0 if OpenSSL fails).
    ///
    /// - Parameter count: Timed operations (after one warm-up).
    /// - Allocation: allocates (a signing context and buffers).
    @_spi(Testing) public func openSSLPrivateOperationNanoseconds(count: Int) -> UInt64 {
        RSAEngine.measureOpenSSL(key, count: count)
    }

    private init(checked key: EVPKey) throws(SignetKeyError) {
        guard key.isRSA else { throw SignetKeyError(.notRSA, reason: "the key is not an RSA key") }
        guard let n = key.bigEndianParameter("n"), let e = key.bigEndianParameter("e") else {
            throw OpenSSLErrorQueue.error(.openSSL, "could not read n and e from the key")
        }
        try RSAPublicKey.checkPublicNumbers(n: n, e: e)
        try key.checkPairwise()
        self.key = key
        self.publicKey = try RSAPublicKey(
            validated: EVPKey.fromComponents(
                [("n", RSAPublicKey.stripped(n)), ("e", RSAPublicKey.stripped(e))], isPrivate: false))
        self.pools = RSASignatureAlgorithm.all.map { _ in ContextPool<RSAOperationContext>() }
        let resolution = try RSAEngine.load(key, requested: .automatic)
        self.ifma = resolution.loaded
        self.engineChoice = resolution.choice
    }

    /// Loads a private key from PEM text: `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
    ///
    /// - Parameter pem: PEM text; the first block with a private-key label is used.
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.pem-label-mismatch` (e.g. a PKCS#8 body under an
    ///   `RSA PRIVATE KEY` label, which happens when the header is edited by hand), `key.wrong-kind` (only a public
    ///   key was given), `key.password-required` (an encrypted key: use ``init(pem:password:)``),
    ///   `key.pem-unsupported-label`, `key.der-malformed`, `key.not-rsa`,
    ///   `key.too-small`, `key.invalid-exponent`, `key.inconsistent`.
    /// - Allocation: allocates (not a hot path).
    public convenience init(pem: String) throws(SignetKeyError) {
        var blocks = try PEMReader.blocks(in: Array(pem.utf8))
        defer { for i in blocks.indices { secureZero(&blocks[i].der) } }
        let privateLabels: Set<String> = ["PRIVATE KEY", "RSA PRIVATE KEY"]
        guard let block = blocks.first(where: { privateLabels.contains($0.label) }) else {
            let labels = blocks.map(\.label)
            if labels.contains(where: { $0.contains("PUBLIC KEY") }) {
                throw SignetKeyError(
                    .wrongKeyKind, offset: blocks.first?.offset,
                    reason: "this PEM holds only a public key; signing needs the private key")
            }
            if let encrypted = blocks.first(where: { $0.label == "ENCRYPTED PRIVATE KEY" }) {
                throw SignetKeyError(
                    .passwordRequired, offset: encrypted.offset,
                    reason: "the private key is encrypted (PKCS#8 ENCRYPTED PRIVATE KEY); give its password")
            }
            throw SignetKeyError(
                .pemUnsupportedLabel, offset: blocks.first?.offset,
                reason: "no PRIVATE KEY or RSA PRIVATE KEY block (found: \(labels.joined(separator: ", ")))")
        }
        try self.init(der: block.der, structure: DERKeyStructure.classify(block))
    }

    /// Loads a private key from DER: PKCS#8 `PrivateKeyInfo` or PKCS#1 `RSAPrivateKey`, recognised by shape.
    ///
    /// - Parameter der: The DER bytes (the caller should wipe its copy afterwards).
    /// - Throws: ``SignetKeyError`` `key.der-malformed`, `key.wrong-kind`, `key.not-rsa`, `key.too-small`,
    ///   `key.invalid-exponent`, `key.inconsistent`.
    /// - Allocation: allocates.
    public convenience init(der: [UInt8]) throws(SignetKeyError) {
        try self.init(der: der, structure: DERKeyStructure.classify(der))
    }

    convenience init(der: [UInt8], structure: DERKeyStructure) throws(SignetKeyError) {
        guard structure.isPrivate else {
            throw SignetKeyError(
                .wrongKeyKind, reason: "\(structure.name) is a public key; signing needs the private key")
        }
        try structure.requireRSA()
        try self.init(checked: EVPKey.decode(der: der, structure: structure))
    }

    /// Loads a private key from its JWK members (`n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi`: all required).
    ///
    /// - Parameter jwk: The JWK members.
    /// - Throws: ``SignetKeyError`` `key.jwk-invalid` (missing member or bad base64url, named), `key.too-small`,
    ///   `key.invalid-exponent`, `key.invalid-modulus`, `key.inconsistent`.
    /// - Allocation: allocates.
    public convenience init(jwk: RSAJWKComponents) throws(SignetKeyError) {
        let named: [(String, StaticString, String?)] = [
            ("n", "n", jwk.n), ("e", "e", jwk.e), ("d", "d", jwk.d), ("p", "rsa-factor1", jwk.p),
            ("q", "rsa-factor2", jwk.q), ("dp", "rsa-exponent1", jwk.dp), ("dq", "rsa-exponent2", jwk.dq),
            ("qi", "rsa-coefficient1", jwk.qi),
        ]
        var parts: [(name: StaticString, bytes: [UInt8])] = []
        defer { for i in parts.indices { secureZero(&parts[i].bytes) } }
        for (member, param, value) in named {
            guard let value else {
                throw SignetKeyError(.jwkInvalid, reason: "private JWK member '\(member)' is missing")
            }
            parts.append((param, try jwkMember(value, member)))
        }
        try RSAPublicKey.checkPublicNumbers(n: parts[0].bytes, e: parts[1].bytes)
        try self.init(checked: EVPKey.fromComponents(parts, isPrivate: true))
    }

    /// Generates a fresh key with e = 65537.
    ///
    /// - Parameter bits: 2048, 3072 or 4096 (any multiple of 8 from 2048 to 16384 is accepted).
    /// - Throws: ``SignetKeyError`` `key.generation` for an unsupported size or an OpenSSL failure.
    /// - Allocation: allocates.
    public static func generate(bits: Int) throws(SignetKeyError) -> RSAPrivateKey {
        guard bits >= 2048, bits <= 16384, bits % 8 == 0 else {
            throw SignetKeyError(
                .keyGeneration, reason: "RSA key size \(bits) is not supported; use 2048, 3072 or 4096")
        }
        return try RSAPrivateKey(checked: EVPKey.generate(bits: bits))
    }

    /// Modulus size in bits.
    public var bits: Int { key.bits }

    /// Signature size in bytes (the modulus length).
    public var signatureByteCount: Int { publicKey.signatureByteCount }

    /// Calls `body` with the PKCS#8 PEM text of this key in a temporary buffer that is wiped afterwards. Use it to
    /// write the key to a file (mode 0600); never log it.
    ///
    /// - Parameter body: Receives the PEM bytes; must not keep the pointer.
    /// - Returns: What `body` returns.
    /// - Throws: ``SignetKeyError`` `key.openssl` if OpenSSL cannot encode the key, or what `body` throws.
    /// - Allocation: OpenSSL's encoding buffer only.
    ///
    /// `@unsafe`: `body` receives a raw buffer that is valid, and holds the secret, only during the call.
    @unsafe
    public func withPKCS8PEM<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try unsafe key.withPKCS8PEM(body).get()
    }

    /// Signs `message` and writes the signature at the start of `output`; the `@unsafe` form of
    /// ``sign(_:algorithm:into:)-(RawSpan,_,_)`` for memory that comes from C.
    ///
    /// - Parameters:
    ///   - message: The bytes to sign.
    ///   - algorithm: RS256, RS384, RS512, PS256, PS384 or PS512.
    ///   - output: Where the signature goes; needs ``signatureByteCount`` bytes.
    /// - Returns: The number of bytes written (always ``signatureByteCount``).
    /// - Throws: as ``sign(_:algorithm:into:)-(RawSpan,_,_)``.
    /// - Allocation: as ``sign(_:algorithm:into:)-(RawSpan,_,_)``.
    /// - Warning: `output` must not overlap `message`.
    @unsafe
    public func sign(
        _ message: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm, into output: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Int {
        let size = signatureByteCount
        guard output.count >= size else {
            throw SignetKeyError(
                .outputTooSmall, reason: "the output has \(output.count) bytes; an RSA-\(bits) signature needs \(size)")
        }
        if let ifma {
            try unsafe withUnsafeTemporaryAllocation(byteCount: 64 + size, alignment: 16) {
                (scratch) throws(SignetKeyError) in
                let digest = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<64])
                let em = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[64...])
                let n = try unsafe Digests.hash(message, algorithm: algorithm, into: digest)
                guard
                    try unsafe encode(
                        UnsafeRawBufferPointer(rebasing: digest[..<n]), algorithm: algorithm, into: em)
                else {
                    throw SignetKeyError(.internalError, reason: "RSA-\(bits) is too small for \(algorithm.jwsName)")
                }
                try unsafe ifma.privateOperation(UnsafeRawBufferPointer(em), into: output)
            }
            return size
        }
        let pool = pools[algorithm.index]
        let context: RSAOperationContext
        if let c = pool.take() {
            context = c
        } else {
            context = try RSAOperationContext(key: key, algorithm: algorithm)
        }
        var written = size
        let rc = try unsafe withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) {
            (digest) throws(SignetKeyError) -> Int32 in
            let n = try unsafe Digests.hash(message, algorithm: algorithm, into: digest)
            return unsafe COpenSSL_EVP_PKEY_sign(context.pkeyCtx, output.baseAddress, &written, digest.baseAddress, n)
        }
        guard rc == 1, written == size else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_sign failed (\(algorithm.jwsName), RSA-\(bits))")
        }
        pool.put(context)
        return written
    }

    /// The block the IFMA engine's private operation takes: the PKCS#1 v1.5 encoding, or the PSS encoding with a
    /// fresh salt from OpenSSL's DRBG; `false` when the modulus is too small for the algorithm.
    @unsafe
    private func encode(
        _ digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm, into em: UnsafeMutableRawBufferPointer
    ) throws(SignetKeyError) -> Bool {
        guard algorithm.usesPSS else { return unsafe PKCS1v15.encode(digest, algorithm: algorithm, into: em) }
        return try unsafe withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) {
            (scratch) throws(SignetKeyError) -> Bool in
            let salt = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<algorithm.digestByteCount])
            try unsafe SecureRandom.fill(salt)
            return unsafe PSS.encode(
                digest, salt: UnsafeRawBufferPointer(salt), algorithm: algorithm, modulusBits: bits, into: em)
        }
    }

    /// Signs `message` (RSASSA-PKCS1-v1_5 or RSASSA-PSS, as `algorithm` says) and appends the signature to
    /// `output`.
    ///
    /// - Parameters:
    ///   - message: The bytes to sign (for a JWS, the ASCII signing input `header.payload`).
    ///   - algorithm: RS256, RS384, RS512, PS256, PS384 or PS512.
    ///   - output: Receives exactly ``signatureByteCount`` bytes; needs that much free capacity.
    /// - Throws: ``SignetKeyError`` `key.output-too-small`, `key.openssl` with the drained error queue, or
    ///   `rsa.engine-fault` (the IFMA engine's verify-after-sign check failed; nothing was written), or
    ///   `key.internal` (a bug).
    /// - Allocation: none on the Swift side in steady state; on OpenSSL EVP, OpenSSL's RSA code allocates
    ///   internally (counts: perf/RESULTS.md); the IFMA engine allocates nothing.
    public func sign(
        _ message: RawSpan, algorithm: RSASignatureAlgorithm, into output: inout OutputRawSpan
    )
        throws(SignetKeyError)
    {
        try unsafe message.withUnsafeBytes { (m) throws(SignetKeyError) in
            try unsafe output.withUnsafeMutableBytes { (buffer, initialized) throws(SignetKeyError) in
                let free = unsafe UnsafeMutableRawBufferPointer(rebasing: buffer[initialized...])
                initialized += try unsafe sign(m, algorithm: algorithm, into: free)
            }
        }
    }

    /// Signs `message` and returns the signature.
    ///
    /// - Throws: ``SignetKeyError`` `key.openssl`.
    /// - Allocation: the returned array.
    public func signature(for message: [UInt8], algorithm: RSASignatureAlgorithm) throws(SignetKeyError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: signatureByteCount)
        var outSpan = out.mutableSpan
        var bytes = unsafe outSpan.mutableBytes
        try unsafe message.span.withUnsafeBytes { (m) throws(SignetKeyError) in
            try unsafe bytes.withUnsafeMutableBytes { (o) throws(SignetKeyError) in
                _ = try unsafe sign(m, algorithm: algorithm, into: o)
            }
        }
        return out
    }
}
