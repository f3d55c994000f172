-- wrk script for bench/serve_bench.sh: every request carries a new resource id, so every POST
-- is a new resource the daemon must journal (no idempotent short cut).
--   wrk ... -s bench/serve_post.lua URL -- MODE RUNTAG
-- MODE: minimal  POST /fhir/MedicationAdministration, Prefer: return=minimal (interface engine)
--       default  the same without Prefer (the daemon sends the resource back)
--       put      PUT /fhir/MedicationAdministration/{id}, Prefer: return=minimal
--       bundle   POST /fhir a transaction Bundle of one encounter, Prefer: return=minimal:
--                the bulk fixture's (tests/fixtures/bulk/sample01) Encounter and
--                MedicationAdministration with new ids and a new visit identifier, plus PUT
--                entries of its Patient, Coverage, Organizations, Practitioner, Location,
--                Medication, Condition and Device, identical in every Bundle (stored once,
--                then answered 200 unchanged) - 11 entries, ~5 KB
--       claims   the same Bundles, encounters 1..COUNT of the run split over the THREADS wrk
--                threads (wrk ... -- claims RUNTAG COUNT THREADS); a thread that sent its share
--                sends GET /fhir/metadata (no write) until it is stopped. Run through
--                bench/serve_claims.lua, which stops each thread once its share is answered
-- RUNTAG keeps ids of several runs against one journal apart.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local mode = "minimal"
local tag = "r"
local counter = 0
local base = "/fhir"

limit = 0     -- claims: encounters of the run (global: serve_claims.lua reads it)
nthreads = 1  -- claims: wrk threads sharing them

-- claims: how many of the encounters are this thread's (thread t sends t, t + nthreads, ...).
function share()
  if tid > limit then return 0 end
  return math.floor((limit - tid) / nthreads) + 1
end
local shared = ""   -- bundle/claims: the PUT entries of the shared resources
local encounterTemplate, administrationTemplate

local function fixture(name)
  local file = assert(io.open("tests/fixtures/bulk/sample01/" .. name .. ".ndjson", "r"))
  local lines = {}
  for line in file:lines() do
    if line:match("%S") then table.insert(lines, line) end
  end
  file:close()
  return lines
end

local function loadFixture()
  local entries = {}
  for _, name in ipairs({"Patient", "Coverage", "Organization", "Practitioner", "Location",
                         "Medication", "Condition", "Device"}) do
    for _, line in ipairs(fixture(name)) do
      local kind, id = line:match('"resourceType":"(%w+)","id":"([^"]+)"')
      table.insert(entries, '{"resource":' .. line .. ',"request":{"method":"PUT","url":"' ..
                   kind .. "/" .. id .. '"}}')
    end
  end
  shared = table.concat(entries, ",")
  encounterTemplate = fixture("Encounter")[1]
  administrationTemplate = fixture("MedicationAdministration")[1]
end

function init(args)
  mode = args[1] or mode
  tag = args[2] or tag
  limit = tonumber(args[3] or "0")
  nthreads = tonumber(args[4] or "1")
  local path = wrk.path or "/fhir"
  if path ~= "/" and path ~= "" then base = path:gsub("/$", "") end
  if mode == "bundle" or mode == "claims" then loadFixture() end
  if mode == "bundle" then
    -- Bundles/s measures intake: an open encounter (in progress, no period.end) is not billed
    -- before bill_after (1 h by default), so the billing thread does not code 100,000s of
    -- encounters during the run or at SIGTERM. The claims row measures billing.
    encounterTemplate = encounterTemplate:gsub('"status":"finished"', '"status":"in-progress"')
                                         :gsub(',"end":"2025%-03%-10T10:50:00%-05:00"', "")
  end
end

-- One encounter's transaction Bundle: `key` makes its ids, `visit` its visit identifier (14
-- characters, as the fixture's; it becomes the claim's patient control number).
local function encounterBundle(key, visit)
  local enc = "enc-" .. key
  local encounter = encounterTemplate:gsub("enc%-01", enc):gsub("INF20250310001", visit)
  local administration = administrationTemplate:gsub("enc%-01", enc):gsub("ma%-01", "ma-" .. key)
  return '{"resourceType":"Bundle","type":"transaction","entry":[' .. shared .. "," ..
    '{"resource":' .. encounter .. ',"request":{"method":"PUT","url":"Encounter/' .. enc ..
    '"}},{"resource":' .. administration ..
    ',"request":{"method":"PUT","url":"MedicationAdministration/ma-' .. key .. '"}}]}'
end

local function administration(id, encounter)
  return '{"resourceType":"MedicationAdministration","id":"' .. id .. '",' ..
    '"status":"completed",' ..
    '"medicationCodeableConcept":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc",' ..
    '"code":"44206-0451-10","display":"Hizentra 10 g"}]},' ..
    '"subject":{"reference":"Patient/bench-pat-' .. tid .. '"},' ..
    '"context":{"reference":"Encounter/' .. encounter .. '"},' ..
    '"effectivePeriod":{"start":"2025-03-10T09:00:00-05:00","end":"2025-03-10T10:35:00-05:00"},' ..
    '"performer":[{"actor":{"reference":"Practitioner/bench-prac"}}],' ..
    '"dosage":{"text":"Hizentra 10 g SC via pump, 2 sites",' ..
    '"route":{"coding":[{"system":"http://snomed.info/sct","code":"34206005",' ..
    '"display":"Subcutaneous route"}]},' ..
    '"dose":{"value":10,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}}'
end

local minimalHeaders = {["Content-Type"] = "application/fhir+json", ["Prefer"] = "return=minimal"}
local defaultHeaders = {["Content-Type"] = "application/fhir+json"}

function request()
  counter = counter + 1
  local id = string.format("%s-t%d-%d", tag, tid, counter)
  -- 50 administrations per encounter, as a day of infusions would have.
  local encounter = string.format("%s-enc-t%d-%d", tag, tid, math.floor(counter / 50))
  if mode == "default" then
    return wrk.format("POST", base .. "/MedicationAdministration", defaultHeaders,
                      administration(id, encounter))
  elseif mode == "put" then
    return wrk.format("PUT", base .. "/MedicationAdministration/" .. id, minimalHeaders,
                      administration(id, encounter))
  elseif mode == "bundle" then
    -- The visit identifier only has to be unique: a hex digest of the id would do too.
    return wrk.format("POST", base, minimalHeaders,
                      encounterBundle(id, string.format("B%d%012d", tid, counter)))
  elseif mode == "claims" then
    -- wrk calls request() once on the first thread's state to check the script, and drops that
    -- request: every thread's first request is a GET, so no encounter is lost that way.
    if counter == 1 or counter > share() + 1 then
      return wrk.format("GET", base .. "/metadata")
    end
    local k = tid + (counter - 2) * nthreads
    return wrk.format("POST", base, minimalHeaders,
                      encounterBundle(tag .. "-" .. k, string.format("INF%011d", k)))
  end
  return wrk.format("POST", base .. "/MedicationAdministration", minimalHeaders,
                    administration(id, encounter))
end

-- The BENCH line at the end, the same for every wrk run of serve_bench.sh.
dofile("bench/wrk_report.lua")
