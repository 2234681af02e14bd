// SPDX-License-Identifier: Apache-2.0

import JWS

/// What a verified bearer token gives a route: who and what it verified, and its verified payload. Only a token that
/// verified (signature, key binding, claims policy, scopes, replay) ever becomes one.
///
/// The registered claims a gateway reads on every request are copied out of the verified payload once, into one
/// allocation with the payload bytes; anything else (``scopes``, ``claims()``, ``payloadObject()``) is parsed from
/// the payload when asked for, so that a route that reads only the subject pays for no JSON tree. A value is one
/// reference: cheap to copy into a request context.
///
/// `@unchecked Sendable`: its storage (a `ManagedBuffer`, which is never `Sendable`) is written once, before the value
/// exists, and only read afterwards.
public struct VerifiedBearer: @unchecked Sendable {
    let storage: BearerStorage

    /// Builds a bearer from a verified view, copying what it keeps.
    init(_ view: borrowing VerifiedClaimsView) {
        let header = BearerStorage.Header(
            algorithm: view.algorithm, keyID: view.keyID, issuer: view.issuer?.string, subject: view.subject?.string,
            id: view.id?.string, expiresAt: view.expiresAt, notBefore: view.notBefore, issuedAt: view.issuedAt,
            payloadCount: view.payload.byteCount)
        storage = unsafe view.payload.withUnsafeBytes { unsafe BearerStorage.make(header, payload: $0) }
    }

    /// The algorithm the token was verified under.
    public var algorithm: JWSAlgorithm { storage.header.algorithm }
    /// The `kid` of the key that verified it, if the key has one.
    public var keyID: String? { storage.header.keyID }
    /// `iss`.
    public var issuer: String? { storage.header.issuer }
    /// `sub`.
    public var subject: String? { storage.header.subject }
    /// `jti`.
    public var id: String? { storage.header.id }
    /// `exp`.
    public var expiresAt: NumericDate? { storage.header.expiresAt }
    /// `nbf`.
    public var notBefore: NumericDate? { storage.header.notBefore }
    /// `iat`.
    public var issuedAt: NumericDate? { storage.header.issuedAt }

    /// The verified payload: the token's JSON claims set, as it was signed (a copy on each access).
    public var payload: [UInt8] { unsafe storage.withPayload { unsafe [UInt8]($0) } }

    /// The token's scopes: its `scope` claim split on spaces (RFC 8693 §4.2), or the strings of its `scp` array.
    /// Parsed from the payload on each access.
    public var scopes: Set<String> {
        guard let object = try? payloadObject() else { return [] }
        return BearerScopes.all(in: object)
    }

    /// The payload as a JSON object (parsed on each call).
    ///
    /// - Throws: `JSONError` only if the payload exceeds the default `StrictJSON.Limits` (a verifier with larger
    ///   limits accepted it).
    public func payloadObject() throws(JSONError) -> JSONObject {
        let value = try unsafe storage.withPayload { (bytes) throws(JSONError) in try unsafe StrictJSON.parse(bytes) }
        guard case .object(let object) = value else {
            throw JSONError(.invalid, offset: 0, reason: "the verified payload is not an object")
        }
        return object
    }

    /// Every claim: the registered ones and the others (`JWTClaims.additional`), parsed from the payload on each
    /// call.
    ///
    /// - Throws: `JWSError` (`json.*`) as ``payloadObject()``.
    public func claims() throws(JWSError) -> JWTClaims {
        let object: JSONObject
        do throws(JSONError) {
            object = try payloadObject()
        } catch {
            let code: JWSError.Code = error.code == .tooDeep ? .jsonTooDeep : .jsonInvalid
            throw JWSError(code, segment: .payload, reason: "payload JSON: \(error.reason)", underlying: error)
        }
        return try JWTClaims(object: object)
    }
}

/// A bearer's registered claims (the header) and its payload bytes (the elements), in one allocation. Written once
/// at creation, read-only afterwards.
final class BearerStorage: ManagedBuffer<BearerStorage.Header, UInt8> {
    struct Header {
        let algorithm: JWSAlgorithm
        let keyID: String?
        let issuer: String?
        let subject: String?
        let id: String?
        let expiresAt: NumericDate?
        let notBefore: NumericDate?
        let issuedAt: NumericDate?
        let payloadCount: Int
    }

    /// Storage holding `header` and a copy of `payload` (`header.payloadCount` bytes).
    @unsafe static func make(_ header: Header, payload: UnsafeRawBufferPointer) -> BearerStorage {
        let buffer = create(minimumCapacity: max(header.payloadCount, 1)) { _ in header }
        unsafe buffer.withUnsafeMutablePointerToElements { elements in
            if let base = payload.baseAddress {
                unsafe elements.initialize(from: base.assumingMemoryBound(to: UInt8.self), count: header.payloadCount)
            }
        }
        return unsafe unsafeDowncast(buffer, to: BearerStorage.self)
    }

    /// Runs `body` on the payload bytes.
    @unsafe func withPayload<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let count = header.payloadCount
        return try unsafe withUnsafeMutablePointerToElements { (elements) throws(E) -> R in
            try unsafe body(UnsafeRawBufferPointer(start: elements, count: count))
        }
    }
}
