// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import NHSEmulator
import SignetKeys
import Testing

@testable import TokenClient

/// Every NHS flow against `signet serve` on loopback: the happy paths, and refusals as typed errors that carry the
/// NHS string, the `message_id` and the doctor's findings.
@Suite(.serialized) struct FlowTests {
    @Test("client_credentials: an INT assertion sent to the emulator gets APIM's answer")
    func clientCredentials() async throws {
        try await Emulator.with { emulator in
            let endpoint = try emulator.apim()
            #expect(endpoint.minter.profile.audience == APIMEnvironment.integration.tokenURL)
            let r = try await endpoint.clientCredentials()
            let fields = (r.accessToken.count, r.expiresIn, r.tokenType, r.refreshToken)
            #expect(fields.0 > 20)
            #expect(fields.1 == 599)
            #expect(fields.2 == "Bearer")
            #expect(fields.3 == nil)
        }
    }

    @Test("the whole CIS2 → APIM flow: authorize, code exchange with private_key_jwt, token exchange")
    func cis2ThenAPIM() async throws {
        try await Emulator.with { emulator in
            let discovery = CIS2Discovery(issuer: emulator.cis2Issuer, httpClient: Emulator.http)
            let document = try await discovery.document()
            #expect(document.tokenEndpoint == emulator.cis2Issuer + "/access_token")
            let cis2 = try await discovery.tokenEndpoint(
                key: .rsa(Keys.cis2Client), keyID: "c1", clientID: Emulator.cis2ClientID,
                configuration: .init(retry: .never))
            #expect(cis2.minter.profile.audience == document.tokenEndpoint)
            let code = try await emulator.authorize()
            let cis2Answer = try await cis2.authorizationCode(code: code, redirectURI: Emulator.redirect)
            let idToken = try #require(cis2Answer.idToken)
            let exchanged = try await emulator.apim().tokenExchange(
                subjectToken: idToken, expectedIssuer: emulator.cis2Issuer)
            let fields = (exchanged.refreshToken != nil, exchanged.refreshTokenExpiresIn, exchanged.refreshCount)
            #expect(fields.0)
            #expect(fields.1 == 43_199)
            #expect(fields.2 == 0)
        }
    }

    @Test("a refusal carries APIM's string, its message_id and the doctor's findings on the assertion sent")
    func refusalsAreExplained() async throws {
        try await Emulator.with { emulator in
            // A kid that the registered JWKS does not have.
            let wrongKid = await refusal {
                try await emulator.apim(keyID: "k2", registeredJWKS: Keys.clientJWKS).clientCredentials()
            }
            #expect(wrongKid.nhsError == NHSEndpointMessages.assertionKidUnknown)
            #expect(wrongKid.refusal?.status == 401)
            #expect(wrongKid.refusal?.messageID?.isEmpty == false)
            #expect(wrongKid.findings.contains { $0.code == .kidUnknown })
            #expect(wrongKid.attempts == 1)

            // Signed by a key that is not the registered one, under the registered kid.
            let wrongKey = await refusal {
                try await emulator.apim(key: Keys.stranger, registeredJWKS: Keys.clientJWKS).clientCredentials()
            }
            #expect(wrongKey.nhsError == NHSEndpointMessages.signatureFailed)
            #expect(wrongKey.findings.contains { $0.endpointError == NHSEndpointMessages.signatureFailed })

            // Minted for production, sent to an INT endpoint.
            let wrongAud = await refusal { try await emulator.apim(environment: .production).clientCredentials() }
            #expect(wrongAud.nhsError == NHSEndpointMessages.assertionAud)
            #expect(wrongAud.reason.contains(APIMEnvironment.production.tokenURL))

            // An API key APIM does not know, and one with no JWKS.
            let unknown = await refusal { try await emulator.apim(apiKey: "NOT-A-KEY").clientCredentials() }
            #expect(unknown.nhsError == NHSEndpointMessages.assertionIssSubInvalid)
            let noJWKS = await refusal { try await emulator.apim(apiKey: "APIKEY-NOJWKS").clientCredentials() }
            #expect(noJWKS.nhsError == NHSEndpointMessages.publicKeyNotRegistered)
            #expect(noJWKS.refusal?.status == 403)

            // A clock ten minutes slow: the assertion has expired when it arrives.
            let slow = JWTClock { NumericDate(JWTClock.system.now().seconds - 600) }
            let expired = await refusal { try await emulator.apim(clock: slow).clientCredentials() }
            #expect(expired.nhsError == NHSEndpointMessages.assertionExpired)
        }
    }

    @Test("a subject_token APIM would refuse is not sent, and the error names APIM's string")
    func subjectTokenChecksBeforeSending() async throws {
        try await Emulator.with { emulator in
            let apim = try emulator.apim()
            // The CIS2 access token (opaque) instead of the id_token.
            let opaque = await refusal { try await apim.tokenExchange(subjectToken: "Sr5PGv19wTEHJdDr2wx2f7IGd0cw") }
            #expect(opaque.code == .requestInvalid)
            #expect(opaque.nhsError == NHSEndpointMessages.subjectTokenMalformed)
            #expect(opaque.attempts == 0)

            let idToken = try emulator.server.cis2.mintIDToken(
                clientID: Emulator.cis2ClientID, nonce: nil, now: JWTClock.system.now().seconds)
            // An id_token from another CIS2 environment.
            let elsewhere = await refusal {
                try await apim.tokenExchange(
                    subjectToken: idToken, expectedIssuer: "https://am.nhsint.example:443/realm")
            }
            #expect(elsewhere.nhsError == NHSEndpointMessages.subjectIssuerMismatch)
            #expect(elsewhere.findings.contains { $0.code == .issuerMismatch })

            // An id_token that expired an hour ago.
            let old = try emulator.server.cis2.mintIDToken(
                clientID: Emulator.cis2ClientID, nonce: nil, now: JWTClock.system.now().seconds - 7200)
            let expired = await refusal { try await apim.tokenExchange(subjectToken: old) }
            #expect(expired.nhsError == NHSEndpointMessages.subjectExpired)
            #expect(apim.minter.clientID == Emulator.apiKey)
        }
    }
}

/// The error `body` throws; records an issue if it returns.
func refusal<T>(_ body: () async throws -> T) async -> TokenClientError {
    do {
        _ = try await body()
        Issue.record("expected a TokenClientError")
    } catch let error as TokenClientError {
        return error
    } catch {
        Issue.record("unexpected \(error)")
    }
    return TokenClientError(.configuration, reason: "none")
}
