// SPDX-License-Identifier: Apache-2.0

import JWS

/// Explains why a token request is (or would be) rejected: every problem with the token, the form that carried it
/// and the JWK set, not just the first, each as a ``Finding`` with the exact NHS endpoint error where one applies.
///
/// Unlike `JWSVerifier`, which stops at the first failure, the doctor walks the token tolerantly: it splits on
/// `.`, reports every character outside base64url and undoes known damage (look-alike dashes, whitespace, smart
/// quotes, padding…) so that the header and claims can still be read; it reads JSON keeping the last of repeated
/// members (as APIM's JavaScript does) after reporting them; and it checks each rule on its own. Offsets are byte
/// offsets into the input each finding names (see ``Finding/Segment``).
///
/// The doctor never accepts a token: it only explains. Verify with `JWSVerifier`.
public enum Doctor {
    /// What the examined token is.
    public enum TokenRole: String, Sendable, Equatable {
        /// A client assertion (`client_assertion`).
        case clientAssertion
        /// An id_token sent as `subject_token` to APIM token exchange (checked as NHS-RULES §G describes).
        case subjectToken
    }

    /// What to examine.
    public struct Input: Sendable {
        /// The token as received: it may contain damage such as U+2013 EN DASH, spaces or line breaks.
        public var token: String
        /// The `application/x-www-form-urlencoded` body that carried it, if known.
        public var form: String?
        /// The JWK set text the server verifies with, if known.
        public var jwks: String?
        /// A JWK set already read (fetched by URL, say), used when ``jwks`` is `nil`; its issues' offsets are into
        /// the text it was read from.
        public var keySet: JWKSet?
        /// Why the JWK set could not be had from its URL, when the caller tried and failed (the doctor does no
        /// networking itself); reported as a `jwks.*` error with APIM's E24 string.
        public var jwksFetchFailure: JWKSFetchFailure?
        /// The expected client id (APIM: the application's API key; CIS2: the client_id).
        public var clientID: String?
        /// The expected audience: the token endpoint, byte for byte. For APIM, `nil` accepts any environment's
        /// token URL.
        public var audience: String?
        /// Whose rules apply.
        public var profile: ClientAssertionProfile.Kind
        /// What the token is; `nil` decides from the form (a token equal to the form's `subject_token` is a
        /// subject token) and otherwise treats it as a client assertion.
        public var role: TokenRole?
        /// "Now", in seconds since the epoch.
        public var now: NumericDate
        /// An independent verifier consulted beside OpenSSL on the selected key (`CrossCheck`'s
        /// `SignatureSecondOpinion.Source.gmpVerifier`, as `signet doctor` passes); a disagreement is reported as
        /// `signature.cross-check-disagreement`. `nil`: OpenSSL's (or Signet's curve verifier's) verdict stands alone.
        public var secondOpinion: SignatureSecondOpinion.Source?

        /// Creates an input.
        public init(
            token: String, form: String? = nil, jwks: String? = nil, clientID: String? = nil, audience: String? = nil,
            profile: ClientAssertionProfile.Kind = .apim, role: TokenRole? = nil, now: NumericDate,
            keySet: JWKSet? = nil, jwksFetchFailure: JWKSFetchFailure? = nil,
            secondOpinion: SignatureSecondOpinion.Source? = nil
        ) {
            self.secondOpinion = secondOpinion
            self.token = token
            self.form = form
            self.jwks = jwks
            self.keySet = keySet
            self.jwksFetchFailure = jwksFetchFailure
            self.clientID = clientID
            self.audience = audience
            self.profile = profile
            self.role = role
            self.now = now
        }
    }

    /// Examines a token request.
    ///
    /// - Parameter input: The token and whatever else is known.
    /// - Returns: Every finding, and whether the signature verifies (`nil` when that cannot be checked).
    /// - Allocation: allocates freely (not a hot path).
    public static func examine(_ input: Input) -> DoctorReport {
        var run = DoctorRun(input: input)
        run.readKeySet()
        run.readToken()
        run.checkHeader()
        run.checkClaims()
        run.checkSignature()
        run.checkForm()
        let order = Finding.Segment.allCases
        let sorted = run.findings.enumerated().sorted { a, b in
            let (ra, rb) = (order.firstIndex(of: a.element.segment) ?? 0, order.firstIndex(of: b.element.segment) ?? 0)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        return DoctorReport(findings: sorted, signatureVerified: run.signatureVerified)
    }
}

/// The state of one examination.
struct DoctorRun {
    let input: Doctor.Input
    let form: ParsedForm?
    let role: Doctor.TokenRole
    let token: TokenReading
    var findings: [Finding] = []
    var keySet: JWKSet?
    var header: JSONObject?
    var payload: JSONObject?
    var signatureVerified: Bool?

    init(input: Doctor.Input) {
        self.input = input
        let form = input.form.map(ParsedForm.parseLeniently)
        self.form = form
        if let role = input.role {
            self.role = role
        } else if let subject = form?["subject_token"]?.value, subject == input.token {
            self.role = .subjectToken
        } else {
            self.role = .clientAssertion
        }
        self.token = TokenReading(input.token)
    }

    var profile: ClientAssertionProfile.Kind { input.profile }

    mutating func add(
        _ code: Finding.Code, _ severity: Finding.Severity, _ segment: Finding.Segment, _ offset: Int?,
        _ message: String,
        endpoint: String? = nil
    ) {
        findings.append(Finding(code, severity, segment, offset: offset, message, endpointError: endpoint))
    }

    /// The endpoint's message for an error in the token: APIM's `client_assertion` string at APIM, the
    /// `subject_token` string for an id_token at token exchange, CIS2's only message at CIS2, none for RFC 7523.
    func endpoint(assertion: String?, subject: String?) -> String? {
        switch role {
        case .subjectToken: subject
        case .clientAssertion:
            switch profile {
            case .apim: assertion
            case .cis2: NHSEndpointMessages.cis2JWTNotValid
            case .rfc7523, .fapi: nil
            }
        }
    }

    /// The endpoint's message for a form error: APIM's strings apply to APIM requests only.
    func formEndpoint(_ s: String) -> String? { profile == .apim || role == .subjectToken ? s : nil }

    /// What the token is called in messages.
    var tokenName: String { role == .subjectToken ? "subject_token" : "client_assertion" }

    var malformed: String? {
        endpoint(assertion: NHSEndpointMessages.assertionMalformed, subject: NHSEndpointMessages.subjectTokenMalformed)
    }

    // MARK: - Token shape and encoding

    mutating func readToken() {
        let t = token
        guard !t.bytes.isEmpty else {
            add(
                .notJWS, .error, .token, 0, "the token is empty: a compact JWS is header.payload.signature",
                endpoint: malformed)
            return
        }
        guard t.segments.count == 3 else {
            add(.notJWS, .error, .token, notJWSOffset, notJWSMessage(t), endpoint: malformed)
            return
        }
        if t.bearerPrefixLength > 0 {
            add(
                .base64InvalidCharacter, .error, .header, 0,
                "the token starts with \"Bearer \": that is the Authorization header's scheme, not part of the JWT. Send only the JWT (the repair removes the prefix)",
                endpoint: malformed)
        }
        for segment in t.segments {
            reportEncoding(segment)
        }
        if t.segments[0].range.count - t.bearerPrefixLength <= 0 {
            add(.notJWS, .error, .header, 0, "the header segment is empty", endpoint: malformed)
        }
        if t.segments[2].range.isEmpty {
            add(
                .notJWS, .error, .signature, t.segments[2].range.lowerBound,
                "the signature segment is empty: an unsigned JWT (alg \"none\") is never accepted; sign it with RS512 or RS256",
                endpoint: malformed)
        }
        header = readJSON(t.segments[0], name: "JOSE header")
        payload = readJSON(t.segments[1], name: "payload")
    }

    private var notJWSOffset: Int {
        let dots = token.bytes.indices.filter { token.bytes[$0] == UInt8(ascii: ".") }
        return dots.count > 2 ? dots[2] : 0
    }

    private func notJWSMessage(_ t: TokenReading) -> String {
        let dots = t.segments.count - 1
        let what = role == .subjectToken ? "subject_token" : "token"
        switch dots {
        case 0:
            return
                "this \(what) is not a JWT: a compact JWS is header.payload.signature with two '.', and this \(t.bytes.count)-byte value has none. An opaque access token or an authorisation code looks like this; token exchange needs the CIS2 id_token (a JWT), not the CIS2 access token"
        case 4:
            return
                "this \(what) has five segments: it is a JWE (an encrypted JWT), not a signed JWT; send the signed JWS"
        default:
            return
                "a compact JWS has exactly two '.'; this \(what) has \(dots) (two tokens joined, or a truncated copy?)"
        }
    }

    private mutating func reportEncoding(_ s: SegmentReading) {
        let name = s.segment.rawValue
        for bad in s.badCharacters {
            let at = Self.offsetList(bad.offsets)
            let who = bad.scalar.diagnosticName
            let message: String
            var code = Finding.Code.base64InvalidCharacter
            switch bad.damage {
            case .padding:
                code = .base64Padding
                message =
                    "'=' padding in the \(name) at \(at): JWS segments are unpadded base64url (RFC 7515 §2); the encoder used padded base64. Strip the trailing '='"
            case .standardBase64:
                let url = bad.scalar == "+" ? "-" : "_"
                message =
                    "\(who) in the \(name) at \(at) is standard base64, not base64url: encode with the URL-safe alphabet ('\(url)' instead of '\(Character(bad.scalar))') and no padding"
            case .lookAlike:
                let what =
                    switch Damage.extraHyphens(for: bad.scalar) {
                    case 1: "'--' (forum software's habit) or '-'"
                    case 2: "'---' (forum software's habit), '--' or '-'"
                    default: "'-'"
                    }
                message =
                    "\(who) in the \(name) at \(at) is not a base64url character: a text editor, word processor, chat or forum replaced \(what) with a typographic dash. Copy the token from its raw source (a file or the program's output), never through a document"
            case .whitespace:
                message =
                    "\(who) in the \(name) at \(at): a JWT contains no whitespace or line breaks (it was wrapped, pasted with spaces, or a '+' in a form body was decoded as a space). Remove it"
            case .invisible:
                message =
                    "\(who) in the \(name) at \(at) is an invisible character, usually picked up when copying from a web page or chat. Remove it"
            case .quote:
                message = "\(who) in the \(name) at \(at): quotation marks are not part of the token. Remove them"
            case .other:
                message =
                    "\(who) in the \(name) at \(at) is not a base64url character (A–Z a–z 0–9 - _) and has no known repair, so the \(name) cannot be decoded"
            }
            add(code, .error, s.segment, bad.offsets[0], message, endpoint: malformed)
        }
        if let at = s.invalidLengthOffset {
            add(
                .base64InvalidLength, .error, s.segment, at,
                "the \(name) has \(s.cleaned.count) base64url characters, one more than a multiple of 4: no encoding has that length, so a character was lost or added (truncated copy?)",
                endpoint: malformed)
        }
        if let at = s.nonCanonicalOffset, let fix = s.repairs.last {
            add(
                .base64NonCanonical, .error, s.segment, at,
                "the last character \(fix.original) of the \(name) has non-zero unused bits (the canonical form is \(fix.replacement)): strict decoders reject it (RFC 4648 §3.5). The encoder is broken or the token was edited",
                endpoint: malformed)
        }
    }

    static func offsetList(_ offsets: [Int]) -> String {
        if offsets.count == 1 { return "offset \(offsets[0])" }
        let shown = offsets.prefix(5).map(String.init).joined(separator: ", ")
        return "offsets \(shown)" + (offsets.count > 5 ? " and \(offsets.count - 5) more" : "")
    }

    private mutating func readJSON(_ s: SegmentReading, name: String) -> JSONObject? {
        guard let bytes = s.decoded else { return nil }
        let start = s.origin.first ?? s.range.lowerBound
        guard !bytes.isEmpty else {
            if s.segment == .payload {
                add(
                    .jsonInvalid, .error, .payload, start,
                    "the payload is empty: a JWT carries a JSON object of claims", endpoint: malformed)
            }
            return nil
        }
        do throws(JSONError) {
            let (value, duplicates) = try StrictJSON.parseKeepingLastDuplicate(bytes)
            for d in duplicates {
                add(
                    .jsonDuplicateMember, .error, s.segment, s.tokenOffset(ofDecodedByte: d.offset),
                    "in the \(name), \(d.reason). APIM's JavaScript silently uses the last value, while Signet and many libraries reject the token (RFC 7515 §4, RFC 7519 §4); the value checked here is the last. Send each member once"
                )
            }
            guard case .object(let object) = value else {
                add(
                    .jsonInvalid, .error, s.segment, start,
                    "the \(name) must be a JSON object; it decodes to a JSON \(value.typeName)", endpoint: malformed)
                return nil
            }
            return object
        } catch {
            add(
                .jsonInvalid, .error, s.segment, s.tokenOffset(ofDecodedByte: error.offset),
                "the \(name) does not decode to valid JSON: \(error.reason) (decoded byte \(error.offset))",
                endpoint: malformed)
            return nil
        }
    }

    /// Token offset of a header or payload member's value.
    func tokenOffset(_ member: JSONObject.Member?, in segment: Finding.Segment) -> Int? {
        guard let member, token.segments.count == 3 else { return nil }
        let s = segment == .header ? token.segments[0] : token.segments[1]
        return s.tokenOffset(ofDecodedByte: member.valueOffset)
    }
}
