// SPDX-License-Identifier: Apache-2.0

import JWS

/// Everything the ``Doctor`` found about one token request.
public struct DoctorReport: Sendable, Equatable {
    /// Every finding, grouped by segment (token, header, payload, signature, form, jwks), in the order found.
    public let findings: [Finding]
    /// Whether the signature, as given, verifies with the key the header selects: `nil` when that cannot be
    /// checked (no JWKS, no key selected, an algorithm that is not RSASSA-PKCS1-v1_5, or a signature segment that is
    /// not strict base64url). Never a guess.
    public let signatureVerified: Bool?

    /// Creates a report.
    public init(findings: [Finding], signatureVerified: Bool?) {
        self.findings = findings
        self.signatureVerified = signatureVerified
    }

    /// True when any finding is an error (the CLI then exits with status 2).
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }

    /// The findings with `code`.
    public func findings(_ code: Finding.Code) -> [Finding] { findings.filter { $0.code == code } }

    /// The report as JSON, exactly
    /// `{"findings":[{"code":…,"severity":…,"segment":…,"offset":…|null,"message":…,"endpointError":…|null}],
    /// "signatureVerified":true|false|null}`, with no trailing newline.
    public var json: String {
        let items: [JSONValue] = findings.map { f in
            .object(
                JSONObject(members: [
                    .init(name: "code", value: .string(f.code.rawValue)),
                    .init(name: "severity", value: .string(f.severity.rawValue)),
                    .init(name: "segment", value: .string(f.segment.rawValue)),
                    .init(name: "offset", value: f.offset.map { .number(JSONNumber(Int64($0))) } ?? .null),
                    .init(name: "message", value: .string(f.message)),
                    .init(name: "endpointError", value: f.endpointError.map { .string($0) } ?? .null),
                ]))
        }
        return JSONValue.object(
            JSONObject(members: [
                .init(name: "findings", value: .array(items)),
                .init(name: "signatureVerified", value: signatureVerified.map { .bool($0) } ?? .null),
            ])
        ).description
    }
}
