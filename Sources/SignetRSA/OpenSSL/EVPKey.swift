// SPDX-License-Identifier: Apache-2.0
internal import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single owner of an `EVP_PKEY`. Immutable after creation; OpenSSL 3 documents `EVP_PKEY` as safe to use
/// from many threads for signing and verifying as long as nobody modifies it, and nothing here does.
@safe final class EVPKey: @unchecked Sendable {
    let pkey: OpaquePointer

    /// Takes ownership of `pkey`.
    init(taking pkey: OpaquePointer) { unsafe self.pkey = pkey }

    deinit { unsafe EVP_PKEY_free(pkey) }

    /// Modulus size in bits.
    var bits: Int { Int(unsafe EVP_PKEY_get_bits(pkey)) }

    /// True when the key is an RSA key (not RSA-PSS restricted, not EC).
    var isRSA: Bool { unsafe EVP_PKEY_is_a(pkey, "RSA") == 1 }

    /// Big-endian bytes of a BIGNUM parameter (`n`, `e`), or `nil` when absent.
    func bigEndianParameter(_ name: String) -> [UInt8]? {
        var bn: OpaquePointer? = nil
        guard unsafe EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let bn = unsafe bn else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { unsafe BN_clear_free(bn) }
        let count = Int(unsafe COpenSSL_BN_num_bytes(bn))
        var out = [UInt8](repeating: 0, count: count)
        _ = unsafe out.withUnsafeMutableBytes { unsafe COpenSSL_BN_bn2binpad(bn, $0.baseAddress, Int32(count)) }
        return out
    }
}

/// Per-operation OpenSSL state for one private key and one algorithm: a signing `EVP_PKEY_CTX` initialised once
/// (padding PKCS#1 v1.5, signature digest set). The digest is computed without a context
/// (``Digests/hash(_:algorithm:into:)``); verification runs on ``RSAPublicOperation``. Never shared between threads.
@safe final class RSAOperationContext: @unchecked Sendable {  // only ever used by one thread at a time (see ContextPool)
    let pkeyCtx: OpaquePointer

    init(key: EVPKey, algorithm: RSASignatureAlgorithm) throws(SignetRSAError) {
        let md = try unsafe Digests.md(for: algorithm)
        guard let pkeyCtx = unsafe EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil) else {
            throw OpenSSLErrorQueue.error(.openSSL, "EVP_PKEY_CTX_new_from_pkey failed")
        }
        unsafe self.pkeyCtx = pkeyCtx
        try openSSLCheck(unsafe EVP_PKEY_sign_init(pkeyCtx), "EVP_PKEY_sign_init")
        try openSSLCheck(unsafe EVP_PKEY_CTX_set_rsa_padding(pkeyCtx, RSA_PKCS1_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
        try openSSLCheck(unsafe EVP_PKEY_CTX_set_signature_md(pkeyCtx, md), "EVP_PKEY_CTX_set_signature_md")
    }

    deinit {
        unsafe EVP_PKEY_CTX_free(pkeyCtx)
    }
}

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
