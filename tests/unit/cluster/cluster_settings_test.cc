#include "engine/config/cluster_settings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <string>
#include <vector>

#include "engine/config/config_loader.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::writeFile;

// The smallest config the loader accepts, plus whatever `[cluster]` a test gives.
class ClusterConfig {
 public:
  explicit ClusterConfig(const std::string& cluster) : cluster_(cluster) {}

  fs::path file() const { return dir_.path() / "fhir837.toml"; }
  fs::path dir() const { return dir_.path(); }
  std::string where(const std::string& key) const { return file().string() + ": " + key; }

  Result<AppConfig> load() {
    writeFile(file(),
              "[interchange]\nsender_id = \"SUB1\"\nreceiver_id = \"RCV1\"\n"
              "[submitter]\nname = \"SUBMITTER\"\nid = \"S1\"\nphone = \"2175550100\"\n"
              "[receiver]\nname = \"RECEIVER\"\nid = \"R1\"\n"
              "[engine]\npayers_dir = \"payers\"\n"
              "[fees]\n\"96369\" = \"250.00\"\n" +
                  cluster_);
    writeFile(dir_.path() / "payers/acme.toml",
              "name = \"ACME\"\npayer_ids = [\"11111\"]\nsbr09_professional = \"CI\"\n"
              "sbr09_institutional = \"CI\"\n");
    return loadConfig(file());
  }

 private:
  TempDir dir_;
  std::string cluster_;
};

// The default instance name as the loader derives it from the host name: letters, digits and
// '-' kept, anything else '_', at most 64 characters.
std::string sanitizedHostName() {
  char name[256] = {};
  EXPECT_EQ(::gethostname(name, sizeof name - 1), 0);
  std::string sanitized;
  for (const char* c = name; *c != '\0' && sanitized.size() < 64; ++c) {
    sanitized += std::isalnum(static_cast<unsigned char>(*c)) || *c == '-' ? *c : '_';
  }
  return sanitized.empty() ? "fhir837" : sanitized;
}

TEST(ClusterSettingsTest, WithoutClusterSectionClusterModeIsOff) {
  ClusterConfig config("");
  auto loaded = config.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_FALSE(loaded->cluster.enabled());
  EXPECT_TRUE(loaded->cluster.natsUrls.empty());
}

TEST(ClusterSettingsTest, DefaultsWithASingleNatsUrl) {
  ClusterConfig config("[cluster]\nnats = \"nats://10.0.0.5:4222\"\n");
  auto loaded = config.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  const ClusterSettings& cluster = loaded->cluster;
  EXPECT_TRUE(cluster.enabled());
  EXPECT_EQ(cluster.natsUrls, (std::vector<std::string>{"nats://10.0.0.5:4222"}));
  EXPECT_EQ(cluster.partitions, 64);
  EXPECT_EQ(cluster.replicas, 3);
  EXPECT_EQ(cluster.memberTtl, std::chrono::seconds(10));
  EXPECT_EQ(cluster.requestTimeout, std::chrono::seconds(5));
  EXPECT_EQ(cluster.instance, sanitizedHostName());
  EXPECT_TRUE(cluster.credentials.empty());
  EXPECT_TRUE(cluster.tlsCa.empty());
  EXPECT_TRUE(cluster.tlsCert.empty());
  EXPECT_TRUE(cluster.tlsKey.empty());
}

TEST(ClusterSettingsTest, EveryKeySet) {
  ClusterConfig config(
      "[cluster]\n"
      "nats = [\"nats://10.0.0.5:4222\", \"tls://10.0.0.6:4222\"]\n"
      "instance = \"billing-2_b\"\n"
      "partitions = 1024\n"
      "replicas = 5\n"
      "member_ttl = \"1h\"\n"
      "request_timeout = \"1s\"\n"
      "credentials = \"secrets/fhir837.creds\"\n"
      "tls_ca = \"/etc/nats/ca.pem\"\n"
      "tls_cert = \"tls/cert.pem\"\n"
      "tls_key = \"tls/key.pem\"\n");
  auto loaded = config.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  const ClusterSettings& cluster = loaded->cluster;
  EXPECT_EQ(cluster.natsUrls,
            (std::vector<std::string>{"nats://10.0.0.5:4222", "tls://10.0.0.6:4222"}));
  EXPECT_EQ(cluster.instance, "billing-2_b");
  EXPECT_EQ(cluster.partitions, 1024);
  EXPECT_EQ(cluster.replicas, 5);
  EXPECT_EQ(cluster.memberTtl, std::chrono::seconds(3600));
  EXPECT_EQ(cluster.requestTimeout, std::chrono::seconds(1));
  // Relative paths are the config file's directory's.
  EXPECT_EQ(cluster.credentials, (config.dir() / "secrets/fhir837.creds").lexically_normal());
  EXPECT_EQ(cluster.tlsCa, fs::path("/etc/nats/ca.pem"));
  EXPECT_EQ(cluster.tlsCert, (config.dir() / "tls/cert.pem").lexically_normal());
  EXPECT_EQ(cluster.tlsKey, (config.dir() / "tls/key.pem").lexically_normal());
}

TEST(ClusterSettingsTest, SmallestValuesAccepted) {
  ClusterConfig config(
      "[cluster]\nnats = \"tls://n1:4222\"\npartitions = 1\nreplicas = 1\nmember_ttl = \"2s\"\n");
  auto loaded = config.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->cluster.partitions, 1);
  EXPECT_EQ(loaded->cluster.replicas, 1);
  EXPECT_EQ(loaded->cluster.memberTtl, std::chrono::seconds(2));
}

TEST(ClusterSettingsTest, DurationsMayBeIntegerSecondsAsInServe) {
  ClusterConfig config(
      "[cluster]\nnats = \"nats://n1:4222\"\nmember_ttl = 12\nrequest_timeout = 3\n");
  auto loaded = config.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->cluster.memberTtl, std::chrono::seconds(12));
  EXPECT_EQ(loaded->cluster.requestTimeout, std::chrono::seconds(3));
}

TEST(ClusterSettingsTest, InvalidKeysAreRefusedWithTheirPath) {
  struct Case {
    std::string lines, key, message;
  };
  const std::string nats = "nats = \"nats://n1:4222\"\n";
  const std::vector<Case> cases = {
      {"nats = \"http://n1:4222\"\n", "cluster.nats",
       "must list URLs such as \"nats://10.0.0.5:4222\" (got \"http://n1:4222\")"},
      {"nats = [\"nats://n1:4222\", \"n2:4222\"]\n", "cluster.nats",
       "must list URLs such as \"nats://10.0.0.5:4222\" (got \"n2:4222\")"},
      {nats + "partitions = 0\n", "cluster.partitions", "must be between 1 and 1024"},
      {nats + "partitions = 1025\n", "cluster.partitions", "must be between 1 and 1024"},
      {nats + "replicas = 2\n", "cluster.replicas", "must be 1, 3 or 5"},
      {nats + "replicas = 0\n", "cluster.replicas", "must be 1, 3 or 5"},
      {nats + "member_ttl = \"1s\"\n", "cluster.member_ttl",
       "must be a duration from 2s to 1h, such as \"10s\""},
      {nats + "member_ttl = \"2h\"\n", "cluster.member_ttl",
       "must be a duration from 2s to 1h, such as \"10s\""},
      {nats + "member_ttl = \"soon\"\n", "cluster.member_ttl",
       "must be a duration from 2s to 1h, such as \"10s\""},
      {nats + "request_timeout = \"0s\"\n", "cluster.request_timeout",
       "must be a duration from 1s to 1h, such as \"10s\""},
      {nats + "instance = \"a b\"\n", "cluster.instance",
       "must be 1 to 64 letters, digits, '-' or '_'"},
      {nats + "instance = \"" + std::string(65, 'a') + "\"\n", "cluster.instance",
       "must be 1 to 64 letters, digits, '-' or '_'"},
      {nats + "tls_cert = \"cert.pem\"\n", "cluster.tls_key", "tls_cert and tls_key go together"},
      {nats + "tls_key = \"key.pem\"\n", "cluster.tls_cert", "tls_cert and tls_key go together"},
      {nats + "partition = 64\n", "cluster.partition", "unknown key"},
      {"nats = []\ninstance = \"a\"\n", "cluster.nats",
       "must list at least one URL (remove [cluster] for a single-node daemon)"},
      {nats + "member_ttl = 1\n", "cluster.member_ttl",
       "must be a duration from 2s to 1h, such as \"10s\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.lines);
    ClusterConfig config("[cluster]\n" + c.lines);
    auto loaded = config.load();
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error(), makeError(ErrorCode::kConfig, c.message, config.where(c.key)));
  }
}

}  // namespace
}  // namespace fhir837
