// SPDX-License-Identifier: Apache-2.0

import JWS
import SignetKeys

extension DoctorRun {
    // MARK: - Header (NHS-RULES §B, §F rule 31, §G rule 34)

    /// The header's `alg` when it names a JWS signature algorithm Signet knows.
    var headerAlgorithm: JWSAlgorithm? {
        header?["alg"]?.stringValue.flatMap { JWSAlgorithm(jwsName: $0) }
    }

    mutating func checkHeader() {
        guard let header else { return }
        checkAlgorithm(header)
        checkType(header)
        checkKeyID(header)
    }

    private mutating func checkAlgorithm(_ header: JSONObject) {
        let missing = endpoint(
            assertion: NHSEndpointMessages.assertionAlg, subject: NHSEndpointMessages.subjectAlgMissing)
        guard let member = header.member("alg") else {
            add(.algMissing, .error, .header, nil, "the header has no \"alg\"; \(algorithmAdvice)", endpoint: missing)
            return
        }
        guard case .string(let alg) = member.value else {
            add(
                .algMissing, .error, .header, tokenOffset(member, in: .header),
                "\"alg\" must be a string, found a JSON \(member.value.typeName); \(algorithmAdvice)", endpoint: missing
            )
            return
        }
        let allowed = allowedAlgorithms
        if let a = JWSAlgorithm(jwsName: alg), allowed.contains(a) { return }
        var why: String
        switch alg {
        case _ where alg.lowercased() == "none": why = "alg \"none\" means an unsigned token, which is never accepted"
        case _ where alg.hasPrefix("HS"):
            why = "\(alg) is an HMAC (shared-secret) algorithm; client assertions are signed with your RSA private key"
        case _ where alg.hasPrefix("PS"): why = "\(alg) is RSA-PSS, which this endpoint does not accept"
        case _ where alg == "RS256" && profile == .fapi:
            why = "FAPI forbids RSASSA-PKCS1-v1_5 (RS256): client assertions are signed with PS256 or ES256"
        case _ where JWSAlgorithm(jwsName: alg) != nil: why = "alg \"\(alg)\" is not accepted here"
        case _ where JWSAlgorithm(jwsName: alg.uppercased()) != nil:
            why = "alg is case-sensitive: \"\(alg)\" is not \"\(alg.uppercased())\""
        default: why = "alg \"\(alg)\" is not a known signature algorithm"
        }
        add(
            .algNotAllowed, .error, .header, tokenOffset(member, in: .header), "\(why); \(algorithmAdvice)",
            endpoint: endpoint(assertion: NHSEndpointMessages.assertionAlg, subject: nil))
    }

    /// The algorithms each profile allows: the doctor's and the minter's lists are the same
    /// (``ClientAssertionProfile``).
    private var allowedAlgorithms: [JWSAlgorithm] {
        switch (role, profile) {
        case (.subjectToken, _): [.rs256, .rs512]
        case (.clientAssertion, .apim): [.rs512]
        case (.clientAssertion, .cis2): [.rs256, .rs512]
        case (.clientAssertion, .rfc7523): JWSAlgorithm.all
        case (.clientAssertion, .fapi): [.ps256, .es256]
        }
    }

    private var algorithmAdvice: String {
        switch (role, profile) {
        case (.subjectToken, _): "APIM verifies id_tokens signed with RS256 or RS512"
        case (.clientAssertion, .apim): "APIM accepts \"RS512\" only (`signet mint --alg RS512`)"
        case (.clientAssertion, .cis2): "use the algorithm registered with CIS2 (RS256 or RS512)"
        case (.clientAssertion, .rfc7523):
            "use one of \(JWSAlgorithm.all.map(\.jwsName).joined(separator: ", "))"
        case (.clientAssertion, .fapi): "FAPI accepts PS256 or ES256 (`signet mint --profile fapi --alg PS256`)"
        }
    }

    private mutating func checkType(_ header: JSONObject) {
        let member = header.member("typ")
        let typ = member?.value.stringValue
        switch (role, profile) {
        case (.subjectToken, _), (.clientAssertion, .apim):
            // APIM: `typ.toLowerCase() === 'jwt'`, required (stricter than RFC 7519 §5.1).
            guard typ?.lowercased() != "jwt" else { return }
            let found = member.map { "typ is \($0.value)" } ?? "the header has no \"typ\""
            add(
                .typInvalid, .error, .header, tokenOffset(member, in: .header),
                "\(found); APIM requires \"typ\":\"JWT\" (case-insensitive, and \"application/jwt\" is refused)",
                endpoint: endpoint(assertion: NHSEndpointMessages.assertionTyp, subject: NHSEndpointMessages.subjectTyp)
            )
        case (.clientAssertion, .cis2), (.clientAssertion, .rfc7523), (.clientAssertion, .fapi):
            guard let member else {
                if profile == .cis2 {
                    add(
                        .typInvalid, .warning, .header, nil,
                        "the header has no \"typ\"; CIS2's own example sends \"typ\":\"JWT\": send it")
                }
                return
            }
            let normal = typ.map { t in
                let l = t.lowercased()
                return l.hasPrefix("application/") ? String(l.dropFirst("application/".count)) : l
            }
            guard normal != "jwt" else { return }
            add(
                .typInvalid, .warning, .header, tokenOffset(member, in: .header),
                "typ is \(member.value), not \"JWT\" (RFC 7519 §5.1 recommends \"JWT\"); a verifier with explicit typing (RFC 8725 §3.11) rejects it"
            )
        }
    }

    private mutating func checkKeyID(_ header: JSONObject) {
        guard let member = header.member("kid") else {
            let several = (keySet?.keys.count ?? 0) > 1
            let severity: Finding.Severity = role == .subjectToken || profile != .rfc7523 || several ? .error : .warning
            let why =
                switch (role, profile) {
                case (.subjectToken, _): "APIM requires a \"kid\" on the id_token to find CIS2's key"
                case (.clientAssertion, .apim):
                    "APIM requires \"kid\": the kid of your key in the JWKS registered for your application"
                case (.clientAssertion, .cis2): "CIS2 selects your key from your registered JWKS by \"kid\""
                case (.clientAssertion, .fapi): "FAPI servers select your key from your registered JWKS by \"kid\""
                case (.clientAssertion, .rfc7523):
                    several
                        ? "the JWKS has several keys, so the header must say which one signed (OIDC Core §10.1)"
                        : "without \"kid\" a verifier can only try its keys; send the kid of your key"
                }
            add(
                .kidMissing, severity, .header, nil, "the header has no \"kid\": \(why)",
                endpoint: severity == .error
                    ? endpoint(
                        assertion: NHSEndpointMessages.assertionKidMissing,
                        subject: NHSEndpointMessages.subjectKidMissing)
                    : nil)
            return
        }
        let unknown = endpoint(
            assertion: NHSEndpointMessages.assertionKidUnknown, subject: NHSEndpointMessages.subjectKidUnknown)
        guard case .string(let kid) = member.value else {
            add(
                .kidUnknown, .error, .header, tokenOffset(member, in: .header),
                "\"kid\" must be a string, found a JSON \(member.value.typeName); JWKS kids are strings, so no key can match",
                endpoint: unknown)
            return
        }
        let known = knownKeyIDs
        guard let keySet, !keySet.keys.isEmpty || !known.isEmpty, !known.contains(kid) else { return }
        let listed = known.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
        var hint = ""
        if let near = known.first(where: {
            $0.lowercased() == kid.lowercased() || $0.trimmingWhitespace == kid.trimmingWhitespace
        }) {
            hint = " \"\(near)\" differs only in case or whitespace: kids are compared exactly."
        }
        let cache =
            role == .clientAssertion && profile == .apim
            ? " APIM caches your JWKS for an hour and does not re-fetch on a miss: publish a new key at least an hour before signing with it."
            : ""
        add(
            .kidUnknown, .error, .header, tokenOffset(member, in: .header),
            "kid \"\(kid)\" matches none of the JWKS's \(known.count) kid(s) (\(listed.isEmpty ? "none" : listed)).\(hint)\(cache)",
            endpoint: unknown)
    }

    /// Every `kid` in the JWKS, including entries that were skipped (so a skipped key is not also "unknown").
    var knownKeyIDs: [String] {
        guard let keySet else { return [] }
        var out: [String] = []
        for kid in keySet.keys.compactMap(\.keyID) + keySet.issues.compactMap(\.keyID) where !out.contains(kid) {
            out.append(kid)
        }
        return out
    }
}
