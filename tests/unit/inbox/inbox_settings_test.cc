#include <gtest/gtest.h>

#include "engine/config/serve_settings.h"
#include "engine/config/toml_reader.h"

namespace fhir837 {
namespace {

struct Read {
  ServeSettings settings;
  Status status;
};

Read readServe(std::string_view text) {
  toml::table table = toml::parse(text);
  TomlReader reader(&table, "serve");
  Read read;
  read.settings = readServeSettings(reader, "/etc/fhir837");
  read.status = reader.status();
  return read;
}

TEST(InboxSettings, DefaultsToNoInbox) {
  Read read = readServe("");
  ASSERT_TRUE(read.status);
  EXPECT_TRUE(read.settings.inbox.empty());
  EXPECT_EQ(read.settings.inboxSettle, std::chrono::seconds(2));
  EXPECT_EQ(read.settings.inboxRescan, std::chrono::seconds(10));
}

TEST(InboxSettings, PathIsRelativeToTheConfigFile) {
  Read read = readServe("inbox = \"../drop\"\ninbox_settle = \"5s\"\ninbox_rescan = \"1m\"\n");
  ASSERT_TRUE(read.status) << read.status.error();
  EXPECT_EQ(read.settings.inbox, std::filesystem::path("/etc/drop"));
  EXPECT_EQ(read.settings.inboxSettle, std::chrono::seconds(5));
  EXPECT_EQ(read.settings.inboxRescan, std::chrono::seconds(60));
}

TEST(InboxSettings, ARescanOfZeroIsRefusedNamingTheKey) {
  Read read = readServe("inbox_rescan = 0\n");
  ASSERT_FALSE(read.status);
  EXPECT_EQ(read.status.error().where, "serve.inbox_rescan");
  EXPECT_EQ(read.status.error().message, "must be at least 1s");
}

TEST(InboxSettings, AMalformedSettleIsRefusedNamingTheKey) {
  Read read = readServe("inbox_settle = \"soon\"\n");
  ASSERT_FALSE(read.status);
  EXPECT_EQ(read.status.error().where, "serve.inbox_settle");
}

}  // namespace
}  // namespace fhir837
