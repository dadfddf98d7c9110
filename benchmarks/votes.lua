-- wrk script: every request is a new vote from one of the prepared participants (by xid, with
-- the embedding site's signature of it) on one of the statements, with its own Idempotency-Key.
-- Counts acknowledged votes per status.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  participants = tonumber(args[1])
  statements = tonumber(args[2])
  signatures = {}
  for line in io.lines(args[3]) do
    table.insert(signatures, line)
  end
  prefix = args[4] or "t"  -- a run of its own on the same database gives its own prefix
  acked = 0
  failed = 0
  math.randomseed(id * 7919 + 17)
end

function request()
  counter = counter + 1
  local who = math.random(0, participants - 1)
  local body = string.format('{"xid": "bench-%d", "xid_signature": "%s", "statement": %d, "vote": %d}',
    who, signatures[who + 1], math.random(0, statements - 1), math.random(-1, 1))
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = string.format("%s%d-%d", prefix, id, counter)
  return wrk.format("POST", wrk.path, headers, body)
end

function response(status, headers, body)
  if status == 201 or status == 200 then
    acked = acked + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local total_acked, total_failed = 0, 0
  for _, thread in ipairs(threads) do
    total_acked = total_acked + thread:get("acked")
    total_failed = total_failed + thread:get("failed")
  end
  io.write(string.format("ACKED %d\nFAILED %d\n", total_acked, total_failed))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("P%d_MS %.2f\n", p, latency:percentile(p) / 1000))
  end
end
