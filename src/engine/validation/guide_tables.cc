#include "engine/validation/guide_tables.h"

namespace fhir837::validation {

bool Qualifier::matches(const x12::X12Segment& segment) const {
  if (element == 0) return true;
  std::string_view value =
      component == 0 ? segment.element(element) : segment.component(element, component);
  for (const auto& code : values) {
    if (code == value) return true;
  }
  return false;
}

bool Node::accepts(const x12::X12Segment& segment, std::uint32_t segmentKey) const {
  if (loop != nullptr) return loop->nodes.front().accepts(segment, segmentKey);
  return segmentKey == key && key != 0 && qualifier.matches(segment);
}

std::string Node::label() const {
  if (loop != nullptr) return "loop " + loop->id;
  std::string text = segmentId;
  if (qualifier.element != 0 && !qualifier.values.empty()) text += "*" + qualifier.values.front();
  return text;
}

namespace tables {

Qualifier q(std::size_t element, std::string_view values, std::size_t component) {
  Qualifier qual{element, component, {}};
  while (true) {
    std::size_t comma = values.find(',');
    qual.values.emplace_back(values.substr(0, comma));
    if (comma == std::string_view::npos) return qual;
    values.remove_prefix(comma + 1);
  }
}

Node seg(std::string id, Usage usage, int maxUse, std::string_view spec, Qualifier qual) {
  Node node;
  node.key = segmentKey(id);
  node.segmentId = std::move(id);
  node.usage = usage;
  node.maxUse = maxUse;
  node.qualifier = std::move(qual);
  if (!spec.empty()) node.rule = std::make_shared<SegmentRule>(parseSegmentRule(spec));
  return node;
}

Node loop(const LoopDef& def, Usage usage, int maxUse) {
  Node node;
  node.loop = &def;
  node.usage = usage;
  node.maxUse = maxUse;
  return node;
}

LoopDef& addLoop(Guide& guide, std::string id, std::vector<Node> nodes) {
  guide.loops.push_back(LoopDef{std::move(id), std::move(nodes)});
  return guide.loops.back();
}

}  // namespace tables

namespace {

std::unique_ptr<Guide> build(GuideKind kind) {
  auto guide = std::make_unique<Guide>();
  guide->kind = kind;
  guide->version = kind == GuideKind::k837P ? "005010X222A1" : "005010X223A2";
  guide->maxLines = kind == GuideKind::k837P ? 50 : 999;
  const LoopDef& claim =
      kind == GuideKind::k837P ? tables::addClaim837P(*guide) : tables::addClaim837I(*guide);
  tables::addHeaderAndParties(*guide, claim);
  return guide;
}

}  // namespace

const Guide* findGuide(std::string_view version) {
  static const std::unique_ptr<Guide> k837P = build(GuideKind::k837P);
  static const std::unique_ptr<Guide> k837I = build(GuideKind::k837I);
  if (version == k837P->version) return k837P.get();
  if (version == k837I->version) return k837I.get();
  return nullptr;
}

}  // namespace fhir837::validation
