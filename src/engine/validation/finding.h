#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fhir837::validation {

enum class Severity { kError, kWarning };

const char* toString(Severity severity);

// One problem found in an 837. `segment` is the segment's position in its transaction set (ST =
// 1, as in a 999 IK3) or, for envelope segments outside ST..SE, its position in the interchange.
struct Finding {
  Severity severity = Severity::kError;
  std::uint64_t segment = 0;
  std::string segmentId;
  std::string loop;     // "ISA", "GS", "ST", "1000A", "2300", ...
  std::string element;  // "SE01", "CLM05-2", or "" for a segment-level finding
  std::string message;  // never carries data values that could be PHI

  // "error seg 34 SE loop ST SE01: count is 33, SE01 says 34"
  std::string describe() const;
};

// Receives findings as they are made, so the validator itself stores none.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void add(Finding finding) = 0;
};

// Keeps the first `limit` findings and counts them all (a broken multi-GB file must not fill
// memory with findings).
class CollectingSink : public FindingSink {
 public:
  explicit CollectingSink(std::size_t limit = 1000) : limit_(limit) {}
  void add(Finding finding) override;

  const std::vector<Finding>& findings() const { return findings_; }
  std::uint64_t errors() const { return errors_; }
  std::uint64_t warnings() const { return warnings_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  std::size_t limit_;
  std::vector<Finding> findings_;
  std::uint64_t errors_ = 0;
  std::uint64_t warnings_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace fhir837::validation
