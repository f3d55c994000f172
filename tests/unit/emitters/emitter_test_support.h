#pragma once

// Shared assertions for the emitter tests (header-only: the area compiles only *_test.cc).

#include <gtest/gtest.h>

#include <cstdlib>
#include <span>
#include <string>

#include "emitters/emitter.h"
#include "emitters/x12_common/x12_structure_check.h"
#include "support/test_paths.h"
#include "support/x12_validation.h"
#include "unit/emitters/scig_claim_builder.h"

namespace fhir837::testing {

// Emits, asserts success, the structural self-check and the guide validator, returns the text.
inline std::string emitChecked(std::span<const Claim> claims, const Envelope& envelope) {
  X12_837PEmitter emitter;
  auto result = emitter.emit(claims, envelope);
  if (!result) {
    ADD_FAILURE() << "emit failed: " << result.error().describe();
    return {};
  }
  Status structure = x12::checkStructure(*result);
  EXPECT_TRUE(structure) << (structure ? "" : structure.error().describe());
  EXPECT_TRUE(isValid837(*result));
  return *result;
}

// Compares with a fixture byte for byte. FHIR837_UPDATE_GOLDEN=1 rewrites the fixture instead
// (review the diff before keeping it); `frozen` fixtures copied from the docs never rewrite.
inline void expectMatchesFixture(const std::string& actual, const std::string& name,
                                 bool frozen = false) {
  auto path = emitterFixture(name);
  const char* update = std::getenv("FHIR837_UPDATE_GOLDEN");
  if (!frozen && update != nullptr && std::string(update) == "1") {
    writeFile(path, actual);
    return;
  }
  EXPECT_EQ(actual, readFile(path)) << "fixture " << path;
}

// Error assertion: exact code and where, and the message names the claim.
inline void expectEmitError(std::span<const Claim> claims, const Envelope& envelope, ErrorCode code,
                            const std::string& where, const std::string& messagePrefix) {
  X12_837PEmitter emitter;
  auto result = emitter.emit(claims, envelope);
  ASSERT_FALSE(result) << "expected an error at " << where;
  EXPECT_EQ(result.error().code, code) << result.error().describe();
  EXPECT_EQ(result.error().where, where) << result.error().describe();
  EXPECT_EQ(result.error().message.rfind(messagePrefix, 0), 0u) << result.error().describe();
}

}  // namespace fhir837::testing
