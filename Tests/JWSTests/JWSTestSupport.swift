// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Foundation
import JWS
import SignetKeys
import TestSupport
import Testing

enum JWSFixtures {
    static let key: RSAPrivateKey = {
        do { return try RSAPrivateKey.generate(bits: 2048) } catch { fatalError("fixture: \(error)") }
    }()
    static let otherKey: RSAPrivateKey = {
        do { return try RSAPrivateKey.generate(bits: 2048) } catch { fatalError("fixture: \(error)") }
    }()
    static let now = NumericDate(Int64(1_800_000_000))

    /// A token with exactly this header and payload text, signed with `key` (RS256 unless told).
    static func craft(
        header: String, payload: String, key: RSAPrivateKey = key, algorithm: RSASignatureAlgorithm = .rs256
    ) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let sig = (try? key.signature(for: Array(input.utf8), algorithm: algorithm)) ?? []
        return input + "." + Base64URL.encode(sig)
    }

    static func verifier(
        algorithm: RSASignatureAlgorithm = .rs256, kid: String? = "k1", policy: JWTValidationPolicy? = nil
    ) -> JWSVerifier {
        let p = policy ?? JWTValidationPolicy(clock: .fixed(now))
        return
            (try? JWSVerifier(
                keys: [JWSVerificationKey(key: key.publicKey, algorithm: algorithm, keyID: kid)], policy: p))!
    }

    static let goodPayload = #"{"iss":"me","sub":"me","aud":"https://as/token","exp":1800000100,"jti":"x"}"#
}

extension JWSError? {
    var codeString: String? { self?.code.rawValue }
}

func expectCode(
    _ code: String, segment: JWSError.Segment? = nil, offset: Int? = nil, _ body: () throws(JWSError) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        try body()
        Issue.record("expected \(code), but it succeeded", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code.rawValue == code, "\(error)", sourceLocation: sourceLocation)
        if let segment { #expect(error.segment == segment, "\(error)", sourceLocation: sourceLocation) }
        if let offset { #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation) }
    }
}
