// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// A valid APIM access token, always: the `client_credentials` token of one application, cached until its
/// `expires_in` less a margin, refreshed ahead of expiry, and fetched by exactly one request however many callers
/// need it at once (single flight).
///
/// ```swift
/// let minter = try ClientAssertionMinter(key: key, keyID: "k1", clientID: apiKey, profile: .apim(.int))
/// let tokens = try AccessTokenClient(endpoint: TokenEndpoint(minter: minter))
/// let bearer = try await tokens.accessToken()
/// ```
///
/// Each HTTP attempt carries a fresh assertion with a fresh `jti` (see ``TokenEndpoint``). Token age is measured on
/// a monotonic clock from the start of the refresh that fetched it (retries included, so it errs on the safe side),
/// so a wall clock that jumps never makes an expired token look valid. Lifetimes over 24 h are treated as 24 h; an
/// `expires_in` of 0 is refused. After a refusal that retrying cannot fix (a `4xx`), callers get that error for
/// ``Configuration-swift.struct/retryInterval`` without a new request, so a misconfigured key does not hammer the
/// endpoint. A caller that is cancelled while it waits stops waiting at once; the request it joined goes on for
/// the others.
///
/// Run it in a `ServiceGroup` (or call ``run()``) to refresh in the background; without that, a call made once
/// ``Configuration-swift.struct/refreshAfter`` of the lifetime has passed starts the refresh and is answered with
/// the still-valid token.
///
/// The hot path (a cached, valid token) reads the clock once and takes one short lock (no I/O, logging or task
/// creation under it); it does not allocate.
public final class AccessTokenClient: Service, Sendable {
    /// When a cached token is served, and when it is refreshed.
    public struct Configuration: Sendable, Equatable {
        /// A token is served until `expires_in` minus this margin (at most half the lifetime), so that it is still
        /// valid when the API receives it.
        public var expiryMargin: Duration
        /// The fraction of the lifetime after which a refresh starts in the background (0…1).
        public var refreshAfter: Double
        /// After a failed background refresh, the wait before the next try while the token is still usable.
        public var retryInterval: Duration

        /// Creates a configuration.
        public init(
            expiryMargin: Duration = .seconds(30), refreshAfter: Double = 0.75, retryInterval: Duration = .seconds(5)
        ) {
            self.expiryMargin = expiryMargin
            self.refreshAfter = min(1, max(0, refreshAfter))
            self.retryInterval = retryInterval
        }
    }

    /// The endpoint tokens come from.
    public let endpoint: TokenEndpoint
    /// The configuration in force.
    public let configuration: Configuration

    private let now: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private let logger: Logger
    private let state = Mutex(State())

    typealias Outcome = Result<Cached, TokenClientError>

    /// A token and the times, on the monotonic clock, that govern it.
    struct Cached: Sendable {
        let response: TokenResponse
        let refreshAt: Duration
        let usableUntil: Duration
    }

    private struct State: ~Copyable {
        var current: Cached?
        var inFlight = false
        var waiters: [Int: CheckedContinuation<Outcome, Never>] = [:]
        var nextWaiterID = 0
        var lastFailure: (at: Duration, error: TokenClientError)?
        var requestCount = 0
    }

    /// Creates a client; nothing is fetched until a token is asked for or ``run()`` starts.
    ///
    /// - Parameters:
    ///   - endpoint: A `client_credentials` endpoint (APIM's token URL and an APIM minter).
    ///   - configuration: Margins and refresh timing.
    ///   - logger: Where refreshes are logged.
    ///   - clock: The clock token ages are measured on (monotonic by default; inject one to test).
    public init(
        endpoint: TokenEndpoint, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "signet.access-token"), clock: some Clock<Duration> = ContinuousClock()
    ) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.logger = logger
        let start = clock.now
        self.now = { start.duration(to: clock.now) }
        self.sleep = { try await clock.sleep(for: $0) }
    }

    /// How many token requests this client has started (for tests and logs).
    public var requestCount: Int { state.withLock { $0.requestCount } }

    /// A bearer token that is valid now and for at least the expiry margin.
    ///
    /// - Returns: The cached token, or a new one when there is none or it is within its margin of expiry.
    /// - Throws: ``TokenClientError``: the refresh's error, or `token-client.cancelled` when the caller is
    ///   cancelled while it waits.
    public func accessToken() async throws(TokenClientError) -> String {
        try await token().accessToken
    }

    /// The whole token answer behind ``accessToken()`` (`expires_in`, `issued_at`, …).
    ///
    /// - Throws: As ``accessToken()``.
    public func token() async throws(TokenClientError) -> TokenResponse {
        let t = now()
        let (ready, refresh) = state.withLock { s -> (TokenResponse?, Bool) in
            guard let c = s.current, t < c.usableUntil else { return (nil, false) }
            guard t >= c.refreshAt, !s.inFlight, !failedRecently(s, at: t) else { return (c.response, false) }
            claimRefresh(&s)
            return (c.response, true)
        }
        if refresh { launchRefresh(reason: "ahead", started: t) }
        if let ready { return ready }
        return try await waitForToken().response
    }

    /// Drops the cached token if it is `token` (say, when the API answered 401 for it), so that the next call
    /// fetches a new one.
    ///
    /// - Parameter token: The access token the API refused.
    public func invalidate(_ token: String) {
        state.withLock { s in
            if s.current?.response.accessToken == token { s.current = nil }
        }
    }

    /// Keeps the token fresh until cancelled or until graceful shutdown: fetches one at once, then refreshes each
    /// time ``Configuration-swift.struct/refreshAfter`` of its lifetime has passed, retrying every
    /// ``Configuration-swift.struct/retryInterval`` after a failure.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let t = self.now()
                let wait = self.state.withLock { s -> Duration in
                    guard let c = s.current, t < c.usableUntil else { return .zero }
                    if let f = s.lastFailure, t - f.at < self.configuration.retryInterval {
                        return min(self.configuration.retryInterval - (t - f.at), c.usableUntil - t)
                    }
                    return max(.zero, c.refreshAt - t)
                }
                if wait > .zero {
                    do { try await self.sleep(wait) } catch { return }
                    continue
                }
                do { _ = try await self.refreshNow() } catch {
                    do { try await self.sleep(self.configuration.retryInterval) } catch { return }
                }
            }
        }
    }

    /// Refreshes now, joining a refresh already in flight.
    ///
    /// - Returns: The new token answer.
    /// - Throws: As ``accessToken()``.
    @discardableResult
    public func refreshNow() async throws(TokenClientError) -> TokenResponse {
        try await waitForToken(acceptCurrent: false).response
    }

    // MARK: - Single flight

    private func failedRecently(_ s: borrowing State, at t: Duration) -> Bool {
        s.lastFailure.map { t - $0.at < configuration.retryInterval } ?? false
    }

    /// Waits for the refresh in flight (starting one if needed), or returns at once with a usable token when
    /// `acceptCurrent` and one has arrived; a cancelled caller is released with `token-client.cancelled`.
    private func waitForToken(acceptCurrent: Bool = true) async throws(TokenClientError) -> Cached {
        let id = state.withLock { s in
            s.nextWaiterID += 1
            return s.nextWaiterID
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
                let t = now()
                let (immediate, refresh) = state.withLock { s -> (Outcome?, String?) in
                    if Task.isCancelled { return (.failure(Self.cancelled), nil) }
                    if acceptCurrent, let current = s.current, t < current.usableUntil {
                        return (.success(current), nil)
                    }
                    if acceptCurrent, !s.inFlight, let f = s.lastFailure, t - f.at < configuration.retryInterval,
                        !Self.isTransient(f.error)
                    {
                        return (.failure(f.error), nil)
                    }
                    s.waiters[id] = c
                    guard !s.inFlight else { return (nil, nil) }
                    claimRefresh(&s)
                    return (nil, !acceptCurrent ? "requested" : s.current == nil ? "first" : "expired")
                }
                if let immediate { c.resume(returning: immediate) }
                if let refresh { launchRefresh(reason: refresh, started: t) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: .failure(Self.cancelled))
        }
        return try outcome.get()
    }

    private static let cancelled = TokenClientError(.cancelled, reason: "cancelled while waiting for a token")

    /// Marks the one token request as in flight; the caller holds the lock and calls ``launchRefresh(reason:started:)``
    /// after releasing it (the task takes the lock only to publish its outcome, so it cannot clear the mark early).
    private func claimRefresh(_ s: inout State) {
        s.inFlight = true
        s.requestCount += 1
    }

    /// Whether retrying might help after `error`: transport failures, timeouts, `408`, `429` and `5xx`.
    static func isTransient(_ error: TokenClientError) -> Bool {
        switch error.code {
        case .unreachable, .timeout, .cancelled: return true
        case .refused: return error.refusal.map { RetryPolicy.isTransient(status: $0.status) } ?? true
        default: return false
        }
    }

    /// Runs the request claimed by ``claimRefresh(_:)`` and hands its outcome to every waiter.
    private func launchRefresh(reason: String, started: Duration) {
        Counter(label: "signet_token_refreshes_total", dimensions: [("reason", reason)]).increment()
        logger.debug("requesting a token", metadata: ["reason": .string(reason)])
        Task.detached { [self] in
            var outcome: Outcome
            do throws(TokenClientError) {
                let response = try await endpoint.clientCredentials()
                outcome = .success(cached(response, requestedAt: started))
            } catch {
                outcome = .failure(error)
            }
            if case .success(let c) = outcome, c.response.expiresIn < 1 {
                outcome = .failure(
                    TokenClientError(
                        .responseInvalid, reason: "the token endpoint answered expires_in 0: a token already expired"))
            }
            let ended = now()
            let waiters = state.withLock { s in
                s.inFlight = false
                switch outcome {
                case .success(let c):
                    s.current = c
                    s.lastFailure = nil
                case .failure(let e):
                    s.lastFailure = (ended, e)
                }
                defer { s.waiters = [:] }
                return s.waiters
            }
            for waiter in waiters.values { waiter.resume(returning: outcome) }
        }
    }

    /// The serving window of a token requested at `t`: usable until `expires_in` less the margin (at most half
    /// the lifetime), refreshed after ``Configuration-swift.struct/refreshAfter`` of it.
    func cached(_ response: TokenResponse, requestedAt t: Duration) -> Cached {
        let lifetime = Duration.seconds(min(response.expiresIn, 86_400))
        let margin = min(configuration.expiryMargin, lifetime / 2)
        let usable = lifetime - margin
        let refresh = min(usable, lifetime * configuration.refreshAfter)
        return Cached(response: response, refreshAt: t + refresh, usableUntil: t + usable)
    }
}
