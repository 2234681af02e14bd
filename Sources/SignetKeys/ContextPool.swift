// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small pool of per-operation contexts (``RSAOperationContext``s for signing, ``PublicOperationScratch`` for
/// verifying) so that concurrent callers never share one and a steady stream of operations reuses the same
/// contexts (no OpenSSL context setup per token).
///
/// Guarded by a `pthread_mutex_t` rather than `Synchronization.Mutex`: on Linux the latter is built on raw futexes,
/// which ThreadSanitizer cannot see, so every pool access was reported as a race.
@safe final class ContextPool<Context: AnyObject>: @unchecked Sendable {  // all state is accessed under `lock`
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private var free: [Context]
    private let capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
        self.free = []
        self.free.reserveCapacity(capacity)
        unsafe self.lock = .allocate(capacity: 1)
        unsafe self.lock.initialize(to: pthread_mutex_t())
        unsafe pthread_mutex_init(self.lock, nil)
    }

    deinit {
        unsafe pthread_mutex_destroy(lock)
        unsafe lock.deallocate()
    }

    /// A context from the pool, or `nil` when none is free.
    func take() -> Context? {
        unsafe pthread_mutex_lock(lock)
        defer { unsafe pthread_mutex_unlock(lock) }
        return free.popLast()
    }

    /// Returns a context for reuse (dropped, and so freed, when the pool is full).
    func put(_ context: Context) {
        unsafe pthread_mutex_lock(lock)
        defer { unsafe pthread_mutex_unlock(lock) }
        if free.count < capacity { free.append(context) }
    }
}
