#include "sources/http/rest_documents.h"

#include <cstdio>
#include <ctime>

namespace fhir837::http {

OutNode operationOutcome(const std::vector<OutcomeIssue>& issues) {
  OutNode outcome = OutNode::resource("OperationOutcome");
  for (const OutcomeIssue& issue : issues) {
    OutNode& node = outcome.object("issue", true);
    node.str("severity", issue.severity).str("code", issue.code);
    if (!issue.diagnostics.empty()) node.str("diagnostics", issue.diagnostics);
    for (const std::string& expression : issue.expression) node.strItem("expression", expression);
  }
  return outcome;
}

OutNode capabilityStatement(const std::vector<std::string>& types, const std::string& base,
                            ServedFeatures features) {
  OutNode cs = OutNode::resource("CapabilityStatement");
  cs.str("status", "active").str("date", "2026-01-01").str("kind", "instance");
  cs.object("software").str("name", "fhir837");
  cs.object("implementation").str("description", "fhir837 serve").str("url", base);
  cs.str("fhirVersion", "4.0.1");
  cs.strItem("format", "json").strItem("format", "xml");
  cs.strItem("format", "application/fhir+json").strItem("format", "application/fhir+xml");
  OutNode& rest = cs.object("rest", true);
  rest.str("mode", "server");
  for (const std::string& type : types) {
    OutNode& resource = rest.object("resource", true);
    resource.str("type", type);
    for (const char* code : {"create", "update", "read"})
      resource.object("interaction", true).str("code", code);
    resource.str("versioning", "versioned-update");
    resource.boolean("readHistory", false).boolean("updateCreate", true);
    resource.boolean("conditionalCreate", true);
    resource.str("conditionalUpdate", "false").children.back().kind = OutNode::Kind::kBool;
    if (features.billing && (type == "MedicationAdministration" || type == "Procedure")) {
      OutNode& operation = resource.object("operation", true);
      operation.str("name", "billing");
      operation.str("definition", base + "/OperationDefinition/billing");
    }
  }
  if (!features.bundles) return cs;
  for (const char* code : {"transaction", "batch"})
    rest.object("interaction", true).str("code", code);
  OutNode& operation = rest.object("operation", true);
  operation.str("name", "process-message");
  operation.str("definition",
                "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message");
  return cs;
}

OutNode billingParameters(const serve::EventBillingStatus& status) {
  OutNode parameters = OutNode::resource("Parameters");
  auto add = [&](const char* name, const char* valueKind, const std::string& value) {
    if (!value.empty())
      parameters.object("parameter", true).str("name", name).str(valueKind, value);
  };
  add("event", "valueString", status.eventKey);
  add("state", "valueCode", status.state);
  add("rule", "valueString", status.rule);
  add("reason", "valueString", status.reason);
  add("path", "valueString", status.path);
  for (const std::string& missing : status.waitingFor) add("waitingFor", "valueString", missing);
  add("claimId", "valueString", status.claimId);
  add("interchangeFile", "valueString", status.interchangeFile);
  if (status.interchangeControlNumber != 0) {
    char isa13[24];  // ISA13 is 9 digits; room for any 64-bit value
    std::snprintf(isa13, sizeof isa13, "%09llu",
                  static_cast<unsigned long long>(status.interchangeControlNumber));
    add("interchangeControlNumber", "valueString", isa13);
  }
  add("transactionSetControlNumber", "valueString", status.transactionSetControlNumber);
  add("trail", "valueString", status.trailJson);
  return parameters;
}

std::string statusLine(int status) {
  const char* text = "";
  switch (status) {
    case 200:
      text = "OK";
      break;
    case 201:
      text = "Created";
      break;
    case 400:
      text = "Bad Request";
      break;
    case 404:
      text = "Not Found";
      break;
    case 405:
      text = "Method Not Allowed";
      break;
    case 406:
      text = "Not Acceptable";
      break;
    case 409:
      text = "Conflict";
      break;
    case 412:
      text = "Precondition Failed";
      break;
    case 413:
      text = "Payload Too Large";
      break;
    case 415:
      text = "Unsupported Media Type";
      break;
    case 422:
      text = "Unprocessable Entity";
      break;
    case 500:
      text = "Internal Server Error";
      break;
    case 503:
      text = "Service Unavailable";
      break;
    default:
      break;
  }
  return std::to_string(status) + (*text ? std::string(" ") + text : std::string());
}

std::string httpDate(const std::string& instant) {
  std::tm tm{};
  int offsetHours = 0, offsetMinutes = 0;
  char sign = 'Z';
  const char* p = instant.c_str();
  if (std::sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6)
    return instant;
  std::size_t zone = instant.find_first_of("Z+-", 19);
  if (zone != std::string::npos && instant[zone] != 'Z') {
    sign = instant[zone];
    if (std::sscanf(p + zone + 1, "%2d:%2d", &offsetHours, &offsetMinutes) != 2) return instant;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t seconds = timegm(&tm);
  std::time_t offset = (offsetHours * 60 + offsetMinutes) * 60;
  seconds += sign == '+' ? -offset : sign == '-' ? offset : 0;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char out[64];
  std::strftime(out, sizeof out, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return out;
}

}  // namespace fhir837::http
