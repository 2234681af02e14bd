// SPDX-License-Identifier: Apache-2.0

import Base64URL
import ClientAssertion
import JWS

/// The token exchange's `subject_token`, checked before anything is sent, as APIM checks it (NHS-RULES §G): the
/// commonest mistakes (the CIS2 *access* token sent instead of the id_token, an id_token from another CIS2
/// environment, one that expired while the user lingered) cost a round trip and a burned `jti` otherwise.
enum SubjectTokenCheck {
    /// Throws `token-client.request-invalid` naming the NHS string APIM would answer, with the doctor's findings.
    static func check(_ token: String, expectedIssuer: String?, now: NumericDate) throws(TokenClientError) {
        let report = Doctor.examine(Doctor.Input(token: token, profile: .apim, role: .subjectToken, now: now))
        var findings = report.findings
        var predicted = findings.first { $0.severity == .error && $0.endpointError != nil }?.endpointError
        if let expectedIssuer, let iss = Self.issuer(of: token), iss != expectedIssuer {
            findings.append(
                Finding(
                    .issuerMismatch, .error, .payload, offset: nil,
                    "the id_token's iss is \"\(iss)\", not the CIS2 issuer APIM trusts (\"\(expectedIssuer)\"): it comes from another CIS2 environment",
                    endpointError: NHSEndpointMessages.subjectIssuerMismatch))
            predicted = predicted ?? NHSEndpointMessages.subjectIssuerMismatch
        }
        guard let predicted else { return }
        let first = findings.first { $0.endpointError == predicted }
        throw TokenClientError(
            .requestInvalid,
            reason: "not sent: APIM would answer \"\(predicted)\"" + (first.map { ": \($0.message)" } ?? ""),
            predictedNHSError: predicted, findings: findings)
    }

    /// The `iss` of a token whose payload reads as JSON, without verifying it (only to compare before sending).
    static func issuer(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = try? Base64URL.decode(parts[1].utf8) else { return nil }
        return (try? StrictJSON.parse(payload))?.objectValue?["iss"]?.stringValue
    }
}
