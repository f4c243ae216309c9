-- wrk script for unspin's load test: POSTs one JSON document to the path in
-- the UNSPIN_PATH environment variable (default /v1/detect), the body read
-- from the file in UNSPIN_BODY. At the end it prints one JSON line, prefixed
-- with "RESULT ", that bench/load/run.sh parses.

local path = os.getenv("UNSPIN_PATH") or "/v1/detect"
local body_file = os.getenv("UNSPIN_BODY")
local f = assert(io.open(body_file, "rb"), "cannot open UNSPIN_BODY " .. tostring(body_file))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = path
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"path":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"body_bytes":%d}\n',
    path, summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, latency.mean / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout, #body))
end
