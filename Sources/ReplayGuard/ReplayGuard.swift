// SPDX-License-Identifier: Apache-2.0

/// A store of the `(sub, jti)` pairs a verifier has already accepted, so that a token cannot be used twice.
///
/// A claim is one atomic "insert if absent": the pair is recorded until `expiry`, and a second claim of the same pair
/// before then is a replay, whichever instance of the server sees it. Records are compared byte for byte (the UTF-8
/// of `subject` and `jti`, no Unicode normalisation, as RFC 7519 §7.3 asks of JWT strings).
///
/// Implementations: ``InMemoryReplayGuard`` (one process, bounded, the default) and `PostgresReplayGuard` in the
/// `ReplayGuardPostgres` module (one table shared by every instance).
///
/// A server that follows APIM claims the `jti` before it verifies the signature (NHS-RULES rule 13), so a request that
/// fails later has still used its `jti`; one that did not even parse must not reach the guard.
public protocol ReplayGuard: Sendable {
    /// Records `(subject, jti)` as used until `expiry`, atomically.
    ///
    /// - Parameters:
    ///   - subject: The token's `sub` (APIM keys its cache by `sub` and `jti`).
    ///   - jti: The token's `jti`.
    ///   - expiry: Unix seconds until which the pair stays recorded: the token's `exp` plus the verifier's clock skew
    ///     (or a fixed window, e.g. APIM's 30 days from `now`). Must be later than `now`.
    ///   - now: The verifier's current time in Unix seconds; records with an expiry at or before it are gone.
    /// - Returns: ``ReplayClaim/firstUse`` if the pair was absent or its record had expired (it is now recorded until
    ///   `expiry`); ``ReplayClaim/replay(firstSeen:)`` if a live record exists (left unchanged).
    /// - Throws: `replay.invalid-input` (a field longer than the guard accepts, or `expiry` not after `now`),
    ///   `replay.capacity` (no room without forgetting a live record), `replay.store-unavailable` and
    ///   `replay.timeout` (the shared store did not answer). A verifier refuses the token on any error: the guard
    ///   fails closed.
    func claim(
        subject: String, jti: String, until expiry: Int64, now: Int64
    ) async throws(ReplayGuardError)
        -> ReplayClaim
}

/// The outcome of ``ReplayGuard/claim(subject:jti:until:now:)``.
public enum ReplayClaim: Hashable, Sendable {
    /// The pair was not recorded (or its record had expired); it is recorded now.
    case firstUse
    /// The pair is already recorded: the token is a replay. `firstSeen` is the `now` (Unix seconds) of the claim that
    /// recorded it.
    case replay(firstSeen: Int64)

    /// Whether this is ``firstUse``.
    public var isFirstUse: Bool {
        if case .firstUse = self { return true }
        return false
    }
}

/// Limits every guard applies to its input.
public enum ReplayGuardLimits {
    /// The longest `subject` or `jti` accepted by default, in UTF-8 bytes (a UUID is 36, an APIM key 32).
    public static let defaultMaximumFieldLength = 1024

    /// Checks one claim's input against the limits every guard shares.
    ///
    /// - Throws: `replay.invalid-input` if `subject` or `jti` is longer than `maximumFieldLength` UTF-8 bytes, or if
    ///   `expiry` is not after `now` (such a record would be expired at once and protect nothing).
    package static func check(
        subject: String, jti: String, expiry: Int64, now: Int64, maximumFieldLength: Int
    ) throws(ReplayGuardError) {
        if subject.utf8.count > maximumFieldLength {
            throw ReplayGuardError(
                .invalidInput,
                reason: "subject is \(subject.utf8.count) bytes, more than the \(maximumFieldLength) this guard accepts"
            )
        }
        if jti.utf8.count > maximumFieldLength {
            throw ReplayGuardError(
                .invalidInput,
                reason: "jti is \(jti.utf8.count) bytes, more than the \(maximumFieldLength) this guard accepts")
        }
        if expiry <= now {
            throw ReplayGuardError(
                .invalidInput, reason: "expiry \(expiry) is not after now \(now): the record would protect nothing")
        }
    }
}

/// A replay guard whose store has work of its own while a server uses it: a connection pool to run, its table to
/// create before the first claim, expired records to purge. A server that is given one runs itself inside
/// ``run(beside:)``; a plain ``ReplayGuard`` (``InMemoryReplayGuard``) needs nothing.
///
/// The server does not know which store it has: the composition root (`signet serve`) picks it, so that a server
/// module depends on this protocol, never on PostgreSQL.
public protocol ReplayGuardService: ReplayGuard {
    /// Prepares the store (e.g. creates its table), then runs `server` with the store's own work beside it until
    /// `server` returns or throws, and stops that work.
    ///
    /// - Parameter server: The server's run loop.
    /// - Throws: What preparing the store throws (e.g. `replay.store-unavailable`), or what `server` throws.
    func run(beside server: @Sendable () async throws -> Void) async throws
}
