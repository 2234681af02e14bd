// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import JWS
import Logging
import NIOCore
import NIOHTTP1
import NetworkSupport
import Synchronization

/// A JWK set published at a URL, fetched with AsyncHTTPClient and cached: what a verifier needs for the key sets
/// that APIM applications and CIS2 publish.
///
/// - **Cache.** A set that was read is used for ``Configuration-swift.struct/timeToLive``; once a caller sees it
///   within ``Configuration-swift.struct/refreshAhead`` of expiry, a refresh starts in the background and that caller
///   (and every other one) keeps the current set without waiting.
/// - **Single flight.** At most one fetch per `RemoteJWKSet` is in flight: every caller that needs one awaits the
///   same fetch. Share one instance per URL.
/// - **Outages.** When a fetch fails, the last good set is served for up to
///   ``Configuration-swift.struct/serveStaleFor`` past its expiry; after a failure no new fetch starts for
///   ``Configuration-swift.struct/retryAfterFailure``, so an outage costs callers no waiting. With no good set,
///   the failure itself is remembered as long and rethrown.
/// - **Unknown `kid`.** ``key(forKeyID:)`` re-fetches on a miss only when
///   ``Configuration-swift.struct/refetchOnUnknownKeyID`` is on, and then at most once per
///   ``Configuration-swift.struct/unknownKeyIDCooldown``: the token's sender chooses the `kid`, so a storm of
///   made-up ones must not become a storm of fetches.
/// - **Bounds.** The body is streamed and abandoned at ``Configuration-swift.struct/maxResponseBytes``;
///   ``Configuration-swift.struct/connectTimeout`` bounds the wait for the response head and
///   ``Configuration-swift.struct/requestTimeout`` the whole fetch; only `https` is fetched unless
///   ``Configuration-swift.struct/allowInsecureHTTP`` is on (redirects included).
/// - **Lenient reading.** The body is read by `JWKSet.parse`: one bad entry is skipped and listed in
///   `JWKSet.issues`, the other keys stay usable. A body with no usable key at all is `remote-jwks.not-jwks`.
///
/// ## How fetches run
/// There is no timer and no long-lived task. Fetches are triggered by callers: the first call, a call past expiry,
/// a call within the refresh-ahead window, or an unknown `kid`. Each fetch runs as one detached task that the
/// instance keeps while it is in flight (so later callers join it rather than start another) and that always ends
/// within ``Configuration-swift.struct/requestTimeout``; it does not depend on the caller that started it, so a
/// cancelled caller does not fail the callers that joined (a cancelled caller still waits for the fetch it joined,
/// at most that long). Nothing outlives the last fetch.
///
/// Cache ages are read from the clock given at creation (inject one in tests); network timeouts are real time.
public final class RemoteJWKSet: Sendable {
    /// How long keys are kept, how fetching is bounded, and what happens on a miss or an outage.
    public struct Configuration: Sendable {
        /// How long a fetched set is used before it must be fetched again.
        public var timeToLive: Duration
        /// How long before expiry a caller starts a background refresh (0: none; the set is fetched on expiry).
        public var refreshAhead: Duration
        /// Whether ``RemoteJWKSet/key(forKeyID:)`` re-fetches the set when no key has the `kid`.
        public var refetchOnUnknownKeyID: Bool
        /// The least time between two re-fetches caused by an unknown `kid`.
        public var unknownKeyIDCooldown: Duration
        /// How long past expiry the last good set is still served while fetches fail.
        public var serveStaleFor: Duration
        /// After a failed fetch, how long no new fetch starts (callers get the stale set or the failure at once).
        public var retryAfterFailure: Duration
        /// The largest body read; a larger one is abandoned with `remote-jwks.too-large`.
        public var maxResponseBytes: Int
        /// Bounds connecting and receiving the response head. (The `HTTPClient`'s own connect timeout applies too.)
        public var connectTimeout: Duration
        /// Bounds the whole fetch, body included.
        public var requestTimeout: Duration
        /// Whether plain `http` URLs (and redirects to them) are fetched; off by default, for loopback tests.
        public var allowInsecureHTTP: Bool

        /// Creates a configuration; the defaults are APIM's for client assertions (``apimClientAssertion``).
        ///
        /// - Parameters:
        ///   - timeToLive: How long a fetched set is used.
        ///   - refreshAhead: How long before expiry a background refresh starts.
        ///   - refetchOnUnknownKeyID: Whether an unknown `kid` re-fetches the set.
        ///   - unknownKeyIDCooldown: The least time between two such re-fetches.
        ///   - serveStaleFor: How long past expiry the last good set is served while fetches fail.
        ///   - retryAfterFailure: How long after a failed fetch no new fetch starts.
        ///   - maxResponseBytes: The largest body read.
        ///   - connectTimeout: Bounds connecting and receiving the response head.
        ///   - requestTimeout: Bounds the whole fetch.
        ///   - allowInsecureHTTP: Whether plain `http` is fetched.
        public init(
            timeToLive: Duration = .seconds(3600), refreshAhead: Duration = .seconds(300),
            refetchOnUnknownKeyID: Bool = false, unknownKeyIDCooldown: Duration = .seconds(300),
            serveStaleFor: Duration = .seconds(3600), retryAfterFailure: Duration = .seconds(30),
            maxResponseBytes: Int = 256 * 1024, connectTimeout: Duration = .seconds(5),
            requestTimeout: Duration = .seconds(10), allowInsecureHTTP: Bool = false
        ) {
            self.timeToLive = timeToLive
            self.refreshAhead = refreshAhead
            self.refetchOnUnknownKeyID = refetchOnUnknownKeyID
            self.unknownKeyIDCooldown = unknownKeyIDCooldown
            self.serveStaleFor = serveStaleFor
            self.retryAfterFailure = retryAfterFailure
            self.maxResponseBytes = maxResponseBytes
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.allowInsecureHTTP = allowInsecureHTTP
        }

        /// APIM's behaviour for an application's JWKS (NHS-RULES §H): cached 1 h, never re-fetched on an unknown
        /// `kid` (a newly published key is seen within the hour).
        public static var apimClientAssertion: Configuration { Configuration() }

        /// CIS2's JWKS, for id_tokens at token exchange: cached 24 h, refreshed 1 h early, re-fetched on an unknown
        /// `kid` at most every 5 minutes (CIS2 rotates its signing key and publishes the new one first).
        public static var cis2IDToken: Configuration {
            Configuration(
                timeToLive: .seconds(86_400), refreshAhead: .seconds(3600), refetchOnUnknownKeyID: true,
                unknownKeyIDCooldown: .seconds(300), serveStaleFor: .seconds(86_400))
        }
    }

    /// The URL fetched.
    public let url: String
    /// The configuration in force.
    public let configuration: Configuration

    private let httpClient: HTTPClient
    private let logger: Logger
    /// Time since creation on the injected clock.
    private let now: @Sendable () -> Duration
    private let state = Mutex(State())

    typealias Outcome = Result<JWKSet, RemoteJWKSError>

    private struct State: ~Copyable {
        /// The last good set and when the fetch that read it started.
        var current: (set: JWKSet, fetchedAt: Duration)?
        /// The fetch in flight, joined by every caller that needs one.
        var inFlight: Task<Outcome, Never>?
        /// When the last fetch failed (it ended), and how.
        var lastFailure: (at: Duration, error: RemoteJWKSError)?
        /// When an unknown `kid` last started a re-fetch.
        var lastUnknownKeyIDFetch: Duration?
        /// How many fetches have started (for logs and tests).
        var fetchCount = 0
    }

    /// Creates a remote JWK set; nothing is fetched until a key is asked for.
    ///
    /// - Parameters:
    ///   - url: The `https` URL of the JWK set.
    ///   - configuration: Cache, refresh and bounds; APIM's for client assertions by default.
    ///   - httpClient: The client to fetch with (the process-wide shared client by default).
    ///   - logger: Where fetches, failures and stale use are logged.
    ///   - clock: The clock cache ages are measured on.
    public init(
        url: String, configuration: Configuration = .apimClientAssertion, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "signet.remote-jwks"), clock: some Clock<Duration> = ContinuousClock()
    ) {
        self.url = url
        self.configuration = configuration
        self.httpClient = httpClient
        var logger = logger
        logger[metadataKey: "jwks.url"] = .string(url)
        self.logger = logger
        let start = clock.now
        self.now = { start.duration(to: clock.now) }
    }

    /// How many fetches this instance has started.
    public var fetchCount: Int { state.withLock { $0.fetchCount } }

    /// The current set, fetching it when there is none yet or it has expired.
    ///
    /// The set carries `JWKSet.issues`: entries that were skipped or are refused for verification are listed there
    /// and do not fail the set.
    ///
    /// - Returns: The set: fresh, or the last good one within ``Configuration-swift.struct/serveStaleFor`` of its
    ///   expiry while fetches fail.
    /// - Throws: `remote-jwks.not-https`, `remote-jwks.invalid-url`, `remote-jwks.unreachable`,
    ///   `remote-jwks.timeout`, `remote-jwks.http-status`, `remote-jwks.too-large`, `remote-jwks.not-jwks`,
    ///   when there is no set to serve.
    public func keySet() async throws(RemoteJWKSError) -> JWKSet {
        try checkURL(url)
        enum Plan {
            case ready(JWKSet)
            case fail(RemoteJWKSError)
            case wait(Task<Outcome, Never>)
        }
        let t = now()
        let config = configuration
        let plan = state.withLock { s -> Plan in
            let failedRecently = s.lastFailure.map { t - $0.at < config.retryAfterFailure } ?? false
            if let current = s.current {
                let age = t - current.fetchedAt
                if age < config.timeToLive {
                    if age >= config.timeToLive - config.refreshAhead, s.inFlight == nil, !failedRecently {
                        logger.debug("refreshing ahead of expiry")
                        _ = startFetch(&s, at: t)
                    }
                    return .ready(current.set)
                }
                if failedRecently, age < config.timeToLive + config.serveStaleFor { return .ready(current.set) }
            }
            // Nothing to serve and a fetch failed moments ago: the same answer, without asking the server again.
            if failedRecently, s.inFlight == nil, let failure = s.lastFailure { return .fail(failure.error) }
            return .wait(s.inFlight ?? startFetch(&s, at: t))
        }
        switch plan {
        case .ready(let set): return set
        case .fail(let error): throw error
        case .wait(let task):
            switch await task.value {
            case .success(let set): return set
            case .failure(let error):
                if let set = staleSet() {
                    logger.warning(
                        "serving the last good JWK set through a failed fetch", metadata: ["error": "\(error)"])
                    return set
                }
                throw error
            }
        }
    }

    /// The key whose `kid` is `kid`; on a miss, re-fetches the set first when
    /// ``Configuration-swift.struct/refetchOnUnknownKeyID`` is on, at most once per
    /// ``Configuration-swift.struct/unknownKeyIDCooldown`` (a fetch already in flight is joined at no cost).
    ///
    /// The key may be one the set refuses for verification (see `JWKSet.verificationKeys(defaultAlgorithm:)` and
    /// the set's issues); bind it to an algorithm with `JWKSet.Key.boundAlgorithm(default:)`.
    ///
    /// - Parameter kid: The token header's `kid`.
    /// - Returns: The first key with that `kid`, or `nil` (also when the re-fetch on a miss fails: the failure is
    ///   logged).
    /// - Throws: As ``keySet()``, when there is no set at all.
    public func key(forKeyID kid: String) async throws(RemoteJWKSError) -> JWKSet.Key? {
        let set = try await keySet()
        if let key = set.keys.first(where: { $0.keyID == kid }) { return key }
        guard configuration.refetchOnUnknownKeyID else { return nil }
        let t = now()
        let cooldown = configuration.unknownKeyIDCooldown
        let task = state.withLock { s -> Task<Outcome, Never>? in
            if let inFlight = s.inFlight { return inFlight }
            if let last = s.lastUnknownKeyIDFetch, t - last < cooldown { return nil }
            s.lastUnknownKeyIDFetch = t
            logger.debug("re-fetching for an unknown kid", metadata: ["kid": .string(kid)])
            return startFetch(&s, at: t)
        }
        guard let task else { return nil }
        switch await task.value {
        case .success(let set): return set.keys.first { $0.keyID == kid }
        case .failure(let error):
            logger.warning("re-fetch for an unknown kid failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The last good set while it may still be served (fresh, or stale within the bound).
    private func staleSet() -> JWKSet? {
        let t = now()
        return state.withLock { s in
            guard let current = s.current,
                t - current.fetchedAt < configuration.timeToLive + configuration.serveStaleFor
            else { return nil }
            return current.set
        }
    }

    /// Starts the one fetch; the caller holds the lock, and the task takes it only to publish its outcome, so it
    /// cannot clear `inFlight` before it is set.
    private func startFetch(_ s: inout State, at t: Duration) -> Task<Outcome, Never> {
        s.fetchCount += 1
        let task = Task.detached { [self] () -> Outcome in
            let outcome = await fetch()
            let ended = now()
            state.withLock { s in
                s.inFlight = nil
                switch outcome {
                case .success(let set):
                    s.current = (set, t)
                    s.lastFailure = nil
                case .failure(let error):
                    s.lastFailure = (ended, error)
                }
            }
            switch outcome {
            case .success(let set):
                if !set.issues.isEmpty {
                    logger.warning(
                        "JWK set read with issues",
                        metadata: ["issues": .array(set.issues.map { .string($0.description) })])
                }
            case .failure(let error):
                logger.warning("JWK set fetch failed", metadata: ["error": "\(error)"])
            }
            return outcome
        }
        s.inFlight = task
        return task
    }

    // MARK: - Fetching

    private func checkURL(_ url: String) throws(RemoteJWKSError) {
        let lower = url.lowercased()
        if lower.hasPrefix("https://"), lower.count > 8 { return }
        if lower.hasPrefix("http://"), lower.count > 7 {
            guard configuration.allowInsecureHTTP else {
                throw RemoteJWKSError(
                    .notHTTPS,
                    reason:
                        "\(url) is plain http: a JWK set decides whose signatures are trusted, so it is fetched over https only"
                )
            }
            return
        }
        throw RemoteJWKSError(.invalidURL, reason: "\(url) is not an absolute https URL")
    }

    /// One fetch, bounded by the request timeout: the download races a timer, and the loser is cancelled.
    private func fetch() async -> Outcome {
        let limit = configuration.requestTimeout
        switch await Deadline.run(timeout: limit, { await self.download() }) {
        case .success(let outcome): return outcome
        case .failure(is DeadlineExceeded):
            return .failure(RemoteJWKSError(.timeout, reason: "the JWK set was not received within \(limit)"))
        case .failure: return .failure(RemoteJWKSError(.timeout, reason: "the fetch was cancelled"))
        }
    }

    private func download() async -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response: HTTPClientResponse
        do {
            let headDeadline = NIODeadline.now() + TimeAmount(configuration.connectTimeout)
            response = try await httpClient.execute(request, deadline: headDeadline, logger: logger)
        } catch {
            return .failure(Self.classify(error, waitingFor: "the response head"))
        }
        if !configuration.allowInsecureHTTP,
            let hop = response.history.first(where: { !$0.request.url.lowercased().hasPrefix("https://") })
        {
            return .failure(
                RemoteJWKSError(
                    .notHTTPS, reason: "the fetch was redirected to \(hop.request.url), which is not https"))
        }
        guard response.status == .ok else {
            return .failure(
                RemoteJWKSError(
                    .httpStatus, reason: "the server answered \(response.status.code) \(response.status.reasonPhrase)",
                    status: Int(response.status.code)))
        }
        let cap = configuration.maxResponseBytes
        if let declared = response.headers.first(name: "content-length").flatMap(Int.init), declared > cap {
            return .failure(Self.tooLarge(cap, found: "declares \(declared) bytes"))
        }
        var body: [UInt8] = []
        do {
            for try await chunk in response.body {
                guard body.count + chunk.readableBytes <= cap else {
                    return .failure(Self.tooLarge(cap, found: "went past it"))
                }
                body += chunk.readableBytesView
            }
        } catch {
            return .failure(Self.classify(error, waitingFor: "the body"))
        }
        return Self.read(body)
    }

    /// Reads a body as a JWK set: `remote-jwks.not-jwks` unless at least one RSA key loaded.
    static func read(_ body: [UInt8]) -> Outcome {
        guard let text = String(validating: body, as: UTF8.self) else {
            return .failure(RemoteJWKSError(.notJWKS, reason: "the body is not UTF-8 text, so not a JWK set"))
        }
        let set: JWKSet
        do throws(JSONError) {
            set = try JWKSet.parse(text)
        } catch {
            return .failure(
                RemoteJWKSError(.notJWKS, reason: "the body is not JSON: \(error.reason)", underlying: error))
        }
        guard !set.keys.isEmpty else {
            let why = set.issues.first.map { ": \($0.reason)" } ?? ""
            return .failure(
                RemoteJWKSError(.notJWKS, reason: "the body holds no usable RSA key\(why)", issues: set.issues))
        }
        return .success(set)
    }

    private static func tooLarge(_ cap: Int, found: String) -> RemoteJWKSError {
        RemoteJWKSError(
            .tooLarge, reason: "the body \(found), over the \(cap)-byte limit for a JWK set; it was not read")
    }

    private static func classify(_ error: any Error, waitingFor what: String) -> RemoteJWKSError {
        if let error = error as? HTTPClientError,
            error == .deadlineExceeded || error == .connectTimeout || error == .readTimeout
        {
            return RemoteJWKSError(.timeout, reason: "timed out waiting for \(what)", underlying: error)
        }
        if error is CancellationError {
            return RemoteJWKSError(.timeout, reason: "cancelled while waiting for \(what)", underlying: error)
        }
        return RemoteJWKSError(
            .unreachable, reason: "the JWK set could not be fetched (\(what)): \(error)", underlying: error)
    }
}
