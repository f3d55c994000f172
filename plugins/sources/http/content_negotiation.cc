#include "sources/http/content_negotiation.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace fhir837::http {
namespace {

std::string trimLower(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string out(text.substr(begin, end - begin));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view beforeSemicolon(std::string_view text) {
  return text.substr(0, std::min(text.find(';'), text.size()));
}

// The quality of one Accept item ("q=0.5"); 1 when absent, 0 for an unreadable value.
double qualityOf(std::string_view item) {
  std::size_t at = item.find(';');
  while (at != std::string_view::npos) {
    std::string_view rest = item.substr(at + 1);
    std::size_t next = rest.find(';');
    std::string parameter = trimLower(rest.substr(0, std::min(next, rest.size())));
    if (parameter.rfind("q=", 0) == 0) {
      char* end = nullptr;
      double q = std::strtod(parameter.c_str() + 2, &end);
      if (end == parameter.c_str() + 2 || q < 0 || q > 1) return 0;
      return q;
    }
    at = next == std::string_view::npos ? next : at + 1 + next;
  }
  return 1;
}

}  // namespace

std::optional<serve::BodyFormat> formatOfContentType(std::string_view contentType) {
  std::string type = trimLower(beforeSemicolon(contentType));
  if (type == "application/fhir+json" || type == "application/json" ||
      type == "application/json+fhir")
    return serve::BodyFormat::kJson;
  if (type == "application/fhir+xml" || type == "application/xml" || type == "text/xml" ||
      type == "application/xml+fhir")
    return serve::BodyFormat::kXml;
  return std::nullopt;
}

std::optional<Acceptable> acceptableOf(std::string_view formatParameter, std::string_view accept) {
  if (!formatParameter.empty()) {
    std::string format = trimLower(formatParameter);
    Acceptable result;
    if (format == "json") format = "application/fhir+json";
    if (format == "xml") format = "application/fhir+xml";
    std::optional<serve::BodyFormat> named = formatOfContentType(format);
    if (named) {
      (*named == serve::BodyFormat::kJson ? result.json : result.xml) = true;
      result.preferred = named;
    }
    return result;
  }
  if (trimLower(accept).empty()) return std::nullopt;
  double jsonQ = 0, xmlQ = 0;
  std::size_t begin = 0;
  while (begin <= accept.size()) {
    std::size_t comma = accept.find(',', begin);
    std::string_view item = accept.substr(
        begin, comma == std::string_view::npos ? accept.size() - begin : comma - begin);
    std::string type = trimLower(beforeSemicolon(item));
    double q = qualityOf(item);
    if (type == "*/*" || type == "application/*") {
      jsonQ = std::max(jsonQ, q);
      xmlQ = std::max(xmlQ, q);
    } else if (type == "text/*") {
      xmlQ = std::max(xmlQ, q);
    } else if (std::optional<serve::BodyFormat> named = formatOfContentType(type)) {
      double& slot = *named == serve::BodyFormat::kJson ? jsonQ : xmlQ;
      slot = std::max(slot, q);
    }
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  Acceptable result;
  result.json = jsonQ > 0;
  result.xml = xmlQ > 0;
  if (jsonQ > xmlQ) result.preferred = serve::BodyFormat::kJson;
  if (xmlQ > jsonQ) result.preferred = serve::BodyFormat::kXml;
  return result;
}

std::optional<serve::BodyFormat> chooseFormat(std::string_view formatParameter,
                                              std::string_view accept, serve::BodyFormat fallback) {
  std::optional<Acceptable> acceptable = acceptableOf(formatParameter, accept);
  if (!acceptable) return fallback;
  if (!acceptable->json && !acceptable->xml) return std::nullopt;
  if (acceptable->preferred) return acceptable->preferred;
  return fallback;
}

bool accepts(std::string_view formatParameter, std::string_view accept, serve::BodyFormat format) {
  std::optional<Acceptable> acceptable = acceptableOf(formatParameter, accept);
  if (!acceptable) return true;
  return format == serve::BodyFormat::kJson ? acceptable->json : acceptable->xml;
}

}  // namespace fhir837::http
