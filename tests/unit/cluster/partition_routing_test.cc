#include "engine/cluster/partition_routing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cluster_fakes.h"

namespace fhir837::cluster {
namespace {

using testing::analysed;
using Subjects = std::vector<std::string>;

// Every instance of every version must agree on a patient's partition: these values are FNV-1a
// of the key modulo the partition count, worked out independently (Python) from the definition.
TEST(PartitionRoutingTest, PartitionsArePinned) {
  EXPECT_EQ(partitionOf("Patient/p1", 64), 8);
  EXPECT_EQ(partitionOf("Patient/p2", 64), 33);
  EXPECT_EQ(partitionOf("Patient/p3", 64), 46);
  EXPECT_EQ(partitionOf("Patient/pat-0001", 64), 40);
  EXPECT_EQ(partitionOf("Patient/p1", 1024), 456);
  EXPECT_EQ(partitionOf("Patient/p2", 7), 3);
  EXPECT_EQ(partitionOf("Patient/p1", 1), 0);
  EXPECT_EQ(partitionSubject(8), "fhir837.in.8");
  EXPECT_EQ(partitionSubject(0), "fhir837.in.0");
}

TEST(PartitionRoutingTest, InRangeAndBalancedOverTenThousandPatients) {
  for (int partitions : {1, 2, 7, 64, 1024}) {
    for (int i = 0; i < 2000; ++i) {
      const int partition = partitionOf("Patient/" + std::to_string(i), partitions);
      ASSERT_GE(partition, 0) << partitions;
      ASSERT_LT(partition, partitions) << partitions;
    }
  }
  std::vector<int> counts(64, 0);
  for (int i = 0; i < 10000; ++i) ++counts[partitionOf("Patient/" + std::to_string(i), 64)];
  // 10,000 keys over 64 partitions: 156.25 each, a binomial standard deviation of 12.4. A good
  // hash stays within 4 of them (106..206); these keys give 129..200.
  for (int partition = 0; partition < 64; ++partition) {
    EXPECT_GE(counts[partition], 106) << "partition " << partition;
    EXPECT_LE(counts[partition], 206) << "partition " << partition;
  }
}

TEST(PartitionRoutingTest, PatientGoesToItsOwnPartition) {
  auto patient =
      analysed(R"({"resourceType":"Patient","id":"p1","gender":"female"})", "Patient", "p1");
  EXPECT_EQ(subjectsOf(patient, 64), (Subjects{"fhir837.in.8"}));
  EXPECT_EQ(subjectsOf(patient, 1), (Subjects{"fhir837.in.0"}));
}

TEST(PartitionRoutingTest, EventGoesToItsSubjectsPartition) {
  auto event = analysed(R"({"resourceType":"MedicationAdministration","id":"ma1",
    "status":"completed","subject":{"reference":"Patient/p2"},
    "context":{"reference":"Encounter/e1"},
    "medicationReference":{"reference":"Medication/m1"},
    "effectivePeriod":{"start":"2026-01-05T10:00:00Z","end":"2026-01-05T11:30:00Z"}})",
                        "MedicationAdministration", "ma1");
  ASSERT_TRUE(event.event);
  EXPECT_EQ(event.event->patientKey, "Patient/p2");
  EXPECT_EQ(subjectsOf(event, 64), (Subjects{"fhir837.in.33"}));
}

TEST(PartitionRoutingTest, CoverageOfTwoPatientsGoesToBothSortedOnce) {
  // Beneficiary p2 (partition 33) and subscriber p1 (partition 8), p2 named twice.
  auto coverage = analysed(R"({"resourceType":"Coverage","id":"c1","status":"active",
    "beneficiary":{"reference":"Patient/p2"},"subscriber":{"reference":"Patient/p1"},
    "policyHolder":{"reference":"Patient/p2"},"payor":[{"reference":"Organization/o1"}]})",
                           "Coverage", "c1");
  EXPECT_EQ(subjectsOf(coverage, 64), (Subjects{"fhir837.in.8", "fhir837.in.33"}));
  // With one partition both patients meet in it: one subject, not two.
  EXPECT_EQ(subjectsOf(coverage, 1), (Subjects{"fhir837.in.0"}));

  auto own = analysed(R"({"resourceType":"Coverage","id":"c2","status":"active",
    "beneficiary":{"reference":"Patient/p3"},"subscriber":{"reference":"Patient/p3"},
    "payor":[{"reference":"Organization/o1"}]})",
                      "Coverage", "c2");
  EXPECT_EQ(subjectsOf(own, 64), (Subjects{"fhir837.in.46"}));
}

TEST(PartitionRoutingTest, ResourcesNamingNoPatientAreReferenceData) {
  auto organization =
      analysed(R"({"resourceType":"Organization","id":"o1","name":"ACME"})", "Organization", "o1");
  auto practitioner =
      analysed(R"({"resourceType":"Practitioner","id":"pr1","name":[{"family":"Doe"}]})",
               "Practitioner", "pr1");
  auto medication = analysed(R"({"resourceType":"Medication","id":"m1","code":{"coding":[
    {"system":"http://hl7.org/fhir/sid/ndc","code":"0001"}]}})",
                             "Medication", "m1");
  for (const auto* write : {&organization, &practitioner, &medication}) {
    SCOPED_TRACE(write->type);
    EXPECT_EQ(subjectsOf(*write, 64), (Subjects{"fhir837.ref"}));
  }
}

TEST(PartitionRoutingTest, ConditionalPatientReferenceNamesNoPartition) {
  auto event = analysed(R"({"resourceType":"MedicationAdministration","id":"ma2",
    "status":"completed","subject":{"reference":"Patient?identifier=urn:mrn|7"},
    "medicationReference":{"reference":"Medication/m1"},
    "effectivePeriod":{"start":"2026-01-05T10:00:00Z","end":"2026-01-05T11:30:00Z"}})",
                        "MedicationAdministration", "ma2");
  EXPECT_NE(
      std::find(event.references.begin(), event.references.end(), "Patient?identifier=urn:mrn|7"),
      event.references.end());
  EXPECT_EQ(subjectsOf(event, 64), (Subjects{"fhir837.ref"}));
}

}  // namespace
}  // namespace fhir837::cluster
