// SPDX-License-Identifier: Apache-2.0

import JWS

/// Why a JWK set named by URL could not be had, as the caller that fetched it saw it: the doctor does no networking,
/// so a command that fetches the set (with `RemoteJWKSet`) passes the failure in through `Doctor.Input`.
public struct JWKSFetchFailure: Sendable, Equatable {
    /// What went wrong; each kind is reported under its own `jwks.*` ``Finding/Code``.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The URL is plain `http` (APIM fetches `https://host/path` only).
        case notHTTPS
        /// The URL is not an absolute `https` URL.
        case invalidURL
        /// The server could not be reached, or the connection failed.
        case unreachable
        /// The server did not answer in time.
        case timeout
        /// The server answered with a status other than 200.
        case httpStatus
        /// The body is larger than the fetcher reads.
        case tooLarge
        /// The body is not a JWK set with a usable RSA key.
        case notJWKS

        /// The finding code this kind is reported under.
        public var findingCode: Finding.Code {
            switch self {
            case .notHTTPS: .jwksNotHTTPS
            case .invalidURL: .jwksInvalidURL
            case .unreachable: .jwksUnreachable
            case .timeout: .jwksTimeout
            case .httpStatus: .jwksHTTPStatus
            case .tooLarge: .jwksTooLarge
            case .notJWKS: .jwksNotJWKS
            }
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// The URL that was fetched.
    public var url: String
    /// One line a person understands (the fetcher's reason).
    public var reason: String
    /// For ``Kind/notJWKS``: the issues of the set as read, each also reported as a finding.
    public var issues: [JWKSet.Issue]

    /// Creates a failure.
    ///
    /// - Parameters:
    ///   - kind: What went wrong.
    ///   - url: The URL that was fetched.
    ///   - reason: One line a person understands.
    ///   - issues: For ``Kind/notJWKS``, the issues of the set as read.
    public init(_ kind: Kind, url: String, reason: String, issues: [JWKSet.Issue] = []) {
        self.kind = kind
        self.url = url
        self.reason = reason
        self.issues = issues
    }
}
