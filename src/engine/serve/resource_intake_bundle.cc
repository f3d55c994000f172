#include "engine/serve/resource_intake_bundle.h"

#include <map>

#include "engine/serve/content_hash.h"
#include "engine/serve/resource_intake_conditions.h"
#include "engine/serve/resource_intake_entry_body.h"

namespace fhir837::serve {

namespace {

// The R4 backport's profile on the Parameters that stand for a SubscriptionStatus.
constexpr std::string_view kBackportStatusProfile =
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
    "backport-subscription-status-r4";

IntakeProblem problem(int status, std::string code, std::string diagnostics,
                      std::string expression) {
  return {status, std::move(code), std::move(diagnostics), std::move(expression)};
}

Intake refused(IntakeProblem why) {
  Intake intake;
  intake.problem = std::move(why);
  return intake;
}

std::string entryPath(std::size_t index) { return "Bundle.entry[" + std::to_string(index) + "]"; }

// A resource analysed alone names its elements from its type ("Patient.gender"); inside the
// Bundle the same element is "Bundle.entry[3].resource.gender".
IntakeProblem rebased(IntakeProblem why, std::size_t index) {
  const std::string base = entryPath(index) + ".resource";
  const std::size_t dot = why.expression.find('.');
  why.expression = dot == std::string::npos ? base : base + why.expression.substr(dot);
  return why;
}

bool isRequestBundle(std::string_view type) { return type == "transaction" || type == "batch"; }

bool isProcessedType(std::string_view type) {
  for (std::string_view known : {"transaction", "batch", "message", "collection", "document",
                                 "history", "subscription-notification"}) {
    if (type == known) return true;
  }
  return false;
}

bool isLocalFullUrl(std::string_view fullUrl) {
  return fullUrl.rfind("urn:uuid:", 0) == 0 || fullUrl.rfind("urn:oid:", 0) == 0;
}

// The notification type when `resource` is a subscription status (R4B SubscriptionStatus, or
// the R4 backport's profiled Parameters): "" when it has none; nullopt when it is no status.
std::optional<std::string> notificationTypeOf(const FhirNode& resource) {
  if (resource.resourceType == "SubscriptionStatus") return std::string(resource.text("type"));
  if (resource.resourceType != "Parameters") return std::nullopt;
  const FhirNode* meta = resource.first("meta");
  bool profiled = false;
  for (const FhirNode& profile : meta ? meta->all("profile") : std::span<const FhirNode>()) {
    profiled = profiled || profile.value.rfind(kBackportStatusProfile, 0) == 0;
  }
  if (!profiled) return std::nullopt;
  for (const FhirNode& parameter : resource.all("parameter")) {
    if (parameter.text("name") == "type") return std::string(parameter.text("valueCode"));
  }
  return std::string();
}

// Where an entry's resource is stored, and what it must match (as a URL does for one resource).
struct Target {
  std::string type, id;
  std::string assignedId;  // the resource had no id: this one is put in
  std::string pathType, pathId;
  bool createOnly = false;
};

std::string idOrNew(const FhirNode& resource, Target& target) {
  std::string id(resource.text("id"));
  if (id.empty()) target.assignedId = id = newResourceId();
  return id;
}

// A transaction/batch entry: its request says what to do. nullopt with entry.problem set when it
// cannot be done.
std::optional<Target> requestTarget(const FhirNode& node, BundleEntryIntake& entry,
                                    std::size_t index) {
  const FhirNode* resource = node.first("resource");
  if (entry.method.empty() || entry.url.empty()) {
    entry.problem = problem(400, "required",
                            "a transaction or batch entry needs request.method and request.url",
                            entryPath(index) + ".request");
    return std::nullopt;
  }
  if (entry.method != "POST" && entry.method != "PUT") {
    entry.problem = problem(405, "not-supported",
                            "request.method " + entry.method +
                                " is not supported here: entries create (POST) or update (PUT)",
                            entryPath(index) + ".request.method");
    return std::nullopt;
  }
  if (!resource) {
    entry.problem = problem(400, "required", "a " + entry.method + " entry needs a resource",
                            entryPath(index) + ".resource");
    return std::nullopt;
  }
  std::string_view url = entry.url;
  if (url.starts_with('/')) url.remove_prefix(1);
  if (url.find('?') != std::string_view::npos) {
    entry.problem =
        problem(422, "not-supported",
                "conditional " + std::string(entry.method == "PUT" ? "update" : "create") +
                    " by request.url is not supported: PUT Type/id, or POST Type with "
                    "request.ifNoneExist",
                entryPath(index) + ".request.url");
    return std::nullopt;
  }
  const std::size_t slash = url.find('/');
  Target target;
  if (entry.method == "POST") {
    if (slash != std::string_view::npos) {
      entry.problem = problem(400, "invalid", "request.url of a POST is the type, e.g. Patient",
                              entryPath(index) + ".request.url");
      return std::nullopt;
    }
    target.type = target.pathType = std::string(url);
    target.id = idOrNew(*resource, target);
    // As for POST /fhir/{type}: the id the client gave is kept, and an existing one is a
    // conflict, so a transaction sent again finds its own versions instead of copies.
    target.createOnly = true;
    return target;
  }
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == url.size() ||
      url.find('/', slash + 1) != std::string_view::npos) {
    entry.problem = problem(400, "invalid", "request.url of a PUT is Type/id, e.g. Patient/p1",
                            entryPath(index) + ".request.url");
    return std::nullopt;
  }
  target.type = target.pathType = std::string(url.substr(0, slash));
  target.id = target.pathId = std::string(url.substr(slash + 1));
  return target;
}

// Any other Bundle carries resources, stored as they are (create or new version).
std::optional<Target> contentTarget(const FhirNode& node) {
  const FhirNode* resource = node.first("resource");
  if (!resource) return std::nullopt;  // nothing to store (a deleted or id-only entry)
  Target target;
  target.type = target.pathType = resource->resourceType;
  target.id = idOrNew(*resource, target);
  return target;
}

std::optional<IntakeProblem> messageHeader(const std::span<const FhirNode>& entries,
                                           BundleIntake& bundle) {
  const FhirNode* header = entries.empty() ? nullptr : entries[0].first("resource");
  if (!header || header->resourceType != "MessageHeader") {
    return problem(400, "invalid", "a message Bundle starts with its MessageHeader",
                   "Bundle.entry[0]");
  }
  if (bundle.id.empty()) {
    return problem(400, "required",
                   "a message Bundle needs an id: with the MessageHeader's id it identifies the "
                   "message for reliable delivery",
                   "Bundle.id");
  }
  bundle.messageHeaderId = header->text("id");
  if (bundle.messageHeaderId.empty()) {
    return problem(400, "required", "the MessageHeader needs an id", "Bundle.entry[0].resource.id");
  }
  if (const FhirNode* event = header->first("eventCoding")) {
    bundle.eventSystem = event->text("system");
    bundle.eventCode = event->text("code");
    bundle.eventDisplay = event->text("display");
  }
  bundle.eventUri = header->text("eventUri");
  if (const FhirNode* source = header->first("source")) {
    bundle.sourceEndpoint = source->text("endpoint");
  }
  bundle.entries[0].protocol = true;
  return std::nullopt;
}

}  // namespace

Intake analyseBundle(std::string_view body, BodyFormat format, const FhirNode& root,
                     const ParseLimits& limits, const BundleOptions& options) {
  BundleIntake bundle;
  bundle.type = root.text("type");
  bundle.id = root.text("id");
  if (bundle.type.empty()) {
    return refused(problem(400, "required", "the Bundle has no type", "Bundle.type"));
  }
  if (!isProcessedType(bundle.type)) {
    return refused(problem(422, "not-supported",
                           "Bundles of type " + bundle.type +
                               " are not processed: send a transaction, batch, message, "
                               "collection, document or history",
                           "Bundle.type"));
  }
  const std::span<const FhirNode> entries = root.all("entry");
  if (entries.size() > options.maxEntries) {
    return refused(problem(413, "too-long",
                           std::to_string(entries.size()) + " entries: over the limit of " +
                               std::to_string(options.maxEntries) + " per Bundle",
                           "Bundle.entry"));
  }
  const bool requests = isRequestBundle(bundle.type);
  bundle.entries.resize(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    BundleEntryIntake& entry = bundle.entries[i];
    entry.fullUrl = entries[i].text("fullUrl");
    if (const FhirNode* request = entries[i].first("request")) {
      entry.method = request->text("method");
      entry.url = request->text("url");
      entry.ifNoneExist = request->text("ifNoneExist");
      entry.ifMatch = request->text("ifMatch");
    }
    if (const FhirNode* resource = entries[i].first("resource")) {
      entry.resourceType = resource->resourceType;
    }
  }

  // The protocol's own first entry.
  if (bundle.type == "message") {
    if (auto why = messageHeader(entries, bundle)) return refused(std::move(*why));
  } else if (bundle.type == "document" && !entries.empty() &&
             bundle.entries[0].resourceType == "Composition") {
    bundle.entries[0].protocol = true;
  } else if (bundle.type == "history" || bundle.type == "subscription-notification") {
    const FhirNode* first = entries.empty() ? nullptr : entries[0].first("resource");
    auto status = first ? notificationTypeOf(*first) : std::nullopt;
    if (status && status->empty()) {
      return refused(problem(400, "required", "the subscription status has no notification type",
                             "Bundle.entry[0].resource"));
    }
    if (!status && bundle.type == "subscription-notification") {
      return refused(problem(
          400, "invalid", "a subscription-notification Bundle starts with its SubscriptionStatus",
          "Bundle.entry[0]"));
    }
    if (status) {
      bundle.notificationType = *status;
      bundle.entries[0].protocol = true;
    }
  }

  auto bodies = entryBodiesOf(body, format, entries);
  if (!bodies) {
    return refused(problem(400, "structure", bodies.error().message, "Bundle.entry"));
  }

  // Where every entry goes, before any body is cut: a reference may name a later entry.
  std::vector<std::optional<Target>> targets(entries.size());
  std::vector<std::optional<IdentifierQuery>> conditions(entries.size());
  std::map<std::string, std::string> resolved;   // urn:uuid fullUrl -> Type/id
  std::map<std::string, std::size_t> writtenBy;  // transaction: Type/id -> entry
  for (std::size_t i = 0; i < entries.size(); ++i) {
    BundleEntryIntake& entry = bundle.entries[i];
    if (entry.protocol) continue;
    auto target = requests ? requestTarget(entries[i], entry, i) : contentTarget(entries[i]);
    if (!target) continue;
    if (entry.resourceType.empty()) {
      entry.problem =
          problem(400, "structure", "entry.resource is not a resource", entryPath(i) + ".resource");
      continue;
    }
    if (!isSupportedType(entry.resourceType)) {
      entry.problem =
          problem(404, "not-supported", "resource type " + entry.resourceType + " is not supported",
                  entryPath(i) + ".resource");
      continue;
    }
    std::string key = target->type + "/" + target->id;
    if (requests && entry.method == "POST" && !entry.ifNoneExist.empty()) {
      conditions[i] = identifierSearch(entry.ifNoneExist, target->type);
      if (!conditions[i]) {
        entry.problem =
            problem(400, "not-supported",
                    "request.ifNoneExist supports identifier=system|value searches only",
                    entryPath(i) + ".request.ifNoneExist");
        continue;
      }
      if (options.findExisting) {
        auto existing = options.findExisting(*conditions[i]);
        if (!existing) {
          entry.problem =
              problem(503, "transient",
                      "the conditional create could not be looked up: " + existing.error().message +
                          "; send it again",
                      entryPath(i) + ".request.ifNoneExist");
          continue;
        }
        // One match: the entry stores nothing and its fullUrl names that resource. Several:
        // the journal refuses the entry (412) inside its transaction.
        if (existing->size() == 1) key = target->type + "/" + existing->front();
      }
    }
    if (bundle.type == "transaction") {
      const std::string own = target->type + "/" + target->id;
      auto [first, inserted] = writtenBy.emplace(own, i);
      if (!inserted) {
        entry.problem = problem(400, "invalid",
                                own + " is written by " + entryPath(first->second) +
                                    " too: a transaction writes each resource once",
                                entryPath(i));
        continue;
      }
    }
    if (isLocalFullUrl(entry.fullUrl)) resolved[entry.fullUrl] = key;
    targets[i] = std::move(target);
  }

  // Each resource cut out with its references resolved, and analysed as if sent alone.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    BundleEntryIntake& entry = bundle.entries[i];
    if (!targets[i] || entry.problem) continue;
    const Target& target = *targets[i];
    std::optional<std::uint64_t> ifMatch;
    if (requests && !entry.ifMatch.empty()) {
      ifMatch = versionOfETag(entry.ifMatch);
      if (!ifMatch) {
        entry.problem =
            problem(400, "value", "request.ifMatch must be a version ETag such as W/\"3\"",
                    entryPath(i) + ".request.ifMatch");
        continue;
      }
    }
    auto cut = bodies.value()->resource(i, EntryBodyEdits{target.assignedId, &resolved});
    if (!cut) {
      entry.problem = problem(400, "structure", cut.error().message, entryPath(i) + ".resource");
      continue;
    }
    Intake alone = analyseBody(*cut, format, target.pathType, target.pathId, limits);
    if (alone.problem) {
      entry.problem = rebased(std::move(*alone.problem), i);
      continue;
    }
    ResourceWrite write = std::move(*alone.resource);
    write.createOnly = target.createOnly;
    write.idAssigned = !target.assignedId.empty();
    write.ifMatch = ifMatch;
    write.ifNoneExist = conditions[i];
    entry.write = std::move(write);
  }

  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!bundle.entries[i].problem) continue;
    if (auto sent = bodies.value()->entry(i)) bundle.entries[i].sentEntry = std::move(*sent);
  }
  Intake intake;
  intake.bundle = std::move(bundle);
  return intake;
}

}  // namespace fhir837::serve
