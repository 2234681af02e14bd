// SPDX-License-Identifier: Apache-2.0

import JWS
import SignetKeys

extension DoctorRun {
    // MARK: - JWKS (NHS-RULES §H)

    mutating func readKeySet() {
        let set: JWKSet
        if let text = input.jwks {
            do throws(JSONError) {
                set = try JWKSet.parse(text)
            } catch {
                add(.jsonInvalid, .error, .jwks, error.offset, "the JWKS is not valid JSON: \(error.reason)")
                return
            }
        } else if let given = input.keySet {
            set = given
        } else {
            if let failure = input.jwksFetchFailure { reportFetchFailure(failure) }
            return
        }
        keySet = set
        reportIssues(set.issues)
        // Certificates in x5c: their expiry is a note (verifiers use the key, not the certificate's dates).
        for key in set.keys {
            guard let certificate = key.certificate else { continue }
            let now = input.now.seconds  // saturates: a `now` beyond Int64 must not trap
            let when = "\(Self.utcDate(certificate.notAfter)) (\(certificate.notAfter))"
            let (apart, overflow) = now.subtractingReportingOverflow(certificate.notAfter)
            let days = overflow ? "over 10^14" : String(apart.magnitude / 86_400)
            let state =
                certificate.hasExpired(at: now)
                ? "expired on \(when), \(days) day(s) before now"
                : "expires on \(when), in \(days) day(s)"
            add(
                .jwksCertificateExpiry, .info, .jwks, key.valueOffset("x5c"),
                "keys[\(key.index)]\(Self.kidText(key)): the x5c certificate (\(certificate.subject)) \(state); JWS verification uses the key, not the certificate's dates, so this is a note: renew the certificate when your own policy asks for it"
            )
        }
    }

    /// Each issue of the set as a finding (the set's problems, or those of a body that was not a usable JWKS).
    mutating func reportIssues(_ issues: [JWKSet.Issue]) {
        for issue in issues {
            let code: Finding.Code
            let severity: Finding.Severity
            switch issue.code {
            case .duplicateMember: (code, severity) = (.jsonDuplicateMember, .warning)
            case .noKeys: (code, severity) = (.jwksNoKeys, .error)
            case .bareJWK: (code, severity) = (.jwksBareJWK, .warning)
            case .entryNotObject, .unsupportedKeyType: (code, severity) = (.jwksSkipped, .info)
            case .keyTooSmall: (code, severity) = (.jwksKeyTooSmall, .error)
            case .privateMembers: (code, severity) = (.jwksPrivateMembers, .error)
            case .duplicateKeyID: (code, severity) = (.jwksDuplicateKid, .error)
            case .x5cMismatch: (code, severity) = (.jwksX5cMismatch, .error)
            default: (code, severity) = (.jwksUnusableKey, .warning)
            }
            let prefix = issue.index.map { "keys[\($0)]\(issue.keyID.map { " (kid \"\($0)\")" } ?? ""): " } ?? ""
            add(code, severity, .jwks, issue.offset, prefix + issue.reason)
        }
    }

    /// The JWKS URL could not be used: the finding APIM's E24 stands for, then what the body's issues were.
    mutating func reportFetchFailure(_ failure: JWKSFetchFailure) {
        let advice: String =
            switch failure.kind {
            case .notHTTPS, .invalidURL:
                "the JWKS must be published at an https://host/path URL (APIM fetches no other)"
            case .unreachable, .timeout:
                "the server must reach it from the internet (APIM: a GET with a 55 s timeout): check the host name, DNS, TLS and firewall"
            case .httpStatus, .tooLarge, .notJWKS:
                "the URL must answer 200 with a JSON JWK set ({\"keys\": [...]}) holding the RSA public key"
            }
        add(
            failure.kind.findingCode, .error, .jwks, nil, "the JWKS at \(failure.url): \(failure.reason); \(advice)",
            endpoint: endpoint(assertion: NHSEndpointMessages.jwksUnreachable, subject: nil))
        reportIssues(failure.issues)
    }

    // MARK: - Signature

    mutating func checkSignature() {
        guard let keySet, !keySet.keys.isEmpty, token.segments.count == 3, let header, let alg = headerAlgorithm else {
            return
        }
        let keys = keySet.keys
        let selected: JWKSet.Key?
        switch header["kid"] {
        case .string(let kid)?: selected = keys.first { $0.keyID == kid }
        case nil: selected = keys.count == 1 ? keys[0] : nil
        default: selected = nil
        }
        if let selected, let declared = selected.algorithmName, declared != alg.jwsName {
            add(
                .jwksAlgMismatch, .error, .jwks, selected.valueOffset("alg"),
                "keys[\(selected.index)]\(Self.kidText(selected)) is published with \"alg\":\"\(declared)\", but the token's header says \"\(alg.jwsName)\": a verifier binds each key to one algorithm (RFC 8725 §3.1). Sign with \(declared), or publish the key with \"alg\":\"\(alg.jwsName)\""
            )
        }
        let signature = token.segments[2]
        let signingInput = Array(token.bytes[0..<token.segments[1].range.upperBound])
        if signature.isStrict, let sig = signature.decoded {
            if let selected {
                let ok = selected.publicKey.isValidSignature(sig, for: signingInput, algorithm: alg)
                // The caller's second opinion (`signet doctor`: GMPVerifier, with its own SHA-2, encodings and curve
                // arithmetic): a disagreement means the verdict cannot be trusted either way, so it is reported and
                // the signature counts as unchecked.
                let second = input.secondOpinion?.opinion(for: selected.publicKey, algorithm: alg)
                let secondOK = second?.isValid(sig, for: signingInput, algorithm: alg)
                if let second, let secondOK, secondOK != ok {
                    signatureVerified = nil
                    add(
                        .signatureCrossCheckDisagreement, .error, .signature, signature.range.lowerBound,
                        "\(selected.publicKey.verifierName) says the signature is \(ok ? "valid" : "invalid") but the independent \(second.name) says \(secondOK ? "valid" : "invalid"): please report this token and key to the Signet maintainers"
                    )
                } else {
                    signatureVerified = ok
                    if !ok { reportInvalid(selected, signatureBytes: sig.count, alg: alg) }
                }
            }
            if signatureVerified != true,
                let other = keys.first(where: {
                    $0.index != selected?.index && $0.publicKey.isValidSignature(sig, for: signingInput, algorithm: alg)
                })
            {
                reportOtherKey(other, selected: selected, header: header)
            }
        }
        if signatureVerified != true { tryRepair(keys: selected.map { [$0] } ?? keys, alg: alg) }
    }

    /// `YYYY-MM-DD hh:mm:ss UTC` for seconds since the epoch (proleptic Gregorian; Howard Hinnant's civil_from_days).
    static func utcDate(_ t: Int64) -> String {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secs / 3_600)):\(two(secs % 3_600 / 60)):\(two(secs % 60)) UTC"
    }

    private static func kidText(_ key: JWKSet.Key) -> String { key.keyID.map { " (kid \"\($0)\")" } ?? "" }

    private mutating func reportInvalid(_ key: JWKSet.Key, signatureBytes: Int, alg: JWSAlgorithm) {
        let why: String
        if signatureBytes != key.publicKey.signatureByteCount {
            why =
                "the signature is \(signatureBytes) bytes, but keys[\(key.index)]\(Self.kidText(key)) is \(key.publicKey.keyDescription), whose signatures are \(key.publicKey.signatureByteCount) bytes: the token was signed with a different key, or the signature was cut short"
        } else if !token.repairs.isEmpty {
            why =
                "the \(alg.jwsName) signature does not verify over the token as given with keys[\(key.index)]\(Self.kidText(key)): the token was altered after signing (see the base64url findings)"
        } else {
            why =
                "the \(alg.jwsName) signature does not verify with keys[\(key.index)]\(Self.kidText(key)) (\(key.publicKey.keyDescription)): the token was signed with a different private key from the public key published under this kid, or the header or payload changed after signing"
        }
        add(
            .signatureInvalid, .error, .signature, token.segments[2].range.lowerBound, why,
            endpoint: endpoint(
                assertion: NHSEndpointMessages.signatureFailed, subject: NHSEndpointMessages.signatureFailed))
    }

    private mutating func reportOtherKey(_ other: JWKSet.Key, selected: JWKSet.Key?, header: JSONObject) {
        let fix: String
        switch (selected, header["kid"]) {
        case (let s?, _):
            fix =
                "the header's kid names keys[\(s.index)]\(Self.kidText(s)), but the token was signed with the private key of keys[\(other.index)]\(Self.kidText(other)): the signer pairs the wrong kid with its key, or the JWKS lists keys under the wrong kids"
        case (nil, nil):
            fix =
                "the header has no kid and the JWKS has several keys; it was signed with keys[\(other.index)]\(Self.kidText(other))"
                + (other.keyID.map { ": add \"kid\":\"\($0)\" to the header" } ?? "")
        case (nil, _):
            fix =
                "the header's kid matches no key, but the token was signed with keys[\(other.index)]\(Self.kidText(other))"
                + (other.keyID.map { ": set \"kid\":\"\($0)\" in the header" } ?? "")
        }
        add(
            .signatureOtherKey, .warning, .signature, token.segments[2].range.lowerBound,
            "the signature verifies with another key of the set: \(fix)")
    }

    /// Undoes the recorded damage in all three segments and tries the signature again, under each reading of the
    /// look-alike dashes (an en dash may stand for '-' or '--', an em dash for '-', '--' or '---'), most likely
    /// first and at most ``DashReadings/limit`` signature checks.
    private mutating func tryRepair(keys: [JWKSet.Key], alg: JWSAlgorithm) {
        let segments = token.segments
        guard !token.repairs.isEmpty, segments.count == 3, segments.allSatisfy(\.repairable), !keys.isEmpty else {
            return
        }
        let (header, payload, signature) = (segments[0], segments[1], segments[2])
        let limit = DashReadings.limit
        // The signature's length is fixed by the key: only readings that reach one of the keys' lengths count.
        let lengths = Set(keys.map { ($0.publicKey.signatureByteCount * 4 + 2) / 3 })
        let signatureReadings = DashReadings.enumerate(
            maxExtra: signature.dashSites.map(\.maxExtra),
            totals: Set(lengths.map { $0 - signature.readingBase.count }.filter { $0 >= 0 }), limit: limit
        ) { _ in true }
        let headerReadings = Self.textReadings(header, limit: limit)
        let payloadReadings = Self.textReadings(payload, limit: limit)
        let combinations = [
            signatureReadings.readings.count, headerReadings.readings.count,
            payloadReadings.readings.count,
        ].reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        let ambiguous = segments.reduce(0) { $0 + $1.dashSites.count }
        var tried = 0
        var found: (signature: [Int], header: [Int], payload: [Int], key: JWKSet.Key)?
        search: for s in signatureReadings.readings {
            guard let sig = SegmentReading.decodeCanonical(signature.reading(s).characters) else { continue }
            for h in headerReadings.readings {
                for p in payloadReadings.readings {
                    guard tried < limit else { break search }
                    tried += 1
                    let input = header.reading(h).characters + [UInt8(ascii: ".")] + payload.reading(p).characters
                    if let key = keys.first(where: { $0.publicKey.isValidSignature(sig, for: input, algorithm: alg) }) {
                        found = (s, h, p, key)
                        break search
                    }
                }
            }
        }
        let complete =
            signatureReadings.complete && headerReadings.complete && payloadReadings.complete && tried == combinations
        guard let found else {
            if !complete {
                add(
                    .signatureRepairIncomplete, .info, .signature, segments[2].range.lowerBound,
                    "the token has \(ambiguous) en or em dashes, each of which may stand for one hyphen or more (forum software turns '--' into an en dash and '---' into an em dash): there are more than \(limit) readings, and none of the \(tried) tried makes the signature verify. Copy the token from its raw source to be sure"
                )
            }
            return
        }
        var repairs: [Repair] =
            token.bearerPrefixLength > 0 ? [Repair(offset: 0, original: "Bearer ", replacement: "")] : []
        repairs +=
            header.repairs(for: found.header) + payload.repairs(for: found.payload)
            + signature.repairs(for: found.signature)
        let key = found.key
        let forum =
            found.signature.contains { $0 > 0 } || found.header.contains { $0 > 0 } || found.payload.contains { $0 > 0 }
        let how =
            forum
            ? " (forum software turns '--' into an en dash and '---' into an em dash; this reading was found among the \(tried) tried)"
            : ""
        add(
            .signatureRepairedVerifies, .info, .signature, repairs.first?.offset ?? 0,
            "after \(Self.describe(repairs)), the signature verifies with keys[\(key.index)]\(Self.kidText(key)): the token was right when it was signed and was damaged on the way (copied through an editor, chat, forum or terminal)\(how). Send the token exactly as the signer produced it"
        )
    }

    /// A header's or payload's readings: those of a possible length, JSON objects first, the adopted reading first
    /// of all.
    private static func textReadings(_ s: SegmentReading, limit: Int) -> (readings: [[Int]], complete: Bool) {
        var objects: [[Int]] = []
        var others: [[Int]] = []
        let all = DashReadings.enumerate(maxExtra: s.dashSites.map(\.maxExtra), totals: nil, limit: limit) { extra in
            let characters = s.reading(extra).characters
            guard characters.count % 4 != 1 else { return false }
            let isObject =
                SegmentReading.decodeCanonical(characters).flatMap {
                    try? StrictJSON.parseKeepingLastDuplicate($0).0.objectValue
                } != nil
            if extra == s.adoptedReading {
                objects.insert(extra, at: 0)
            } else if isObject {
                objects.append(extra)
            } else {
                others.append(extra)
            }
            return true
        }
        return (objects + others, all.complete)
    }

    /// "replacing U+2013 EN DASH with '-' at offsets 57, 301 and removing U+0020 SPACE at offset 800".
    static func describe(_ repairs: [Repair]) -> String {
        var groups: [(original: String, replacement: String, offsets: [Int])] = []
        for r in repairs {
            if let i = groups.firstIndex(where: { $0.original == r.original && $0.replacement == r.replacement }) {
                groups[i].offsets.append(r.offset)
            } else {
                groups.append((r.original, r.replacement, [r.offset]))
            }
        }
        let parts = groups.map { g -> String in
            let scalars = g.original.unicodeScalars
            let what = scalars.count == 1 ? scalars.first.map(\.diagnosticName) ?? g.original : "\"\(g.original)\""
            let at = offsetList(g.offsets)
            return g.replacement.isEmpty
                ? "removing \(what) at \(at)" : "replacing \(what) with '\(g.replacement)' at \(at)"
        }
        return parts.count <= 1
            ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }
}
