#include "fhir_tree/fhir_node.h"

#include <algorithm>

namespace fhir837 {

std::span<const FhirNode> FhirNode::all(std::string_view name) const {
  for (const auto& [childName, list] : children) {
    if (childName == name) return list;
  }
  return {};
}

const FhirNode* FhirNode::first(std::string_view name) const {
  auto list = all(name);
  return list.empty() ? nullptr : &list.front();
}

std::string_view FhirNode::text(std::string_view name) const {
  const FhirNode* node = first(name);
  return node ? std::string_view(node->value) : std::string_view();
}

std::vector<FhirNode>& FhirNode::listFor(std::string_view name) {
  for (auto& [childName, list] : children) {
    if (childName == name) return list;
  }
  children.emplace_back(std::string(name), std::vector<FhirNode>{});
  return children.back().second;
}

FhirNode& FhirNode::add(std::string_view name) { return listFor(name).emplace_back(); }

namespace {
using ChildList = std::vector<std::pair<std::string, std::vector<FhirNode>>>;

std::vector<const std::pair<std::string, std::vector<FhirNode>>*> sortedChildren(
    const ChildList& children) {
  std::vector<const std::pair<std::string, std::vector<FhirNode>>*> out;
  out.reserve(children.size());
  for (const auto& entry : children) out.push_back(&entry);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->first < b->first; });
  return out;
}
}  // namespace

bool FhirNode::sameContent(const FhirNode& other) const {
  if (value != other.value || hasValue() != other.hasValue() ||
      resourceType != other.resourceType || children.size() != other.children.size()) {
    return false;
  }
  auto mine = sortedChildren(children);
  auto theirs = sortedChildren(other.children);
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (mine[i]->first != theirs[i]->first) return false;
    const auto& a = mine[i]->second;
    const auto& b = theirs[i]->second;
    if (a.size() != b.size()) return false;
    for (std::size_t j = 0; j < a.size(); ++j) {
      if (!a[j].sameContent(b[j])) return false;
    }
  }
  return true;
}

std::string FhirNode::dump(int indent) const {
  std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  std::string out;
  if (isResource()) out += pad + "@" + resourceType + "\n";
  if (hasValue()) out += pad + "= \"" + value + "\"\n";
  for (const auto* entry : sortedChildren(children)) {
    for (std::size_t j = 0; j < entry->second.size(); ++j) {
      out += pad + entry->first + "[" + std::to_string(j) + "]\n";
      out += entry->second[j].dump(indent + 1);
    }
  }
  return out;
}

}  // namespace fhir837
