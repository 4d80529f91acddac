-- wrk script for bench/run.py: several signed-in clients at once, and exact percentiles.
--
-- bench/run.py writes a Lua file returning the table below and names it in the environment
-- variable BENCH_WRK_CONFIG:
--
--   return {
--     clients = {  -- one per signed-in user (or API token)
--       {method = "GET", path = "/dashboard", headers = {Cookie = "session=..."}, body = nil},
--       ...
--     },
--     success = {200},          -- statuses that count as success
--     stopped = {},             -- statuses that count as a stopped (blocked/refused) viewing
--     -- or, for a web form whose answer is always a redirect, by where it leads:
--     success_location = "/viewings/%d+$", stopped_location = "/viewings/stopped/",
--   }
--
-- Client i goes to thread (i - 1) % threads; a thread sends its clients' requests in turn, so
-- with as many threads (and connections) as clients each connection is one client throughout.
-- done() prints one line, "BENCH_RESULT {json}", with the latency percentiles (microseconds),
-- the number of responses by status and by outcome, and wrk's socket errors.

local config = dofile(os.getenv("BENCH_WRK_CONFIG"))
local threads = {}

function setup(thread)
  local index = #threads
  table.insert(threads, thread)
  thread:set("thread_index", index)
end

local requests_ = {}
local position = 0
-- Globals, so that done() can read each thread's with thread:get().
statuses = {}
outcomes = {success = 0, stopped = 0, failure = 0}

local function set_of(list)
  local s = {}
  for _, v in ipairs(list or {}) do s[v] = true end
  return s
end

local success = set_of(config.success)
local stopped = set_of(config.stopped)

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS")) or 1
  for i, client in ipairs(config.clients) do
    if (i - 1) % nthreads == thread_index then
      table.insert(requests_, wrk.format(client.method, client.path, client.headers, client.body))
    end
  end
  if #requests_ == 0 then
    -- More threads than clients: share them round the threads.
    local client = config.clients[(thread_index % #config.clients) + 1]
    table.insert(requests_, wrk.format(client.method, client.path, client.headers, client.body))
  end
end

function request()
  position = position % #requests_ + 1
  return requests_[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local kind = "failure"
  if config.success_location then
    local where = headers["Location"] or headers["location"] or ""
    if status >= 300 and status < 400 then
      if config.stopped_location and string.find(where, config.stopped_location) then
        kind = "stopped"
      elseif string.find(where, config.success_location) then
        kind = "success"
      end
    end
  elseif success[status] then
    kind = "success"
  elseif stopped[status] then
    kind = "stopped"
  end
  outcomes[kind] = outcomes[kind] + 1
end

local function json_counts(t)
  local parts = {}
  for k, v in pairs(t) do
    table.insert(parts, string.format('"%s": %d', tostring(k), v))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local all_statuses, all_outcomes = {}, {success = 0, stopped = 0, failure = 0}
  for _, thread in ipairs(threads) do
    for k, v in pairs(thread:get("statuses") or {}) do
      all_statuses[k] = (all_statuses[k] or 0) + v
    end
    for k, v in pairs(thread:get("outcomes") or {}) do
      all_outcomes[k] = (all_outcomes[k] or 0) + v
    end
  end
  local e = summary.errors
  local function pct(p)
    if summary.requests == 0 then return -1 end
    return latency:percentile(p)
  end
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "min": %d, "max": %d, "mean": %.1f}, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"non_2xx_3xx": %d, "statuses": %s, "outcomes": %s}\n',
    summary.requests, summary.duration, summary.bytes,
    pct(50), pct(90), pct(95), pct(99),
    summary.requests > 0 and latency.min or -1, summary.requests > 0 and latency.max or -1,
    summary.requests > 0 and latency.mean or -1,
    e.connect, e.read, e.write, e.timeout, e.status,
    json_counts(all_statuses), json_counts(all_outcomes)))
end
