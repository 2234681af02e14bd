// SPDX-License-Identifier: Apache-2.0

import JWS

extension DoctorRun {
    // MARK: - Claims (NHS-RULES §C rules 8–18, §F rule 30, §G rule 35)

    mutating func checkClaims() {
        guard let payload else { return }
        checkExpiry(payload)
        checkTimes(payload)
        if role == .clientAssertion {
            checkIssuerAndSubject(payload)
            checkID(payload)
            checkAudience(payload)
        } else {
            if payload.member("iss") == nil {
                add(
                    .issMissing, .error, .payload, nil,
                    "the id_token has no \"iss\"; send the CIS2 id_token unmodified",
                    endpoint: NHSEndpointMessages.subjectIssMissing)
            }
            if payload.member("aud") == nil {
                add(
                    .audMissing, .error, .payload, nil,
                    "the id_token has no \"aud\"; send the CIS2 id_token unmodified",
                    endpoint: NHSEndpointMessages.subjectAudMissing)
            }
        }
        checkMisspelledClaims(payload)
    }

    private mutating func checkExpiry(_ payload: JSONObject) {
        let member = payload.member("exp")
        let offset = tokenOffset(member, in: .payload)
        // APIM first tests `!exp`: absent, null, false, 0 and "" are all "missing".
        let falsy: Bool =
            switch member?.value {
            case nil, .null?, .bool(false)?: true
            case .number(let n)?: n.doubleValue == 0
            case .string(let s)?: s.isEmpty
            default: false
            }
        if falsy {
            let found = member.map { " (it is \($0.value), which APIM treats as missing)" } ?? ""
            add(
                .expMissing, .error, .payload, offset,
                "the token has no usable \"exp\"\(found): set exp = now + at most 300 seconds, as an integer",
                endpoint: endpoint(
                    assertion: NHSEndpointMessages.assertionExpMissing, subject: NHSEndpointMessages.subjectExpMissing))
            return
        }
        guard let member else { return }
        guard case .number(let number) = member.value, let exp = number.doubleValue else {
            let why =
                switch member.value {
                case .string(let s): "exp is the string \"\(s)\": write the number without quotes"
                case .array:
                    "exp is an array, usually a duplicated exp claim merged by a JSON library: send exactly one integer"
                default: "exp is a JSON \(member.value.typeName): send an integer number of seconds since the epoch"
                }
            add(
                .expNotInteger, .error, .payload, offset, why,
                endpoint: endpoint(
                    assertion: NHSEndpointMessages.assertionExpNotInteger,
                    subject: NHSEndpointMessages.subjectExpNotInteger))
            return
        }
        if !number.isInteger {
            add(
                .expNotInteger, .warning, .payload, offset,
                "exp \(number.text) is not an integer; APIM accepts a fractional number, but send whole seconds")
        }
        let now = input.now.secondsSinceEpoch
        let ahead = exp - now
        if now > exp {
            add(
                .expExpired, .error, .payload, offset,
                "exp \(number.text) is \(Self.seconds(-ahead)) before now (\(input.now)): the token has expired, and APIM allows no leeway on exp. Mint a fresh assertion for every request, retries included, and keep the clock NTP-synced",
                endpoint: endpoint(
                    assertion: NHSEndpointMessages.assertionExpired, subject: NHSEndpointMessages.subjectExpired))
        } else if role == .clientAssertion, ahead > 310 {
            let severity: Finding.Severity = profile == .apim ? .error : .warning
            add(
                .expTooFar, severity, .payload, offset,
                "exp is \(Self.seconds(ahead)) ahead of now; APIM rejects more than 310 s (5 minutes + 10 s grace). Set exp = now + 300 at most (NHS tooling uses 290), and check the client's clock is not ahead",
                endpoint: severity == .error ? NHSEndpointMessages.assertionExpTooFar : nil)
        }
    }

    /// `s` as text: a whole number within `Int64` as an integer, anything else (a fraction, or a distance such as
    /// `1e19` that comes from a hostile `exp`) as the `Double`'s own text. Never traps.
    private static func seconds(_ s: Double) -> String {
        let whole = s.rounded(.towardZero)
        guard whole == s, let exact = Int64(exactly: whole) else { return "\(s) s" }
        return "\(exact) s"
    }

    private mutating func checkTimes(_ payload: JSONObject) {
        let now = input.now.secondsSinceEpoch
        for (name, code) in [("iat", Finding.Code.iatFuture), ("nbf", Finding.Code.nbfFuture)] {
            guard let member = payload.member(name), let value = member.value.numberValue?.doubleValue,
                value > now + 10
            else { continue }
            add(
                code, .warning, .payload, tokenOffset(member, in: .payload),
                "\(name) \(member.value) is \(Self.seconds(value - now)) in the future: the issuer's clock is ahead (APIM's VerifyJWT allows 10 s). Sync the clock with NTP"
            )
        }
    }

    private mutating func checkIssuerAndSubject(_ payload: JSONObject) {
        let iss = payload.member("iss")
        let sub = payload.member("sub")
        let issValue = iss?.value.stringValue
        let subValue = sub?.value.stringValue
        let clientWord =
            profile == .cis2
            ? "your CIS2 client_id" : profile == .apim ? "your application's API key" : "your client_id"
        if issValue == nil || subValue == nil || issValue != subValue {
            let why: String
            switch (iss, sub) {
            case (nil, nil): why = "the token has neither \"iss\" nor \"sub\""
            case (nil, _): why = "the token has no \"iss\""
            case (_, nil): why = "the token has no \"sub\""
            case (let i?, let s?):
                why =
                    issValue == nil || subValue == nil
                    ? "\"iss\" and \"sub\" must be strings (iss is \(i.value), sub is \(s.value))"
                    : "iss \(i.value) and sub \(s.value) differ"
            }
            add(
                .issSubMismatch, .error, .payload, tokenOffset(iss ?? sub, in: .payload),
                "\(why): in a client assertion both must be \(clientWord) (RFC 7523 §3, OIDC Core §9)",
                endpoint: endpoint(assertion: NHSEndpointMessages.assertionIssSub, subject: nil))
        }
        guard let expected = input.clientID else { return }
        for (member, value) in [(iss, issValue), (sub, subValue)] {
            guard let member, let value, value != expected else { continue }
            let hint =
                switch profile {
                case .apim:
                    " The sub must be the API key of your application in this environment (a production key does not work on INT, nor the reverse)."
                case .cis2: " CIS2 needs its client_id (e.g. NNNN.apps.supplier), not the APIM API key."
                case .rfc7523, .fapi: ""
                }
            add(
                .clientIDMismatch, .error, .payload, tokenOffset(member, in: .payload),
                "\(member.name) \"\(value)\" is not the expected client id \"\(expected)\".\(hint)",
                endpoint: endpoint(assertion: NHSEndpointMessages.assertionIssSubInvalid, subject: nil))
            return
        }
    }

    private mutating func checkID(_ payload: JSONObject) {
        let member = payload.member("jti")
        if member == nil || member?.value.stringValue == "" {
            let required = profile != .rfc7523
            add(
                .jtiMissing, required ? .error : .warning, .payload, tokenOffset(member, in: .payload),
                "the token has no \"jti\"\(member == nil ? "" : " (it is empty)"): put a fresh UUID v4 string in every assertion, retries included (APIM burns each jti for 30 days, even on failed requests)",
                endpoint: required ? endpoint(assertion: NHSEndpointMessages.assertionJtiMissing, subject: nil) : nil)
            return
        }
        guard let member, member.value.stringValue == nil else { return }
        add(
            .jtiNotString, .error, .payload, tokenOffset(member, in: .payload),
            "jti is a JSON \(member.value.typeName) (\(member.value)); it must be a string, such as a UUID v4",
            endpoint: endpoint(assertion: NHSEndpointMessages.assertionJtiNotString, subject: nil))
    }

    private mutating func checkAudience(_ payload: JSONObject) {
        let audEndpoint = endpoint(assertion: NHSEndpointMessages.assertionAud, subject: nil)
        let member = payload.member("aud")
        let offset = tokenOffset(member, in: .payload)
        let candidates: [String]
        var expectedText: String
        if let expected = input.audience {
            candidates = [expected]
            expectedText = "\"\(expected)\""
        } else if profile == .apim {
            candidates = APIMEnvironment.allCases.map(\.tokenURL)
            expectedText = "an APIM token URL such as \"\(APIMEnvironment.integration.tokenURL)\""
        } else {
            candidates = []
            expectedText = "the token endpoint"
        }
        guard let member else {
            add(
                .audMismatch, .error, .payload, nil,
                "the token has no \"aud\"; set it to \(expectedText), byte for byte",
                endpoint: audEndpoint)
            return
        }
        let values: [String]
        switch member.value {
        case .string(let s): values = [s]
        case .array(let items) where !items.isEmpty && items.allSatisfy({ $0.stringValue != nil }):
            values = items.compactMap(\.stringValue)
        default:
            add(
                .audMismatch, .error, .payload, offset,
                "aud is a JSON \(member.value.typeName); it must be the string \(expectedText)", endpoint: audEndpoint)
            return
        }
        if candidates.isEmpty {
            // CIS2 with no expected audience: its token endpoints always carry ":443" (NHS-RULES rule 3).
            if profile == .cis2,
                let v = values.first(where: { Self.isCIS2Host($0) && Self.withoutDefaultPort($0) == $0 })
            {
                add(
                    .audPort443, .error, .payload, offset,
                    "aud \"\(v)\" has no \":443\", but CIS2's discovery document gives its token_endpoint with \":443\" and the comparison is exact: use the token_endpoint value verbatim",
                    endpoint: audEndpoint)
            }
            return
        }
        if values.contains(where: candidates.contains) { return }
        if let v = values.first,
            let c = candidates.first(where: { Self.withoutDefaultPort($0) == Self.withoutDefaultPort(v) })
        {
            let which = c.count > v.count ? "is missing the \":443\" of" : "adds \":443\" to"
            add(
                .audPort443, .error, .payload, offset,
                "aud \"\(v)\" \(which) \"\(c)\": audiences are compared as exact strings (RFC 7523 §3), and the default port still counts. Use the token endpoint exactly as published",
                endpoint: audEndpoint)
            return
        }
        let shown = values.map { "\"\($0)\"" }.joined(separator: ", ")
        let hint = values.first.map { Self.audienceHint($0, candidates) } ?? ""
        add(
            .audMismatch, .error, .payload, offset,
            "aud \(shown) is not \(expectedText).\(hint) It must match character for character",
            endpoint: audEndpoint)
    }

    /// A likely cause for an audience mismatch.
    static func audienceHint(_ aud: String, _ candidates: [String]) -> String {
        if let env = APIMEnvironment.allCases.first(where: { $0.tokenURL == aud }) {
            return
                " It is the token URL of the \(env.rawValue) environment: use the environment you are calling (and its API key)."
        }
        for c in candidates {
            if aud.trimmingWhitespace == c { return " It has leading or trailing whitespace." }
            if aud == c + "/" { return " It has a trailing '/'." }
            if aud.lowercased() == c.lowercased() { return " It differs only in letter case." }
            if "https://" + aud == c { return " It is missing \"https://\"." }
            if aud.replacingPrefix("http://", with: "https://") == c { return " It uses http:// instead of https://." }
            if aud + "/token" == c { return " It is missing the final \"/token\"." }
        }
        return ""
    }

    /// `url` with an explicit `:443` removed from its authority.
    static func withoutDefaultPort(_ url: String) -> String {
        let u = Array(url.utf8)
        let slash = UInt8(ascii: "/")
        guard
            let scheme = u.indices.dropLast(2).first(where: {
                u[$0] == UInt8(ascii: ":") && u[$0 + 1] == slash && u[$0 + 2] == slash
            })
        else { return url }
        let authorityEnd = u[(scheme + 3)...].firstIndex(of: slash) ?? u.count
        let port = Array(":443".utf8)
        guard authorityEnd - (scheme + 3) > port.count, Array(u[(authorityEnd - port.count)..<authorityEnd]) == port
        else {
            return url
        }
        return String(decoding: u[..<(authorityEnd - port.count)] + u[authorityEnd...], as: UTF8.self)
    }

    static func isCIS2Host(_ url: String) -> Bool { url.contains("spineservices.nhs.uk") }

    // MARK: - Misspelt claims

    private mutating func checkMisspelledClaims(_ payload: JSONObject) {
        let registered = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]
        for member in payload.members where !registered.contains(member.name) && !Self.knownClaims.contains(member.name)
        {
            let lower = member.name.lowercased()
            let candidates = registered.filter { payload.member($0) == nil }.map { ($0, Self.editDistance(lower, $0)) }
            guard lower.count >= 2, lower.count <= 6,
                let target = candidates.filter({ $0.1 <= 2 }).min(by: { $0.1 < $1.1 })?.0
            else { continue }
            let offset =
                token.segments.count == 3 ? token.segments[1].tokenOffset(ofDecodedByte: member.nameOffset) : nil
            add(
                .unknownSimilar, .warning, .payload, offset,
                "claim \"\(member.name)\" looks like a misspelling of \"\(target)\", which is missing: servers ignore unknown claims, so rename it to \"\(target)\""
            )
        }
    }

    /// Registered or common claims (IANA "JSON Web Token Claims") that are never misspellings.
    static let knownClaims: Set<String> = [
        "azp", "sid", "acr", "amr", "nonce", "auth_time", "at_hash", "c_hash", "cnf", "scope", "scp", "cid", "uid",
        "act", "may_act", "typ", "jku", "kid", "x5t", "nhs_number", "vot", "vtm", "idp", "org", "roles", "name",
        "email", "aal", "tid", "oid", "ver", "ipd", "upn",
    ]

    /// Optimal-string-alignment distance (a transposition counts as one edit).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in stride(from: 1, through: x.count, by: 1) {
            for j in stride(from: 1, through: y.count, by: 1) {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}

extension String {
    /// Without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// With `prefix` replaced by `replacement` when it starts with it.
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
