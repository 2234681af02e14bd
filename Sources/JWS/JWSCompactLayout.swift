// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The positions of the two periods of a compact JWS (RFC 7515 §7.1), found in one scan with no copy of the token.
public struct JWSCompactLayout: Sendable, Equatable {
    /// Total token length in bytes.
    public let count: Int
    /// Offset of the first period.
    public let firstDot: Int
    /// Offset of the second period.
    public let secondDot: Int

    /// Scans `token` once.
    ///
    /// - Parameter token: The compact serialization's bytes.
    /// - Throws: ``JWSError`` `token.not-jws` when there are not exactly two periods or the header or signature
    ///   segment is empty (an empty payload is allowed by RFC 7515).
    /// - Allocation: none.
    public init(scanning token: RawSpan) throws(JWSError) {
        self = try unsafe token.withUnsafeBytes { (token) throws(JWSError) in try unsafe Self(scanning: token) }
    }

    /// The pointer form of ``init(scanning:)``, which the verifier's pointer core calls.
    init(scanning token: UnsafeRawBufferPointer) throws(JWSError) {
        // PERF: `signet bench` verify: libc's vectorised memchr finds each period (a byte loop cost ~6 instructions
        // per token byte).
        let n = token.count
        let first = unsafe Self.index(of: UInt8(ascii: "."), in: token, from: 0)
        let second = first < 0 ? -1 : unsafe Self.index(of: UInt8(ascii: "."), in: token, from: first + 1)
        if second >= 0 {
            let third = unsafe Self.index(of: UInt8(ascii: "."), in: token, from: second + 1)
            if third >= 0 {
                throw JWSError(
                    .notJWS, segment: .token, offset: third,
                    reason:
                        "a compact JWS has exactly two '.'; a third is at offset \(third) (is this a JWE or two tokens?)"
                )
            }
        }
        guard first >= 0, second >= 0 else {
            let dots = first < 0 ? 0 : 1
            throw JWSError(
                .notJWS, segment: .token, offset: first < 0 ? 0 : first,
                reason: n == 0
                    ? "the token is empty"
                    : "a compact JWS is header.payload.signature with two '.'; this has \(dots) (an opaque access token or authorisation code?)"
            )
        }
        guard first > 0 else {
            throw JWSError(.notJWS, segment: .header, offset: 0, reason: "the header segment is empty")
        }
        guard second + 1 < n else {
            throw JWSError(
                .notJWS, segment: .signature, offset: second + 1,
                reason: "the signature segment is empty (unsigned JWTs are not accepted)")
        }
        self.count = n
        self.firstDot = first
        self.secondDot = second
    }

    /// The offset of the first `byte` at or after `start`, or -1.
    static func index(of byte: UInt8, in buffer: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard start < buffer.count, let base = buffer.baseAddress else { return -1 }
        guard let hit = unsafe memchr(base + start, Int32(byte), buffer.count - start) else { return -1 }
        return unsafe UnsafeRawPointer(hit) - base
    }

    /// Byte range of the encoded header.
    public var header: Range<Int> { 0..<firstDot }
    /// Byte range of the encoded payload.
    public var payload: Range<Int> { (firstDot + 1)..<secondDot }
    /// Byte range of the encoded signature.
    public var signature: Range<Int> { (secondDot + 1)..<count }
    /// Byte range of the signing input (`header.payload`).
    public var signingInput: Range<Int> { 0..<secondDot }

    /// The token offset reported for byte `decodedOffset` of a decoded segment that starts at token offset
    /// `segmentStart`: the first character of the base64url group that encodes it (3 bytes per 4 characters).
    @inline(__always)
    static func tokenOffset(ofDecodedByte decodedOffset: Int, segmentStart: Int) -> Int {
        segmentStart + decodedOffset / 3 * 4
    }
}
