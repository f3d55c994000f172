#include "emitters/x12_common/x12_segment_writer.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace fhir837::x12 {
namespace {

TEST(SegmentWriter, DropsTrailingEmptiesAndKeepsInteriorOnes) {
  SegmentWriter writer(false);
  writer.write(Segment("SV1")
                   .addComposite({"HC", "96369", "", "", ""})
                   .add("250")
                   .add("UN")
                   .add("1")
                   .skip(2)
                   .addComposite({"1"})
                   .skip(3));
  writer.write(Segment("NM1").add("QC").add("1").add("DOE").add("").add("").skip().add("JR"));
  writer.write(Segment("X").addComposite({"A", "", "B", ""}));
  EXPECT_EQ(writer.text(), "SV1*HC:96369*250*UN*1***1~NM1*QC*1*DOE****JR~X*A::B~");
  EXPECT_EQ(writer.count(), 3u);
}

TEST(SegmentWriter, WritesNothingForASegmentWithOnlyEmptyElements) {
  SegmentWriter writer(true);
  EXPECT_FALSE(writer.write(Segment("REF").add("").add("")));
  EXPECT_FALSE(writer.write(Segment("NTE")));
  EXPECT_FALSE(writer.write(Segment("HI").addComposite({"", ""})));
  EXPECT_EQ(writer.text(), "");
  EXPECT_EQ(writer.count(), 0u);
}

TEST(SegmentWriter, NewlineOptionAndCountReset) {
  SegmentWriter writer(true);
  writer.writeRaw("ISA*RAW");
  writer.resetCount();
  EXPECT_TRUE(writer.write(Segment("ST").add("837")));
  EXPECT_EQ(writer.text(), "ISA*RAW~\nST*837~\n");
  EXPECT_EQ(writer.count(), 1u);
  EXPECT_EQ(writer.take(), "ISA*RAW~\nST*837~\n");
}

TEST(SegmentWriter, RefusesAnUnsanitisedValueAndReportsTheFirstOne) {
  for (const char* bad : {"A*B", "A:B", "A^B", "A~B", "A\nB", "A\rB"}) {
    SegmentWriter writer(false);
    EXPECT_TRUE(writer.status()) << bad;
    EXPECT_FALSE(writer.write(Segment("NM1").add("IL").add(bad))) << bad;
    EXPECT_FALSE(writer.write(Segment("SV1").addComposite({"HC", bad}))) << bad;
    EXPECT_EQ(writer.text(), "") << bad;
    EXPECT_EQ(writer.count(), 0u) << bad;
    Status status = writer.status();
    ASSERT_FALSE(status) << bad;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidValue);
    EXPECT_EQ(status.error().where, "NM102");
    EXPECT_EQ(status.error().message,
              "value holds an X12 delimiter (not sanitised); segment not written");
  }
}

TEST(SegmentWriter, KeepsWritingCleanSegmentsAfterARefusal) {
  SegmentWriter writer(false);
  EXPECT_FALSE(writer.write(Segment("REF").add("EI").add("1*2")));
  EXPECT_TRUE(writer.write(Segment("ST").add("837")));
  EXPECT_EQ(writer.text(), "ST*837~");
  EXPECT_EQ(writer.status().error().where, "REF02");
}

}  // namespace
}  // namespace fhir837::x12
