// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A monotonic nanosecond clock (no Foundation in the library).
enum MonotonicClock {
    static func now() -> UInt64 {
        var ts = timespec()
        unsafe clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Median duration of `count` timed runs of `operation` (at least one), after `warmUp` untimed runs, in
    /// nanoseconds; `nil` as soon as a run reports failure.
    static func medianNanoseconds(runs count: Int, warmUp: Int = 0, _ operation: () -> Bool) -> UInt64? {
        var samples: [UInt64] = []
        for run in 0..<(warmUp + max(1, count)) {
            let start = now()
            guard operation() else { return nil }
            if run >= warmUp { samples.append(now() - start) }
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}
