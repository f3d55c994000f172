-- The BENCH line wrk prints at the end of every run of serve_bench.sh: used alone for nginx (no
-- request() hook, so wrk sends its fixed request as fast as it can) and by serve_post.lua.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_non2xx=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
