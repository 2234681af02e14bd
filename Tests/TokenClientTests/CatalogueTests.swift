// SPDX-License-Identifier: Apache-2.0

import Base64URL
import ClientAssertion
import JWS
import NHSEmulator
import SignetKeys
import Testing
import TokenClient

/// The NHS-RULES §J rows a token client can meet that `FlowTests` does not already provoke, each sent to the emulator
/// over loopback and matched on status, the NHS string and what the error explains.
@Suite("Catalogued refusals reach the caller typed and explained")
struct CatalogueTests {
    @Test("E24: the application's JWKS URL cannot be reached (403, public_key error)")
    func jwksUnreachable() async throws {
        let configure: (inout EmulatorConfiguration) -> Void = { c in
            // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
            c.apim.applications.append(.init(apiKey: "APIKEY-DEADJWKS", jwks: "http://127.0.0.1:9/jwks.json"))
        }
        try await Emulator.with(configure) { emulator in
            // The emulator tries the URL for its connect timeout (5 s) before it answers, so the client waits longer.
            let patient = TokenEndpoint.Configuration(requestTimeout: .seconds(60), retry: .never)
            let error = await refusal {
                try await emulator.apim(apiKey: "APIKEY-DEADJWKS", configuration: patient).clientCredentials()
            }
            #expect(error.code == .refused)
            #expect(error.nhsError == NHSEndpointMessages.jwksUnreachable)
            #expect(error.refusal?.status == 403)
            #expect(error.refusal?.error == "public_key error")
            #expect(error.attempts == 1, "a 4xx is not retried")
        }
    }

    @Test("E20: a clock ten minutes fast mints an exp more than 5 minutes in the server's future")
    func expTooFar() async throws {
        try await Emulator.with { emulator in
            let fast = JWTClock { NumericDate(JWTClock.system.now().seconds + 600) }
            let error = await refusal { try await emulator.apim(clock: fast).clientCredentials() }
            #expect(error.nhsError == NHSEndpointMessages.assertionExpTooFar)
            #expect(error.refusal?.status == 400)
            #expect(error.refusal?.messageID?.hasPrefix("rrt-") == true)
        }
    }

    @Test("E40 and E27 on the subject_token: an id_token under a kid the CIS2 JWKS lacks, or signed by another key")
    func subjectTokenKeys() async throws {
        try await Emulator.with { emulator in
            let genuine = try emulator.server.cis2.mintIDToken(
                clientID: Emulator.cis2ClientID, nonce: nil, now: JWTClock.system.now().seconds)
            let realmKid = EmulatorConfiguration().cis2.signingKeyID
            let apim = try emulator.apim(registeredJWKS: Keys.clientJWKS)

            let unknownKid = try resigned(genuine, keyID: "not-in-the-cis2-jwks")
            let kidError = await refusal {
                try await apim.tokenExchange(subjectToken: unknownKid, expectedIssuer: emulator.cis2Issuer)
            }
            #expect(kidError.nhsError == NHSEndpointMessages.subjectKidUnknown)
            #expect(kidError.refusal?.status == 401)
            #expect(kidError.attempts == 1, "the client's own checks pass: only the server knows the CIS2 keys")

            let forged = try resigned(genuine, keyID: realmKid)
            let signatureError = await refusal {
                try await apim.tokenExchange(subjectToken: forged, expectedIssuer: emulator.cis2Issuer)
            }
            #expect(signatureError.nhsError == NHSEndpointMessages.signatureFailed)
            #expect(signatureError.refusal?.status == 401)
            // The assertion verifies against the registered JWKS, so the error points at the subject_token.
            #expect(!signatureError.findings.contains { $0.severity == .error })
            #expect(signatureError.reason.contains("subject_token"), "\(signatureError.reason)")
        }
    }

    @Test("E44: CIS2 answers a bad private_key_jwt tersely; the error still says why")
    func cis2JWTNotValid() async throws {
        try await Emulator.with { emulator in
            let discovery = CIS2Discovery(issuer: emulator.cis2Issuer, httpClient: Emulator.http)
            let cis2 = try await discovery.tokenEndpoint(
                key: .rsa(Keys.stranger), keyID: "c1", clientID: Emulator.cis2ClientID,
                configuration: .init(retry: .never), registeredJWKS: Keys.cis2JWKS)
            let code = try await emulator.authorize()
            let error = await refusal { try await cis2.authorizationCode(code: code, redirectURI: Emulator.redirect) }
            #expect(error.nhsError == NHSEndpointMessages.cis2JWTNotValid)
            #expect(error.refusal?.status == 401)
            #expect(error.refusal?.error == "invalid_client")
            #expect(error.refusal?.messageID == nil, "CIS2's body has no message_id")
            #expect(error.findings.contains { $0.code == .signatureInvalid }, "\(error.findings.map(\.code))")
            #expect(error.reason.contains("the doctor:"), "\(error.reason)")
        }
    }
}

/// `token`'s header and payload re-signed RS256 by a key nobody registered, under `keyID`.
private func resigned(_ token: String, keyID: String) throws -> String {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    try #require(parts.count == 3)
    let payload = try Base64URL.decode(String(parts[1]))
    let signer = try JWSSigner(key: .rsa(Keys.stranger), algorithm: .rs256, keyID: keyID)
    return try signer.token(payload: payload)
}
