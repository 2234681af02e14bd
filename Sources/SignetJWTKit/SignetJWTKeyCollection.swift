// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Foundation
import JWS
import JWTKit

/// jwt-kit's `JWTKeyCollection` calls (`add`, `sign`, `verify`) on Signet keys: the same payload types (`JWTPayload`
/// with jwt-kit's claims), headers, JSON coders and errors, with every signature made and checked by Signet.
///
/// A token is verified only by the key its `kid` names (or the default key when it names none), and only under
/// that key's algorithm: `alg` must be the key's (`none` and HMAC never are), then the signature, then the
/// payload's own `verify(using:)` (its claims).
public actor SignetJWTKeyCollection {
    private var byKeyID: [String: SignetJWTAlgorithm] = [:]
    private var defaultKey: SignetJWTAlgorithm?
    let serializer: DefaultJWTSerializer
    let parser: DefaultJWTParser

    /// An empty collection with jwt-kit's default JSON coders (or the ones given).
    ///
    /// - Parameters:
    ///   - serializer: Encodes headers and payloads.
    ///   - parser: Decodes them.
    public init(
        serializer: DefaultJWTSerializer = DefaultJWTSerializer(), parser: DefaultJWTParser = DefaultJWTParser()
    ) {
        self.serializer = serializer
        self.parser = parser
    }

    /// Adds a key, under `kid` if given; the first key added (or one added without `kid`) is the default.
    ///
    /// - Parameters:
    ///   - key: The key and its algorithm.
    ///   - kid: Its key identifier.
    /// - Returns: The collection, for chaining.
    @discardableResult
    public func add(_ key: SignetJWTAlgorithm, kid: JWKIdentifier? = nil) -> Self {
        if let kid { byKeyID[kid.string] = key }
        if kid == nil || defaultKey == nil { defaultKey = key }
        return self
    }

    /// Signs `payload` with the key `kid` names (or the default), writing `alg`, `typ` (`JWT`) and `kid`.
    ///
    /// - Parameters:
    ///   - payload: The claims.
    ///   - kid: The key to sign with; also written as the header's `kid`.
    ///   - header: Further header fields.
    /// - Returns: The compact JWS.
    /// - Throws: `JWTError.unknownKID`, `JWTError.noKeyProvided`, or the signing failure.
    public func sign(
        _ payload: some JWTPayload, kid: JWKIdentifier? = nil, header: JWTHeader = JWTHeader()
    ) async throws
        -> String
    {
        let key = try self.key(for: kid)
        var header = header
        if let kid { header.kid = kid.string }
        header.alg = key.name
        header = try await serializer.makeHeader(from: header, key: key)
        var token = Base64URL.encodeToBytes(Array(try serializer.jsonEncoder.encode(header)))
        token.append(UInt8(ascii: "."))
        token += Base64URL.encodeToBytes(Array(try serializer.jsonEncoder.encode(payload)))
        let signature = try key.sign(token)
        token.append(UInt8(ascii: "."))
        token += Base64URL.encodeToBytes(signature)
        return String(decoding: token, as: UTF8.self)
    }

    /// Verifies `token` and returns its payload: the key its `kid` names (or the default key), `alg` equal to that
    /// key's algorithm, the signature checked by Signet, then the payload decoded with the parser's JSON decoder and
    /// its `verify(using:)` run (its claims).
    ///
    /// Signet reads the token: its shape, the header (strict base64url and strict JSON; only `alg` and `kid` are
    /// used) and the signature. The payload is decoded only after the signature verified, and it is the only part
    /// that goes through `Codable`.
    ///
    /// - Parameters:
    ///   - token: The compact JWS.
    ///   - payload: The payload type.
    /// - Returns: The verified payload.
    /// - Throws: `JWTError.malformedToken`, `.unknownKID`, `.noKeyProvided`, `.invalidHeaderField` (an `alg` that
    ///   is not the key's), `.signatureVerificationFailed`, or what the payload's claims checks throw.
    public func verify<Payload: JWTPayload>(
        _ token: some DataProtocol, as payload: Payload.Type = Payload.self
    )
        async throws -> Payload
    {
        let bytes = Array(token)
        guard let firstDot = bytes.firstIndex(of: UInt8(ascii: ".")),
            let secondDot = bytes[(firstDot + 1)...].firstIndex(of: UInt8(ascii: ".")),
            !bytes[(secondDot + 1)...].contains(UInt8(ascii: "."))
        else { throw JWTError.malformedToken(reason: "a compact JWS has three segments") }
        let header = try Self.header(bytes[..<firstDot])
        let key = try self.key(for: header.kid.map { JWKIdentifier(string: $0) })
        guard header.alg == key.name else {
            throw JWTError.invalidHeaderField(
                reason: "alg \(header.alg ?? "missing") is not \(key.name), the algorithm this key is bound to")
        }
        let signature: [UInt8]
        do {
            signature = try Base64URL.decode(bytes[(secondDot + 1)...])
        } catch {
            throw JWTError.malformedToken(reason: "the signature is not base64url: \(error)")
        }
        guard try key.verify(signature, signs: bytes[..<secondDot]) else { throw JWTError.signatureVerificationFailed }
        let decoded: Payload
        do {
            let json = try Base64URL.decode(bytes[(firstDot + 1)..<secondDot])
            decoded = try parser.jsonDecoder.decode(Payload.self, from: Data(json))
        } catch {
            throw JWTError.malformedToken(reason: "Couldn't decode JWT with error: \(String(describing: error))")
        }
        try await decoded.verify(using: key)
        return decoded
    }

    /// The `alg` and `kid` of a header segment, read by Signet's strict base64url and JSON (a duplicate member, a
    /// trailing comma or a non-object is malformed, as for every other Signet verifier); a `crit` member is refused.
    static func header(_ segment: ArraySlice<UInt8>) throws -> (alg: String?, kid: String?) {
        let object: JSONObject
        do {
            guard case .object(let o) = try StrictJSON.parse(try Base64URL.decode(segment)) else {
                throw JWTError.malformedToken(reason: "the header is not a JSON object")
            }
            object = o
        } catch let error as JWTError {
            throw error
        } catch {
            throw JWTError.malformedToken(reason: "the header is not base64url JSON: \(error)")
        }
        // RFC 7515 §4.1.11: a verifier must refuse extensions it does not understand, and it understands none.
        if object["crit"] != nil {
            throw JWTError.invalidHeaderField(reason: "crit names header extensions this verifier does not process")
        }
        func string(_ name: String) throws -> String? {
            switch object[name] {
            case nil: return nil
            case .string(let value)?: return value
            case _?: throw JWTError.invalidHeaderField(reason: "\(name) must be a string")
            }
        }
        return (try string("alg"), try string("kid"))
    }

    /// ``verify(_:as:)-(DataProtocol,_)`` for a token held as a `String`.
    ///
    /// - Parameters:
    ///   - token: The compact JWS.
    ///   - payload: The payload type.
    /// - Returns: The verified payload.
    /// - Throws: As the bytes form.
    public func verify<Payload: JWTPayload>(
        _ token: String, as payload: Payload.Type = Payload.self
    ) async throws
        -> Payload
    {
        try await verify(Array(token.utf8), as: payload)
    }

    private func key(for kid: JWKIdentifier?) throws -> SignetJWTAlgorithm {
        if let kid {
            guard let key = byKeyID[kid.string] else { throw JWTError.unknownKID(kid) }
            return key
        }
        guard let defaultKey else { throw JWTError.noKeyProvided }
        return defaultKey
    }
}
