// SPDX-License-Identifier: Apache-2.0

/// The exact `error_description` strings NHS England endpoints return (NHS-RULES §J), quoted byte for byte so that a
/// log line can be matched against a ``Finding``. Catalogue numbers (E9 …) are NHS-RULES's.
public enum NHSEndpointMessages {
    /// E3, 400 invalid_request.
    public static let grantTypeMissing = "grant_type is missing"
    /// E4 (400 unsupported_grant_type) and E5 (400 invalid_request).
    public static let grantTypeInvalid = "grant_type is invalid"
    /// E6, 400 invalid_request.
    public static let subjectTokenTypeInvalid =
        "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'"
    /// E7, 400 invalid_request.
    public static let clientAssertionTypeInvalid =
        "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"
    /// E8, 400 invalid_request.
    public static let clientAssertionMissing = "Missing client_assertion"
    /// E9, 400 invalid_request.
    public static let assertionMalformed = "Malformed JWT in client_assertion"
    /// E10, 400 invalid_request.
    public static let assertionAlg =
        "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"
    /// E11, 400 invalid_request.
    public static let assertionExpired = "Invalid 'exp' claim in client_assertion JWT - JWT has expired"
    /// E12, 400 invalid_request.
    public static let assertionKidMissing = "Missing 'kid' header in client_assertion JWT"
    /// E13, 400 invalid_request.
    public static let assertionTyp = "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"
    /// E14, 400 invalid_request.
    public static let assertionExpMissing = "Missing 'exp' claim in client_assertion JWT"
    /// E15, 400 invalid_request.
    public static let assertionExpNotInteger = "Invalid 'exp' claim in client_assertion JWT - must be an integer"
    /// E16, 400 invalid_request.
    public static let assertionIssSub = "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"
    /// E17, 400 invalid_request.
    public static let assertionJtiMissing = "Missing 'jti' claim in client_assertion JWT"
    /// E18, 400 invalid_request.
    public static let assertionJtiNotString =
        "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"
    /// E19, 400 invalid_request: the `(sub, jti)` pair was seen before, failed attempts included.
    public static let assertionJtiReused = "Non-unique 'jti' claim in client_assertion JWT"
    /// E20, 400 invalid_request.
    public static let assertionExpTooFar = "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"
    /// E21, 401 invalid_request.
    public static let assertionIssSubInvalid = "Invalid 'iss'/'sub' claims in client_assertion JWT"
    /// E23, 403 public_key error: the application has no JWKS registered.
    public static let publicKeyNotRegistered =
        "You need to register a public key to use this authentication method - please contact support to configure"
    /// E24, 403 public_key error: APIM could not fetch the application's JWKS (unreachable, not https://host/path,
    /// or the fetch failed).
    public static let jwksUnreachable = "The JWKS endpoint, for your client_assertion can't be reached"
    /// E25, 401 invalid_request.
    public static let assertionAud = "Missing or invalid 'aud' claim in client_assertion JWT"
    /// E26, 401 invalid_request.
    public static let assertionKidUnknown = "Invalid 'kid' header in client_assertion JWT - no matching public key"
    /// E27, 401 public_key error (client assertion and subject token).
    public static let signatureFailed = "JWT signature verification failed"
    /// E1, 415 invalid_request.
    public static let contentTypeInvalid = "Content-Type header must be application/x-www-form-urlencoded"
    /// E39, 400 invalid_request: the id_token's issuer is not the CIS2 issuer configured for the environment.
    public static let subjectIssuerMismatch = "Missing or non-matching 'iss' claim in subject_token JWT"
    /// E41, 500 unknown_error: APIM's catch-all (also a CIS2 JWKS that cannot be reached).
    public static let unknownError =
        "An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID"
    /// E29, 400 invalid_request.
    public static let subjectTokenMissing = "Missing subject_token"
    /// E30, 400 invalid_request.
    public static let subjectTokenMalformed = "Malformed JWT in subject_token"
    /// E31, 400 invalid_request.
    public static let subjectKidMissing = "Missing 'kid' header in subject_token JWT"
    /// E32, 400 invalid_request.
    public static let subjectTyp = "Invalid 'typ' header in subject_token JWT - must be 'JWT'"
    /// E33, 400 invalid_request.
    public static let subjectAlgMissing = "Missing 'alg' header in subject_token JWT"
    /// E34, 400 invalid_request.
    public static let subjectExpMissing = "Missing 'exp' claim in subject_token JWT"
    /// E35, 400 invalid_request.
    public static let subjectExpNotInteger = "Invalid 'exp' claim in subject_token JWT - must be an integer"
    /// E36, 400 invalid_request.
    public static let subjectExpired = "Invalid 'exp' claim in subject_token JWT - JWT has expired"
    /// E37, 400 invalid_request.
    public static let subjectIssMissing = "Missing 'iss' claim in subject_token JWT"
    /// E38, 401 invalid_request.
    public static let subjectAudMissing = "Missing 'aud' claim in subject_token JWT"
    /// E40, 401 invalid_request.
    public static let subjectKidUnknown = "Invalid 'kid' header in subject_token JWT - no matching public key"
    /// E44, CIS2 401 invalid_client (CIS2 gives no reason).
    public static let cis2JWTNotValid = "JWT is not valid"
}
