#include "engine/validation/guide_tables.h"

// 2320/2330x other subscriber (COB). Out of the emitter's scope (x12-837-map.md §7.4), so only the
// structure is checked: a file carrying COB data is not rejected for it.
namespace fhir837::validation::tables {

const LoopDef& addOtherSubscriber(Guide& guide) {
  auto party = [&](std::string id, std::string_view codes, bool address) -> const LoopDef& {
    std::vector<Node> nodes = {seg("NM1", R, 1, {}, q(1, codes))};
    if (address) {
      nodes.push_back(seg("N3", S, 1, "R AN 1-55|S AN 1-55"));
      nodes.push_back(seg("N4", S, 1, "R AN 2-30|S ID 2|S ID 3-15|S ID 2-3|N|N|S ID 1-3"));
    }
    nodes.push_back(seg("DTP", S, 1, {}, q(1, "573")));
    nodes.push_back(seg("REF", S, 6, {}));
    return addLoop(guide, std::move(id), std::move(nodes));
  };
  const LoopDef& subscriber = party("2330A", "IL", true);
  const LoopDef& payer = party("2330B", "PR", true);
  const LoopDef& referring = party("2330C", "DN,P3", false);
  const LoopDef& rendering = party("2330D", "82,71", false);
  const LoopDef& facility = party("2330E", "77,72", false);
  const LoopDef& supervising = party("2330F", "DQ,ZZ", false);
  const LoopDef& billing = party("2330G", "85", false);
  return addLoop(guide, "2320",
                 {seg("SBR", R, 1, {}), seg("CAS", S, 5), seg("AMT", S, 3, "R ID 1-3|R $ 1-18"),
                  seg("OI", R, 1), seg("MIA", S, 1), seg("MOA", S, 1), loop(subscriber, R, 1),
                  loop(payer, R, 1), loop(referring, S, 1), loop(rendering, S, 1),
                  loop(facility, S, 1), loop(supervising, S, 1), loop(billing, S, 1)});
}

}  // namespace fhir837::validation::tables
