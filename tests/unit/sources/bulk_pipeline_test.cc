// The chain the converter uses for a bulk export: forEachInputStream → PeekableStream →
// sniffStream → NdjsonReader (or the whole document for JSON/XML).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ndjson/ndjson_reader.h"
#include "sources/archive/byte_streams.h"
#include "sources/archive/input_streams.h"
#include "sources/files/content_kind.h"
#include "support/test_paths.h"
#include "unit/sources/archive_fixtures.h"

namespace fhir837 {
namespace {

using testing::ArchiveKind;
using ::testing::ElementsAre;

TEST(BulkPipeline, ExportZipWithGzipMembersSplitsIntoLines) {
  testing::TempDir dir;
  const std::string patients =
      "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\r\n\n{\"resourceType\":\"Patient\",\"id\":"
      "\"p2\"}";
  const std::string oneLine = "{\"resourceType\":\"Encounter\",\"id\":\"e1\"}\n";
  const std::string bundle = "{\n  \"resourceType\": \"Bundle\"\n}\n";
  auto zip = dir.path() / "export.zip";
  testing::writeFile(zip, testing::makeArchive(ArchiveKind::kZip,
                                               {{"Patient.000.ndjson.gz", testing::gzip(patients)},
                                                {"Encounter.000.ndjson", oneLine},
                                                {"bundle.json", bundle},
                                                {"notes.txt", "hello"}}));
  std::vector<std::string> seen;
  Status s = forEachInputStream({zip}, [&](const InputName& name, ByteStream& bytes) -> Status {
    PeekableStream stream(bytes);
    ContentKind kind = sniffStream(stream, name.display);
    std::string entry = name.member + " " + toString(kind);
    if (kind == ContentKind::kNdjson) {
      NdjsonReader reader(stream, name.display);
      while (!reader.done()) {
        auto line = reader.next();
        if (!line) return line.error();
        if (!*line) break;
        entry += " " + std::to_string((*line)->lineNumber) + ":" + std::string((*line)->text);
      }
    } else {
      auto whole = readWholeStream(stream, 1 << 20, name.display);
      if (!whole) return whole.error();
      entry += " " + std::to_string(whole->size()) + " bytes";
    }
    seen.push_back(entry);
    return Status::ok();
  });
  ASSERT_TRUE(s) << s.error().describe();
  EXPECT_THAT(seen, ElementsAre("Patient.000.ndjson.gz ndjson 1:{\"resourceType\":\"Patient\","
                                "\"id\":\"p1\"} 3:{\"resourceType\":\"Patient\",\"id\":\"p2\"}",
                                "Encounter.000.ndjson ndjson 1:{\"resourceType\":\"Encounter\","
                                "\"id\":\"e1\"}",
                                "bundle.json fhir-json " + std::to_string(bundle.size()) + " bytes",
                                "notes.txt unknown 5 bytes"));
}

}  // namespace
}  // namespace fhir837
