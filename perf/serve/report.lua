-- wrk: the one summary line perf/serve/load.sh reads, shared by load.lua and attack.lua (loaded with dofile from
-- the repository root, where load.sh runs wrk).
done = function(summary, latency, requests)
  io.write(string.format("wrk: requests=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
