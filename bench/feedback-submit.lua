-- wrk script: each request sends a finished feedback flow (the no-JavaScript
-- "send" step) and records the reference from the receipt redirect.
-- done() writes every acknowledged reference to $RECEIPTS (one per line).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = "steg=4&kind=innspill&topic=innhold&page=%2Fressurser&handling=send"
    .. "&message=Lastetest%3A+et+innspill+om+strukturen+p%C3%A5+ressurssidene."
  refs = {}
end

function response(status, headers, body)
  if status == 303 then
    local location = headers["Location"] or headers["location"]
    if location then
      refs[#refs + 1] = string.match(location, "kvittering/(.+)$")
    end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("RECEIPTS") or "receipts.txt", "w")
  local total = 0
  for _, thread in ipairs(threads) do
    local list = thread:get("refs")
    for _, r in ipairs(list) do
      out:write(r, "\n")
      total = total + 1
    end
  end
  out:close()
  io.write(string.format("acknowledged submissions: %d\n", total))
end
