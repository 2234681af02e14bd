// SPDX-License-Identifier: Apache-2.0

import JWS

extension DoctorRun {
    // MARK: - Form (NHS-RULES §D, rules 20–23)

    mutating func checkForm() {
        guard let form else { return }
        for p in form.problems {
            if p.code == .duplicateField {
                add(.formDuplicateField, .error, .form, p.offset, p.reason)
            } else {
                add(.formMalformed, p.code == .invalidCharacter ? .warning : .error, .form, p.offset, p.reason)
            }
        }
        checkGrant(form)
        checkAssertionFields(form)
        if role == .clientAssertion, let field = form["client_id"], let iss = payload?["iss"]?.stringValue,
            field.value != iss
        {
            add(
                .formClientIDMismatch, .error, .form, field.valueOffset,
                "client_id \"\(field.value)\" is not the assertion's iss \"\(iss)\": when client_id is sent it must name the same client as the assertion (RFC 7521 §4.2)",
                endpoint: profile == .cis2 ? NHSEndpointMessages.cis2JWTNotValid : nil)
        }
    }

    private mutating func missing(_ name: String, _ why: String, endpoint: String? = nil) {
        add(.formMissingField, .error, .form, nil, "the form has no \(name): \(why)", endpoint: endpoint)
    }

    private mutating func checkGrant(_ form: ParsedForm) {
        let tokenExchange = TokenRequestForm.tokenExchangeGrantType
        guard let grant = form["grant_type"] else {
            missing("grant_type", "send \(expectedGrant)", endpoint: formEndpoint(NHSEndpointMessages.grantTypeMissing))
            return
        }
        switch grant.value {
        case "client_credentials":
            if profile == .cis2 {
                add(
                    .formGrantType, .error, .form, grant.valueOffset,
                    "grant_type is client_credentials, but CIS2's token endpoint takes grant_type=authorization_code with a private_key_jwt assertion"
                )
            }
        case "authorization_code":
            if profile == .apim {
                add(
                    .formGrantType, .error, .form, grant.valueOffset,
                    "at APIM, authorization_code is the combined CIS2 flow, authenticated with client_id and client_secret, not an assertion. For application-restricted access send grant_type=client_credentials; for CIS2 separate authentication exchange the id_token with grant_type=\(tokenExchange)"
                )
            }
            for (name, why) in [
                ("code", "the authorisation code from the redirect"),
                ("redirect_uri", "the redirect URI of the authorisation request, byte for byte"),
                ("client_id", "the CIS2 client_id (the assertion's iss and sub)"),
            ] where form[name] == nil {
                missing(name, "send \(why)")
            }
        case tokenExchange:
            if profile == .cis2 {
                add(
                    .formGrantType, .error, .form, grant.valueOffset,
                    "token exchange is a request to APIM, not CIS2: examine it with the apim profile, with an RS512 APIM assertion"
                )
            }
            if form["subject_token"] == nil {
                missing(
                    "subject_token", "send the CIS2 id_token, unmodified",
                    endpoint: formEndpoint(NHSEndpointMessages.subjectTokenMissing))
            }
            let type = form["subject_token_type"]
            if type?.value != TokenRequestForm.idTokenType {
                let found = type.map { "subject_token_type is \"\($0.value)\"" } ?? "the form has no subject_token_type"
                let hint =
                    type?.value == "urn:ietf:params:oauth:token-type:access_token"
                    ? " (APIM exchanges the CIS2 id_token, never the CIS2 access token)" : ""
                add(
                    .formSubjectTokenType, .error, .form, type?.valueOffset,
                    "\(found); it must be exactly \(TokenRequestForm.idTokenType)\(hint)",
                    endpoint: formEndpoint(NHSEndpointMessages.subjectTokenTypeInvalid))
            }
            if role == .clientAssertion, let subject = form["subject_token"] { checkSubjectTokenShape(subject) }
        default:
            add(
                .formGrantType, .error, .form, grant.valueOffset,
                "grant_type \"\(grant.value)\" is not a grant this endpoint knows; send \(expectedGrant)",
                endpoint: formEndpoint(NHSEndpointMessages.grantTypeInvalid))
            return
        }
        if grant.value != tokenExchange, let type = form["subject_token_type"],
            type.value == TokenRequestForm.idTokenType
        {
            add(
                .formGrantType, .error, .form, grant.valueOffset,
                "the form carries subject_token_type=\(TokenRequestForm.idTokenType) (a token exchange) but grant_type is \"\(grant.value)\"; send grant_type=\(tokenExchange)",
                endpoint: formEndpoint(NHSEndpointMessages.grantTypeInvalid))
        }
    }

    private var expectedGrant: String {
        switch (role, profile) {
        case (.subjectToken, _): "grant_type=\(TokenRequestForm.tokenExchangeGrantType)"
        case (_, .cis2): "grant_type=authorization_code"
        case (_, .apim):
            "grant_type=client_credentials (application-restricted) or grant_type=\(TokenRequestForm.tokenExchangeGrantType) (CIS2 id_token exchange)"
        case (_, .rfc7523), (_, .fapi):
            "the grant_type your authorisation server expects (usually client_credentials or authorization_code)"
        }
    }

    private mutating func checkAssertionFields(_ form: ParsedForm) {
        let type = form["client_assertion_type"]
        if type?.value != TokenRequestForm.jwtBearerAssertionType {
            let found =
                type.map { "client_assertion_type is \"\($0.value)\"" } ?? "the form has no client_assertion_type"
            let hint =
                type?.value == "urn:ietf:params:oauth:grant-type:jwt-bearer"
                ? " (that is the JWT-bearer grant type of RFC 7523 §2.1, not the client-assertion type)" : ""
            add(
                .formClientAssertionType, .error, .form, type?.valueOffset,
                "\(found); it must be exactly \(TokenRequestForm.jwtBearerAssertionType)\(hint)",
                endpoint: formEndpoint(NHSEndpointMessages.clientAssertionTypeInvalid))
        }
        guard let assertion = form["client_assertion"] else {
            missing(
                "client_assertion", "send a freshly minted client assertion (a compact JWT)",
                endpoint: formEndpoint(NHSEndpointMessages.clientAssertionMissing))
            return
        }
        if role == .clientAssertion, assertion.value != input.token {
            add(
                .formAssertionDiffers, .warning, .form, assertion.valueOffset,
                "the form's client_assertion is not the token examined; the findings above are about the token given, not about the form's assertion"
            )
        }
    }

    /// APIM decodes the subject_token before anything else (NHS-RULES rule 33).
    private mutating func checkSubjectTokenShape(_ field: ParsedForm.Field) {
        let reading = TokenReading(field.value)
        let why: String
        if reading.segments.count != 3 {
            let dots = reading.segments.count - 1
            why =
                dots == 0
                ? "subject_token is not a JWT (\(reading.bytes.count) characters with no '.'): an access token or authorisation code was sent. Send the CIS2 id_token from the token response, not its access_token"
                : "subject_token has \(dots) '.' where a compact JWS has two"
        } else if let bad = reading.segments.first(where: { !$0.isStrict }) {
            why =
                "the subject_token's \(bad.segment.rawValue) is not strict base64url; send the id_token exactly as CIS2 issued it (examine it with `signet doctor` as the token)"
        } else if let header = reading.segments[0].decoded,
            (try? StrictJSON.parseKeepingLastDuplicate(header))?.value.objectValue == nil
        {
            why = "the subject_token's header is not a JSON object"
        } else {
            return
        }
        add(
            .formSubjectTokenNotJWS, .error, .form, field.valueOffset, why,
            endpoint: formEndpoint(NHSEndpointMessages.subjectTokenMalformed))
    }
}
