// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import ClientAssertion
import JWS
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import NetworkSupport
import Tracing

/// One token endpoint and the assertion minter for it: sends each NHS token request as a typed call, with a
/// **fresh assertion and `jti` for every HTTP attempt** (APIM burns a `jti` before it checks the signature, so a
/// retry that reused one would be refused), retries what is transient (``RetryPolicy``), reads the answer as NHS
/// writes it (``TokenResponse``), and turns a refusal into a ``TokenClientError`` that carries the NHS string, the
/// `message_id` and the doctor's findings on the exact assertion that was sent.
///
/// The assertion's `aud` comes from the minter's profile and the request goes to ``tokenURL``, so a local
/// `signet serve --env int` stands in for INT with assertions minted for INT unchanged.
///
/// For a cached, single-flight access token, wrap a `client_credentials` endpoint in ``AccessTokenClient``.
public final class TokenEndpoint: Sendable {
    /// Timeouts, bounds and retries.
    public struct Configuration: Sendable, Equatable {
        /// The longest one HTTP attempt may take, connection, answer head and body included.
        public var requestTimeout: Duration
        /// The largest answer body read.
        public var maxResponseBytes: Int
        /// When to try again.
        public var retry: RetryPolicy

        /// Creates a configuration.
        public init(
            requestTimeout: Duration = .seconds(10), maxResponseBytes: Int = 64 * 1024, retry: RetryPolicy = .standard
        ) {
            self.requestTimeout = requestTimeout
            self.maxResponseBytes = maxResponseBytes
            self.retry = retry
        }
    }

    /// Where requests are sent.
    public let tokenURL: String
    /// Mints the client assertion for each attempt.
    public let minter: ClientAssertionMinter
    /// Timeouts, bounds and retries.
    public let configuration: Configuration
    /// The JWK set registered for the key, if known: the doctor then checks `kid` and the signature against it
    /// when the endpoint refuses.
    public let registeredJWKS: String?

    private let httpClient: HTTPClient
    private let logger: Logger

    /// Creates an endpoint.
    ///
    /// - Parameters:
    ///   - tokenURL: Where requests are sent: `https`, or `http` to a loopback host; by default the minter's audience, which is the
    ///     token URL for the APIM and CIS2 profiles.
    ///   - minter: The assertion minter (key, `kid`, client id, profile).
    ///   - configuration: Timeouts, bounds and retries.
    ///   - registeredJWKS: The JWK set text registered for the key, to diagnose refusals with.
    ///   - httpClient: The HTTP client: ``sharedHTTPClient`` by default, which never follows a redirect (a token
    ///     request's body must not be re-sent to another origin). An injected client should not follow redirects
    ///     either; an answer that arrived through one is refused all the same.
    ///   - logger: Where requests and their outcomes are logged (request id, grant, status, NHS string; never a
    ///     token or a key).
    /// - Throws: `token-client.configuration` when the URL is not an absolute https URL (or http to loopback).
    public init(
        tokenURL: String? = nil, minter: ClientAssertionMinter, configuration: Configuration = Configuration(),
        registeredJWKS: String? = nil, httpClient: HTTPClient = TokenEndpoint.sharedHTTPClient,
        logger: Logger = Logger(label: "signet.token-client")
    ) throws(TokenClientError) {
        let url = tokenURL ?? minter.profile.audience
        let lower = url.lowercased()
        if lower.hasPrefix("http://") {
            // An access token is a bearer credential: plain http only to this machine (a local emulator).
            guard LoopbackURL.isLoopback(url) else {
                throw TokenClientError(
                    .configuration, reason: "\(url) is plain http: token requests go over https, or to loopback")
            }
        } else if !(lower.hasPrefix("https://") && lower.count > 8) {
            throw TokenClientError(.configuration, reason: "\(url) is not an absolute https URL")
        }
        self.tokenURL = url
        self.minter = minter
        self.configuration = configuration
        self.registeredJWKS = registeredJWKS
        self.httpClient = httpClient
        var logger = logger
        logger[metadataKey: "token.url"] = .string(url)
        self.logger = logger
    }

    /// The process-wide client token requests use by default: AsyncHTTPClient's shared event loops, redirects off.
    public static let sharedHTTPClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(redirectConfiguration: .disallow))

    // MARK: - The NHS flows

    /// APIM application-restricted access: `client_credentials` with a client assertion (NHS-RULES rule 21).
    ///
    /// - Throws: ``TokenClientError``.
    public func clientCredentials() async throws(TokenClientError) -> TokenResponse {
        try await send(.clientCredentials) { TokenRequestForm.clientCredentials(assertion: $0) }
    }

    /// CIS2 authorisation code exchange with `private_key_jwt` (NHS-RULES rule 23): `client_id` is the minter's
    /// client id (the CIS2 client id, never an APIM API key).
    ///
    /// - Parameters:
    ///   - code: The one-time code from the redirect.
    ///   - redirectURI: The `redirect_uri` of the authorisation request, byte for byte.
    /// - Returns: The answer, with ``TokenResponse/idToken``.
    /// - Throws: ``TokenClientError``.
    public func authorizationCode(code: String, redirectURI: String) async throws(TokenClientError) -> TokenResponse {
        let clientID = minter.clientID
        return try await send(.authorizationCode) {
            TokenRequestForm.authorizationCode(code: code, redirectURI: redirectURI, clientID: clientID, assertion: $0)
        }
    }

    /// APIM token exchange of a CIS2 id_token (NHS-RULES rule 22, §G). The id_token is checked first as APIM
    /// would: when it is not a JWS, names another issuer than `expectedIssuer`, lacks what APIM requires or has
    /// expired, nothing is sent and the error names the NHS string APIM would have answered.
    ///
    /// - Parameters:
    ///   - subjectToken: The CIS2 **id_token**, unmodified (an access token is refused here, before sending).
    ///   - expectedIssuer: The CIS2 issuer APIM is configured with, when known (its `iss`, byte for byte).
    /// - Returns: The answer, with ``TokenResponse/refreshToken``.
    /// - Throws: ``TokenClientError``; `token-client.request-invalid` when the id_token would be refused.
    public func tokenExchange(
        subjectToken: String, expectedIssuer: String? = nil
    ) async throws(TokenClientError)
        -> TokenResponse
    {
        try SubjectTokenCheck.check(subjectToken, expectedIssuer: expectedIssuer, now: minter.clock.now())
        return try await send(.tokenExchange) {
            TokenRequestForm.tokenExchange(subjectToken: subjectToken, assertion: $0)
        }
    }

    // MARK: - Sending

    /// The grant of a request, for logs, metrics and spans.
    enum Grant: String, Sendable {
        case clientCredentials = "client_credentials"
        case authorizationCode = "authorization_code"
        case tokenExchange = "token_exchange"
    }

    /// What one HTTP attempt came to.
    private enum Attempt: Sendable {
        case answer(status: Int, retryAfter: String?, body: String)
        case failed(TokenClientError)
    }

    /// Sends one request, minting a fresh assertion for each attempt.
    func send(
        _ grant: Grant, form makeForm: (String) -> TokenRequestForm
    ) async throws(TokenClientError)
        -> TokenResponse
    {
        let requestID = Self.requestID()
        var logger = self.logger
        logger[metadataKey: "request.id"] = .string(requestID)
        logger[metadataKey: "grant"] = .string(grant.rawValue)
        let span = startSpan("signet.token-request", ofKind: .client)
        span.attributes["http.request.method"] = "POST"
        span.attributes["url.full"] = tokenURL
        span.attributes["signet.grant"] = grant.rawValue
        span.attributes["signet.request_id"] = requestID
        defer { span.end() }
        let started = ContinuousClock.now
        let dimensions = [("grant", grant.rawValue)]
        var random = SystemRandomNumberGenerator()
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled {
                throw finish(TokenClientError(.cancelled, reason: "cancelled before attempt \(attempt)"), attempt - 1)
            }
            let assertion: String
            do { assertion = try minter.mint() } catch {
                throw finish(
                    TokenClientError(
                        .mint, reason: "the client assertion could not be minted: \(error.reason)",
                        underlying: error), attempt - 1)
            }
            let form = makeForm(assertion)
            let encoded = form.encoded
            logger.debug("sending", metadata: ["attempt": "\(attempt)"])
            let outcome = await post(encoded, context: span.context)
            var retryIn: Duration?
            switch outcome {
            case .answer(let status, let retryAfterHeader, let body):
                span.attributes["http.response.status_code"] = status
                if status == 200 {
                    do {
                        let response = try TokenResponse(parsing: body)
                        logger.info(
                            "token issued",
                            metadata: ["attempt": "\(attempt)", "expires_in": "\(response.expiresIn)"])
                        Counter(label: "signet_token_requests_total", dimensions: dimensions + [("outcome", "issued")])
                            .increment()
                        Timer(label: "signet_token_request_duration_seconds", dimensions: dimensions)
                            .recordNanoseconds(Self.nanoseconds(ContinuousClock.now - started))
                        return response
                    } catch {
                        throw finish(error, attempt)
                    }
                }
                let refusal = TokenEndpointRefusal(status: status, body: body)
                if RetryPolicy.isTransient(status: status), attempt < policy.maxAttempts {
                    let asked = RetryPolicy.retryAfter(retryAfterHeader, now: minter.clock.now().seconds)
                    if let asked, asked > policy.maxRetryAfter {
                        throw finish(
                            TokenClientError(
                                .refused,
                                reason:
                                    "the token endpoint answered \(refusal) and asked to wait \(asked), longer than the \(policy.maxRetryAfter) allowed",
                                refusal: refusal), attempt)
                    }
                    let wait = asked ?? policy.delay(after: attempt, using: &random)
                    retryIn = wait
                    logger.notice(
                        "transient refusal, retrying",
                        metadata: ["status": "\(status)", "attempt": "\(attempt)", "retry_in": "\(wait)"])
                } else {
                    throw finish(refusedError(refusal, form: form, assertion: assertion, grant: grant), attempt)
                }
            case .failed(let error):
                guard error.code == .unreachable || error.code == .timeout, attempt < policy.maxAttempts else {
                    throw finish(error, attempt)
                }
                retryIn = policy.delay(after: attempt, using: &random)
                logger.notice(
                    "attempt failed, retrying", metadata: ["error": "\(error.code)", "attempt": "\(attempt)"])
            }
            Counter(label: "signet_token_retries_total", dimensions: dimensions).increment()
            do { try await Task.sleep(for: retryIn ?? .zero) } catch {
                throw finish(TokenClientError(.cancelled, reason: "cancelled while waiting to retry"), attempt)
            }
        }

        /// Logs, counts and records a failure on the span.
        func finish(_ error: TokenClientError, _ attempts: Int) -> TokenClientError {
            let error = error.after(attempts: attempts)
            var metadata: Logger.Metadata = ["code": "\(error.code)", "attempts": "\(attempts)"]
            if let refusal = error.refusal {
                metadata["status"] = "\(refusal.status)"
                if let d = refusal.errorDescription { metadata["nhs_error"] = .string(d) }
                if let m = refusal.messageID { metadata["message_id"] = .string(m) }
            }
            logger.warning("token request failed", metadata: metadata)
            Counter(
                label: "signet_token_requests_total",
                dimensions: dimensions + [("outcome", "failed"), ("error", error.code.rawValue)]
            ).increment()
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error, message: error.code.rawValue))
            return error
        }
    }

    /// A refusal with the doctor's findings on the token the NHS string is about.
    private func refusedError(
        _ refusal: TokenEndpointRefusal, form: TokenRequestForm, assertion: String, grant: Grant
    ) -> TokenClientError {
        let aboutSubject = refusal.errorDescription?.contains("subject_token") ?? false
        let subject = form["subject_token"]
        let report = Doctor.examine(
            Doctor.Input(
                token: aboutSubject ? subject ?? assertion : assertion, form: form.encoded, jwks: registeredJWKS,
                clientID: minter.clientID, audience: minter.profile.audience, profile: minter.profile.kind,
                role: aboutSubject && subject != nil ? .subjectToken : .clientAssertion, now: minter.clock.now()))
        var reason = "the token endpoint answered \(refusal)"
        if refusal.errorDescription == NHSEndpointMessages.assertionAud {
            reason += "; the assertion's aud was \(minter.profile.audience), sent to \(tokenURL)"
        }
        if let first = report.findings.first(where: { $0.severity == .error }) {
            reason += "; the doctor: \(first.message)"
        } else if subject != nil, refusal.errorDescription == NHSEndpointMessages.signatureFailed, registeredJWKS != nil
        {
            // APIM words both signature failures alike; the assertion verifies, so it is the subject_token's.
            reason +=
                "; the assertion verifies against the registered JWKS, so the failed signature is the subject_token's:"
                + " the id_token is not signed by a key in the CIS2 JWKS this APIM environment trusts"
        } else if refusal.status < 500 {
            reason += "; the doctor finds nothing wrong in the \(aboutSubject ? "subject_token" : "assertion") itself"
            if registeredJWKS == nil { reason += " (give the registered JWKS to check kid and signature)" }
        }
        return TokenClientError(.refused, reason: reason, refusal: refusal, findings: report.findings)
    }

    /// One HTTP attempt, bounded by ``Configuration-swift.struct/requestTimeout`` end to end.
    private func post(_ body: String, context: ServiceContext) async -> Attempt {
        let limit = configuration.requestTimeout
        let cap = configuration.maxResponseBytes
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: TokenRequestForm.contentType)
        request.headers.add(name: "Accept", value: "application/json")
        InstrumentationSystem.instrument.inject(context, into: &request.headers, using: HTTPHeadersInjector())
        request.body = .bytes(ByteBuffer(string: body))
        let prepared = request
        let client = httpClient
        let logger = logger
        let exchange: @Sendable () async -> Attempt = {
            do {
                let response = try await client.execute(prepared, timeout: .init(limit), logger: logger)
                if response.history.count > 1 {
                    return .failed(
                        TokenClientError(
                            .configuration,
                            reason:
                                "the token endpoint redirected the request: token requests are not re-sent to another URL"
                        ))
                }
                let bytes = try await response.body.collect(upTo: cap)
                return .answer(
                    status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
                    body: String(buffer: bytes))
            } catch is NIOTooManyBytesError {
                return .failed(
                    TokenClientError(.responseTooLarge, reason: "the answer is larger than \(cap) bytes"))
            } catch is CancellationError {
                return .failed(TokenClientError(.cancelled, reason: "cancelled during the request"))
            } catch let error as HTTPClientError
                where [.connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout].contains(error)
            {
                return .failed(
                    TokenClientError(.timeout, reason: "no answer within \(limit): \(error)", underlying: error))
            } catch {
                if Task.isCancelled {
                    return .failed(TokenClientError(.cancelled, reason: "cancelled during the request"))
                }
                return .failed(
                    TokenClientError(
                        .unreachable, reason: "\(self.tokenURL) could not be reached: \(error)",
                        underlying: error))
            }
        }
        switch await Deadline.run(timeout: limit, exchange) {
        case .success(let attempt): return attempt
        case .failure(is DeadlineExceeded):
            return .failed(TokenClientError(.timeout, reason: "no complete answer within \(limit)"))
        case .failure: return .failed(TokenClientError(.cancelled, reason: "cancelled during the request"))
        }
    }

    /// 16 hex digits, random: ties the log lines and the span of one request together.
    static func requestID() -> String {
        let hex = Array("0123456789abcdef".utf8)
        var value = UInt64.random(in: .min ... .max)
        var out = [UInt8](repeating: 0, count: 16)
        for i in (0..<16).reversed() {
            out[i] = hex[Int(value & 15)]
            value >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}

/// Writes the trace context into the request's headers.
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
