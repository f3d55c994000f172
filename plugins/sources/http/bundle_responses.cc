#include "sources/http/bundle_responses.h"

#include "sources/http/rest_documents.h"

namespace fhir837::http {

ReturnPreference returnPreferenceOf(const std::string& prefer) {
  if (prefer.find("return=minimal") != std::string::npos) return ReturnPreference::kMinimal;
  if (prefer.find("return=OperationOutcome") != std::string::npos) {
    return ReturnPreference::kOutcome;
  }
  return ReturnPreference::kRepresentation;
}

std::string writeSummary(const serve::WriteResult& result) {
  using serve::WriteKind;
  const char* what = result.kind == WriteKind::kCreated     ? "created"
                     : result.kind == WriteKind::kUpdated   ? "updated"
                     : result.kind == WriteKind::kUnchanged ? "unchanged: same content as version"
                                                            : "exists already: version";
  return result.type + "/" + result.id + " " + what + " " + std::to_string(result.versionId);
}

EntryResponse refusedEntry(int status, const std::string& code, const std::string& diagnostics,
                           const std::string& expression) {
  EntryResponse entry;
  entry.status = status;
  OutcomeIssue issue{"error", code, diagnostics, {}};
  if (!expression.empty()) issue.expression.push_back(expression);
  entry.outcome = operationOutcome({issue});
  entry.issueCode = code;
  entry.diagnostics = diagnostics;
  return entry;
}

EntryResponse noteEntry(const std::string& diagnostics, const std::string& expression) {
  EntryResponse entry;
  entry.status = 200;
  OutcomeIssue issue{"information", "informational", diagnostics, {}};
  if (!expression.empty()) issue.expression.push_back(expression);
  entry.outcome = operationOutcome({issue});
  return entry;
}

EntryResponse writtenEntry(const serve::ResourceWrite& write, const serve::WriteResult& result,
                           serve::BodyFormat format, ReturnPreference preference,
                           const std::string& where) {
  using serve::WriteKind;
  if (result.kind == WriteKind::kConflict) {
    return refusedEntry(409, "conflict", result.detail + ": update it with PUT", where);
  }
  if (result.kind == WriteKind::kPreconditionFailed) {
    return refusedEntry(412, "processing", result.detail, where);
  }
  EntryResponse entry;
  entry.status = result.kind == WriteKind::kCreated ? 201 : 200;
  const std::string vid = std::to_string(result.versionId);
  entry.location = result.type + "/" + result.id + "/_history/" + vid;
  entry.etag = "W/\"" + vid + "\"";
  entry.lastModified = result.lastUpdated;
  if (preference == ReturnPreference::kMinimal) return entry;
  // kExisting: the stored body is another one than this entry's.
  if (preference == ReturnPreference::kRepresentation && write.format == format &&
      result.kind != WriteKind::kExisting) {
    entry.resource = write.body;
    return entry;
  }
  entry.outcome = operationOutcome({{"information", "informational", writeSummary(result), {}}});
  return entry;
}

OutNode responseBundle(const std::string& id, const std::string& type,
                       const std::vector<EntryResponse>& entries) {
  OutNode bundle = OutNode::resource("Bundle");
  bundle.str("id", id).str("type", type);
  for (const EntryResponse& entry : entries) {
    OutNode& node = bundle.object("entry", true);
    if (!entry.resource.empty()) node.raw("resource", entry.resource);
    OutNode& response = node.object("response");
    response.str("status", statusLine(entry.status));
    if (!entry.location.empty()) response.str("location", entry.location);
    if (!entry.etag.empty()) response.str("etag", entry.etag);
    if (!entry.lastModified.empty()) response.str("lastModified", entry.lastModified);
    if (entry.outcome) response.child("outcome", *entry.outcome);
  }
  return bundle;
}

OutNode messageResponse(const serve::BundleIntake& request, const std::string& id,
                        const std::string& headerId, const std::string& timestamp,
                        const std::string& endpoint) {
  OutNode bundle = OutNode::resource("Bundle");
  bundle.str("id", id).str("type", "message").str("timestamp", timestamp);
  OutNode& entry = bundle.object("entry", true);
  entry.str("fullUrl", "urn:uuid:" + headerId);
  OutNode header = OutNode::resource("MessageHeader");
  header.str("id", headerId);
  if (!request.eventCode.empty() || !request.eventSystem.empty()) {
    OutNode& event = header.object("eventCoding");
    if (!request.eventSystem.empty()) event.str("system", request.eventSystem);
    if (!request.eventCode.empty()) event.str("code", request.eventCode);
    if (!request.eventDisplay.empty()) event.str("display", request.eventDisplay);
  } else if (!request.eventUri.empty()) {
    header.str("eventUri", request.eventUri);
  }
  if (!request.sourceEndpoint.empty()) {
    header.object("destination", true).str("endpoint", request.sourceEndpoint);
  }
  header.object("source").str("endpoint", endpoint);
  header.object("response").str("identifier", request.messageHeaderId).str("code", "ok");
  entry.child("resource", std::move(header));
  return bundle;
}

}  // namespace fhir837::http
