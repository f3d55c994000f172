-- wrk script for the "resources in -> claims out" row of bench/serve_bench.sh:
--   wrk ... -s bench/serve_claims.lua URL -- claims RUNTAG COUNT THREADS DONE_PREFIX
-- serve_post.lua's `claims` mode (encounters 1..COUNT as transaction Bundles, split over the
-- threads; then GET /fhir/metadata), plus a response() hook: once every Bundle of its share was
-- answered (a 2xx transaction-response) a thread writes the file DONE_PREFIX<thread number> and
-- stops. wrk itself runs until -d is over or SIGINT: serve_bench.sh sends SIGINT when every
-- thread's file is there. Kept apart from serve_post.lua because wrk parses every response's
-- headers into Lua when a script has response(), which the other rows should not pay for.
dofile("bench/serve_post.lua")

local answered = 0
local donePrefix

local postInit = init
function init(args)
  postInit(args)
  donePrefix = args[5]
end

function response(status, headers, body)
  if status >= 200 and status < 300 and body:find("transaction-response", 1, true) then
    answered = answered + 1
    if answered == share() then
      local file = assert(io.open(donePrefix .. tid, "w"))
      file:close()
      wrk.thread:stop()
    end
  end
end
