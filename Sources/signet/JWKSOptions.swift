// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import ClientAssertion
import Foundation
import JWS

#if Networking
import Logging
import NetworkSupport
import RemoteJWKS
#endif

/// `--jwks FILE|URL` and `--jwks-timeout`, shared by `verify` and `doctor`.
struct JWKSOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The JWKS: a file, or an https:// URL to fetch it from (plain http:// only for a loopback host).",
            valueName: "file-or-url"))
    var jwks: String?
    @Option(
        name: .customLong("jwks-timeout"),
        help: "Seconds to wait for a --jwks URL to connect and answer (the body gets one second more).")
    var jwksTimeout: Double = 10

    func validate() throws {
        guard jwksTimeout > 0, jwksTimeout <= 3600 else {
            throw ValidationError("--jwks-timeout must be more than 0 and at most 3600 seconds")
        }
    }

    /// Whether `--jwks` names a URL rather than a file: it starts with `http://` or `https://` (any case).
    var isURL: Bool {
        guard let jwks else { return false }
        let lower = jwks.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    /// The JWK set fetched from the `--jwks` URL, or why it could not be: the failure's `description` is the line
    /// the commands print (the typed error, e.g. `RemoteJWKSError.remote-jwks.not-https: …`), its kind what the
    /// doctor reports.
    func fetch(_ url: String) async throws(JWKSURLFailure) -> JWKSet {
        #if Networking
        do throws(RemoteJWKSError) {
            return try await fetchRemote(url)
        } catch {
            throw JWKSURLFailure(
                kind: .init(error.code), reason: error.reason, issues: error.issues, description: "\(error)")
        }
        #else
        let reason =
            "this signet was built without the Networking trait, so it fetches no JWKS by URL: give the JWKS as a file, or build signet with its default traits"
        throw JWKSURLFailure(kind: .unreachable, reason: reason, issues: [], description: reason)
        #endif
    }

    #if Networking
    /// The JWK set fetched through `RemoteJWKSet`. Plain `http` is refused (with a typed `remote-jwks.not-https`
    /// that says so) unless the host is loopback, which tests use.
    private func fetchRemote(_ url: String) async throws(RemoteJWKSError) -> JWKSet {
        let loopback = LoopbackURL.isLoopback(url)
        if url.lowercased().hasPrefix("http://"), !loopback {
            throw RemoteJWKSError(
                .notHTTPS,
                reason:
                    "\(url) is plain http: a JWKS URL must be https (plain http is accepted only for a loopback host: localhost, 127.0.0.0/8, ::1)"
            )
        }
        let timeout = Duration.milliseconds(Int64((jwksTimeout * 1000).rounded(.up)))
        var configuration = RemoteJWKSet.Configuration.apimClientAssertion
        // Refused connections are retried until the connect bound, which then reports them as unreachable; the
        // request bound is a little longer so that it does not turn every refusal into a timeout.
        configuration.connectTimeout = timeout
        configuration.requestTimeout = timeout + .seconds(1)
        configuration.allowInsecureHTTP = loopback
        // The failure is reported once, by the command; the provider's own warning would repeat it on stderr.
        let quiet = Logger(label: "signet.remote-jwks", factory: { _ in SwiftLogNoOpLogHandler() })
        return try await RemoteJWKSet(url: url, configuration: configuration, logger: quiet).keySet()
    }
    #endif
}

/// Why `--jwks URL` gave no JWK set.
struct JWKSURLFailure: Error, CustomStringConvertible {
    /// What the doctor reports.
    let kind: JWKSFetchFailure.Kind
    /// The one-line reason.
    let reason: String
    /// The JWKS's problems, when the answer was a JWK set with no usable key.
    let issues: [JWKSet.Issue]
    /// The line the commands print.
    let description: String
}

#if Networking
extension JWKSFetchFailure.Kind {
    /// The doctor's kind for a `RemoteJWKSError` code (an unknown future code counts as unreachable).
    init(_ code: RemoteJWKSError.Code) {
        switch code {
        case .notHTTPS: self = .notHTTPS
        case .invalidURL: self = .invalidURL
        case .timeout: self = .timeout
        case .httpStatus: self = .httpStatus
        case .tooLarge: self = .tooLarge
        case .notJWKS: self = .notJWKS
        default: self = .unreachable
        }
    }
}
#endif
