-- wrk script for bench/serve_bench.sh: every request carries a new resource id, so every POST
-- is a new resource the daemon must journal (no idempotent short cut).
--   wrk ... -s bench/serve_post.lua URL -- MODE RUNTAG
-- MODE: minimal  POST /fhir/MedicationAdministration, Prefer: return=minimal (interface engine)
--       default  the same without Prefer (the daemon sends the resource back)
--       put      PUT /fhir/MedicationAdministration/{id}, Prefer: return=minimal
--       bundle   POST /fhir a transaction Bundle of one encounter (placeholder: Bundles are
--                being built on another branch; serve_bench.sh uses it only when the server's
--                CapabilityStatement lists the transaction interaction)
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

function init(args)
  mode = args[1] or mode
  tag = args[2] or tag
  local path = wrk.path or "/fhir"
  if path ~= "/" and path ~= "" then base = path:gsub("/$", "") end
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
    local enc = id .. "-enc"
    local body = '{"resourceType":"Bundle","type":"transaction","entry":[' ..
      '{"resource":{"resourceType":"Encounter","id":"' .. enc .. '","status":"finished",' ..
      '"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},' ..
      '"subject":{"reference":"Patient/bench-pat-' .. tid .. '"}},' ..
      '"request":{"method":"PUT","url":"Encounter/' .. enc .. '"}},' ..
      '{"resource":' .. administration(id, enc) .. ',' ..
      '"request":{"method":"PUT","url":"MedicationAdministration/' .. id .. '"}}]}'
    return wrk.format("POST", base, minimalHeaders, body)
  end
  return wrk.format("POST", base .. "/MedicationAdministration", minimalHeaders,
                    administration(id, encounter))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_non2xx=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
