// SPDX-License-Identifier: Apache-2.0

import Base64URL
import SignetKeys

/// Signs compact JWS / JWT tokens with one key (RSA, EC or Ed25519), one algorithm and one fixed protected header.
///
/// The header (`alg`, optional `typ` and `kid`, any extra members) is encoded once when the signer is created; each
/// token then costs one payload encoding and one RSA signature, written straight into a caller-owned buffer.
/// Immutable and `Sendable`: share one signer across threads.
public final class JWSSigner: Sendable {
    /// The key that signs.
    public let key: JWSSigningKey
    /// The algorithm written in `alg` and used to sign.
    public let algorithm: JWSAlgorithm
    /// The protected header as JSON.
    public let header: JSONObject
    /// `base64url(header JSON)`, computed once.
    let encodedHeader: [UInt8]

    /// Creates a signer with an RSA key.
    ///
    /// - Parameters:
    ///   - key: The private key.
    ///   - algorithm: RS256, RS384, RS512, PS256, PS384 or PS512.
    ///   - keyID: The `kid` header value, if any.
    ///   - type: The `typ` header value (default `JWT`; `nil` to omit).
    ///   - extraHeader: More header members, written after `alg`, `typ` and `kid`, in order.
    /// - Throws: ``JWSError`` `configuration.invalid` when an extra member repeats a name or is `alg`, `typ`, `kid`
    ///   or `crit` (Signet understands no critical extensions, so it never emits them).
    /// - Allocation: allocates once, here.
    public convenience init(
        key: RSAPrivateKey, algorithm: RSASignatureAlgorithm, keyID: String? = nil, type: String? = "JWT",
        extraHeader: [(name: String, value: JSONValue)] = []
    ) throws(JWSError) {
        try self.init(
            key: .rsa(key), algorithm: JWSAlgorithm(algorithm), keyID: keyID, type: type, extraHeader: extraHeader)
    }

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - key: The private key, of any family.
    ///   - algorithm: An algorithm of the key's family (for EC keys, the curve's: ES256 on P-256, ES384 on P-384,
    ///     ES512 on P-521).
    ///   - keyID: The `kid` header value, if any.
    ///   - type: The `typ` header value (default `JWT`; `nil` to omit).
    ///   - extraHeader: More header members, written after `alg`, `typ` and `kid`, in order.
    /// - Throws: ``JWSError`` `configuration.invalid` when the key cannot sign `algorithm`, or an extra member
    ///   repeats a name or is `alg`, `typ`, `kid` or `crit` (Signet understands no critical extensions, so it never
    ///   emits them).
    /// - Allocation: allocates once, here.
    public init(
        key: JWSSigningKey, algorithm: JWSAlgorithm, keyID: String? = nil, type: String? = "JWT",
        extraHeader: [(name: String, value: JSONValue)] = []
    ) throws(JWSError) {
        guard key.publicKey.canVerify(algorithm) else {
            throw JWSError(
                .keyConfiguration, reason: "a \(key.publicKey.keyDescription) key cannot sign \(algorithm.jwsName)")
        }
        var members: [JSONObject.Member] = [
            .init(name: "alg", value: .string(algorithm.jwsName), nameOffset: 0, valueOffset: 0)
        ]
        if let type { members.append(.init(name: "typ", value: .string(type), nameOffset: 0, valueOffset: 0)) }
        if let keyID { members.append(.init(name: "kid", value: .string(keyID), nameOffset: 0, valueOffset: 0)) }
        for extra in extraHeader {
            guard !["alg", "typ", "kid", "crit"].contains(extra.name),
                !members.contains(where: { $0.name == extra.name })
            else {
                throw JWSError(
                    .keyConfiguration, segment: .header,
                    reason: "header member '\(extra.name)' cannot be set as an extra member")
            }
            members.append(.init(name: extra.name, value: extra.value, nameOffset: 0, valueOffset: 0))
        }
        let header = JSONObject(members: members)
        let json = Array(JSONValue.object(header).description.utf8)
        self.key = key
        self.algorithm = algorithm
        self.header = header
        self.encodedHeader = Array(Base64URL.encode(json).utf8)
    }

    /// The exact token length for a payload of `payloadByteCount` bytes.
    ///
    /// - Allocation: none.
    public func tokenLength(payloadByteCount: Int) -> Int {
        encodedHeader.count + 1 + Base64URL.encodedCount(byteCount: payloadByteCount) + 1
            + Base64URL.encodedCount(byteCount: key.signatureByteCount)
    }

    /// Signs `payload` and writes the compact token at the start of `output`.
    ///
    /// - Parameters:
    ///   - payload: The payload bytes (for a JWT, the claims JSON).
    ///   - output: Receives the token; needs ``tokenLength(payloadByteCount:)`` bytes.
    /// - Returns: Bytes written.
    /// - Throws: ``JWSError`` `output.too-small`, `crypto.failure`.
    /// - Allocation: none on the Swift side (the signature goes through a stack buffer; OpenSSL allocates internally).
    @_lifetime(output: copy output)
    public func sign(payload: RawSpan, into output: inout MutableRawSpan) throws(JWSError) -> Int {
        try unsafe payload.withUnsafeBytes { (p) throws(JWSError) -> Int in
            try unsafe output.withUnsafeMutableBytes { (o) throws(JWSError) -> Int in
                try unsafe sign(payload: p, into: o)
            }
        }
    }

    /// Signs `payload` and writes the compact token at the start of `output`; the `@unsafe` form of
    /// ``sign(payload:into:)-(RawSpan,MutableRawSpan)`` for memory that comes from C.
    ///
    /// - Parameters:
    ///   - payload: The payload bytes (for a JWT, the claims JSON).
    ///   - output: Receives the token; needs ``tokenLength(payloadByteCount:)`` bytes.
    /// - Returns: Bytes written.
    /// - Throws: ``JWSError`` `output.too-small`, `crypto.failure`.
    /// - Allocation: none on the Swift side (the signature goes through a stack buffer; OpenSSL allocates internally).
    /// - Warning: `output` must not overlap `payload`.
    @unsafe
    public func sign(
        payload: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(JWSError) -> Int {
        let total = tokenLength(payloadByteCount: payload.count)
        guard output.count >= total else {
            throw JWSError(.outputTooSmall, reason: "the output has \(output.count) bytes; this token needs \(total)")
        }
        var position = encodedHeader.count
        unsafe encodedHeader.withUnsafeBytes { h in unsafe output.copyMemory(from: h) }
        unsafe output[position] = UInt8(ascii: ".")
        position += 1
        do throws(Base64URLError) {
            position += try unsafe Base64URL.encode(
                payload, into: UnsafeMutableRawBufferPointer(rebasing: output[position...]))
        } catch {
            throw JWSError(.outputTooSmall, reason: error.reason, underlying: error)
        }
        let signingInputEnd = position
        unsafe output[position] = UInt8(ascii: ".")
        position += 1
        let sigBytes = key.signatureByteCount
        let start = position
        try unsafe withUnsafeTemporaryAllocation(byteCount: sigBytes, alignment: 8) {
            (signature) throws(JWSError) in
            do throws(SignetKeyError) {
                _ = try unsafe key.sign(
                    UnsafeRawBufferPointer(rebasing: output[..<signingInputEnd]), algorithm: algorithm,
                    into: signature)
            } catch {
                throw JWSError.crypto(error)
            }
            do throws(Base64URLError) {
                position += try unsafe Base64URL.encode(
                    UnsafeRawBufferPointer(signature), into: UnsafeMutableRawBufferPointer(rebasing: output[start...]))
            } catch {
                throw JWSError(.outputTooSmall, reason: error.reason, underlying: error)
            }
        }
        return position
    }

    /// Signs a payload given as a span and appends the token to `output`.
    ///
    /// - Throws: as ``sign(payload:into:)-(RawSpan,MutableRawSpan)``.
    /// - Allocation: none on the Swift side.
    @_lifetime(output: copy output)
    public func sign(payload: RawSpan, into output: inout OutputRawSpan) throws(JWSError) {
        try unsafe payload.withUnsafeBytes { (p) throws(JWSError) in
            try unsafe output.withUnsafeMutableBytes { (buffer, initialized) throws(JWSError) in
                initialized += try unsafe sign(
                    payload: p, into: UnsafeMutableRawBufferPointer(rebasing: buffer[initialized...]))
            }
        }
    }

    /// Writes `claims` as the payload, signs, and writes the token at the start of `output`.
    ///
    /// - Parameters:
    ///   - claims: The claims.
    ///   - output: Receives the token.
    /// - Returns: Bytes written.
    /// - Throws: ``JWSError`` `output.too-small`, `crypto.failure`.
    /// - Allocation: none on the Swift side for payloads up to 1 KiB (claims JSON is built in a stack buffer).
    @_lifetime(output: copy output)
    public func sign(claims: JWTClaims, into output: inout MutableRawSpan) throws(JWSError) -> Int {
        try sign(writingPayload: { claims.write(to: &$0) }, into: &output)
    }

    /// Writes a JSON payload with `write`, signs, and writes the token at the start of `output`.
    ///
    /// - Parameters:
    ///   - write: Writes the payload JSON; must be deterministic (it is called again, into a buffer four times
    ///     larger, each time the payload outgrows the buffer: first the 1 KiB stack buffer).
    ///   - output: Receives the token.
    /// - Returns: Bytes written.
    /// - Throws: ``JWSError`` `output.too-small` (also for a payload over 16 MiB), `crypto.failure`.
    /// - Allocation: none on the Swift side for payloads up to 1 KiB; one heap buffer per larger attempt.
    @_lifetime(output: copy output)
    public func sign(
        writingPayload write: (inout JSONByteWriter) -> Void, into output: inout MutableRawSpan
    )
        throws(JWSError) -> Int
    {
        try unsafe output.withUnsafeMutableBytes { (output) throws(JWSError) -> Int in
            var capacity = Self.stackPayloadCapacity
            while true {
                let result: Int? = try unsafe withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 8) {
                    (scratch) throws(JWSError) -> Int? in
                    var writer = unsafe JSONByteWriter(buffer: scratch)
                    write(&writer)
                    guard !writer.overflowed else { return nil }
                    return try unsafe sign(
                        payload: UnsafeRawBufferPointer(rebasing: scratch[..<writer.count]), into: output)
                }
                if let result { return result }
                guard capacity < 1 << 24 else {
                    throw JWSError(.outputTooSmall, segment: .payload, reason: "the payload is larger than 16 MiB")
                }
                capacity *= 4
            }
        }
    }

    /// The payload buffer of the first attempt of ``sign(writingPayload:into:)``: 1 KiB, the most that
    /// `withUnsafeTemporaryAllocation` places on the stack on Linux. Beyond 1 KiB the standard library asks
    /// `swift_stdlib_isStackAllocationSafe`, which on Linux always answers no, so a larger first buffer would cost
    /// one heap allocation per token. A client assertion's payload is about 200 bytes.
    static let stackPayloadCapacity = 1024

    /// Signs `payload` and returns the compact token.
    ///
    /// - Throws: ``JWSError`` `crypto.failure`.
    /// - Allocation: the returned string and a buffer for it.
    public func token(payload: [UInt8]) throws(JWSError) -> String {
        var out = [UInt8](repeating: 0, count: tokenLength(payloadByteCount: payload.count))
        var outSpan = out.mutableSpan
        var outBytes = MutableRawSpan(_elements: &outSpan)
        let n = try sign(payload: RawSpan(_elements: payload.span), into: &outBytes)
        return String(decoding: out[..<n], as: UTF8.self)
    }

    /// Signs `claims` and returns the compact token.
    ///
    /// - Throws: ``JWSError`` `crypto.failure`.
    /// - Allocation: the returned string and a buffer for it.
    public func token(claims: JWTClaims) throws(JWSError) -> String {
        var capacity = 4096
        while true {
            var out = [UInt8](repeating: 0, count: capacity)
            var outSpan = out.mutableSpan
            var outBytes = MutableRawSpan(_elements: &outSpan)
            do throws(JWSError) {
                let n = try sign(claims: claims, into: &outBytes)
                return String(decoding: out[..<n], as: UTF8.self)
            } catch  where error.code == .outputTooSmall && capacity < 1 << 26 {
                capacity *= 4
            }
        }
    }
}
